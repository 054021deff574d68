"""The year calendar (document 004): holidays, report dates, agreed contact moments and what the
apps above add (start conversations, activities), on one page per month and as iCalendar feeds.

A calendar is asked for a ``CalendarScope``: the school's year calendar for a staff member, or a
person's own feed (a staff member's or a guardian's). Entries come from sources, each a function
``(scope) -> entries``. The apps above parents register theirs with ``register_source`` in their
``AppConfig.ready()``, so that parents never imports them.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.models import ContactMoment, MomentStatus, PupilGuardian
from schools import audit, permissions
from schools.calendar import SchoolCalendar
from schools.models import ReportDate, SchoolYear
from schools.permissions import visible_pupil_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parents.models import ContactMomentQuerySet, Guardian
    from schools.models import School


@dataclass(frozen=True)
class CalendarEntry:
    day: datetime.date
    title: str
    kind: str  # "moment", "report", "holiday"; other sources bring their own kinds
    uid: str  # stable, so a calendar app replaces an entry instead of adding it twice
    url: str = ""
    last_day: datetime.date | None = None  # for entries of several days (a holiday)
    starts_at: datetime.datetime | None = None  # for entries at a time (a conversation)
    ends_at: datetime.datetime | None = None
    location: str = ""


@dataclass(frozen=True)
class CalendarScope:
    """Whose calendar, of which schools, from ``start`` to ``end`` (dates, inclusive).

    ``user`` is who looks: the staff member (their school's year calendar, or their own feed) or
    the guardian's account. ``guardian`` is set for a guardian's feed; ``personal`` for any
    person's own feed (then only their own moments, conversations and activities)."""

    schools: tuple[School, ...]
    start: datetime.date
    end: datetime.date
    user: Any = None
    guardian: Guardian | None = None
    personal: bool = False
    child_ids: tuple[int, ...] = field(default=())  # a guardian's children they may see

    @classmethod
    def school_year_calendar(
        cls, school: School, user: User, start: datetime.date, end: datetime.date
    ) -> CalendarScope:
        return cls(schools=(school,), start=start, end=end, user=user)

    @classmethod
    def of_staff(cls, user: User, start: datetime.date, end: datetime.date) -> CalendarScope:
        """A staff member's own feed: the schools they work at (not the board's)."""
        from schools.models import School

        school_ids = permissions.access_for(user).roles_by_school
        schools = tuple(School.objects.filter(pk__in=list(school_ids)).order_by("pk"))
        return cls(schools=schools, start=start, end=end, user=user, personal=True)

    @classmethod
    def of_guardian(
        cls, guardian: Guardian, start: datetime.date, end: datetime.date
    ) -> CalendarScope:
        """A guardian's own feed: the schools of the present children they may see."""
        links = PupilGuardian.objects.filter(
            guardian=guardian,
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
            pupil__left_on__isnull=True,
        ).select_related("pupil__school")
        schools = {link.pupil.school_id: link.pupil.school for link in links}
        return cls(
            schools=tuple(schools[pk] for pk in sorted(schools)),
            start=start,
            end=end,
            user=guardian.user,
            guardian=guardian,
            personal=True,
            child_ids=tuple(sorted(link.pupil_id for link in links)),
        )


def _moments(scope: CalendarScope) -> ContactMomentQuerySet:
    moments = ContactMoment.objects.filter(
        agreement__pupil__school__in=scope.schools, due_on__range=(scope.start, scope.end)
    ).exclude(status__in=[MomentStatus.MOVED, MomentStatus.UNPLANNED])
    if scope.guardian is not None:
        return moments.filter(
            agreement__plan__family_id=scope.guardian.family_id,
            agreement__pupil__in=scope.child_ids,
        )
    moments = moments.filter(agreement__pupil__in=visible_pupil_ids(scope.user))
    if scope.personal:
        moments = moments.filter(agreement__responsible=scope.user)
    return moments


def moment_entries(scope: CalendarScope) -> list[CalendarEntry]:
    """The agreed contact moments: the ones the user may see at the school, in a staff member's
    feed the ones they are responsible for, in a guardian's feed their own family's."""
    moments = _moments(scope).select_related("agreement__plan__family", "agreement__pupil")
    entries = []
    for m in moments:
        child = m.agreement.pupil.first_name
        if scope.guardian is not None:
            # A guardian's own feed: no family name needed, the child tells the moments apart.
            title = _("Contact met school over %(child)s: %(what)s") % {
                "child": child,
                "what": m.agreement.what,
            }
            url = reverse("parents:portal-plan")
        else:
            # Two families may share a surname: the child's first name tells them apart.
            title = f"{m.agreement.plan.family.name} ({child}): {m.agreement.what}"
            url = reverse("parents:family-detail", args=[m.agreement.plan.family_id])
        entries.append(
            CalendarEntry(
                day=m.due_on, title=title, kind="moment", uid=f"moment-{m.pk}@schouder", url=url
            )
        )
    return entries


def report_date_entries(scope: CalendarScope) -> list[CalendarEntry]:
    return [
        CalendarEntry(day=r.date, title=r.name, kind="report", uid=f"report-{r.pk}@schouder")
        for r in ReportDate.objects.filter(
            school__in=scope.schools, date__range=(scope.start, scope.end)
        )
    ]


def holiday_entries(scope: CalendarScope) -> list[CalendarEntry]:
    """Each holiday, public holiday and closure as one entry over all its days. Schools of one
    region share their holidays: a person's feed has each once."""
    entries, seen = [], set()
    years = [SchoolYear.for_date(scope.start)]
    if SchoolYear.label_for(scope.end) != years[0].label:
        years.append(SchoolYear.for_date(scope.end))
    for school in scope.schools:
        for year in years:
            for first, last, name in SchoolCalendar.build(school, year).closed_periods():
                key = (first, last, str(name))
                if first > scope.end or last < scope.start or (scope.personal and key in seen):
                    continue
                seen.add(key)
                entries.append(
                    CalendarEntry(
                        day=first,
                        last_day=last,
                        title=str(name),
                        kind="holiday",
                        uid=f"holiday-{school.pk}-{first.isoformat()}@schouder",
                    )
                )
    return entries


CALENDAR_SOURCES: list[Callable[[CalendarScope], list[CalendarEntry]]] = [
    moment_entries,
    report_date_entries,
    holiday_entries,
]


def register_source(source: Callable[[CalendarScope], list[CalendarEntry]]) -> None:
    """Add a source of entries (called from an app's ``AppConfig.ready()``)."""
    if source not in CALENDAR_SOURCES:
        CALENDAR_SOURCES.append(source)


def calendar_entries(
    scope: CalendarScope,
    sources: Iterable[Callable[[CalendarScope], list[CalendarEntry]]] | None = None,
) -> list[CalendarEntry]:
    """Every entry from every source for ``scope``, sorted by day."""
    entries = []
    for source in sources or CALENDAR_SOURCES:
        entries.extend(source(scope))
    return sorted(entries, key=lambda e: (e.day, e.kind, e.title))


def month_weeks(
    school: School, user: User, year: int, month: int
) -> list[list[tuple[datetime.date, bool, bool, list[CalendarEntry]]]]:
    """The month as weeks (Monday first) of (day, in_month, is_school_day, entries)."""
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day = {}
    for entry in calendar_entries(CalendarScope.school_year_calendar(school, user, start, end)):
        by_day.setdefault(max(entry.day, start), []).append(entry)
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


def year_file(school: School, user: User, year: SchoolYear) -> bytes:
    """The whole school year's calendar as an iCalendar file, as downloaded by ``user``. The
    contact moments name families: each download is written to the audit log."""
    scope = CalendarScope.school_year_calendar(school, user, year.start, year.end)
    audit.record(user, audit.AuditAction.DOWNLOAD, school=school, what=f"year_calendar:{school.pk}")
    name = _("Jaarkalender %(school)s") % {"school": school.name}
    return ics_feed(name, calendar_entries(scope))


def ics_feed(name: str, entries: Iterable[CalendarEntry]) -> bytes:
    """The entries as an iCalendar file, each with its stable UID: a day or several as all-day
    events (DTEND the day after the last, RFC 5545), timed ones in Europe/Amsterdam."""
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Schouder//jaarkalender//NL")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = datetime.datetime.now(datetime.UTC)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("summary", entry.title)
        if entry.starts_at:
            event.add("dtstart", timezone.localtime(entry.starts_at))
            event.add("dtend", timezone.localtime(entry.ends_at or entry.starts_at))
        else:
            event.add("dtstart", entry.day)
            event.add("dtend", (entry.last_day or entry.day) + datetime.timedelta(days=1))
        if entry.location:
            event.add("location", entry.location)
        event.add("dtstamp", stamp)
        event.add("categories", [entry.kind])
        feed.add_component(event)
    feed.add_missing_timezones()
    return feed.to_ical()
