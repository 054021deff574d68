"""Rule expansion in the school's own calendar: holidays, closures, report dates and terms."""

import datetime

import pytest

from parents.schedule import RuleError, expand
from schools.calendar import SchoolCalendar
from schools.models import SchoolClosure
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory, ReportDateFactory

D = datetime.date


def _agreement(home, **values):
    plan = CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 9, 1)
    )
    return AgreementFactory.build(plan=plan, pupil=home.pupil, responsible=home.teacher, **values)


def test_terms_start_after_each_holiday_of_the_region(home):
    calendar = SchoolCalendar.build(home.school, home.year)
    assert calendar.term_starts == (
        D(2026, 8, 31),  # after the summer holiday (midden)
        D(2026, 10, 26),  # after the autumn holiday
        D(2027, 1, 4),  # after Christmas
        D(2027, 3, 1),  # after the spring holiday
        D(2027, 5, 3),  # after the May holiday
    )
    assert calendar.term_of(D(2026, 11, 20)) == (D(2026, 10, 26), D(2027, 1, 3))


def test_a_date_in_the_holiday_moves_to_the_next_school_day(home):
    agreement = _agreement(home, schedule="once", on_date=D(2026, 10, 20))  # autumn holiday
    calendar = SchoolCalendar.build(home.school, home.year)
    assert expand(agreement, calendar, start=D(2026, 9, 1)) == [D(2026, 10, 26)]


def test_a_study_day_of_the_school_is_skipped_too(home):
    SchoolClosure.objects.create(school=home.school, date=D(2026, 10, 1), reason="studiedag")
    agreement = _agreement(home, schedule="once", on_date=D(2026, 10, 1))
    calendar = SchoolCalendar.build(home.school, home.year)
    assert expand(agreement, calendar, start=D(2026, 9, 1)) == [D(2026, 10, 2)]


def test_after_each_report_means_the_monday_after_and_skips_the_holiday(home):
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 2, 12))
    # The Monday after this report falls in the spring holiday: the moment moves to 1 March.
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 2, 19))
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 7, 2))
    agreement = _agreement(home, schedule="after_report")
    calendar = SchoolCalendar.build(home.school, home.year)
    assert expand(agreement, calendar, start=D(2026, 9, 1)) == [
        D(2027, 2, 15),
        D(2027, 3, 1),
        D(2027, 7, 5),
    ]


def test_report_dates_of_another_school_do_not_count(home):
    ReportDateFactory(school_year=home.year, date=D(2027, 2, 12))
    agreement = _agreement(home, schedule="after_report")
    calendar = SchoolCalendar.build(home.school, home.year)
    with pytest.raises(RuleError, match="geen enkele datum"):
        expand(agreement, calendar, start=D(2026, 9, 1))


def test_start_of_each_term_from_the_start_on(home):
    agreement = _agreement(home, schedule="term_start")
    calendar = SchoolCalendar.build(home.school, home.year)
    assert expand(agreement, calendar, start=D(2026, 9, 1)) == [
        D(2026, 10, 26),
        D(2027, 1, 4),
        D(2027, 3, 1),
        D(2027, 5, 3),
    ]


def test_every_three_weeks_skips_holidays_without_doubling(home):
    agreement = _agreement(home, schedule="every_n_weeks", interval_weeks=3)
    calendar = SchoolCalendar.build(home.school, home.year)
    dates = expand(agreement, calendar, start=D(2026, 9, 1))
    assert dates[:4] == [D(2026, 9, 1), D(2026, 9, 22), D(2026, 10, 13), D(2026, 11, 3)]
    assert all(calendar.is_school_day(d) for d in dates)
    assert dates[-1] <= home.year.end


def test_monthly_keeps_the_day_of_the_month_or_the_next_school_day(home):
    agreement = _agreement(home, schedule="monthly")
    calendar = SchoolCalendar.build(home.school, home.year)
    dates = expand(agreement, calendar, start=D(2026, 9, 30))
    assert dates[:6] == [
        D(2026, 9, 30),
        D(2026, 10, 30),
        D(2026, 11, 30),
        D(2027, 1, 4),  # 30 December: Christmas holiday
        D(2027, 2, 1),  # 30 January is a Saturday
        D(2027, 3, 1),  # February has no 30th; the 28th is a Sunday in the spring holiday
    ]


def test_a_rule_without_dates_in_the_year_gives_a_dutch_error(home):
    agreement = _agreement(home, schedule="weekly")
    calendar = SchoolCalendar.build(home.school, home.year)
    with pytest.raises(RuleError, match="geen enkele datum op in schooljaar 2026-2027"):
        expand(agreement, calendar, start=D(2027, 7, 20))  # only summer holiday is left


def test_a_date_before_the_plan_was_agreed_is_refused(home):
    agreement = _agreement(home, schedule="once", on_date=D(2026, 8, 20))
    calendar = SchoolCalendar.build(home.school, home.year)
    with pytest.raises(RuleError, match="ligt voor 01-09-2026"):
        expand(agreement, calendar, start=D(2026, 9, 1))
