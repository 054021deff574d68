"""What the absence pages read: each a fixed number of queries, whatever the size of the group or
school."""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from absence.models import (
    AbsenceReport,
    AttendanceCase,
    CaseStep,
    InfoCard,
    InfoCardReading,
    LeaveRequest,
    LeaveStatus,
)
from parents.models import Guardian, PupilGuardian
from schools import permissions
from schools.models import Enrolment, Group, Pupil, School, SchoolYear


def group_day(group: Group, day: datetime.date) -> list[Pupil]:
    """The pupils of ``group`` with their reports of ``day`` (``pupil.reports``) and their
    running protocol (``pupil.open_cases``), reported pupils first. Three queries."""
    reports = AbsenceReport.objects.on(day).order_by("reported_at")
    cases = AttendanceCase.objects.open().prefetch_related(
        Prefetch("steps", queryset=CaseStep.objects.select_related("responsible"))
    )
    pupils = list(
        Pupil.objects.filter(enrolments__group=group)
        .present()
        .prefetch_related(
            Prefetch("absence_reports", queryset=reports, to_attr="reports"),
            Prefetch("attendance_cases", queryset=cases, to_attr="open_cases"),
        )
        .order_by("first_name", "last_name", "pk")
    )
    return sorted(pupils, key=lambda pupil: not pupil.reports)


def current_group(pupil: Pupil, day: datetime.date) -> Group | None:
    """The pupil's group on ``day``, or None."""
    return Group.objects.filter(
        enrolments__pupil=pupil, school_year__start__lte=day, school_year__end__gte=day
    ).first()


def taught_groups_today(user: User, day: datetime.date) -> QuerySet[Group]:
    """The groups ``user`` teaches this school year with the number of children reported sick or
    late today, for the line on 'Deze week'. One query."""
    on_day = Q(enrolments__pupil__absence_reports__first_day__lte=day) & Q(
        enrolments__pupil__absence_reports__last_day__gte=day
    )
    return (
        Group.objects.filter(teachers=user, school_year__start__lte=day, school_year__end__gte=day)
        .annotate(reported=Count("enrolments__pupil", filter=on_day, distinct=True))
        .order_by("lowest_grade", "name")
    )


def guardian_overview(links: list[PupilGuardian], today: datetime.date) -> dict[str, list]:
    """What the portal's absence page shows a guardian about the children of ``links`` (their
    own, from ``parents.portal_views.own_links``): reports from today on, leave requests of the
    last year, and the protocol steps running. Three queries."""
    pupil_ids = [link.pupil_id for link in links]
    reports = (
        AbsenceReport.objects.filter(pupil_id__in=pupil_ids, last_day__gte=today)
        .select_related("pupil")
        .order_by("first_day", "reported_at")
    )
    leave = (
        LeaveRequest.objects.filter(
            pupil_id__in=pupil_ids, last_day__gte=today - datetime.timedelta(days=365)
        )
        .select_related("pupil")
        .order_by("-requested_at")
    )
    steps = (
        CaseStep.objects.filter(case__pupil_id__in=pupil_ids, case__closed_at__isnull=True)
        .select_related("case__pupil", "responsible")
        .order_by("planned_on", "pk")
    )
    return {"reports": list(reports), "leave": list(leave), "steps": list(steps)}


def leave_of_school(school: School) -> QuerySet[LeaveRequest]:
    """The school's leave requests, open ones first. One query."""
    return (
        LeaveRequest.objects.filter(pupil__school=school)
        .select_related("pupil", "guardian")
        .order_by(
            # Open requests first: the director acts on those.
            ExpressionWrapper(Q(status=LeaveStatus.REQUESTED), output_field=BooleanField()).desc(),
            "-requested_at",
        )
    )


def leave_of_pupil(pupil: Pupil) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(pupil=pupil).select_related("decided_by")


def info_card(school: School, year: SchoolYear) -> InfoCard | None:
    return InfoCard.objects.filter(school=school, school_year=year).first()


def families_at(school: School, year: SchoolYear) -> QuerySet:
    """The ids of the families with a child at ``school`` in ``year`` whom the school informs."""
    enrolled = Enrolment.objects.filter(
        school_year=year, pupil__school=school, pupil__left_on__isnull=True
    ).values("pupil_id")
    return (
        PupilGuardian.objects.filter(
            pupil_id__in=enrolled,
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        )
        .values("guardian__family_id")
        .distinct()
    )


def info_card_figures(school: School, year: SchoolYear) -> dict[str, Any]:
    """{"published", "families", "confirmed", "share"}: how many families of the school read
    this year's card and said so. Two queries."""
    families = families_at(school, year)
    row = InfoCard.objects.filter(school=school, school_year=year).aggregate(
        published=Count("pk", distinct=True),
        confirmed=Count(
            "readings__family", filter=Q(readings__family_id__in=families), distinct=True
        ),
    )
    total = families.count()
    confirmed = row["confirmed"] or 0
    return {
        "published": bool(row["published"]),
        "families": total,
        "confirmed": confirmed,
        "share": round(100 * confirmed / total) if total else None,
    }


def card_read_by(card: InfoCard, guardian: Guardian) -> bool:
    return InfoCardReading.objects.filter(card=card, family_id=guardian.family_id).exists()
