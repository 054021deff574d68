"""A whole school year for each region: no contact moment, slot or activity of a weekly series
falls on a day the school is closed. The closed days are computed here on their own (the holidays
package's school holidays, Easter from dateutil, the fixed public holidays), not by asking the
school calendar under test."""

import datetime

import holidays
import pytest
import time_machine
from dateutil.easter import easter

from conversations import services as conversation_services
from conversations.models import Slot
from conversations.services import ConversationError
from parents import services as plan_services
from partnership import services as partnership_services
from schools.models import SchoolClosure, SchoolYear
from tests import factories as f
from tests.conversations.factories import RoundFactory
from tests.parents.factories import CommunicationPlanFactory, ReportDateFactory
from tests.partnership.factories import local

D = datetime.date
DAY = datetime.timedelta(days=1)
STUDY_DAY = D(2026, 11, 11)  # a Wednesday


def _closed_days(region, year):
    days = set(
        holidays.NL(
            subdiv=region.capitalize(),
            years=[year.start.year, year.end.year],
            categories=("school",),
        )
    )
    for calendar_year in (year.start.year, year.end.year):
        sunday = easter(calendar_year)
        days |= {sunday + DAY * n for n in (-2, 1, 39, 40, 50)}
        king = D(calendar_year, 4, 27)
        days |= {D(calendar_year, 1, 1), D(calendar_year, 12, 25), D(calendar_year, 12, 26)}
        days.add(king - DAY if king.weekday() == 6 else king)
        if calendar_year % 5 == 0:
            days.add(D(calendar_year, 5, 5))
    days.add(STUDY_DAY)
    return days


def _open(day, closed):
    return day.weekday() < 5 and day not in closed


@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
def test_a_whole_year_has_nothing_on_a_closed_day(db, region):
    year = SchoolYear.objects.get_or_create(
        label="2026-2027", defaults={"start": D(2026, 8, 1), "end": D(2027, 7, 31)}
    )[0]
    school = f.SchoolFactory(holiday_region=region)
    SchoolClosure.objects.create(school=school, date=STUDY_DAY, reason="Studiedag")
    closed = _closed_days(region, year)
    group = f.GroupFactory(school=school, school_year=year)
    pupil = f.PupilFactory(school=school)
    f.EnrolmentFactory(pupil=pupil, group=group)
    family = f.FamilyFactory(board=school.board)
    f.PupilGuardianFactory(pupil=pupil, guardian=f.GuardianFactory(family=family))
    ib = f.StaffMembershipFactory(school=school, role="intern_begeleider").user
    coordinator = f.StaffMembershipFactory(school=school, role="ouder_coordinator").user
    # Report dates on a Friday before a holiday and on a holiday itself: the week after moves.
    for day in (D(2026, 10, 16), D(2027, 2, 19), D(2027, 5, 6)):
        ReportDateFactory(school=school, school_year=year, date=day)

    with time_machine.travel(datetime.datetime(2026, 7, 20, 9, tzinfo=datetime.UTC), tick=False):
        plan = CommunicationPlanFactory(family=family, school_year=year, agreed_on=year.start)
        rules = [
            {"schedule": "weekly"},
            {"schedule": "every_n_weeks", "interval_weeks": 2},
            {"schedule": "every_n_weeks", "interval_weeks": 3},
            {"schedule": "monthly"},
            {"schedule": "after_report"},
            {"schedule": "term_start"},
        ]
        for n, rule in enumerate(rules):
            plan_services.add_agreement(
                plan=plan,
                by=ib,
                made_on=year.start,
                what=f"Afspraak {n}",
                pupil=pupil,
                channel="school_visit",
                responsible=ib,
                **rule,
            )

        round_ = RoundFactory(
            school=school,
            school_year=year,
            window_start=year.start,
            window_end=year.end,
            created_by=ib,
        )
        refused = set()
        day = year.start
        while day <= year.end:
            try:
                conversation_services.generate_slots(
                    round=round_,
                    staff=ib,
                    day=day,
                    start=datetime.time(13),
                    end=datetime.time(13, 20),
                    by=ib,
                )
            except ConversationError as error:
                assert "is de school dicht" in str(error)
                refused.add(day)
            day += DAY

        series_dates = []
        for weekday in range(5):
            first = year.start + DAY * ((weekday - year.start.weekday()) % 7)
            series, _warnings = partnership_services.plan_weekly_series(
                school=school,
                starts_at=local(first, 8, 30),
                ends_at=local(first, 9, 30),
                until=year.end,
                by=coordinator,
                kind="coffee_morning",
                partnership="informal",
                title="Koffieochtend",
                audience="school",
            )
            series_dates += [a.starts_at.date() for a in series.activities.all()]

    moments = [m for a in plan.agreements.all() for m in a.moments.values_list("due_on", flat=True)]
    assert moments and series_dates
    assert [d for d in moments if not _open(d, closed)] == []
    assert [d for d in series_dates if not _open(d, closed)] == []
    slot_days = {s.starts_at.date() for s in Slot.objects.filter(round=round_)}
    assert [d for d in slot_days if not _open(d, closed)] == []
    # And every school day could have slots: the calendar closes no day it should not.
    every_day = {year.start + DAY * n for n in range((year.end - year.start).days + 1)}
    assert {d for d in every_day if _open(d, closed)} == every_day - refused
