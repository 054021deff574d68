"""What the organisation pages read. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from schools.models import Enrolment, Group, Pupil, SchoolYear, StaffMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from schools.models import School


def groups_with_counts(
    school: School, user: User | AnonymousUser, school_year: SchoolYear
) -> QuerySet[Group]:
    """The groups of a school that the user may see, each with its number of present pupils."""
    return (
        Group.objects.visible_to(user)
        .filter(school=school, school_year=school_year)
        .annotate(
            pupil_count=Count(
                "enrolments", filter=Q(enrolments__pupil__left_on__isnull=True), distinct=True
            )
        )
        .prefetch_related("teachers")
        .order_by("lowest_grade", "name")
    )


def pupils_of_school(
    school: School, user: User | AnonymousUser, today: datetime.date, search: str = ""
) -> QuerySet[Pupil]:
    """Present pupils of the school the user may see, each with ``group_name``: the name of its
    group in the school year of ``today`` (None when not enrolled). One query: the year is
    matched by its label, which follows from the date."""
    group_this_year = Enrolment.objects.filter(
        pupil=OuterRef("pk"), school_year__label=SchoolYear.label_for(today)
    ).values("group__name")[:1]  # at most one row: one enrolment per pupil per year
    pupils = (
        Pupil.objects.visible_to(user)
        .present()
        .filter(school=school)
        .annotate(group_name=Subquery(group_this_year))
        .order_by("last_name", "first_name")
    )
    if search:
        pupils = pupils.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(pupil_number__iexact=search)
        )
    return pupils


def pupils_of_group(group: Group) -> QuerySet[Pupil]:
    return (
        Pupil.objects.filter(enrolments__group=group)
        .present()
        .prefetch_related("guardian_links__guardian")
        .order_by("last_name", "first_name")
    )


def who_does_what(school: School) -> QuerySet[StaffMembership]:
    """The people of a school and of its board, ordered by role, for the 'Wie doet wat' page."""
    return (
        StaffMembership.objects.filter(Q(school=school) | Q(board=school.board, role="board"))
        .with_answer_hours()
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )


def current_year() -> SchoolYear:
    return SchoolYear.current()
