from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import audit, permissions, queries
from schools.forms import WhoDoesWhatForm
from schools.models import AuditAction, Group, Pupil, School, StaffMembership


@login_required
def school_detail(request, pk):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    year = queries.current_year()
    groups = queries.groups_with_counts(school, request.user, year)
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "year": year,
            "groups": groups,
            "can_manage": permissions.can_manage_school(request.user, school),
            "can_import": permissions.can_keep_records(request.user, school),
            "reads_names": permissions.reads_names(request.user, school),
        },
    )


@login_required
def pupil_list(request, pk):
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    search = request.GET.get("q", "").strip()[:100]
    pupils = queries.pupils_of_school(school, request.user, timezone.localdate(), search)
    context = {"school": school, "pupils": pupils, "search": search}
    template = "schools/pupil_list.html#rows" if request.htmx else "schools/pupil_list.html"
    return render(request, template, context)


@login_required
def group_detail(request, pk):
    group = get_object_or_404(
        Group.objects.visible_to(request.user).select_related("school", "school_year"), pk=pk
    )
    pupils = queries.pupils_of_group(group)
    return render(request, "schools/group_detail.html", {"group": group, "pupils": pupils})


@login_required
@audit.logs_denied("pupil", "schools.Pupil", "school_id")
def pupil_detail(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    pupil = get_object_or_404(
        Pupil.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    audit.record(request, AuditAction.VIEW_PUPIL, pupil=pupil, what=f"pupil:{pupil.pk}")
    links = pupil.guardian_links.select_related("guardian__family")
    enrolments = pupil.enrolments.select_related("group", "school_year").order_by(
        "-school_year__start"
    )
    return render(
        request,
        "schools/pupil_detail.html",
        {
            "pupil": pupil,
            "links": links,
            "enrolments": enrolments,
            "can_keep_records": permissions.holds_role(
                request.user, permissions.RECORD_KEEPERS, pupil.school_id
            ),
            "can_read_log": permissions.holds_role(
                request.user, permissions.AUDIT_READERS, pupil.school_id
            ),
        },
    )


def _school_for_who_does_what(request, pk):
    """Staff of the school and guardians with a child there may read the page."""
    school = School.objects.visible_to(request.user).filter(pk=pk).first()
    if school is None and permissions.is_guardian(request.user):
        school = School.objects.filter(
            pk=pk, pupils__in=permissions.visible_pupil_ids(request.user)
        ).first()
    if school is None:
        raise Http404
    return school


@login_required
def who_does_what(request, pk):
    school = _school_for_who_does_what(request, pk)
    return render(
        request,
        "schools/who_does_what.html",
        {
            "school": school,
            "memberships": queries.who_does_what(school),
            "can_manage": permissions.can_manage_school(request.user, school),
        },
    )


@login_required
def who_does_what_edit(request, pk, membership_pk):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    if not permissions.can_manage_school(request.user, school):
        raise Http404
    membership = get_object_or_404(StaffMembership, pk=membership_pk, school=school)
    form = WhoDoesWhatForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Opgeslagen."))
        return redirect("schools:who-does-what", pk=school.pk)
    return render(
        request,
        "schools/who_does_what_edit.html",
        {"school": school, "membership": membership, "form": form},
    )
