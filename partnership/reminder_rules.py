"""Reminders to invited families about coming activities (document 000: herhaal, herhaal).

A one-off activity (an information evening, a theme morning) is announced three weeks, a week
and a day before; the weeks of a series (the coffee morning) the day before each week. Every
guardian of the invited household who may see a child at the school gets their own message, in
their own language, unless the household said it will not come.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from parents.models import Guardian, PupilGuardian
from parents.reminder_rules import (
    guardian_address,
    guardian_item,
    site_link,
)
from partnership import queries
from partnership.models import RSVP, Invitation
from reminders import outbox
from reminders.registry import Rule, Verdict
from schools import permissions
from schools.reminder_rules import AMSTERDAM, responsible_emails

if TYPE_CHECKING:
    from partnership.models import Activity
    from reminders.models import Reminder
    from reminders.registry import Item

MORNING = datetime.time(9)

INVITATION = (
    gettext_noop("{title} op {day} – {school}"),
    gettext_noop(
        "Beste {name},\n\nOp {day} om {time}: {title} op {school}. U bent van harte welkom.\n\n"
        "Komt u? Laat het weten in het ouderportaal:\n{link}\n\n{school}"
    ),
)


# A household that said it comes is not asked again: the same reminder, without the question.
COMING = (
    INVITATION[0],
    gettext_noop(
        "Beste {name},\n\nOp {day} om {time}: {title} op {school}. U heeft laten weten dat u "
        "komt. Tot dan!\n\n{school}"
    ),
)


def _occurrence(days_before: int | str, activity: Activity) -> str:
    # The activity's day is in the key: a moved activity is announced again for its new day.
    return f"{days_before}d:{timezone.localtime(activity.starts_at).date().isoformat()}"


class ActivityInvitationRule(Rule):
    name = "partnership.activity_invitation"
    label = "Herinnering aan een activiteit (koffieochtend, informatieavond)"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        today = now.astimezone(AMSTERDAM).date()
        due_at = datetime.datetime.combine(today, MORNING, tzinfo=AMSTERDAM)
        if due_at > now:
            return
        found = [
            (days, invitation)
            for days in queries.ACTIVITY_REMINDER_DAYS
            for invitation in self._new(
                queries.activity_invitations_due(on_day=today, days_before=days), today, days
            )
        ] + [
            (days, invitation)
            for days in queries.SERIES_REMINDER_DAYS
            for invitation in self._new(
                queries.series_invitations_due(on_day=today, days_before=days), today, days
            )
        ]
        if not found:
            return
        schools = {invitation.activity.school_id for _d, invitation in found}
        readers = _readers({invitation.family_id for _d, invitation in found}, schools)
        reply_to = responsible_emails(schools, ["ouder_coordinator", "director"])
        nobody = defaultdict(list)
        for days, invitation in found:
            activity = invitation.activity
            guardians = [
                g
                for g in invitation.family.guardians.all()
                if (g.pk, activity.school_id) in readers
            ]
            for guardian in guardians:
                yield _item(invitation, guardian, days, due_at, reply_to)
            if not guardians:
                nobody[_occurrence(days, activity)].append(
                    f"partnership.invitation:{invitation.pk}"
                )
        # No guardian of the household may be told: no need to look at it again this step.
        for occurrence, refs in nobody.items():
            outbox.mark_looked(rule=self.name, occurrence=occurrence, object_refs=refs)

    def _new(
        self, invitations: QuerySet[Invitation], today: datetime.date, days: int
    ) -> QuerySet[Invitation]:
        """The invitations that have no reminder for this step yet (the scan runs every minute:
        it reads only what is new)."""
        day = today + datetime.timedelta(days=days)
        return outbox.without_rows(
            invitations,
            rule=self.name,
            object_ref=outbox.key("partnership.invitation:", "pk"),
            occurrence=f"{days}d:{day.isoformat()}",
        )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Still invited, not declined, on the same day? Same address?"""
        invitations = Invitation.objects.select_related("activity").in_bulk(
            {int(r.object_ref.split(":")[1]) for r in reminders}
        )
        addresses = {
            pk: guardian_address(email, phone, chosen)
            for pk, email, phone, chosen in Guardian.objects.filter(
                pk__in={int(r.recipient_key.split(":")[1]) for r in reminders}
            ).values_list("pk", "email", "phone", "preferred_channels")
        }
        verdicts = {}
        for reminder in reminders:
            invitation = invitations.get(int(reminder.object_ref.split(":")[1]))
            days = reminder.occurrence.split(":")[0].removesuffix("d")
            if invitation is None or invitation.rsvp == RSVP.NO:
                verdicts[reminder.pk] = Verdict.cancel("Niet meer uitgenodigd, of komt niet.")
            elif invitation.rsvp == RSVP.YES and _asks(reminder, invitation):
                # Answered "yes" after this reminder was written: don't ask again.
                verdicts[reminder.pk] = Verdict.cancel(
                    "Het gezin heeft al laten weten dat het komt."
                )
            elif _occurrence(days, invitation.activity) != reminder.occurrence:
                verdicts[reminder.pk] = Verdict.cancel("De activiteit is verplaatst.")
            else:
                channel, address = addresses.get(
                    int(reminder.recipient_key.split(":")[1]), ("email", "")
                )
                if address and address != reminder.address:
                    verdicts[reminder.pk] = Verdict.send_to(address, channel)
        return verdicts


def _asks(reminder: Reminder, invitation: Invitation) -> bool:
    """Whether the row's text asks "will you come?": only that text links to the answer page."""
    return site_link("partnership:invitation-respond", invitation.pk) in reminder.body


def _readers(family_ids: Iterable[int], school_ids: Iterable[int]) -> set[tuple[int, int]]:
    """{(guardian id, school id)}: guardians of these households who may see a child at that
    school and did not turn reminders off. One query."""
    return set(
        PupilGuardian.objects.filter(
            guardian__family_id__in=family_ids,
            guardian__wants_reminders=True,
            pupil__school_id__in=school_ids,
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        ).values_list("guardian_id", "pupil__school_id")
    )


def _item(
    invitation: Invitation,
    guardian: Guardian,
    days: int,
    due_at: datetime.datetime,
    reply_to: dict[int, str],
) -> Item:
    activity = invitation.activity
    start = timezone.localtime(activity.starts_at)
    return guardian_item(
        guardian_id=guardian.pk,
        names=(guardian.first_name, guardian.infix, guardian.last_name),
        email=guardian.email,
        phone=guardian.phone,
        channels=guardian.preferred_channels,
        language=guardian.language,
        quiet_hours=(guardian.quiet_hours_start, guardian.quiet_hours_end),
        texts=COMING if invitation.rsvp == RSVP.YES else INVITATION,
        context={
            "title": activity.title,
            "day": f"{start:%d-%m-%Y}",
            "time": f"{start:%H:%M}",
            "link": site_link("partnership:invitation-respond", invitation.pk),
        },
        object_ref=f"partnership.invitation:{invitation.pk}",
        occurrence=_occurrence(days, activity),
        school_id=activity.school_id,
        school=activity.school.name,
        due_at=due_at,
        reply_to=reply_to.get(activity.school_id, ""),
    )
