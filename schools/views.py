from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from reminders.services import choose_daily_digest, wants_daily_digest
from schools import audit, permissions, queries, services
from schools.forms import MyMessagesForm, WhoDoesWhatForm
from schools.models import AnswerHours, AuditAction, Group, Pupil, School, StaffMembership

# The pupil list shows this many at a time.
PUPILS_PER_PAGE = 100


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
            "manages_absence": permissions.holds_role(
                request.user, permissions.ABSENCE_MANAGERS, school
            ),
            "translates": permissions.holds_role(request.user, permissions.TRANSLATORS, school),
            "handles_feedback": permissions.holds_role(
                request.user, permissions.FEEDBACK_HANDLERS, school
            ),
        },
    )


@login_required
def pupil_list(request, pk):
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    search = request.GET.get("q", "").strip()[:100]
    pupils = queries.pupils_of_school(school, request.user, timezone.localdate(), search)
    # A page of pupils at a time: a school of 1,000 stays quick to load on a phone.
    page = Paginator(pupils, PUPILS_PER_PAGE).get_page(request.GET.get("pagina"))
    context = {"school": school, "page": page, "search": search}
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
    sections = [provider(pupil=pupil, user=request.user) for provider in PUPIL_SECTIONS]
    sections = [section for section in sections if section is not None]
    return render(
        request,
        "schools/pupil_detail.html",
        {
            "pupil": pupil,
            "sections": sections,
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


# The apps above schools (absence: leave and its decisions) add a section to the pupil page by
# registering a provider in their AppConfig.ready(), so that schools imports none of them. A
# provider is called as provider(pupil=, user=) and returns {"title", "items": [{"text", "url"}],
# "empty"}, or None when the section is not for this user.
PUPIL_SECTIONS = []


def register_pupil_section(provider):
    PUPIL_SECTIONS.append(provider)


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


@login_required
def my_messages_edit(request, pk):
    """A staff member's own settings at a school: when they answer parents (shown to parents),
    and whether reminders come one by one or as one overview a day."""
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    permissions.require_role(request.user, permissions.NAME_READERS, school)
    recipient_key = f"auth.user:{request.user.pk}"
    hours = AnswerHours.objects.filter(user=request.user, school=school).first()
    form = MyMessagesForm(
        request.POST or None,
        initial={
            "starts": hours and hours.starts,
            "ends": hours and hours.ends,
            "daily_digest": "1" if wants_daily_digest(recipient_key=recipient_key) else "0",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_answer_hours(
                user=request.user, school=school, starts=data["starts"], ends=data["ends"]
            )
        except services.SchoolError as exc:
            form.add_error(None, str(exc))
        else:
            choose_daily_digest(recipient_key=recipient_key, daily=data["daily_digest"])
            messages.success(request, _("Opgeslagen."))
            return redirect("schools:school-detail", pk=school.pk)
    return render(request, "schools/my_messages_edit.html", {"school": school, "form": form})
