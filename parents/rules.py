"""From an agreement's rule to the dates of its contact moments, in the school's own calendar.

A school day is a weekday that is neither a school holiday of the school's region nor one of the
school's own closures. A term (periode) runs from the first school day after a holiday of a week or
more to the day before the next one; the first term starts on the first school day of the year.
A date a rule lands on that is not a school day moves to the next school day.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from schools.models import ReportDate

# A holiday run at least this long (weekend included) separates two terms; a single day off does not.
TERM_BREAK_DAYS = 5


class RuleError(Exception):
    """A rule that cannot give dates; the message is Dutch and tells the user what to change."""


@dataclass(frozen=True)
class SchoolCalendar:
    """The days off and terms of one school in one school year; built once, asked many times."""

    school: object
    year: object
    days_off: frozenset
    term_starts: tuple

    @classmethod
    def build(cls, school, year):
        days_off = frozenset(school.school_holidays(year))
        return cls(school, year, days_off, _term_starts(days_off, year))

    def is_school_day(self, day):
        return _is_school_day(day, self.days_off)

    def next_school_day(self, day):
        """``day`` itself when the school is open, else the first school day after it; None when
        the year has no school day left."""
        while day <= self.year.end:
            if self.is_school_day(day):
                return day
            day += datetime.timedelta(days=1)
        return None

    def term_of(self, day):
        """(start, end) of the term that contains ``day``."""
        start = self.term_starts[0]
        for term_start in self.term_starts:
            if term_start <= day:
                start = term_start
        later = [s for s in self.term_starts if s > start]
        end = (later[0] - datetime.timedelta(days=1)) if later else self.year.end
        return start, end


def _is_school_day(day, days_off):
    return day.weekday() < 5 and day not in days_off


def _term_starts(days_off, year):
    """The first school day of the year, and the first school day after each long holiday.

    ``run`` counts the days off since the last school day (weekends are neither and leave it be).
    """
    starts = []
    run = 0
    day = year.start
    while day <= year.end:
        if day in days_off:
            run += 1
        elif _is_school_day(day, days_off):
            if not starts or run >= TERM_BREAK_DAYS:
                starts.append(day)
            run = 0
        day += datetime.timedelta(days=1)
    return tuple(starts)


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def _raw_dates(agreement, calendar, start, end):
    """The dates the rule names, before holidays are skipped."""
    schedule = agreement.schedule
    if schedule == "once":
        return [agreement.on_date]
    if schedule in ("weekly", "every_n_weeks"):
        step = datetime.timedelta(weeks=1 if schedule == "weekly" else agreement.interval_weeks)
        dates, day = [], start
        while day <= end:
            dates.append(day)
            day += step
        return dates
    if schedule == "monthly":
        dates, months = [], 0
        while (day := _add_months(start, months)) <= end:
            dates.append(day)
            months += 1
        return dates
    if schedule == "after_report":
        # "The week after the report": the Monday after the report date.
        reports = ReportDate.objects.filter(
            school=calendar.school, school_year=calendar.year
        ).values_list("date", flat=True)
        return [d + datetime.timedelta(days=7 - d.weekday()) for d in reports]
    if schedule == "term_start":
        return list(calendar.term_starts)
    raise RuleError(_("Onbekende regel: %(rule)s") % {"rule": schedule})


def expand(agreement, calendar, *, start):
    """The school days on which ``agreement`` asks for a contact moment, from ``start`` to the end
    of the school year, sorted and without repeats.

    Raises RuleError (Dutch) when the rule gives no date at all from ``start`` on.
    """
    end = calendar.year.end
    if agreement.schedule == "once" and agreement.on_date and agreement.on_date < start:
        raise RuleError(
            _("De datum %(date)s ligt voor %(start)s. Kies een latere datum.")
            % {"date": agreement.on_date.strftime("%d-%m-%Y"), "start": start.strftime("%d-%m-%Y")}
        )
    dates = set()
    for day in _raw_dates(agreement, calendar, start, end):
        if day < start or day > end:
            continue
        moved = calendar.next_school_day(day)
        if moved is not None:
            dates.add(moved)
    if not dates:
        raise RuleError(
            _(
                "Deze afspraak levert geen enkele datum op in schooljaar %(year)s. "
                "Kies een andere regel of een datum in het schooljaar."
            )
            % {"year": calendar.year.label}
        )
    return sorted(dates)
