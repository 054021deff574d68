"""The school's year calendar (document 004): agreed contact moments, report dates and holidays on
one page per month, and the same entries as an iCalendar feed.

Entries come from a list of sources, each a function ``(school, user, start, end) -> entries``.
Other apps add theirs to ``CALENDAR_SOURCES`` (the activities of the partnership app, for one),
so this page never needs to know their tables.
"""

import calendar as month_calendar
import datetime
from dataclasses import dataclass

import icalendar
from django.urls import reverse
from django.utils.translation import gettext as _

from parents.models import ContactMoment, MomentStatus
from parents.rules import SchoolCalendar
from schools import audit
from schools.models import ReportDate, SchoolYear
from schools.permissions import visible_pupil_ids


@dataclass(frozen=True)
class CalendarEntry:
    day: datetime.date
    title: str
    kind: str  # "moment", "report", "holiday"; other sources bring their own kinds
    uid: str  # stable, so a calendar app replaces an entry instead of adding it twice
    url: str = ""


def moment_entries(school, user, start, end):
    """The agreed contact moments of pupils of this school that the user may see."""
    moments = (
        ContactMoment.objects.filter(
            agreement__pupil__school=school,
            agreement__pupil__in=visible_pupil_ids(user),
            due_on__range=(start, end),
        )
        .exclude(status=MomentStatus.MOVED)
        .select_related("agreement__plan__family", "agreement__pupil")
    )
    return [
        CalendarEntry(
            day=m.due_on,
            title=f"{m.agreement.plan.family.name}: {m.agreement.what}",
            kind="moment",
            uid=f"moment-{m.pk}@schouder",
            url=reverse("parents:family-detail", args=[m.agreement.plan.family_id]),
        )
        for m in moments
    ]


def report_date_entries(school, user, start, end):
    return [
        CalendarEntry(day=r.date, title=r.name, kind="report", uid=f"report-{r.pk}@schouder")
        for r in ReportDate.objects.filter(school=school, date__range=(start, end))
    ]


def holiday_entries(school, user, start, end):
    """The first day of each holiday, with its name (the school days around it tell the rest)."""
    year = SchoolYear.for_date(start)
    days = school.school_holidays(year)
    entries = []
    for day in sorted(days):
        if start <= day <= end and (day - datetime.timedelta(days=1)) not in days:
            entries.append(
                CalendarEntry(
                    day=day,
                    title=str(days[day]),
                    kind="holiday",
                    uid=f"holiday-{school.pk}-{day.isoformat()}@schouder",
                )
            )
    return entries


# Append a source here to show its entries on the year calendar and in the feed.
CALENDAR_SOURCES = [moment_entries, report_date_entries, holiday_entries]


def calendar_entries(school, user, start, end, sources=None):
    """Every entry from every source between ``start`` and ``end``, sorted by day."""
    entries = []
    for source in sources or CALENDAR_SOURCES:
        entries.extend(source(school, user, start, end))
    return sorted(entries, key=lambda e: (e.day, e.kind, e.title))


def month_weeks(school, user, year, month):
    """The month as weeks (Monday first) of (day, in_month, is_school_day, entries)."""
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day = {}
    for entry in calendar_entries(school, user, start, end):
        by_day.setdefault(entry.day, []).append(entry)
    school_calendar = SchoolCalendar.build(
        school, SchoolYear.for_date(datetime.date(year, month, 1))
    )
    return [
        [
            (day, day.month == month, school_calendar.is_school_day(day), by_day.get(day, []))
            for day in week
        ]
        for week in weeks
    ]


def year_file(school, user, year):
    """The whole school year's calendar as an iCalendar file, as downloaded by ``user``. The
    contact moments name families: each download is written to the audit log."""
    entries = calendar_entries(school, user, year.start, year.end)
    audit.record(user, audit.AuditAction.DOWNLOAD, school=school, what=f"year_calendar:{school.pk}")
    return ics_feed(school, entries)


def ics_feed(school, entries):
    """The entries as an iCalendar file: one all-day event each, with its stable UID."""
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Schouder//jaarkalender//NL")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", _("Jaarkalender %(school)s") % {"school": school.name})
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("summary", entry.title)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + datetime.timedelta(days=1))
        event.add("dtstamp", datetime.datetime.now(datetime.UTC))
        event.add("categories", [entry.kind])
        feed.add_component(event)
    feed.add_missing_timezones()
    return feed.to_ical()
