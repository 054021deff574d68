"""From an agreement's rule to the dates of its contact moments, in the school's own calendar.

Which days are school days and where the terms start is for ``schools.calendar`` to say; a date a
rule lands on that is not a school day moves to the next school day.
"""

import datetime

from django.utils.translation import gettext as _

from schools.models import ReportDate


class RuleError(Exception):
    """A rule that cannot give dates; the message is Dutch and tells the user what to change."""


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
