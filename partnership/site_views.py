"""The site's own pages, beside its urls: where each user's work starts, and the health check
that a load balancer or monitor reads. They sit in the project package because they look at the
whole site (every app's home, the Celery broker), which no app below may import.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partnership.celery import app
from reminders.queries import health
from schools import home as staff_home
from schools import permissions
from schools.models import School


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
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False
