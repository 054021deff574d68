from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reminders.services import choose_daily_digest, wants_daily_digest
from schools import audit, permissions, queries, services
from schools import home as staff_home
from schools.forms import MyMessagesForm, WhoDoesWhatForm
from schools.models import AnswerHours, AuditAction, Group, Pupil, School, StaffMembership

# The pupil list shows this many at a time.
PUPILS_PER_PAGE = 100


@login_required
def home(request):
    """Send each user to where their work starts."""
    access = permissions.access_for(request.user)
    if access.name_school_ids:
        return _staff_home(request)
    if access.is_staff_member:
        schools = list(School.objects.visible_to(request.user))
        if len(schools) == 1:
            return redirect("schools:school-detail", pk=schools[0].pk)
        return render(request, "schools/school_list.html", {"schools": schools})
    if access.is_guardian:
        return redirect("parents:portal-home")
    return render(request, "schools/no_access.html", status=403)


def _staff_home(request):
    """What this staff member does now at one of their schools (``?school=``, else the first),
    as the sections the apps registered (``schools.home``)."""
    schools = list(School.objects.records_visible_to(request.user).order_by("name", "pk"))
    chosen = request.GET.get("school", "")
    school = next((s for s in schools if str(s.pk) == chosen), schools[0])
    today = timezone.localdate()
    return render(
        request,
        "schools/home.html",
        {
            "school": school,
            "schools": schools,
            "today": today,
            "sections": staff_home.sections_for(user=request.user, school=school, today=today),
        },
    )


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
# "empty"}.
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


@require_GET
@never_cache
def healthz(request):
    """State of the database, the broker and the reminders (mail, stuck or stalled rows), for a
    load balancer or a monitor: 503 names what is wrong."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    reminders, reminders_ok = _reminders_health() if checks["database"] else ({}, False)
    healthy = all(checks.values()) and reminders_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            **{k: "ok" if v else "error" for k, v in checks.items()},
            **reminders,
        },
        status=200 if healthy else 503,
    )


def _reminders_health():
    from reminders.queries import health

    try:
        return health()
    except Exception:  # noqa: BLE001 - the database check reports the cause
        return {"reminders": "error"}, False


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_ok():
    from partnership.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False
