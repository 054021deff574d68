"""The staff pages of care and safety. Every object is fetched through its scoped queryset, so
an incident that is not the user's to see is simply not found (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from care import forms, protocol, queries, services
from care.models import FOLLOW_UP_STEPS, ContactArrangement
from parents.models import Guardian
from schools import audit, permissions
from schools.models import School

# --- incidents ------------------------------------------------------------------------------------


def _school_with_names(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    return get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)


def _guardians_of(school, user):
    return (
        Guardian.objects.visible_to(user)
        .filter(pupil_links__pupil__school=school)
        .distinct()
        .with_children(user)
        .order_by("last_name", "first_name")
    )


@login_required
def incident_list(request, pk):
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
def incident_create(request, pk):
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


def _incident_or_404(request, pk, roles=None):
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


def _render_detail(request, incident, **bound):
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


def _steps(incident):
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
def incident_detail(request, pk):
    return _render_detail(request, _incident_or_404(request, pk))


def _act(request, pk, form_name, build, act, done):
    """The director's small forms on the incident page: bind, call the service, redirect back
    with ``done``; on an error the page again with the form and its message."""
    incident = _incident_or_404(request, pk, permissions.INCIDENT_OVERSEERS)
    form = build(incident, request.POST)
    if form.is_valid():
        try:
            act(incident, form.cleaned_data)
        except services.CareError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("care:incident-detail", pk=pk)
    return _render_detail(request, incident, **{form_name: form})


@login_required
@require_POST
@audit.logs_denied("incident", "care.Incident", "school_id")
def incident_follow_up(request, pk):
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
def incident_reader_add(request, pk):
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
def incident_withhold(request, pk):
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
def incident_arrangement(request, pk):
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
def incident_figures(request, pk):
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
def protocol_detail(request, pk):
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
def protocol_edit(request, pk):
    school = _school_with_names(request, pk)
    permissions.require_role(request.user, permissions.INCIDENT_OVERSEERS, school)
    current = protocol.of_school(school)
    form = forms.ProtocolForm(request.POST or None, initial=current.as_initial())
    if request.method == "POST" and form.is_valid():
        services.save_protocol(school=school, by=request.user, **form.cleaned_data)
        messages.success(request, _("Het protocol is opgeslagen."))
        return redirect("care:protocol-detail", pk=pk)
    return render(request, "care/protocol_edit.html", {"school": school, "form": form})
