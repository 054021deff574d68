"""Reminders about the conversation rounds (start and pupil-led), read from this app's tables.

Parents: the invitation to book when the round opens, repeated after 3 and 7 days while the
household has not booked; a reminder the day before the booked conversation. Staff: once a week
while the window runs, how many pupils of their groups still have no conversation planned.

The rules are the same for both kinds of round; only the words differ (``texts_for``).

Registered from ConversationsConfig.ready(); ``reminders`` itself knows nothing of this app.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from conversations.models import (
    Assignment,
    Booking,
    BookingStatus,
    Invitation,
    Mode,
    Round,
    RoundKind,
    StartConversation,
)
from conversations.queries import conversations_to_plan, unbooked_invitations
from parents.models import PupilGuardian
from parents.reminder_rules import (
    guardian_address,
    guardian_item,
    site_link,
)
from reminders import queries
from reminders.models import Reminder
from reminders.registry import Item, Rule, Verdict
from reminders.texts import in_language
from schools import permissions
from schools.models import Group
from schools.reminder_rules import AMSTERDAM, responsible_emails

MORNING = datetime.time(9, 0)
STAFF_MORNING = datetime.time(8, 0)
# (occurrence, days after booking opens): the invitation, then two reminders while unbooked.
INVITATION_STEPS = (("open", 0), ("3-days", 3), ("7-days", 7))


def local_moment(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, clock, tzinfo=AMSTERDAM)


GUARDIAN_FIELDS = (
    "pupil_id",
    "guardian_id",
    "guardian__family_id",
    "guardian__first_name",
    "guardian__infix",
    "guardian__last_name",
    "guardian__email",
    "guardian__phone",
    "guardian__language",
    "guardian__quiet_hours_start",
    "guardian__quiet_hours_end",
    "guardian__preferred_channels",
)


# One guardian as ``reachable_links`` reads them (GUARDIAN_FIELDS, sometimes with a column before).
GuardianRow = tuple[Any, ...]


def reachable_links(**filters: Any) -> QuerySet[PupilGuardian, GuardianRow]:
    """Guardian links whose guardian may get a reminder: access not blocked by the school, the
    right to information about the child (as in the portal), and the guardian did not turn
    reminders off in the portal."""
    return PupilGuardian.objects.filter(
        access_blocked_reason="",
        guardian__wants_reminders=True,
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        **filters,
    ).values_list(*GUARDIAN_FIELDS)


# --- texts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundTexts:
    """What the reminders of one kind of round say. Parent texts are (subject, body) Dutch
    sources translated per guardian; the staff text is Dutch only."""

    invitation: tuple[str, str]
    invitation_repeat: tuple[str, str]
    tomorrow: tuple[str, str]
    to_plan: dict[str, str]

    @property
    def to_parents(self) -> tuple[str, ...]:
        """Every text a parent may get, to be translated into each parent language."""
        return (*self.invitation, *self.invitation_repeat, *self.tomorrow)


START_TEXTS = RoundTexts(
    invitation=(
        gettext_noop("Kies een tijd voor het startgesprek – {school}"),
        gettext_noop(
            "Beste {name},\n\n{school} nodigt u uit voor het startgesprek. U vertelt over uw "
            "kind, wij vertellen over school. Samen maken we afspraken voor dit jaar.\n\n"
            "Wat wij vragen: kies een tijd in het ouderportaal:\n{link}\n\n"
            "De gesprekken zijn tot en met {end}.\n\nMet vriendelijke groet,\n{school}"
        ),
    ),
    invitation_repeat=(
        gettext_noop("Nog geen tijd gekozen voor het startgesprek – {school}"),
        gettext_noop(
            "Beste {name},\n\nU heeft nog geen tijd gekozen voor het startgesprek op {school}. "
            "Wij willen u graag spreken.\n\nKies een tijd in het ouderportaal:\n{link}\n\n"
            "Past geen enkele tijd? Antwoord op dit bericht, dan zoeken we samen een moment.\n\n"
            "{school}"
        ),
    ),
    tomorrow=(
        gettext_noop("Morgen: startgesprek over {child} – {school}"),
        gettext_noop(
            "Beste {name},\n\nMorgen, {day} om {time}, heeft u het startgesprek over {child} "
            "met {teacher}. {where}\n\nKunt u niet? Antwoord dan op dit bericht.\n\n{school}"
        ),
    ),
    to_plan={
        "subject": "{count} leerlingen nog zonder startgesprek – {school}",
        "body": (
            "Beste {name},\n\n"
            "De startgesprekken op {school} lopen tot en met {end}. Voor {count} leerlingen van "
            "uw groep(en) is nog geen gesprek gepland.\n\n"
            "Actie: plan deze gesprekken, of bel de ouders:\n{link}\n"
        ),
    },
)
# In a kindgesprek the child leads and shows their portfolio: parents come with the child.
PUPIL_LED_TEXTS = RoundTexts(
    invitation=(
        gettext_noop("Kies een tijd voor het kindgesprek – {school}"),
        gettext_noop(
            "Beste {name},\n\n{school} nodigt u uit voor het kindgesprek. In dit gesprek "
            "vertelt uw kind zelf. Uw kind laat zijn werk zien: het portfolio. Daarna praten "
            "we samen over wat uw kind nu wil leren.\n\n"
            "Wat wij vragen: kies een tijd in het ouderportaal en kom samen met uw kind:\n"
            "{link}\n\nDe gesprekken zijn tot en met {end}.\n\nMet vriendelijke groet,\n"
            "{school}"
        ),
    ),
    invitation_repeat=(
        gettext_noop("Nog geen tijd gekozen voor het kindgesprek – {school}"),
        gettext_noop(
            "Beste {name},\n\nU heeft nog geen tijd gekozen voor het kindgesprek op {school}. "
            "Uw kind wil u graag laten zien wat het heeft geleerd.\n\n"
            "Kies een tijd in het ouderportaal:\n{link}\n\n"
            "Past geen enkele tijd? Antwoord op dit bericht, dan zoeken we samen een moment.\n\n"
            "{school}"
        ),
    ),
    tomorrow=(
        gettext_noop("Morgen: kindgesprek van {child} – {school}"),
        gettext_noop(
            "Beste {name},\n\nMorgen, {day} om {time}, is het kindgesprek van {child} met "
            "{teacher}. Uw kind leidt het gesprek en laat het portfolio zien. Komt u samen met "
            "uw kind? {where}\n\nKunt u niet? Antwoord dan op dit bericht.\n\n{school}"
        ),
    ),
    to_plan={
        "subject": "{count} leerlingen nog zonder kindgesprek – {school}",
        "body": (
            "Beste {name},\n\n"
            "De kindgesprekken op {school} lopen tot en met {end}. Voor {count} leerlingen van "
            "uw groep(en) is nog geen gesprek gepland.\n\n"
            "Actie: plan deze gesprekken, of bel de ouders:\n{link}\n"
        ),
    },
)
TEXTS = {RoundKind.START: START_TEXTS, RoundKind.PUPIL_LED: PUPIL_LED_TEXTS}


def texts_for(round: Round) -> RoundTexts:
    """The words of the reminders of ``round``: the one place where its kind is read."""
    return TEXTS[RoundKind(round.kind)]


# Where the conversation is, per mode; {place} is the room at school (may be empty).
WHERE: dict[str, str] = {
    Mode.SCHOOL: gettext_noop("Het gesprek is op school{place}."),
    Mode.HOME_VISIT: gettext_noop("Wij komen bij u thuis."),
    Mode.PHONE: gettext_noop("Wij bellen u."),
    Mode.VIDEO: gettext_noop("Het is een videogesprek. U krijgt de link van school."),
}


# --- parents: the invitation and its two reminders ---------------------------------------------


def _open_rounds(today: datetime.date) -> QuerySet[Round]:
    # A day ahead: families with several children may start booking a day early.
    return Round.objects.filter(
        opened_at__isnull=False,
        closed_at__isnull=True,
        booking_opens_on__isnull=False,
        booking_opens_on__lte=today + datetime.timedelta(days=1),
        window_end__gte=today,
    ).select_related("school")


def _invitation_step(
    round: Round, opens_on: datetime.date | None, now: datetime.datetime
) -> tuple[str, datetime.datetime] | None:
    """The latest step of the invitation that is due, or None. Only the latest: a rule that
    starts late sends one message, not three at once. Counted from the day the household may
    book; never before the round was opened (None while it is not open for booking)."""
    if opens_on is None or round.opened_at is None:
        return None
    found = None
    for occurrence, days in INVITATION_STEPS:
        due_at = local_moment(opens_on + datetime.timedelta(days=days), MORNING)
        due_at = max(due_at, round.opened_at)
        if due_at <= now:
            found = (occurrence, due_at)
    return found


def _children_in_round(round: Round, invitations: Sequence[Invitation]) -> dict[int, int]:
    """{family pk: children in the round}: what the sibling head start depends on."""
    return dict(
        StartConversation.objects.filter(
            round=round,
            pupil__guardian_links__guardian__family_id__in=[i.family_id for i in invitations],
        )
        .values_list("pupil__guardian_links__guardian__family_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("pupil__guardian_links__guardian__family_id", "n")
    )


def _invitation_guardians(invitations: Iterable[Invitation]) -> dict[int, list[GuardianRow]]:
    """{invitation pk: [guardian row]}: the reachable guardians of the invited household who
    have a child in the round."""
    by_key = {(i.round_id, i.family_id): i.pk for i in invitations}
    if not by_key:
        return {}
    rows = (
        reachable_links(
            guardian__family_id__in={family for _r, family in by_key},
            pupil__start_conversations__round_id__in={round for round, _f in by_key},
        )
        .values_list("pupil__start_conversations__round_id", *GUARDIAN_FIELDS[1:])
        .distinct()
    )
    found = defaultdict(dict)
    for round_id, guardian_id, family_id, *rest in rows:
        invitation = by_key.get((round_id, family_id))
        if invitation is not None:
            found[invitation][guardian_id] = (guardian_id, family_id, *rest)
    return {pk: list(guardians.values()) for pk, guardians in found.items()}


class InvitationRule(Rule):
    """The invitation to book a start conversation, then a reminder after 3 and after 7 days,
    for every household that has not booked; a booking made in between cancels the rest."""

    name = "conversations.invitation"
    label = "Uitnodiging start- of kindgesprek, en herinneringen zolang niet geboekt"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        today = now.astimezone(AMSTERDAM).date()
        for round in _open_rounds(today):
            invitations = list(unbooked_invitations(round))
            self._note_sent(invitations)
            children = _children_in_round(round, invitations)
            guardians = _invitation_guardians(invitations)
            link = site_link("conversations:portal-booking")
            reply_to = responsible_emails({round.school_id}, ["intern_begeleider", "director"])
            words = texts_for(round)
            for invitation in invitations:
                opens_on = round.opens_for(children.get(invitation.family_id, 1))
                step = _invitation_step(round, opens_on, now)
                if step is None:
                    continue
                occurrence, due_at = step
                texts = words.invitation if occurrence == "open" else words.invitation_repeat
                for row in guardians.get(invitation.pk, ()):
                    yield self._item(
                        round, invitation, row, occurrence, due_at, texts, link, reply_to
                    )

    def _item(
        self,
        round: Round,
        invitation: Invitation,
        row: GuardianRow,
        occurrence: str,
        due_at: datetime.datetime,
        texts: tuple[str, str],
        link: str,
        reply_to: dict[int, str],
    ) -> Item:
        guardian_id, _f, first, infix, last, email, phone, language, q_start, q_end, chosen = row
        return guardian_item(
            guardian_id=guardian_id,
            names=(first, infix, last),
            email=email,
            phone=phone,
            channels=chosen,
            language=language,
            quiet_hours=(q_start, q_end),
            texts=texts,
            context={"link": link, "end": f"{round.window_end:%d-%m-%Y}"},
            object_ref=f"conversations.invitation:{invitation.pk}",
            occurrence=occurrence,
            school_id=round.school_id,
            school=round.school.name,
            due_at=due_at,
            reply_to=reply_to.get(round.school_id, ""),
        )

    def _note_sent(self, invitations: Sequence[Invitation]) -> None:
        """Invitation.sent_at: when the first message to the household went out (the school's
        pages show it). Read from the outbox on the next scan, since sending is not ours."""
        waiting = {f"conversations.invitation:{i.pk}": i for i in invitations if not i.sent_at}
        if not waiting:
            return
        sent = queries.sent_at(self.name, "open", object_refs=list(waiting))
        first = {}
        for (ref, _key), moment in sent.items():
            first[ref] = min(moment, first.get(ref, moment))
        for ref, moment in first.items():
            Invitation.objects.filter(pk=waiting[ref].pk, sent_at__isnull=True).update(
                sent_at=moment
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancel when the household booked (or asked for another moment), the round closed,
        or the guardian may no longer get reminders."""
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        invitations = list(Invitation.objects.filter(pk__in=ids).select_related("round"))
        still_open = set()
        today = timezone.localdate()
        for round in {i.round for i in invitations}:
            if round.is_open and round.window_end >= today:
                still_open |= set(
                    unbooked_invitations(round).filter(pk__in=ids).values_list("pk", flat=True)
                )
        guardians = _invitation_guardians(invitations)
        verdicts = {}
        for reminder in reminders:
            pk = int(reminder.object_ref.split(":")[1])
            rows = {f"parents.guardian:{row[0]}": row for row in guardians.get(pk, ())}
            row = rows.get(reminder.recipient_key)
            if pk not in still_open:
                verdicts[reminder.pk] = Verdict.cancel("Het gezin heeft al een gesprek geboekt.")
            elif verdict := _guardian_verdict(reminder, row and (*row[5:7], row[-1])):
                verdicts[reminder.pk] = verdict
        return verdicts


def _guardian_verdict(
    reminder: Reminder, contact: tuple[str, str, Sequence[str] | None] | None
) -> Verdict | None:
    """What a recheck says of the guardian of ``reminder``: ``contact`` is their (e-mail, phone,
    chosen channels) now, or None when they may no longer get reminders. None: send as it is."""
    if contact is None:
        return Verdict.cancel("Geen recht op informatie, of de ouder wil geen herinneringen.")
    channel, address = guardian_address(*contact)
    if not address:
        return Verdict.cancel("Geen e-mailadres of telefoonnummer.")
    if (channel, address) != (reminder.channel, reminder.address):
        return Verdict.send_to(address, channel=channel)
    return None


# --- parents: the day before the booked conversation -------------------------------------------


def _occurrence_of(booking: Booking) -> str:
    """The slot is part of the key: a booking moved to another time gets its own reminder."""
    start = booking.slot.starts_at.astimezone(AMSTERDAM)
    return f"slot-{booking.slot_id}-{start:%Y%m%d%H%M}"


class BookingTomorrowRule(Rule):
    """The day before a booked conversation: time, place or mode, and with whom."""

    name = "conversations.booking_tomorrow"
    label = "Herinnering aan het start- of kindgesprek, een dag van tevoren"
    audience = "parents"

    def _bookings(self, **filters: Any) -> QuerySet[Booking]:
        return Booking.objects.filter(status=BookingStatus.BOOKED, **filters).select_related(
            "slot__staff", "conversation__pupil", "conversation__round__school"
        )

    def _guardians(self, bookings: Sequence[Booking]) -> dict[tuple[int, int], list[GuardianRow]]:
        pupils = {b.conversation.pupil_id for b in bookings}
        found = defaultdict(list)
        if pupils:
            for row in reachable_links(
                pupil_id__in=pupils, guardian__family_id__in={b.family_id for b in bookings}
            ):
                found[(row[0], row[2])].append(row)
        return found

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        today = now.astimezone(AMSTERDAM).date()
        bookings = [
            b
            for b in self._bookings(
                slot__starts_at__gt=now, slot__starts_at__lt=now + datetime.timedelta(days=2)
            )
            # The day before, and never "tomorrow" for a conversation booked for today.
            if b.slot.starts_at.astimezone(AMSTERDAM).date() == today + datetime.timedelta(days=1)
        ]
        guardians = self._guardians(bookings)
        for booking in bookings:
            start = booking.slot.starts_at.astimezone(AMSTERDAM)
            due_at = local_moment(today, MORNING)
            if due_at > now:
                continue
            for row in guardians.get((booking.conversation.pupil_id, booking.family_id), ()):
                yield self._item(booking, start, row, due_at)

    def _item(
        self,
        booking: Booking,
        start: datetime.datetime,
        row: GuardianRow,
        due_at: datetime.datetime,
    ) -> Item:
        _p, guardian_id, _f, first, infix, last, email, phone, language, q_start, q_end, chosen = (
            row
        )
        slot = booking.slot
        place = f" ({slot.place})" if slot.place else ""
        (where,) = in_language(language, WHERE.get(slot.mode, WHERE[Mode.SCHOOL]))
        teacher = f"{slot.staff.first_name} {slot.staff.last_name}".strip() or slot.staff.email
        round = booking.conversation.round
        return guardian_item(
            guardian_id=guardian_id,
            names=(first, infix, last),
            email=email,
            phone=phone,
            channels=chosen,
            language=language,
            quiet_hours=(q_start, q_end),
            texts=texts_for(round).tomorrow,
            context={
                "child": booking.conversation.pupil.first_name,
                "day": f"{start:%d-%m-%Y}",
                "time": f"{start:%H:%M}",
                "teacher": teacher,
                "where": where.format(place=place),
            },
            object_ref=f"conversations.booking:{booking.pk}",
            occurrence=_occurrence_of(booking),
            school_id=round.school_id,
            school=round.school.name,
            due_at=due_at,
            reply_to=slot.staff.email,
        )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancel when the booking was cancelled, marked, moved to another slot or time, or the
        guardian may no longer get reminders."""
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        bookings = {b.pk: b for b in self._bookings(pk__in=ids)}
        guardians = self._guardians(list(bookings.values()))
        verdicts = {}
        for reminder in reminders:
            booking = bookings.get(int(reminder.object_ref.split(":")[1]))
            if booking is None or _occurrence_of(booking) != reminder.occurrence:
                verdicts[reminder.pk] = Verdict.cancel("De afspraak is verzet of gaat niet door.")
                continue
            rows = guardians.get((booking.conversation.pupil_id, booking.family_id), ())
            row = {f"parents.guardian:{r[1]}": r for r in rows}.get(reminder.recipient_key)
            if verdict := _guardian_verdict(reminder, row and (*row[6:8], row[-1])):
                verdicts[reminder.pk] = verdict
        return verdicts


# --- staff: pupils without a start conversation ------------------------------------------------


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _to_plan_by_staff(rounds: Sequence[Round]) -> dict[tuple[int, int], int]:
    """{(round pk, user pk): pupils to plan} for the staff who hold the groups' conversations
    (the round's assignments; a group's teachers when nobody was assigned). Three queries."""
    per_group = defaultdict(int)
    for round in rounds:
        for group_id, count in (
            conversations_to_plan(round)
            .values_list("group_id")
            .annotate(n=Count("pk"))
            .values_list("group_id", "n")
        ):
            per_group[(round.pk, group_id)] = count
    if not per_group:
        return {}
    staff = defaultdict(set)
    for round_id, group_id, user_id in Assignment.objects.filter(
        round__in=[r.pk for r in rounds], joins=False
    ).values_list("round_id", "group_id", "staff_id"):
        staff[(round_id, group_id)].add(user_id)
    group_round = {g: r for r, g in per_group if (r, g) not in staff}
    for group_id, user_id in Group.teachers.through.objects.filter(
        group_id__in=list(group_round)
    ).values_list("group_id", "user_id"):
        staff[(group_round[group_id], group_id)].add(user_id)
    counts = defaultdict(int)
    for (round_id, group_id), count in per_group.items():
        for user_id in staff.get((round_id, group_id), ()):
            counts[(round_id, user_id)] += count
    return counts


class PupilsToPlanRule(Rule):
    """Once a week while a window runs: each staff member hears how many pupils of their
    groups have no conversation planned yet in that round, with the link to plan them."""

    name = "conversations.to_plan"
    label = "Leerlingen zonder start- of kindgesprek (wekelijks, aan de leerkracht)"
    audience = "staff"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from django.contrib.auth import get_user_model

        today = now.astimezone(AMSTERDAM).date()
        rounds = list(
            Round.objects.filter(
                opened_at__isnull=False,
                closed_at__isnull=True,
                window_start__lte=today,
                window_end__gte=today,
            ).select_related("school")
        )
        counts = _to_plan_by_staff(rounds)
        if not counts:
            return
        users = (
            get_user_model()
            .objects.filter(pk__in={u for _r, u in counts}, is_active=True)
            .in_bulk()
        )
        week = today.isocalendar()
        occurrence = f"{week.year}-W{week.week:02d}"
        for round in rounds:
            due_at = local_moment(max(_week_start(today), round.window_start), STAFF_MORNING)
            if due_at > now:
                continue
            link = site_link("conversations:round-detail", round.pk)
            for (round_id, user_id), count in sorted(counts.items()):
                user = users.get(user_id)
                if round_id != round.pk or not count or user is None:
                    continue
                name = f"{user.first_name} {user.last_name}".strip() or user.email
                context = {
                    "name": user.first_name or name,
                    "school": round.school.name,
                    "count": count,
                    "end": f"{round.window_end:%d-%m-%Y}",
                    "link": link,
                }
                words = texts_for(round).to_plan
                yield Item(
                    object_ref=f"conversations.round:{round.pk}",
                    recipient_key=f"auth.user:{user_id}",
                    occurrence=occurrence,
                    school_id=round.school_id,
                    recipient_name=name,
                    address=user.email,
                    channel="email",
                    language="nl",
                    subject=words["subject"].format(**context),
                    body=words["body"].format(**context),
                    due_at=due_at,
                    sender_name=round.school.name,
                )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        rounds = [r for r in Round.objects.filter(pk__in=ids) if r.is_open]
        counts = _to_plan_by_staff(rounds)
        verdicts = {}
        for reminder in reminders:
            key = (
                int(reminder.object_ref.split(":")[1]),
                int(reminder.recipient_key.split(":")[1]),
            )
            if not counts.get(key):
                verdicts[reminder.pk] = Verdict.cancel("Alle leerlingen hebben een gesprek.")
        return verdicts
