"""The pages of the support plan (opp) and of meetings about a child: the school's side for the
support planners (and, to read, the teachers of the child's group), the portal side for each
guardian with parental authority. Every object comes through its scoped queryset (404 for
outsiders) and every read is written to the audit log."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from care import forms, glossary, queries, services
from care.models import CareMeeting, SupportPlan
from care.views import Act, Build, small_form
from schools import audit, permissions
from schools.models import Pupil

READ = audit.AuditAction.VIEW_SUPPORT_NEEDS


def _pupil_for_planner(request: HttpRequest, pk: int) -> Pupil:
    pupil = get_object_or_404(Pupil.objects.visible_to(request.user), pk=pk)
    permissions.require_role(request.user, permissions.SUPPORT_PLANNERS, pupil.school_id)
    return pupil


def _audited(request: HttpRequest, obj: SupportPlan | CareMeeting, kind: str) -> None:
    audit.record(request, READ, pupil=obj.pupil, what=f"{kind}:{obj.pk}")


# --- the school's side ----------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = _pupil_for_planner(request, pk)
    form = forms.SupportPlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.record_support_plan(pupil=pupil, by=request.user, **form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Het plan is vastgelegd. De ouders met gezag krijgen een bericht.")
            )
            return redirect("care:plan-detail", pk=plan.pk)
    return render(request, "care/plan_form.html", {"pupil": pupil, "form": form})


def _plan_or_404(request: HttpRequest, pk: int) -> SupportPlan:
    permissions.require_role(request.user, permissions.NAME_READERS)  # staff; parents: portal
    plan = queries.plan_for_page(request.user, pk)
    if plan is None:
        raise Http404
    _audited(request, plan, "supportplan")
    return plan


@login_required
@audit.logs_denied("supportplan", "care.SupportPlan", "school_id")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    links = queries.deciders(plan.pupil_id)
    answers = {answer.guardian_id: answer for answer in plan.answers.all()}
    context = {
        "plan": plan,
        "status": queries.consent_status(plan, {link.guardian_id for link in links}),
        "rows": [(link.guardian, answers.get(link.guardian_id)) for link in links],
        "current": queries.is_current_plan(plan),
        "plans": queries.plans_of_pupil(plan.pupil_id, request.user),
        "plans_it": permissions.holds_role(
            request.user, permissions.SUPPORT_PLANNERS, plan.school_id
        ),
    }
    return render(request, "care/plan_detail.html", context)


@login_required
@never_cache
def plan_document(request: HttpRequest, pk: int) -> FileResponse:
    """The attached document, for whoever may read the plan (never a public media address)."""
    plan = get_object_or_404(
        SupportPlan.objects.visible_to(request.user).exclude(document=""), pk=pk
    )
    _audited(request, plan, "supportplan")
    name = "opp." + plan.document.name.rsplit(".", 1)[-1]
    return FileResponse(plan.document.open("rb"), as_attachment=True, filename=name)


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = _pupil_for_planner(request, pk)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                pupil=pupil,
                kind=data["kind"],
                purpose=data["purpose"],
                starts_at=form.starts_at(),
                place=data["place"],
                by=request.user,
            )
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het overleg is gepland. Voeg nu wie er nog bij zijn toe."))
            return redirect("care:meeting-detail", pk=meeting.pk)
    return render(request, "care/meeting_form.html", {"pupil": pupil, "form": form})


def _meeting_or_404(request: HttpRequest, pk: int, roles: frozenset | None = None) -> CareMeeting:
    permissions.require_role(request.user, permissions.NAME_READERS)
    meeting = queries.meeting_for_page(request.user, pk)
    if meeting is None:
        raise Http404
    if roles is not None:
        permissions.require_role(request.user, roles, meeting.school_id)
    _audited(request, meeting, "caremeeting")
    return meeting


def _render_meeting(request: HttpRequest, meeting: CareMeeting, **bound: Any) -> HttpResponse:
    context: dict[str, object] = {"meeting": meeting}
    plans_it = permissions.holds_role(request.user, permissions.SUPPORT_PLANNERS, meeting.school_id)
    if plans_it:
        context |= {
            "schedule_form": forms.ScheduleForm(initial={"place": meeting.place}),
            "attendee_form": forms.AttendeeForm(),
            **bound,
        }
    return render(request, "care/meeting_detail.html", context)


@login_required
@audit.logs_denied("caremeeting", "care.CareMeeting", "school_id")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, _meeting_or_404(request, pk))


def _on_meeting(
    request: HttpRequest,
    pk: int,
    form_name: str,
    build: Build[CareMeeting],
    act: Act[CareMeeting],
    done: str,
) -> HttpResponse:
    meeting = _meeting_or_404(request, pk, permissions.SUPPORT_PLANNERS)
    return small_form(
        request, meeting, form_name, build, act, done, "care:meeting-detail", _render_meeting
    )


@login_required
@require_POST
@audit.logs_denied("caremeeting", "care.CareMeeting", "school_id")
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_meeting(
        request,
        pk,
        "schedule_form",
        lambda m, data: forms.ScheduleForm(data),
        lambda m, data: services.schedule_meeting(
            meeting=m,
            starts_at=forms.ScheduleForm.starts_at_of(data),
            place=data["place"],
            by=request.user,
        ),
        _("Gepland. De ouders krijgen een uitnodiging met iedereen die erbij is."),
    )


@login_required
@require_POST
@audit.logs_denied("caremeeting", "care.CareMeeting", "school_id")
def meeting_attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_meeting(
        request,
        pk,
        "attendee_form",
        lambda m, data: forms.AttendeeForm(data),
        lambda m, data: services.add_attendee(meeting=m, by=request.user, **data),
        _("Toegevoegd. Zijn de ouders al uitgenodigd, dan krijgen zij meteen een bericht."),
    )


@login_required
def involvement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Help from outside the school: what and why, told to the parents first; or the meldcode
    exception with its reason. The page lists the pupil's earlier ones."""
    pupil = _pupil_for_planner(request, pk)
    form = forms.InvolvementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.involve_outside_service(pupil=pupil, by=request.user, **form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("care:involvement-create", pk=pupil.pk)
    involvements = queries.involvements_of_pupil(pupil.pk, request.user)
    audit.record(request, READ, pupil=pupil, what=f"pupil:{pupil.pk}")
    context = {"pupil": pupil, "form": form, "involvements": involvements}
    return render(request, "care/involvement_form.html", context)


# --- the parents' side ----------------------------------------------------------------------------


def _portal_plan(request: HttpRequest, pk: int) -> SupportPlan:
    permissions.guardian_or_404(request.user)
    plan = queries.plan_for_page(request.user, pk)
    if plan is None:
        raise Http404
    _audited(request, plan, "supportplan")
    return plan


@never_cache
@login_required
def plan_portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan in plain words with the glossary; the guardian answers here."""
    guardian = permissions.guardian_or_404(request.user)
    plan = _portal_plan(request, pk)
    own = next((a for a in plan.answers.all() if a.guardian_id == guardian.pk), None)
    current = queries.is_current_plan(plan)
    form = forms.PlanAnswerForm(request.POST or None) if current and own is None else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.answer_support_plan(plan=plan, guardian=guardian, **form.cleaned_data)
            except services.CareError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Dank u. De school heeft uw antwoord."))
                return redirect("care:plan-portal-detail", pk=plan.pk)
    context = {
        "plan": plan,
        "own": own,
        "current": current,
        "form": form,
        "glossary": glossary.TERMS,
    }
    return render(request, "care/plan_portal_detail.html", context)


@never_cache
@login_required
def meeting_portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting with everyone who will be there; the guardian says whom they bring."""
    guardian = permissions.guardian_or_404(request.user)
    meeting = queries.meeting_for_page(request.user, pk)
    if meeting is None:
        raise Http404
    _audited(request, meeting, "caremeeting")
    form = forms.BringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bring_attendee(meeting=meeting, guardian=guardian, **form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dank u. De school weet wie u meeneemt."))
            return redirect("care:meeting-portal-detail", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "glossary": glossary.TERMS}
    return render(request, "care/meeting_portal_detail.html", context)
