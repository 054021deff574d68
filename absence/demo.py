"""Demo step: two children of groep 5 reported sick or late for the next school day, and one
leave request waiting for the director, so the teacher's and the director's pages are not empty.
The demo mother (ouder@demo.test) is left out: she reports her own children."""

import datetime
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from absence.models import AbsenceReport, LeaveRequest, ReportKind
from parents.models import PupilGuardian
from schools.calendar import school_calendar
from schools.models import SchoolYear

REPORTS = [
    (ReportKind.SICK, None, "Koorts sinds vannacht."),
    (ReportKind.LATE, datetime.time(10, 0), "Eerst naar de tandarts."),
]


def seed_absence(
    stdout: TextIOBase | None = None, *, board_name: str, guardian_email: str, teacher_group: str
) -> None:
    """Idempotent: reports only where the group has none that day, the leave request once."""
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    links = list(
        PupilGuardian.objects.filter(
            guardian__family__board__name=board_name,
            has_parental_authority=True,
            access_blocked_reason="",
            pupil__enrolments__school_year=year,
            pupil__enrolments__group__name=teacher_group,
        )
        .exclude(guardian__email=guardian_email)
        .select_related("guardian", "pupil__school")
        .order_by("pupil__school__name", "pupil__pk")[:3]
    )
    if len(links) < 3:
        return
    school = links[0].pupil.school
    calendar = school_calendar(school, year)
    day = calendar.next_school_day(today) or today
    with transaction.atomic():
        if not AbsenceReport.objects.filter(pupil__school=school, first_day=day).exists():
            for link, (kind, arrives_at, note) in zip(links, REPORTS, strict=False):
                AbsenceReport.objects.create(
                    pupil=link.pupil,
                    guardian=link.guardian,
                    kind=kind,
                    first_day=day,
                    last_day=day,
                    arrives_at=arrives_at,
                    note=note,
                    reported_at=timezone.make_aware(
                        datetime.datetime.combine(min(day, today), datetime.time(7, 40))
                    ),
                )
        asker = links[2]
        if not LeaveRequest.objects.filter(pupil__school=school).exists():
            first = calendar.add_school_days(today, 15)
            LeaveRequest.objects.create(
                pupil=asker.pupil,
                guardian=asker.guardian,
                school_year=year,
                kind="important",
                first_day=first,
                last_day=first,
                school_days=calendar.count_school_days(first, first),
                reason="De bruiloft van mijn broer in Rotterdam.",
            )
    if stdout:
        stdout.write("Demo: ziekmeldingen en een verlofaanvraag.")
