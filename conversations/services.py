"""State changes of the start conversations. Every function is one transaction and says no with a
``ConversationError`` carrying a Dutch message the user can act on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from zeal import zeal_ignore

from conversations import notifications
from conversations.models import (
    LOG_FIELDS,
    Assignment,
    Booking,
    BookingStatus,
    ConversationAgreement,
    ConversationStatus,
    Invitation,
    InvitationStatus,
    Mode,
    Round,
    RoundKind,
    Slot,
    StartConversation,
)
from parents.models import (
    Channel,
    CommunicationPlan,
    ContactChannel,
    Family,
    PupilGuardian,
    Schedule,
)
from parents.reach import refresh_reach
from parents.services import PlanError, agree_plan
from schools import permissions
from schools.calendar import SchoolCalendar, first_school_day
from schools.changes import school_data_changed
from schools.models import Enrolment

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from conversations.models import SlotQuerySet
    from parents.models import Family, Guardian
    from schools.models import Group, School, SchoolYear

WINDOW_DAYS = 21  # "the first two or three weeks of the school year"


class ConversationError(Exception):
    """A rule of the start conversations said no; the message is for the user."""


def _require_planner(round_: Round, user: User) -> None:
    if not round_.may_plan(user):
        raise ConversationError(_("Alleen de directie of de IB'er plant deze ronde."))


@transaction.atomic
def create_round(
    *,
    school: School,
    school_year: SchoolYear,
    by: User,
    window_start: datetime.date | None = None,
    window_end: datetime.date | None = None,
    **settings: Any,
) -> Round:
    """A round for the school's year; the window defaults to the first three weeks of school.
    ``settings`` may make it a pupil-led round (``kind``, ``number``: see ``pupil_led``)."""
    _require_planner(Round(school=school), by)
    kind, number = settings.get("kind", RoundKind.START), settings.get("number")
    if Round.objects.filter(
        school=school, school_year=school_year, kind=kind, number=number
    ).exists():
        raise ConversationError(_("Deze school heeft dit schooljaar al een ronde."))
    window_start = window_start or first_school_day(school, school_year)
    window_end = window_end or window_start + datetime.timedelta(days=WINDOW_DAYS - 1)
    if window_end < window_start:
        raise ConversationError(_("De laatste dag mag niet voor de eerste dag liggen."))
    settings.setdefault("modes", [Mode.SCHOOL, Mode.HOME_VISIT, Mode.PHONE, Mode.VIDEO])
    return Round.objects.create(
        school=school,
        school_year=school_year,
        window_start=window_start,
        window_end=window_end,
        created_by=by,
        **settings,
    )


@transaction.atomic
def update_round(*, round: Round, by: User, **fields: Any) -> Round:
    """Change the round's settings. The window may not shrink past slots already offered."""
    _require_planner(round, by)
    round = Round.objects.select_for_update().get(pk=round.pk)
    for name, value in fields.items():
        setattr(round, name, value)
    if not round.window_start or not round.window_end or round.window_end < round.window_start:
        raise ConversationError(_("De laatste dag mag niet voor de eerste dag liggen."))
    outside = [
        slot
        for slot in round.slots.only("round", "starts_at")
        if not round.window_start <= timezone.localtime(slot.starts_at).date() <= round.window_end
    ]
    if outside:
        raise ConversationError(
            _(
                "Er zijn al %(count)s tijden buiten deze periode. Kies een periode waar ze in passen."
            )
            % {"count": len(outside)}
        )
    round.save()
    return round


@transaction.atomic
def assign_staff(
    *, round: Round, group: Group, staff: User, by: User, joins: bool = False
) -> Assignment:
    """``staff`` holds (or, with ``joins``, joins) the conversations of ``group`` in the round."""
    _require_planner(round, by)
    if group.school_id != round.school_id or group.school_year_id != round.school_year_id:
        raise ConversationError(_("Deze groep hoort niet bij deze ronde."))
    assignment, _created = Assignment.objects.update_or_create(
        round=round, group=group, staff=staff, defaults={"joins": joins}
    )
    return assignment


def _overlapping(
    staff: User, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> SlotQuerySet:
    return Slot.objects.filter(staff=staff, starts_at__lt=ends_at, ends_at__gt=starts_at)


# A day this far from the window is most likely a typing error (the wrong month or year).
FAR_FROM_WINDOW = datetime.timedelta(days=30)


def _check_slot_day(round_: Round, day: datetime.date) -> None:
    """Slots lie inside the round's window, on a day the school is open."""
    window = {
        "first": round_.window_start.strftime("%d-%m-%Y"),
        "last": round_.window_end.strftime("%d-%m-%Y"),
        "day": day.strftime("%d-%m-%Y"),
    }
    if day < round_.window_start - FAR_FROM_WINDOW or day > round_.window_end + FAR_FROM_WINDOW:
        raise ConversationError(
            _(
                "%(day)s ligt ver buiten de periode van de startgesprekken (%(first)s tot en met "
                "%(last)s). Klopt de maand en het jaar?"
            )
            % window
        )
    if not round_.window_start <= day <= round_.window_end:
        raise ConversationError(
            _(
                "%(day)s valt buiten de periode van de startgesprekken (%(first)s tot en met "
                "%(last)s)."
            )
            % window
        )
    reason = SchoolCalendar.build(round_.school, round_.school_year).closed_reason(day)
    if reason:
        raise ConversationError(
            _("Op %(day)s is de school dicht: %(reason)s. Kies een schooldag.")
            % {"day": window["day"], "reason": reason}
        )


@transaction.atomic
def generate_slots(
    *,
    round: Round,
    staff: User,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    by: User,
    mode: str = Mode.SCHOOL,
    place: str = "",
) -> list[Slot]:
    """Slots of ``round.slot_minutes`` (with the round's pause between them) from ``start`` to
    ``end`` on ``day`` for ``staff``. Refuses the past, days outside the window, and any overlap
    with the staff member's other slots (in whatever round)."""
    if by != staff:
        _require_planner(round, by)
    elif not permissions.access_for(by).roles_at(round.school_id):
        raise ConversationError(_("U werkt niet op deze school."))
    _check_slot_day(round, day)
    if mode not in round.modes:
        raise ConversationError(_("Deze vorm van gesprek hoort niet bij deze ronde."))
    tz = timezone.get_current_timezone()
    cursor = datetime.datetime.combine(day, start, tzinfo=tz)
    finish = datetime.datetime.combine(day, end, tzinfo=tz)
    length = datetime.timedelta(minutes=round.slot_minutes)
    step = length + datetime.timedelta(minutes=round.pause_minutes)
    if cursor < timezone.now():
        raise ConversationError(_("Dit tijdstip is al voorbij."))
    if cursor + length > finish:
        raise ConversationError(_("In deze tijd past geen enkel gesprek."))
    # Lock this person's slots so that two planners cannot both pass the overlap check.
    list(Slot.objects.select_for_update().filter(staff=staff).values_list("pk", flat=True))
    if _overlapping(staff, cursor, finish).exists():
        raise ConversationError(
            _("%(name)s heeft in deze tijd al gesprekken.") % {"name": staff.get_full_name()}
        )
    slots = []
    while cursor + length <= finish:
        slots.append(
            Slot(
                round=round,
                staff=staff,
                starts_at=cursor,
                ends_at=cursor + length,
                mode=mode,
                place=place,
            )
        )
        cursor += step
    try:
        with transaction.atomic():
            return Slot.objects.bulk_create(slots)
    except IntegrityError as error:
        raise ConversationError(
            _("%(name)s heeft in deze tijd al gesprekken.") % {"name": staff.get_full_name()}
        ) from error


@transaction.atomic
def invite_families(*, round: Round, by: User, groups: Iterable[Group] | None = None) -> int:
    """A conversation "to plan" for every pupil of the round's school year, and an invitation for
    every household that has a right to be informed (both households of separated parents).
    With ``groups``, only their pupils: a school may start kindgesprekken in its upper groups.
    Running it again adds only what is new. Returns the number of new invitations."""
    _require_planner(round, by)
    enrolments = Enrolment.objects.filter(
        group__school=round.school, school_year=round.school_year, pupil__left_on__isnull=True
    ).select_related("pupil")
    if groups is not None:
        enrolments = enrolments.filter(group__in=groups)
    existing = set(StartConversation.objects.filter(round=round).values_list("pupil_id", flat=True))
    school_data_changed(schools=[round.school_id])  # bulk_create sends no signals
    StartConversation.objects.bulk_create(
        StartConversation(
            round=round, pupil_id=e.pupil_id, school_year=round.school_year, group_id=e.group_id
        )
        for e in enrolments
        if e.pupil_id not in existing
    )
    links = (
        PupilGuardian.objects.filter(
            pupil__in=[e.pupil_id for e in enrolments],
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        )
        .select_related("guardian")
        .order_by("-has_parental_authority", "guardian_id")
    )
    language_by_family = {}
    for link in links:
        language_by_family.setdefault(link.guardian.family_id, link.guardian.language)
    invited = set(Invitation.objects.filter(round=round).values_list("family_id", flat=True))
    new = [
        Invitation(round=round, family_id=family_id, language=language)
        for family_id, language in language_by_family.items()
        if family_id not in invited
    ]
    Invitation.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def open_round(*, round: Round, by: User, booking_opens_on: datetime.date | None = None) -> Round:
    """Parents can book from ``booking_opens_on`` (today by default)."""
    _require_planner(round, by)
    round.opened_at = timezone.now()
    round.closed_at = None
    round.booking_opens_on = booking_opens_on or timezone.localdate()
    round.save(update_fields=["opened_at", "closed_at", "booking_opens_on"])
    return round


@transaction.atomic
def close_round(*, round: Round, by: User) -> Round:
    """Parents can no longer book and the reminders of the round stop; opening it again is
    possible. Booked conversations stay as they are."""
    _require_planner(round, by)
    if not round.is_open:
        raise ConversationError(_("Deze ronde is niet open."))
    round.closed_at = timezone.now()
    round.save(update_fields=["closed_at"])
    return round


@transaction.atomic
def remove_slot(*, slot: Slot, by: User) -> None:
    """Take back a time nobody booked: the staff member's own, or any of the round's for its
    planner."""
    slot = Slot.objects.select_for_update().select_related("round").get(pk=slot.pk)
    if slot.staff_id != by.pk and not slot.round.may_plan(by):
        raise ConversationError(
            _("Alleen wie dit tijdstip aanbiedt of de ronde plant, haalt het weg.")
        )
    if Booking.objects.filter(slot=slot).exists():
        raise ConversationError(
            _("Op dit tijdstip is al geboekt. Verzet of annuleer eerst dat gesprek.")
        )
    slot.delete()


def _guardian_may_book(
    user: User, conversation: StartConversation, family: Family, round_: Round
) -> bool:
    """The guardian belongs to ``family``, sees the child, and has parental authority unless the
    round lets guardians without it book too."""
    link = (
        PupilGuardian.objects.filter(
            pupil=conversation.pupil, guardian__user=user, guardian__family=family
        )
        .select_related("guardian")
        .first()
    )
    if link is None or not link.sees_child:
        return False
    return link.has_parental_authority or round_.without_authority_may_book


def _check_may_book(
    *, conversation: StartConversation, family: Family, by: User, today: datetime.date
) -> bool:
    round_ = conversation.round
    if permissions.reads_names(by, round_.school_id):
        if not StartConversation.objects.visible_to(by).filter(pk=conversation.pk).exists():
            raise ConversationError(_("Dit kind hoort niet bij uw groepen."))
        return True
    if not _guardian_may_book(by, conversation, family, round_):
        raise ConversationError(_("U kunt alleen een gesprek boeken voor uw eigen kind."))
    if round_.closed_at is not None:
        raise ConversationError(
            _(
                "De inschrijving voor de startgesprekken is gesloten. Bel de school als u nog "
                "een gesprek wilt."
            )
        )
    if not round_.is_open:
        raise ConversationError(_("U kunt nog niet boeken."))
    children = StartConversation.objects.filter(
        round=round_, pupil__guardian_links__guardian__family=family
    ).distinct()
    opens = round_.opens_for(children.count())
    if opens is None or today < opens:
        raise ConversationError(_("U kunt nog niet boeken."))
    return False


def _book_one(
    *, slot: Slot, conversation: StartConversation, family: Family, by: User, now: datetime.datetime
) -> Booking:
    # The slot row is locked: a second booking of the same slot waits here, then finds it taken.
    slot = Slot.objects.select_for_update().select_related("round").get(pk=slot.pk)
    conversation = StartConversation.objects.select_for_update().get(pk=conversation.pk)
    if slot.round_id != conversation.round_id:
        raise ConversationError(_("Dit tijdstip hoort bij een andere ronde."))
    if slot.starts_at <= now:
        raise ConversationError(_("Dit tijdstip is al voorbij."))
    if not slot.round.contains(slot.starts_at):
        raise ConversationError(_("Dit tijdstip valt buiten de periode van de startgesprekken."))
    if Booking.objects.filter(slot=slot).exists():
        raise ConversationError(
            _("Dit tijdstip is net door iemand anders gekozen. Kies een ander.")
        )
    if conversation.status == ConversationStatus.HELD:
        raise ConversationError(_("Het startgesprek van dit kind is al gehouden."))
    open_bookings = conversation.bookings.filter(status=BookingStatus.BOOKED)
    if not slot.round.households_book_separately:
        if open_bookings.exists():
            raise ConversationError(_("Voor dit kind is al een gesprek gepland."))
    elif open_bookings.filter(family=family).exists():
        raise ConversationError(_("Uw gezin heeft voor dit kind al een gesprek gepland."))
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, conversation=conversation, family=family, booked_by=by
            )
    except IntegrityError as error:
        raise ConversationError(
            _("Dit tijdstip is net door iemand anders gekozen. Kies een ander.")
        ) from error
    conversation.status = ConversationStatus.BOOKED
    conversation.save(update_fields=["status"])
    Invitation.objects.filter(round=slot.round, family=family).update(
        status=InvitationStatus.BOOKED
    )
    return booking


ONE_LOCK_PER_CHILD = [
    {"model": "conversations.Slot", "field": "get()"},
    {"model": "conversations.StartConversation", "field": "get()"},
]


@transaction.atomic
def book_slots(
    *, choices: Sequence[tuple[Slot, StartConversation]], family: Family, by: User
) -> list[Booking]:
    """Book ``choices`` — a list of (slot, conversation) pairs, one per child — for ``family`` in
    one step: all of them or none. Siblings choose adjacent slots with their different teachers
    this way. First come, first served."""
    if not choices:
        raise ConversationError(_("Kies een tijdstip."))
    now = timezone.now()
    slot_ids = [slot.pk for slot, _conv in choices]
    if len(set(slot_ids)) != len(slot_ids):
        raise ConversationError(_("Kies voor elk kind een ander tijdstip."))
    bookings = []
    # Lock in a fixed order so that two families booking overlapping sets cannot deadlock.
    for slot, conversation in sorted(choices, key=lambda pair: pair[0].pk):
        by_staff = _check_may_book(
            conversation=conversation, family=family, by=by, today=timezone.localdate()
        )
        # Each slot and conversation row is locked and read again on its own: a read per child
        # is what keeps a sibling's booking from taking a slot that was just given away.
        with zeal_ignore(ONE_LOCK_PER_CHILD):
            booking = _book_one(slot=slot, conversation=conversation, family=family, by=by, now=now)
        if by_staff:
            booking.by_staff = True
            booking.save(update_fields=["by_staff"])
        bookings.append(booking)
    return bookings


def book_slot(*, slot: Slot, conversation: StartConversation, family: Family, by: User) -> Booking:
    """Book one slot for one child (a guardian in the portal, or staff after a phone call)."""
    return book_slots(choices=[(slot, conversation)], family=family, by=by)[0]


def _require_staff_of(booking: Booking, user: User) -> None:
    if not Booking.objects.filter(pk=booking.pk).visible_to(user).exists() or not (
        permissions.is_staff_member(user)
    ):
        raise ConversationError(_("Deze afspraak hoort niet bij uw leerlingen."))


@transaction.atomic
def move_booking(*, booking: Booking, slot: Slot, by: User) -> Booking:
    """Staff move a booking to another free slot of the round; the family is told."""
    _require_staff_of(booking, by)
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    _require_open(booking)
    target = Slot.objects.select_for_update().get(pk=slot.pk)
    if target.round_id != booking.slot.round_id:
        raise ConversationError(_("Dit tijdstip hoort bij een andere ronde."))
    if target.starts_at <= timezone.now():
        raise ConversationError(_("Dit tijdstip is al voorbij."))
    if Booking.objects.filter(slot=target).exists():
        raise ConversationError(_("Dit tijdstip is al bezet. Kies een ander."))
    old_slot = booking.slot
    booking.slot = target
    booking.save(update_fields=["slot"])
    notifications.tell_family_about_change(booking=booking, old_slot=old_slot, cancelled=False)
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, by: User) -> None:
    """Staff cancel a booking: the slot is free again, the child back to "to plan", the family
    is told."""
    _require_staff_of(booking, by)
    booking = (
        Booking.objects.select_for_update()
        .select_related("slot", "conversation")
        .get(pk=booking.pk)
    )
    _require_open(booking)
    _reopen(booking)
    notifications.tell_family_about_change(booking=booking, old_slot=booking.slot, cancelled=True)
    booking.delete()


def _require_open(booking: Booking) -> None:
    """Only a booking that still stands can be moved, cancelled or marked as a no-show."""
    if booking.status != BookingStatus.BOOKED or booking.conversation.is_held:
        raise ConversationError(_("Deze afspraak is al afgehandeld."))


def _reopen(booking: Booking) -> None:
    conversation = booking.conversation
    others = conversation.bookings.filter(status=BookingStatus.BOOKED).exclude(pk=booking.pk)
    if conversation.status == ConversationStatus.BOOKED and not others.exists():
        conversation.status = ConversationStatus.TO_PLAN
        conversation.save(update_fields=["status"])
    Invitation.objects.filter(round=conversation.round, family=booking.family).update(
        status=InvitationStatus.INVITED
    )


@transaction.atomic
def mark_no_show(*, booking: Booking, by: User) -> Booking:
    """The family did not come: the booking stays as a record, the family is "to plan" again."""
    _require_staff_of(booking, by)
    booking = (
        Booking.objects.select_for_update()
        .select_related("slot", "conversation")
        .get(pk=booking.pk)
    )
    if booking.slot.starts_at > timezone.now():
        raise ConversationError(_("Dit gesprek is nog niet begonnen."))
    _require_open(booking)
    booking.status = BookingStatus.NO_SHOW
    booking.save(update_fields=["status"])
    _reopen(booking)
    return booking


@transaction.atomic
def ask_other_time(
    *,
    invitation: Invitation,
    by: User,
    wish: str = "",
    home_visit: bool = False,
    interpreter_language: str = "",
) -> Invitation:
    """The household asks for another moment or a home visit, or for an interpreter."""
    if not Invitation.objects.filter(pk=invitation.pk, family__guardians__user=by).exists():
        raise ConversationError(_("Deze uitnodiging is niet voor u."))
    if not (wish.strip() or home_visit or interpreter_language):
        raise ConversationError(_("Schrijf op wat u wilt."))
    invitation.wish = wish.strip()
    invitation.wants_home_visit = home_visit
    invitation.interpreter_language = interpreter_language
    fields = ["wish", "wants_home_visit", "interpreter_language"]
    if (wish.strip() or home_visit) and invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.OTHER_TIME
        fields.append("status")
    invitation.save(update_fields=fields)
    return invitation


def _require_may_log(conversation: StartConversation, user: User) -> None:
    if not (
        permissions.is_staff_member(user)
        and StartConversation.objects.visible_to(user).filter(pk=conversation.pk).exists()
    ):
        raise ConversationError(_("Dit gesprek hoort niet bij uw leerlingen."))
    if conversation.is_held:
        raise ConversationError(_("Dit startgesprek is al afgerond."))


@transaction.atomic
def save_draft(
    *,
    conversation: StartConversation,
    by: User,
    values: dict[str, Any],
    guardians: Iterable[Guardian] | None = None,
) -> StartConversation:
    """Keep what was typed so far. The home situation is only written by who may read it."""
    conversation = StartConversation.objects.select_for_update().get(pk=conversation.pk)
    _require_may_log(conversation, by)
    for name in LOG_FIELDS:
        if name == "home_situation" and not conversation.shows_home_situation_to(by):
            continue
        if name in values:
            setattr(conversation, name, values[name])
    if conversation.child_present is not False:
        conversation.child_absent_reason = ""
    conversation.draft_saved_at = timezone.now()
    conversation.save()
    if guardians is not None:
        conversation.guardians_present.set(guardians)
    return conversation


@transaction.atomic
def add_agreement(
    *,
    conversation: StartConversation,
    by: User,
    what: str,
    channel: str,
    responsible: User,
    with_child: bool = True,
    schedule: str = Schedule.ONCE,
    due_on: datetime.date | None = None,
    interval_weeks: int | None = None,
) -> ConversationAgreement:
    """Add an agreement to the log, with when in the plan's terms: a date for "once", a number of
    weeks for "every_n_weeks", else the schedule alone. It reaches the plan on completion."""
    conversation = StartConversation.objects.select_for_update().get(pk=conversation.pk)
    _require_may_log(conversation, by)
    if not what.strip():
        raise ConversationError(_("Schrijf op wat u afspreekt."))
    if schedule not in Schedule.values:
        raise ConversationError(_("Kies wanneer."))
    if schedule == Schedule.ONCE and due_on is None:
        raise ConversationError(_("Kies een datum voor deze afspraak."))
    if schedule == Schedule.ONCE and due_on < timezone.localdate():
        raise ConversationError(
            _(
                "Deze datum is al voorbij. Een afspraak gaat over later: kies een datum die nog komt."
            )
        )
    if schedule == Schedule.EVERY_N_WEEKS and not interval_weeks:
        raise ConversationError(_("Vul in om de hoeveel weken."))
    return ConversationAgreement.objects.create(
        conversation=conversation,
        what=what.strip(),
        channel=channel,
        with_child=with_child,
        responsible=responsible,
        schedule=schedule,
        due_on=due_on if schedule == Schedule.ONCE else None,
        interval_weeks=interval_weeks if schedule == Schedule.EVERY_N_WEEKS else None,
    )


@transaction.atomic
def remove_agreement(*, agreement: ConversationAgreement, by: User) -> None:
    _require_may_log(agreement.conversation, by)
    agreement.delete()


@transaction.atomic
def complete_conversation(
    *, conversation: StartConversation, by: User, held_at: datetime.datetime | None = None
) -> StartConversation:
    """Close the log: the conversation was held. Needs who was there, whether the child was
    there (and why not), and at least one agreement. ``held_at`` defaults to the booked slot's
    start (or now, for a conversation held without a booking)."""
    conversation = (
        StartConversation.objects.select_for_update()
        .select_related("round")
        .get(pk=conversation.pk)
    )
    _require_may_log(conversation, by)
    problems = []
    if conversation.child_present is None:
        problems.append(_("Vul in of het kind erbij was."))
    elif conversation.child_present is False and conversation.round.is_pupil_led:
        problems.append(
            _(
                "In een kindgesprek vertelt het kind zelf. Plan een nieuw gesprek met het kind erbij."
            )
        )
    elif conversation.child_present is False and not conversation.child_absent_reason.strip():
        problems.append(_("Schrijf op waarom het kind er niet bij was."))
    if not conversation.guardians_present.exists():
        problems.append(_("Kies welke ouders erbij waren."))
    if not conversation.agreements.exists():
        problems.append(_("Maak minstens één afspraak voordat u het gesprek afrondt."))
    if problems:
        raise ConversationError(" ".join(problems))
    booking = (
        conversation.bookings.filter(status=BookingStatus.BOOKED).select_related("slot").first()
    )
    # A conversation is held after it starts: a log completed beforehand would count on the
    # dashboard as held while the family has not been there yet.
    if booking and booking.slot.starts_at > timezone.now():
        raise ConversationError(
            _(
                "Dit gesprek begint pas op %(when)s. U kunt het verslag al invullen; afronden "
                "kan als het gesprek begonnen is."
            )
            % {"when": date_format(timezone.localtime(booking.slot.starts_at), "l j E H:i")}
        )
    conversation.status = ConversationStatus.HELD
    conversation.held_at = held_at or (booking.slot.starts_at if booking else timezone.now())
    conversation.conducted_by = by
    conversation.save(update_fields=["status", "held_at", "conducted_by"])
    refresh_reach(
        families=PupilGuardian.objects.filter(pupil=conversation.pupil_id).values(
            "guardian__family"
        )
    )
    _hand_over_to_plans(conversation, by)
    return conversation


# The conversation asks "liefst contact via" in the guardian's channels; the plan speaks of
# contact channels. SMS has no plan channel of its own, so it is left out rather than guessed.
PLAN_CHANNELS = {
    Channel.EMAIL: ContactChannel.EMAIL,
    Channel.PHONE: ContactChannel.PHONE,
    Channel.WHATSAPP: ContactChannel.WHATSAPP,
    Channel.LETTER: ContactChannel.LETTER,
    Channel.IN_PERSON: ContactChannel.SCHOOL_VISIT,
}


def _plan_channels(channels: Iterable[str]) -> list[str] | None:
    mapped = [PLAN_CHANNELS[c] for c in channels if c in PLAN_CHANNELS]
    return list(dict.fromkeys(mapped)) or None


def _hand_over_to_plans(conversation: StartConversation, by: User) -> None:
    """Every household with a guardian at the conversation gets the agreements about this child
    in its communication plan: both households of separated parents are informed alike.

    ``parents.services.agree_plan`` is idempotent on (child, what), so completing again after an
    edit updates the plan instead of doubling it. A PlanError becomes a ConversationError, and
    since this runs inside ``complete_conversation``'s transaction, nothing is saved then."""
    agreements = [
        {
            "what": a.what,
            "pupil": conversation.pupil,
            "channel": a.channel,
            "with_child": a.with_child,
            "responsible": a.responsible,
            "schedule": a.schedule,
            "on_date": a.due_on,
            "interval_weeks": a.interval_weeks,
        }
        for a in conversation.agreements.select_related("responsible")
    ]
    present = list(conversation.guardians_present.all())
    families = Family.objects.filter(pk__in={g.family_id for g in present})
    interpreter = conversation.interpreter_language
    # One interpreter language is recorded per conversation. With separated parents it belongs to
    # the household whose guardian speaks it; only when nobody present has it on record can we
    # not tell, and every household gets it.
    speakers = {g.family_id for g in present if interpreter and g.language == interpreter}
    with_contact_person = set(
        CommunicationPlan.objects.filter(
            family__in=families,
            school_year=conversation.school_year,
            contact_person__isnull=False,
        ).values_list("family_id", flat=True)
    )
    for family in families.order_by("pk"):
        needs_interpreter = bool(interpreter) and (not speakers or family.pk in speakers)
        try:
            agree_plan(
                family=family,
                school_year=conversation.school_year,
                agreed_on=timezone.localdate(conversation.held_at),
                by=by,
                agreements=agreements,
                language=interpreter if needs_interpreter else None,
                needs_interpreter=True if needs_interpreter else None,
                preferred_channels=_plan_channels(conversation.preferred_channels),
                contact_person=None if family.pk in with_contact_person else by,
            )
        except PlanError as error:
            raise ConversationError(
                _("Het gesprek is nog niet afgerond. Communicatieplan van %(family)s: %(reason)s")
                % {"family": family.name, "reason": error}
            ) from error


@transaction.atomic
def mark_not_reached(*, conversation: StartConversation, by: User) -> StartConversation:
    """Staff tried and could not reach the family this round."""
    conversation = StartConversation.objects.select_for_update().get(pk=conversation.pk)
    _require_may_log(conversation, by)
    if conversation.bookings.filter(status=BookingStatus.BOOKED).exists():
        raise ConversationError(
            _("Er staat nog een gesprek gepland. Annuleer dat eerst, of houd het gesprek.")
        )
    conversation.status = ConversationStatus.NOT_REACHED
    conversation.save(update_fields=["status"])
    return conversation
