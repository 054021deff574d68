"""The staff pages of care and safety. Every object is fetched through its scoped queryset, so
an incident that is not the user's to see is simply not found (404)."""

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from care import forms, protocol, queries, services
from care.models import (
    FOLLOW_UP_STEPS,
    ChangesReport,
    ComplaintsProcedure,
    ContactArrangement,
    Feedback,
    Incident,
)
from parents.models import Guardian
from parents.portal_views import own_links
from schools import audit, permissions
from schools.models import School, SchoolYear

_M = TypeVar("_M", bound=Model)
# Builds a page's small form from the object and the posted data; acts on the cleaned data.
Build = Callable[[_M, QueryDict], django_forms.Form]
Act = Callable[[_M, dict[str, Any]], object]

# --- incidents ------------------------------------------------------------------------------------


def _school_with_names(request: HttpRequest, pk: int) -> School:
    permissions.require_role(request.user, permissions.NAME_READERS)
    return get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)


def _guardians_of(school: School, user: User) -> QuerySet[Guardian]:
    return (
        Guardian.objects.visible_to(user)
        .filter(pupil_links__pupil__school=school)
        .distinct()
        .with_children(user)
        .order_by("last_name", "first_name")
    )


@login_required
def incident_list(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school_with_names(request, pk)
    incidents = list(queries.incidents_of_school(school, request.user))
    audit.record(request, audit.AuditAction.VIEW_INCIDENT, school=school, what=f"school:{pk}")
    context = {
        "school": school,
        "incidents": incidents,
        "oversees": permissions.holds_role(request.user, permissions.INCIDENT_OVERSEERS, school),
    }
    return render(request, "care/incident_list.html", context)


@login_required
def incident_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school_with_names(request, pk)
    form = forms.IncidentForm(
        request.POST or None,
        guardians=_guardians_of(school, request.user),
        staff=queries.colleagues(school),
        initial={"staff_member": request.user.pk, "day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.register_incident(
                school=school, by=request.user, **form.incident_data()
            )
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het incident is vastgelegd. De directeur ziet het."))
            return redirect("care:incident-detail", pk=incident.pk)
    return render(request, "care/incident_form.html", {"school": school, "form": form})


def _incident_or_404(
    request: HttpRequest, pk: int, roles: AbstractSet[str] | None = None
) -> Incident:
    """The incident if the user may see it (and, with ``roles``, holds one of them at its
    school), its read written to the audit log; else 404."""
    incident = queries.incident_for_page(request.user, pk)
    if incident is None:
        raise Http404
    if roles is not None:
        permissions.require_role(request.user, roles, incident.school_id)
    audit.record(
        request,
        audit.AuditAction.VIEW_INCIDENT,
        family=incident.guardian.family_id,
        school=incident.school_id,
        what=f"incident:{pk}",
    )
    return incident


def _render_detail(request: HttpRequest, incident: Incident, **bound: Any) -> HttpResponse:
    context = {"incident": incident, "steps": _steps(incident)}
    if permissions.holds_role(request.user, permissions.INCIDENT_OVERSEERS, incident.school_id):
        staff = queries.colleagues(incident.school)
        arrangement = ContactArrangement.objects.filter(
            school_id=incident.school_id, family_id=incident.guardian.family_id
        ).first()
        context |= {
            "follow_up_form": forms.FollowUpForm(staff=staff, incident=incident),
            "reader_form": forms.ReaderForm(staff=staff),
            "withhold_form": forms.WithholdForm(initial={"ground": incident.withheld_ground}),
            "arrangement_form": forms.ArrangementForm(
                initial={"text": arrangement.text if arrangement else ""}
            ),
            **bound,
        }
    return render(request, "care/incident_detail.html", context)


def _steps(incident: Incident) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "by": getattr(incident, f"{step}_by"),
            "on": getattr(incident, f"{step}_on"),
            "done_on": getattr(incident, f"{step}_done_on"),
        }
        for step, label in FOLLOW_UP_STEPS
    ]


@login_required
@audit.logs_denied("incident", "care.Incident", "school_id")
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _incident_or_404(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    form_name: str,
    build: Build[Incident],
    act: Act[Incident],
    done: str,
) -> HttpResponse:
    """The director's small forms on the incident page (see ``small_form``)."""
    incident = _incident_or_404(request, pk, permissions.INCIDENT_OVERSEERS)
    return small_form(
        request, incident, form_name, build, act, done, "care:incident-detail", _render_detail
    )


def small_form(
    request: HttpRequest,
    obj: _M,
    form_name: str,
    build: Build[_M],
    act: Act[_M],
    done: str,
    page: str,
    render_page: Callable[..., HttpResponse],
) -> HttpResponse:
    """Bind the form, call the service, go back to ``page`` with ``done``; on an error the page
    again with the form and its message."""
    form = build(obj, request.POST)
    if form.is_valid():
        try:
            act(obj, form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(page, pk=obj.pk)
    return render_page(request, obj, **{form_name: form})


@login_required
@require_POST
@audit.logs_denied("incident", "care.Incident", "school_id")
def incident_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "follow_up_form",
        lambda i, data: forms.FollowUpForm(data, staff=queries.colleagues(i.school), incident=i),
        lambda i, data: services.plan_follow_up(incident=i, by=request.user, **data),
        _("De opvolging is opgeslagen. Wie iets moet doen, krijgt op de dag een herinnering."),
    )


@login_required
@require_POST
@audit.logs_denied("incident", "care.Incident", "school_id")
def incident_reader_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reader_form",
        lambda i, data: forms.ReaderForm(data, staff=queries.colleagues(i.school)),
        lambda i, data: services.add_reader(incident=i, reader=data["reader"], by=request.user),
        _("Deze collega kan het incident nu lezen."),
    )


@login_required
@require_POST
@audit.logs_denied("incident", "care.Incident", "school_id")
def incident_withhold(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "withhold_form",
        lambda i, data: forms.WithholdForm(data),
        lambda i, data: services.withhold_from_export(
            incident=i, ground=data["ground"], by=request.user
        ),
        _("Opgeslagen."),
    )


@login_required
@require_POST
@audit.logs_denied("incident", "care.Incident", "school_id")
def incident_arrangement(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "arrangement_form",
        lambda i, data: forms.ArrangementForm(data),
        lambda i, data: services.set_contact_arrangement(
            school=i.school, family=i.guardian.family, text=data["text"], by=request.user
        ),
        _("De contactafspraak staat op de gezinspagina."),
    )


@login_required
def incident_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """Incidents per school and kind for the board (and a director, of their school): counts,
    never a name."""
    schools = permissions.schools_where(request.user, permissions.INCIDENT_FIGURE_READERS).filter(
        board_id=pk
    )
    figures = queries.incident_counts(schools)
    if not figures.rows:
        raise Http404
    return render(request, "care/incident_figures.html", {"figures": figures})


# --- the protocol ---------------------------------------------------------------------------------


@login_required
def protocol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school_with_names(request, pk)
    return render(
        request,
        "care/protocol_detail.html",
        {
            "school": school,
            "protocol": protocol.of_school(school),
            "can_edit": permissions.holds_role(
                request.user, permissions.INCIDENT_OVERSEERS, school
            ),
        },
    )


@login_required
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school_with_names(request, pk)
    permissions.require_role(request.user, permissions.INCIDENT_OVERSEERS, school)
    current = protocol.of_school(school)
    form = forms.ProtocolForm(request.POST or None, initial=current.as_initial())
    if request.method == "POST" and form.is_valid():
        services.save_protocol(school=school, by=request.user, **form.cleaned_data)
        messages.success(request, _("Het protocol is opgeslagen."))
        return redirect("care:protocol-detail", pk=pk)
    return render(request, "care/protocol_edit.html", {"school": school, "form": form})


# --- ideas and complaints: the parent's side ------------------------------------------------------


def _guardian_schools(request: HttpRequest) -> tuple[Guardian, QuerySet[School]]:
    guardian = permissions.guardian_or_404(request.user)
    school_ids = own_links(guardian, request.user).values("pupil__school_id")
    return guardian, School.objects.filter(pk__in=school_ids).order_by("name")


@never_cache
@login_required
def feedback_portal_list(request: HttpRequest) -> HttpResponse:
    guardian, schools = _guardian_schools(request)
    context = {
        "items": list(queries.guardian_feedback(request.user)),
        "reports": queries.published_changes({school.pk for school in schools}),
    }
    return render(request, "care/feedback_portal_list.html", context)


@never_cache
@login_required
def feedback_portal_create(request: HttpRequest) -> HttpResponse:
    guardian, schools = _guardian_schools(request)
    form = forms.FeedbackForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.submit_feedback(guardian=guardian, **form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dank u. De school heeft uw bericht ontvangen."))
            return redirect("care:feedback-portal-detail", pk=feedback.pk)
    return render(request, "care/feedback_portal_form.html", {"form": form})


@never_cache
@login_required
def feedback_portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.guardian_or_404(request.user)
    feedback = queries.guardian_feedback(request.user).filter(pk=pk).first()
    if feedback is None:
        raise Http404
    procedure = ComplaintsProcedure.objects.filter(school_id=feedback.school_id).first()
    return render(
        request,
        "care/feedback_portal_detail.html",
        {"feedback": feedback, "procedure": procedure},
    )


# --- ideas and complaints: the school's side ------------------------------------------------------


@login_required
def feedback_list(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school_with_names(request, pk)
    permissions.require_role(request.user, permissions.FEEDBACK_HANDLERS, school)
    today = timezone.localdate()
    items = list(queries.feedback_of_school(school, request.user))
    audit.record(request, audit.AuditAction.VIEW_MESSAGES, school=school, what=f"school:{pk}")
    context = {
        "school": school,
        "items": items,
        "figures": queries.feedback_figures(school, SchoolYear.for_date(today), today),
        "oversees": permissions.holds_role(request.user, permissions.INCIDENT_OVERSEERS, school),
    }
    return render(request, "care/feedback_list.html", context)


def _feedback_or_404(request: HttpRequest, pk: int) -> Feedback:
    permissions.require_role(request.user, permissions.NAME_READERS)  # staff; parents: portal
    feedback = queries.feedback_for_page(request.user, pk)
    if feedback is None:
        raise Http404
    audit.record(
        request,
        audit.AuditAction.VIEW_MESSAGES,
        family=feedback.guardian.family_id,
        school=feedback.school_id,
        what=f"feedback:{pk}",
    )
    return feedback


def _render_feedback(request: HttpRequest, feedback: Feedback, **bound: Any) -> HttpResponse:
    handles = permissions.holds_role(
        request.user, permissions.FEEDBACK_HANDLERS, feedback.school_id
    )
    context: dict[str, object] = {"feedback": feedback}
    if not feedback.closed_at:
        if handles:
            context["assign_form"] = forms.AssignForm(
                staff=queries.colleagues(feedback.school),
                initial={"to": feedback.assigned_to_id},
            )
        context["answer_form"] = forms.AnswerForm(
            initial={"answer": feedback.answer, "change_made": feedback.change_made}
        )
    context |= bound
    return render(request, "care/feedback_detail.html", context)


@login_required
@audit.logs_denied("feedback", "care.Feedback", "school_id")
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_feedback(request, _feedback_or_404(request, pk))


def _handle(
    request: HttpRequest,
    pk: int,
    form_name: str,
    build: Build[Feedback],
    act: Act[Feedback],
    done: str,
) -> HttpResponse:
    """The small forms on the page of an idea or complaint (see ``small_form``)."""
    feedback = _feedback_or_404(request, pk)
    return small_form(
        request, feedback, form_name, build, act, done, "care:feedback-detail", _render_feedback
    )


@login_required
@require_POST
@audit.logs_denied("feedback", "care.Feedback", "school_id")
def feedback_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(
        request,
        pk,
        "assign_form",
        lambda f, data: forms.AssignForm(data, staff=queries.colleagues(f.school)),
        lambda f, data: services.assign_feedback(feedback=f, to=data["to"], by=request.user),
        _("Toegewezen. De ouder ziet dat het in behandeling is."),
    )


@login_required
@require_POST
@audit.logs_denied("feedback", "care.Feedback", "school_id")
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(
        request,
        pk,
        "answer_form",
        lambda f, data: forms.AnswerForm(data),
        lambda f, data: services.answer_feedback(feedback=f, by=request.user, **data),
        _("Het antwoord staat in het ouderportaal. De ouder krijgt een bericht."),
    )


@login_required
@require_POST
@audit.logs_denied("feedback", "care.Feedback", "school_id")
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(
        request,
        pk,
        "close_form",
        lambda f, data: django_forms.Form(data),
        lambda f, data: services.close_feedback(feedback=f, by=request.user),
        _("Afgesloten."),
    )


@login_required
def complaints_procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school_with_names(request, pk)
    permissions.require_role(request.user, permissions.INCIDENT_OVERSEERS, school)
    current = ComplaintsProcedure.objects.filter(school=school).first()
    initial: dict[str, object] = {"answer_days": services.DEFAULT_ANSWER_DAYS}
    if current:
        initial = {
            "url": current.url,
            "contact": current.contact,
            "answer_days": current.answer_days,
        }
    form = forms.ComplaintsProcedureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_complaints_procedure(school=school, by=request.user, **form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("care:feedback-list", pk=pk)
    return render(request, "care/complaints_procedure_edit.html", {"school": school, "form": form})


@login_required
def changes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """This year's "wat we veranderden dankzij u": the changes written on the year's ideas and
    complaints, and the director's button that publishes them to the school's parents."""
    school = _school_with_names(request, pk)
    permissions.require_role(request.user, permissions.INCIDENT_OVERSEERS, school)
    year = SchoolYear.for_date(timezone.localdate())
    report = ChangesReport.objects.filter(school=school, school_year=year).first()
    form = forms.ChangesForm(
        request.POST or None, initial={"introduction": report.introduction if report else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.publish_changes(school=school, year=year, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Gepubliceerd. De ouders van de school zien het in het portaal.")
        )
        return redirect("care:changes-edit", pk=pk)
    context = {
        "school": school,
        "year": year,
        "report": report,
        "changes": queries.changes_of_year(school, year),
        "form": form,
    }
    return render(request, "care/changes_edit.html", context)
