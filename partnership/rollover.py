"""The new school year, made ready before 1 August without touching the year that ends.

``plan_rollover`` says what would happen; ``rollover_school_year`` does it: the next SchoolYear
(1 August to 31 July) and, per school, that year's start-conversation round with its window in
the first three weeks after the summer holiday of the school's region (not opened: nobody is
invited yet). Everything of the year that ends stays as it is and readable: groups, enrolments,
conversations, communication plans, partnership plans, activities. The new year's groups and
enrolments come from the next import of the pupil administration, which is where they live.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from conversations.models import Round, RoundKind
from conversations.services import WINDOW_DAYS, create_round
from schools.calendar import first_school_day
from schools.models import Role, School, SchoolYear

PLANNERS = (Role.DIRECTOR, Role.INTERN_BEGELEIDER)


@dataclass
class SchoolRollover:
    school: School
    first_day: datetime.date
    window: tuple[datetime.date, datetime.date]
    planner: object  # the user the round is made in the name of, or None
    has_round: bool

    @property
    def action(self):
        if self.has_round:
            return "ronde startgesprekken bestaat al"
        if self.planner is None:
            return "geen directeur of IB'er: de school maakt de ronde zelf"
        return (
            f"ronde startgesprekken {self.window[0]:%d-%m-%Y} t/m {self.window[1]:%d-%m-%Y} "
            "(nog niet open)"
        )


@dataclass
class Rollover:
    year: SchoolYear  # unsaved when it does not exist yet
    year_exists: bool
    schools: list[SchoolRollover] = field(default_factory=list)


def next_year_label(today):
    first = int(SchoolYear.label_for(today)[:4]) + 1
    return f"{first}-{first + 1}"


def plan_rollover(*, label):
    """What the rollover to the year ``label`` ("2027-2028") would create. Writes nothing."""
    first = int(label[:4])
    year = SchoolYear.objects.filter(label=label).first()
    exists = year is not None
    year = year or SchoolYear(
        label=label, start=datetime.date(first, 8, 1), end=datetime.date(first + 1, 7, 31)
    )
    plan = Rollover(year=year, year_exists=exists)
    rounds = set(
        Round.objects.filter(school_year__label=label, kind=RoundKind.START).values_list(
            "school", flat=True
        )
    )
    # The round is made in the name of the school's director or IB'er: they plan rounds
    # (permissions.ROUND_PLANNERS); the board steers and plans none.
    for school in School.objects.order_by("name").prefetch_related("memberships__user"):
        first_day = first_school_day(school, year)
        planners = [m for m in school.memberships.all() if m.role in PLANNERS]
        planners.sort(key=lambda m: (PLANNERS.index(m.role), m.pk))
        plan.schools.append(
            SchoolRollover(
                school=school,
                first_day=first_day,
                window=(first_day, first_day + datetime.timedelta(days=WINDOW_DAYS - 1)),
                planner=planners[0].user if planners else None,
                has_round=school.pk in rounds,
            )
        )
    return plan


@transaction.atomic
def rollover_school_year(*, label):
    """Create the year ``label`` and each school's round in it; what exists is left alone, so
    running it twice changes nothing. Returns the plan it carried out."""
    plan = plan_rollover(label=label)
    if not plan.year_exists:
        plan.year.save()
    for step in plan.schools:
        if not step.has_round and step.planner is not None:
            create_round(
                school=step.school,
                school_year=plan.year,
                by=step.planner,
                window_start=step.window[0],
                window_end=step.window[1],
            )
    return plan
