"""The school calendar: which days a school is open, the first school day, the terms."""

import datetime

import pytest

from schools.calendar import SchoolCalendar, first_school_day, first_school_days, school_days_after
from schools.models import SchoolClosure, SchoolYear
from tests import factories as f

D = datetime.date

pytestmark = pytest.mark.django_db


def _year(first):
    return SchoolYear.objects.get_or_create(
        label=f"{first}-{first + 1}",
        defaults={"start": D(first, 8, 1), "end": D(first + 1, 7, 31)},
    )[0]


@pytest.mark.parametrize(
    ("first", "closed"),
    [
        (
            2026,
            {
                D(2027, 1, 1): "Kerstvakantie",  # Nieuwjaarsdag falls inside the holiday
                D(2027, 3, 26): "Goede Vrijdag",
                D(2027, 3, 29): "Tweede Paasdag",
                D(2027, 4, 27): "Meivakantie",  # Koningsdag inside the meivakantie
                D(2027, 5, 6): "Hemelvaartsdag",
                D(2027, 5, 7): "Vrijdag na Hemelvaart",
                D(2027, 5, 17): "Tweede Pinksterdag",
            },
        ),
        (
            2027,
            {
                D(2027, 12, 27): "Kerstvakantie",
                D(2028, 4, 14): "Goede Vrijdag",
                D(2028, 4, 17): "Tweede Paasdag",
                D(2028, 5, 25): "Hemelvaartsdag",
                D(2028, 6, 5): "Tweede Pinksterdag",
            },
        ),
    ],
)
def test_public_holidays_on_which_schools_close_are_no_school_days(first, closed):
    calendar = SchoolCalendar.build(f.SchoolFactory(holiday_region="midden"), _year(first))
    for day, name in closed.items():
        assert not calendar.is_school_day(day), day
        assert calendar.closed_reason(day) == name


def test_koningsdag_outside_the_may_holiday_and_bevrijdingsdag_only_in_a_lustrum_year():
    school = f.SchoolFactory(holiday_region="noord")
    # 2025 is a lustrum year: Monday 5 May, after the meivakantie, is Bevrijdingsdag.
    assert SchoolCalendar.build(school, _year(2024)).closed_reason(D(2025, 5, 5)) == (
        "Bevrijdingsdag"
    )
    # 2026 is not: Tuesday 5 May is a school day.
    assert SchoolCalendar.build(school, _year(2025)).is_school_day(D(2026, 5, 5))
    # 2028: Koningsdag is a Thursday outside the meivakantie.
    assert SchoolCalendar.build(school, _year(2027)).closed_reason(D(2028, 4, 27)) == ("Koningsdag")


def test_a_school_that_stays_open_on_good_friday_and_the_friday_after_ascension():
    school = f.SchoolFactory(
        holiday_region="midden", closed_on_good_friday=False, closed_after_ascension=False
    )
    calendar = SchoolCalendar.build(school, _year(2026))
    assert calendar.is_school_day(D(2027, 3, 26))
    assert calendar.is_school_day(D(2027, 5, 7))
    assert not calendar.is_school_day(D(2027, 5, 6))


def test_study_days_close_the_school_and_move_the_first_school_day():
    school = f.SchoolFactory(holiday_region="midden")
    year = _year(2026)
    # Region midden: summer holiday until Sunday 30 August 2026.
    assert first_school_day(school, year) == D(2026, 8, 31)
    SchoolClosure.objects.create(school=school, date=D(2026, 8, 31), reason="Studiedag")
    calendar = SchoolCalendar.build(school, year)
    assert calendar.closed_reason(D(2026, 8, 31)) == "Studiedag"
    assert calendar.first_school_day == D(2026, 9, 1)
    other = f.SchoolFactory(holiday_region="noord")
    assert first_school_days({school.pk, other.pk}, year) == {
        school.pk: D(2026, 9, 1),
        other.pk: first_school_day(other, year),
    }


def test_the_terms_run_between_the_long_holidays():
    calendar = SchoolCalendar.build(f.SchoolFactory(holiday_region="midden"), _year(2026))
    assert calendar.term_starts == (
        D(2026, 8, 31),
        D(2026, 10, 26),
        D(2027, 1, 4),
        D(2027, 3, 1),
        D(2027, 5, 3),
    )
    assert calendar.terms()[0] == (D(2026, 8, 31), D(2026, 10, 25))


def test_kerstvakantie_is_one_period_of_two_weeks():
    calendar = SchoolCalendar.build(f.SchoolFactory(holiday_region="midden"), _year(2026))
    periods = {str(name): (first, last) for first, last, name in calendar.closed_periods()}
    assert periods["Kerstvakantie"] == (D(2026, 12, 19), D(2027, 1, 3))
    assert periods["Tweede Paasdag"] == (D(2027, 3, 29), D(2027, 3, 29))


@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
def test_every_region_has_a_summer_and_a_first_school_day_on_a_monday(region):
    calendar = SchoolCalendar.build(f.SchoolFactory(holiday_region=region), _year(2026))
    assert calendar.first_school_day.weekday() == 0
    assert calendar.first_school_day > D(2026, 8, 1)


def test_a_term_of_school_days_skips_the_weekend_and_goes_on_after_the_summer():
    school = f.SchoolFactory()
    friday = D(2026, 11, 13)
    assert school_days_after(school, friday, 2) == D(2026, 11, 17)
    this_year, next_year = _year(2026), _year(2027)
    last_day = max(
        day
        for day in (this_year.end - datetime.timedelta(days=n) for n in range(60))
        if SchoolCalendar.build(school, this_year).is_school_day(day)
    )
    assert school_days_after(school, last_day, 1) == first_school_day(school, next_year)
