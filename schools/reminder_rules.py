"""The reminders that read the schools app's tables, and who may oversee a school's reminders.

Registered from SchoolsConfig.ready(); ``reminders`` itself knows nothing of schools.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from reminders.registry import Item, OverseenSchool, Rule, Verdict
from schools import permissions
from schools.calendar import first_school_days

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

    from reminders.models import Reminder
    from schools.models import SchoolYear

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MORNING = datetime.time(8, 0)


def start_of_year_moment(
    first_day: datetime.date, year: SchoolYear, now: datetime.datetime
) -> datetime.datetime:
    """When a start-of-year message is due: 08:00 on the first school day (``first_day``, from
    ``schools.calendar.first_school_days``); for someone who arrives later in the year (a new
    family, a new teacher), 08:00 on the day they appear."""
    local_now = now.astimezone(AMSTERDAM)
    day = max(first_day, min(local_now.date(), year.end))
    return datetime.datetime.combine(day, MORNING, tzinfo=AMSTERDAM)


def responsible_emails(school_ids: Iterable[int], roles: Sequence[str]) -> dict[int, str]:
    """{school_id: e-mail} of the first staff member holding one of ``roles`` (in that order)."""
    from schools.models import StaffMembership

    found = {}
    rows = StaffMembership.objects.filter(school_id__in=school_ids, role__in=roles).values_list(
        "school_id", "role", "user__email"
    )
    for school_id, _role, email in sorted(rows, key=lambda r: (r[0], roles.index(r[1]), r[2])):
        if email:
            found.setdefault(school_id, email)
    return found


INFO_CARD = {
    "subject": "Deze week: deel de informatiekaart uit aan de ouders van groep {group}",
    "body": (
        "Beste {name},\n\n"
        "Het schooljaar is begonnen op {school}. Deel deze week de informatiekaart uit aan de "
        "ouders van groep {group}. Op de kaart staat wat wij van elkaar verwachten, hoe wij "
        "werken en wat ouders doen als hun kind ziek is of afwezig.\n\n"
        "Actie: geef de kaart aan elke ouder en vertel er kort iets over.\n"
    ),
}


class InformationCardRule(Rule):
    """Document 001: inform parents at the very start of the year, with an information card in
    the first school week. Reminds each teacher and mentor of each group of this school year."""

    name = "schools.information_card"
    label = "Informatiekaart uitdelen in de eerste schoolweek"
    audience = "staff"

    def _teachers(self, year: SchoolYear) -> QuerySet[Any, tuple[Any, ...]]:
        from schools.models import Group

        return Group.teachers.through.objects.filter(
            group__school_year=year, user__is_active=True
        ).values_list(
            "group_id",
            "group__name",
            "group__school_id",
            "group__school__name",
            "group__school__holiday_region",
            "user_id",
            "user__first_name",
            "user__last_name",
            "user__email",
        )

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from reminders import outbox
        from schools.models import SchoolYear

        year = SchoolYear.for_date(now.astimezone(AMSTERDAM).date())
        rows = list(
            outbox.without_rows(
                self._teachers(year),
                rule=self.name,
                object_ref=outbox.key("schools.group:", "group_id"),
                recipient_key=outbox.key("auth.user:", "user_id"),
                occurrence=year.label,
            )
        )
        if not rows:
            return
        reply_to = responsible_emails({r[2] for r in rows}, ["intern_begeleider", "director"])
        first_days = first_school_days({r[2] for r in rows}, year)
        for group_id, group, school_id, school, _region, user_id, first, last, email in rows:
            due_at = start_of_year_moment(first_days[school_id], year, now)
            if due_at > now:
                continue
            name = f"{first} {last}".strip() or email
            context = {"name": first or name, "school": school, "group": group}
            yield Item(
                object_ref=f"schools.group:{group_id}",
                recipient_key=f"auth.user:{user_id}",
                occurrence=year.label,
                school_id=school_id,
                recipient_name=name,
                address=email,
                channel="email",
                language="nl",
                subject=INFO_CARD["subject"].format(**context),
                body=INFO_CARD["body"].format(**context),
                due_at=due_at,
                sender_name=school,
                reply_to=reply_to.get(school_id, ""),
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        from schools.models import Group

        pairs = set(
            Group.teachers.through.objects.filter(
                group_id__in=[int(r.object_ref.split(":")[1]) for r in reminders],
                user__is_active=True,
            ).values_list("group_id", "user_id", "user__email")
        )
        current = {(f"schools.group:{g}", f"auth.user:{u}"): email for g, u, email in pairs}
        verdicts = {}
        for reminder in reminders:
            email = current.get((reminder.object_ref, reminder.recipient_key))
            if email is None:
                verdicts[reminder.pk] = Verdict.cancel("Geeft deze groep niet meer les.")
            elif not email:
                verdicts[reminder.pk] = Verdict.cancel("Geen e-mailadres bekend.")
            elif email != reminder.address:
                verdicts[reminder.pk] = Verdict.send_to(email)
        return verdicts


def schools_for_reminders(user: User | AnonymousUser) -> dict[int, OverseenSchool]:
    """The schools whose reminder page ``user`` may open: the whole-school roles. Not a teacher
    (they see only their own groups' families), not the board (the page names every recipient)."""
    schools = permissions.schools_where(user, permissions.REMINDER_OVERSEERS)
    return {
        school_id: OverseenSchool(
            name=name,
            can_manage=permissions.access_for(user).holds(permissions.SCHOOL_MANAGERS, school_id),
        )
        for school_id, name in schools.values_list("id", "name")
    }
