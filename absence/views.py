"""Pages of absence: the group's reports of today, the school's settings and protocol, leave and
the information card for staff; reporting, leave and the card for guardians."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from absence import queries, services
from absence.forms import DecisionForm, InfoCardForm, LeaveForm, ReportForm, SettingsForm
from absence.models import AbsenceSettings, AttendanceCase, CaseStep, InfoCard, LeaveRequest
from absence.reminder_rules import STEP_TEXTS
from parents.models import Guardian, PupilGuardian
from parents.portal_views import own_links, school_contacts
from schools import audit, permissions
from schools.calendar import school_calendar
from schools.models import AuditAction, Group, Pupil, School, SchoolYear

# --- staff ------------------------------------------------------------------------------------


@never_cache
@login_required
def group_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's reports of today at a glance, and who is missing without one."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    group = get_object_or_404(
        Group.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    today = timezone.localdate()
    pupils = queries.group_day(group, today)
    audit.record(request, AuditAction.VIEW_ABSENCE, school=group.school_id, what=f"group:{pk}")
    return render(
        request,
        "absence/group_reports.html",
        {
            "group": group,
            "today": today,
            "pupils": pupils,
            "reported": sum(bool(pupil.reports) for pupil in pupils),
        },
    )


@login_required
@require_POST
def pupil_mark_absent(request: HttpRequest, pk: int) -> HttpResponse:
    """Absent without a report: the school's protocol starts for this pupil."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    pupil = get_object_or_404(
        Pupil.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    try:
        services.mark_absent(pupil=pupil, by=request.user)
    except services.AbsenceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Het verzuimprotocol is gestart voor %(name)s. De ouders krijgen bericht.")
            % {"name": pupil.first_name},
        )
    group = queries.current_group(pupil, timezone.localdate())
    if group is None:
        return redirect("schools:pupil-detail", pk=pupil.pk)
    return redirect("absence:group-reports", pk=group.pk)


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop the protocol of one pupil: back at school, or the absence is explained."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    case = get_object_or_404(
        AttendanceCase.objects.visible_to(request.user).select_related("pupil__school"), pk=pk
    )
    try:
        services.close_case(case=case, by=request.user)
    except services.AbsenceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Het verzuimprotocol voor %(name)s is gestopt.") % {"name": case.pupil.first_name},
        )
    group = queries.current_group(case.pupil, timezone.localdate())
    if group is None:
        return redirect("schools:pupil-detail", pk=case.pupil_id)
    return redirect("absence:group-reports", pk=group.pk)


def _managed_school(request: HttpRequest, pk: int) -> School:
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    permissions.require_role(request.user, permissions.ABSENCE_MANAGERS, school)
    return school


@never_cache
@login_required
def settings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = _managed_school(request, pk)
    settings = AbsenceSettings.for_school(school)
    form = SettingsForm.for_school(
        settings, services.protocol_steps(school), data=request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_settings(
                school=school,
                by=request.user,
                late_after=data["late_after"],
                wants_phone_call=data["wants_phone_call"],
                phone=data["phone"],
                contact_person=data["contact_person"],
                steps=form.steps(),
            )
        except services.AbsenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De instellingen en het verzuimprotocol zijn bewaard."))
            return redirect("absence:settings-edit", pk=school.pk)
    return render(request, "absence/settings_edit.html", {"school": school, "form": form})


@never_cache
@login_required
def leave_list(request: HttpRequest, pk: int) -> HttpResponse:
    school = _managed_school(request, pk)
    rows = queries.leave_of_school(school)
    audit.record(request, AuditAction.VIEW_LIST, school=school, what=f"school:{school.pk}")
    return render(request, "absence/leave_list.html", {"school": school, "rows": rows})


def _leave_for_manager(request: HttpRequest, pk: int) -> LeaveRequest:
    leave = get_object_or_404(
        LeaveRequest.objects.visible_to(request.user).select_related(
            "pupil__school", "guardian", "decided_by"
        ),
        pk=pk,
    )
    permissions.require_role(request.user, permissions.ABSENCE_MANAGERS, leave.pupil.school_id)
    return leave


@never_cache
@login_required
@audit.logs_denied("leave", "absence.LeaveRequest", "pupil__school_id")
def leave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leave = _leave_for_manager(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_leave(
                leave=leave,
                by=request.user,
                granted=form.cleaned_data["granted"],
                note=form.cleaned_data["note"],
            )
        except services.AbsenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het besluit is bewaard. De ouder krijgt bericht."))
            return redirect("absence:leave-detail", pk=leave.pk)
    audit.record(request, AuditAction.VIEW_LEAVE, pupil=leave.pupil, what=f"leave:{leave.pk}")
    return render(request, "absence/leave_detail.html", {"leave": leave, "form": form})


@never_cache
@login_required
def leave_statement(request: HttpRequest, pk: int) -> FileResponse:
    leave = _leave_for_manager(request, pk)
    if not leave.employer_statement:
        raise Http404
    audit.record(request, AuditAction.DOWNLOAD, pupil=leave.pupil, what=f"leave:{leave.pk}")
    suffix = leave.employer_statement.name.rsplit(".", 1)[-1]
    return FileResponse(
        leave.employer_statement.open("rb"),
        as_attachment=True,
        filename=f"verklaring-werkgever-{leave.pk}.{suffix}",
    )


@never_cache
@login_required
def info_card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = _managed_school(request, pk)
    year = SchoolYear.current()
    card = queries.info_card(school, year)
    form = InfoCardForm(request.POST or None, initial={"welcome": card.welcome if card else ""})
    if request.method == "POST" and form.is_valid():
        services.publish_info_card(
            school=school, year=year, by=request.user, welcome=form.cleaned_data["welcome"]
        )
        messages.success(request, _("De informatiekaart staat voor alle gezinnen klaar."))
        return redirect("absence:info-card-edit", pk=school.pk)
    return render(
        request,
        "absence/info_card_edit.html",
        {
            "school": school,
            "year": year,
            "card": card,
            "form": form,
            "figures": queries.info_card_figures(school, year),
        },
    )


# --- the parent portal ------------------------------------------------------------------------


def _own_links(
    request: HttpRequest, *, deciding: bool = False
) -> tuple[Guardian, list[PupilGuardian]]:
    guardian = permissions.guardian_or_404(request.user)
    links = list(own_links(guardian, request.user))
    if deciding:
        links = [link for link in links if link.may_change]
    return guardian, links


def _step_texts(steps: Iterable[CaseStep]) -> list[tuple[CaseStep, str, str]]:
    """(step, what, why) in the reader's language."""
    return [(step, _(STEP_TEXTS[step.kind][0]), _(STEP_TEXTS[step.kind][1])) for step in steps]


@never_cache
@login_required
def portal_overview(request: HttpRequest) -> HttpResponse:
    guardian, links = _own_links(request)
    overview = queries.guardian_overview(links, timezone.localdate())
    return render(
        request,
        "absence/portal_overview.html",
        {"links": links, **overview, "steps": _step_texts(overview["steps"])},
    )


@never_cache
@login_required
def portal_report(request: HttpRequest) -> HttpResponse:
    guardian, links = _own_links(request)
    today = timezone.localdate()
    form = ReportForm(
        request.POST or None, links=links, initial={"first_day": today, "kind": "sick"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        link = form.chosen_link()
        try:
            report = services.report_absence(
                guardian=guardian,
                pupil=link.pupil,
                kind=data["kind"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                arrives_at=data["arrives_at"],
                note=data["note"],
            )
        except services.AbsenceError as error:
            form.add_error(None, str(error))
        else:
            settings = AbsenceSettings.for_school(link.pupil.school)
            messages.success(
                request,
                _(
                    "Dank u. De school heeft uw melding voor %(name)s: %(what)s. U krijgt ook "
                    "een bevestiging."
                )
                % {"name": link.pupil.first_name, "what": report.get_kind_display()},
            )
            if settings.wants_phone_call and settings.phone:
                messages.info(
                    request, _("Bel ook even de school: %(phone)s.") % {"phone": settings.phone}
                )
            return redirect("absence:portal-overview")
    return render(request, "absence/portal_report.html", {"form": form, "links": links})


@never_cache
@login_required
def portal_leave(request: HttpRequest) -> HttpResponse:
    guardian, links = _own_links(request, deciding=True)
    form = LeaveForm(request.POST or None, request.FILES or None, links=links)
    refusals = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.request_leave(
                guardian=guardian,
                pupil=form.chosen_link().pupil,
                kind=data["kind"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                reason=data["reason"],
                employer_statement=data["employer_statement"],
                work_prevents_holiday=data["work_prevents_holiday"],
            )
        except services.LeaveRefused as refused:
            # The parent's language, and the law's own words in Dutch beside it.
            own = refused.reasons_in(translation.get_language())
            refusals = [
                (text, dutch if dutch != text else "")
                for text, dutch in zip(own, refused.reasons, strict=True)
            ]
        except services.AbsenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _leave_received(leave))
            return redirect("absence:portal-overview")
    return render(
        request,
        "absence/portal_leave.html",
        {"form": form, "links": links, "refusals": refusals},
    )


def _leave_received(leave: LeaveRequest) -> str:
    if leave.status == "forwarded":
        return _(
            "Dank u. Dit is meer dan 10 schooldagen: de leerplichtambtenaar beslist. De school "
            "stuurt uw aanvraag door."
        )
    return _("Dank u. De directeur beslist over uw aanvraag. U krijgt het besluit in een bericht.")


@never_cache
@login_required
def portal_info_card(request: HttpRequest, pk: int) -> HttpResponse:
    guardian, links = _own_links(request)
    schools = {link.pupil.school_id: link.pupil.school for link in links}
    if pk not in schools:
        raise Http404
    school = schools[pk]
    year = SchoolYear.current()
    card = get_object_or_404(InfoCard, school=school, school_year=year)
    if request.method == "POST":
        services.confirm_info_card(card=card, guardian=guardian)
        messages.success(request, _("Dank u. De school weet dat u de kaart heeft gelezen."))
        return redirect("absence:portal-info-card", pk=pk)
    return render(
        request,
        "absence/portal_info_card.html",
        {
            "school": school,
            "card": card,
            "read": queries.card_read_by(card, guardian),
            "settings": AbsenceSettings.for_school(school),
            "steps": _step_texts(services.protocol_steps(school)),
            "contacts": school_contacts([link for link in links if link.pupil.school_id == pk]),
            "periods": school_calendar(school, year).closed_periods(),
        },
    )
