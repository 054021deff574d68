"""The school calendar: the one place that says whether a school is open on a day.

A school day is a weekday that is none of:

- a school holiday of the school's region (the ``holidays`` package's school category);
- a public holiday on which schools close (the package's public category: Nieuwjaarsdag, Goede
  Vrijdag where the school closes, Tweede Paasdag, Koningsdag, Hemelvaartsdag, Tweede
  Pinksterdag, the Kerstdagen), Bevrijdingsdag in lustrum years, and the Friday after
  Hemelvaartsdag where the school closes;
- one of the school's own closures (study days, an extra day off).

The school category holds only the school holidays, which is why the public ones are asked as
well: Tweede Paasdag and Hemelvaartsdag usually fall outside every school holiday.

A term (periode) runs from the first school day after a holiday of a week or more to the day
before the next one; the first term starts on the first school day after the summer.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import holidays
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from schools.models import School, SchoolYear

# A holiday run at least this long (weekend included) separates two terms; a single day off does not.
TERM_BREAK_DAYS = 5

# The package speaks Dutch; these lazy names speak the language of whoever reads them.
NAMES = {
    "Herfstvakantie": _("Herfstvakantie"),
    "Kerstvakantie": _("Kerstvakantie"),
    "Voorjaarsvakantie": _("Voorjaarsvakantie"),
    "Meivakantie": _("Meivakantie"),
    "Zomervakantie": _("Zomervakantie"),
    "Nieuwjaarsdag": _("Nieuwjaarsdag"),
    "Goede vrijdag": _("Goede Vrijdag"),
    "Tweede paasdag": _("Tweede Paasdag"),
    "Koningsdag": _("Koningsdag"),
    "Bevrijdingsdag": _("Bevrijdingsdag"),
    "Hemelvaartsdag": _("Hemelvaartsdag"),
    "Tweede pinksterdag": _("Tweede Pinksterdag"),
    "Eerste kerstdag": _("Eerste Kerstdag"),
    "Tweede kerstdag": _("Tweede Kerstdag"),
}
GOOD_FRIDAY = "Goede vrijdag"
DAY_AFTER_ASCENSION = _("Vrijdag na Hemelvaart")
WEEKEND = _("weekend")


@functools.lru_cache(maxsize=32)
def _region_days_off(
    region: str, first_year: int, last_year: int
) -> dict[datetime.date, tuple[str, bool]]:
    """{date: (package name, is_school_holiday)} for the calendar years, cached per process."""
    years = range(first_year, last_year + 1)
    days = {}
    public = holidays.NL(years=years, categories=("public",), language="nl")
    for day, name in public.items():
        if name in NAMES:
            days[day] = (name, False)
        if name == "Hemelvaartsdag":
            days[day + datetime.timedelta(days=1)] = ("Vrijdag na Hemelvaart", False)
    for year in years:
        liberation = datetime.date(year, 5, 5)
        if year % 5 == 0:
            days[liberation] = ("Bevrijdingsdag", False)
    school = holidays.NL(
        subdiv=region.capitalize(), years=years, categories=("school",), language="nl"
    )
    # A public holiday inside a school holiday is part of that holiday: one name per run.
    for day, name in school.items():
        days[day] = (name, True)
    return days


def _display_name(name: str) -> str | Promise:
    if name == "Vrijdag na Hemelvaart":
        return DAY_AFTER_ASCENSION
    return NAMES.get(name, name)


@dataclass(frozen=True)
class SchoolCalendar:
    """The days off and terms of one school in one school year; built once, asked many times.

    ``days_off`` maps every closed day of the year (weekends inside a holiday included) to its
    name; ``holiday_days`` is the subset that belongs to a school holiday of the region.
    """

    school: School
    year: SchoolYear
    days_off: dict[datetime.date, str | Promise]
    holiday_days: frozenset[datetime.date]
    term_starts: tuple[datetime.date, ...]

    @classmethod
    def build(
        cls,
        school: School,
        year: SchoolYear,
        closures: Iterable[tuple[datetime.date, str]] | None = None,
    ) -> SchoolCalendar:
        """One query (the school's closures, unless given as (date, reason) pairs); the national
        days come from a per-process cache."""
        national = _region_days_off(school.holiday_region, year.start.year, year.end.year)
        days_off, holiday_days = {}, set()
        for day, (name, is_school_holiday) in national.items():
            if not year.start <= day <= year.end:
                continue
            if name == GOOD_FRIDAY and not school.closed_on_good_friday:
                continue
            if name == "Vrijdag na Hemelvaart" and not school.closed_after_ascension:
                continue
            days_off[day] = _display_name(name)
            if is_school_holiday:
                holiday_days.add(day)
        if closures is None:
            closures = school.closures.filter(date__range=(year.start, year.end)).values_list(
                "date", "reason"
            )
        for day, reason in closures:
            days_off[day] = reason
        return cls(school, year, days_off, frozenset(holiday_days), _term_starts(days_off, year))

    def is_school_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.days_off

    def closed_reason(self, day: datetime.date) -> str:
        """Why the school is closed on ``day`` (the holiday, the study day, "weekend"), or ""
        when it is open."""
        if day in self.days_off:
            return str(self.days_off[day])
        if day.weekday() >= 5:
            return str(WEEKEND)
        return ""

    def next_school_day(self, day: datetime.date) -> datetime.date | None:
        """``day`` itself when the school is open, else the first school day after it; None when
        the year has no school day left."""
        while day <= self.year.end:
            if self.is_school_day(day):
                return day
            day += datetime.timedelta(days=1)
        return None

    def count_school_days(self, first: datetime.date, last: datetime.date) -> int:
        """How many school days lie from ``first`` to ``last``, both included."""
        days = (last - first).days + 1
        return sum(
            self.is_school_day(first + datetime.timedelta(days=n)) for n in range(max(days, 0))
        )

    def add_school_days(self, day: datetime.date, count: int) -> datetime.date:
        """The ``count``-th school day after ``day`` (0: ``day`` itself, or the next school day
        when it is closed); the year's last day when the year runs out first."""
        found = self.next_school_day(day)
        for _step in range(count):
            if found is None:
                break
            found = self.next_school_day(found + datetime.timedelta(days=1))
        return found or self.year.end

    @property
    def first_school_day(self) -> datetime.date:
        """The first school day after the summer holiday."""
        return self.term_starts[0] if self.term_starts else self.year.start

    def term_of(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        """(start, end) of the term that contains ``day``."""
        start = self.term_starts[0]
        for term_start in self.term_starts:
            if term_start <= day:
                start = term_start
        later = [s for s in self.term_starts if s > start]
        end = (later[0] - datetime.timedelta(days=1)) if later else self.year.end
        return start, end

    def terms(self) -> list[tuple[datetime.date, datetime.date]]:
        """Every term of the year as (start, end)."""
        return [self.term_of(start) for start in self.term_starts]

    def closed_periods(self) -> list[tuple[datetime.date, datetime.date, str | Promise]]:
        """The days off as runs: (first, last, name) for each holiday, public holiday and closure.

        A run is consecutive days with the same name, so Kerstvakantie is one period of two
        weeks, and a study day next to a weekend stays a day of its own. Weekends between two
        parts of one holiday belong to it."""
        periods = []
        for day in sorted(self.days_off):
            name = self.days_off[day]
            if periods:
                first, last, current = periods[-1]
                if str(current) == str(name) and (day - last).days == 1:
                    periods[-1] = (first, day, current)
                    continue
            periods.append((day, day, name))
        return periods


def _term_starts(
    days_off: dict[datetime.date, str | Promise], year: SchoolYear
) -> tuple[datetime.date, ...]:
    """The first school day of the year, and the first school day after each long holiday.

    ``run`` counts the days off since the last school day (weekends are neither and leave it be).
    """
    starts = []
    run = 0
    day = year.start
    while day <= year.end:
        if day in days_off:
            run += 1
        elif day.weekday() < 5:
            if not starts or run >= TERM_BREAK_DAYS:
                starts.append(day)
            run = 0
        day += datetime.timedelta(days=1)
    return tuple(starts)


def school_calendar(school: School, year: SchoolYear) -> SchoolCalendar:
    return SchoolCalendar.build(school, year)


def school_days_after(school: School, day: datetime.date, count: int) -> datetime.date:
    """The ``count``-th school day after ``day``: an answer term "within two school days" ends
    on Wednesday for a message on Monday and on Tuesday for one on Friday. The count goes on
    into the next school year with that year's own calendar."""
    from schools.models import SchoolYear

    calendars = {}
    while count > 0:
        day += datetime.timedelta(days=1)
        year = SchoolYear.for_date(day)
        if year.pk not in calendars:
            calendars[year.pk] = SchoolCalendar.build(school, year)
        if calendars[year.pk].is_school_day(day):
            count -= 1
    return day


def first_school_day(school: School, year: SchoolYear) -> datetime.date:
    """The first school day of ``school`` after the summer holiday of ``year``."""
    return SchoolCalendar.build(school, year).first_school_day


def first_school_days(school_ids: Iterable[int], year: SchoolYear) -> dict[int, datetime.date]:
    """{school id: its first school day of ``year``} in two queries, for rules that scan many
    schools at once."""
    from schools.models import School, SchoolClosure

    closures = {}
    rows = SchoolClosure.objects.filter(
        school_id__in=school_ids, date__range=(year.start, year.end)
    ).values_list("school_id", "date", "reason")
    for school_id, day, reason in rows:
        closures.setdefault(school_id, []).append((day, reason))
    return {
        school.pk: SchoolCalendar.build(school, year, closures.get(school.pk, [])).first_school_day
        for school in School.objects.filter(pk__in=school_ids)
    }
