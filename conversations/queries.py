"""What the pages of the start conversations read. Each function runs a fixed number of queries,
whatever the number of pupils."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from conversations.models import (
    Assignment,
    Booking,
    BookingStatus,
    ConversationAgreement,
    ConversationStatus,
    Invitation,
    InvitationStatus,
    Round,
    RoundKind,
    Slot,
    StartConversation,
)
from parents.models import PupilGuardian
from schools import permissions
from schools.models import Group

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from conversations.models import Assignment, Round
    from parents.models import Family
    from schools.models import School


def unbooked_invitations(round: Round) -> QuerySet[Invitation]:
    """Invitations of households that still have a child to book for (for the invitation
    reminders): not when the other household already booked the shared conversation, unless the
    round lets each household book its own."""
    child_of_family = StartConversation.objects.filter(
        round=OuterRef("round"), pupil__guardian_links__guardian__family=OuterRef("family")
    )
    wanted = Exists(child_of_family.filter(status=ConversationStatus.TO_PLAN))
    if round.households_book_separately:
        own_booking = Booking.objects.filter(
            conversation=OuterRef("pk"),
            status=BookingStatus.BOOKED,
            family=OuterRef(OuterRef("family")),
        )
        wanted |= Exists(
            child_of_family.filter(status=ConversationStatus.BOOKED).filter(~Exists(own_booking))
        )
    return (
        # A household that asked for another moment waits for the school, not for a reminder.
        Invitation.objects.filter(round=round)
        .exclude(status=InvitationStatus.OTHER_TIME)
        .filter(wanted)
        .select_related("family")
        .order_by("pk")
    )


def conversations_to_plan(round: Round) -> QuerySet[StartConversation]:
    """Conversations without a booking or log while the window runs (for the staff reminders)."""
    return StartConversation.objects.filter(round=round, status=ConversationStatus.TO_PLAN)


def progress_by_group(round: Round, user: User) -> list[dict[str, Any]]:
    """Per group the user may see: pupils invited / booked / held / not reached, and held inside
    the window. One query."""
    conversations = StartConversation.objects.visible_to(user).filter(round=round)
    in_window = Q(
        status=ConversationStatus.HELD,
        held_at__date__gte=round.window_start,
        held_at__date__lte=round.window_end,
    )
    rows = (
        conversations.values("group_id", "group__name", "group__lowest_grade")
        .annotate(
            invited=Count("pk"),
            to_plan=Count("pk", filter=Q(status=ConversationStatus.TO_PLAN)),
            booked=Count("pk", filter=Q(status=ConversationStatus.BOOKED)),
            held=Count("pk", filter=Q(status=ConversationStatus.HELD)),
            not_reached=Count("pk", filter=Q(status=ConversationStatus.NOT_REACHED)),
            in_window=Count("pk", filter=in_window),
        )
        .order_by("group__lowest_grade", "group__name")
    )
    return list(rows)


def open_pupil_led_progress(
    user: User, school: School, today: datetime.date
) -> dict[str, Any] | None:
    """The first open pupil-led round of ``school`` this school year in which ``user`` sees
    children: its ``round_id`` and ``number``, and how many of those children are ``invited``,
    still ``to_plan``, booked and so still ``to_hold``, and ``held``. None when there is no such
    round. One query."""
    return (
        StartConversation.objects.visible_to(user)
        .filter(
            round__school=school,
            round__kind=RoundKind.PUPIL_LED,
            round__opened_at__isnull=False,
            round__closed_at__isnull=True,
            round__school_year__start__lte=today,
            round__school_year__end__gte=today,
        )
        .values("round_id", "round__number")
        .annotate(
            invited=Count("pk"),
            to_plan=Count("pk", filter=Q(status=ConversationStatus.TO_PLAN)),
            to_hold=Count("pk", filter=Q(status=ConversationStatus.BOOKED)),
            held=Count("pk", filter=Q(status=ConversationStatus.HELD)),
        )
        .order_by("round__number")
        .first()
    )


def totals(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    keys = ("invited", "to_plan", "booked", "held", "not_reached", "in_window")
    return {key: sum(row[key] for row in rows) for key in keys}


def conversations_of_group(round: Round, group: Group, user: User) -> QuerySet[StartConversation]:
    """The pupils of one group in the round with their open booking, the interpreter language a
    household asked for, and a household's wish for another moment; two queries."""
    return (
        StartConversation.objects.visible_to(user)
        .filter(round=round, group=group)
        .select_related("pupil")
        .annotate(
            interpreter=Subquery(
                Invitation.objects.filter(
                    round=OuterRef("round"),
                    family__guardians__pupil_links__pupil=OuterRef("pupil"),
                )
                .exclude(interpreter_language="")
                .values("interpreter_language")[:1]
            ),
            wish=Subquery(
                Invitation.objects.filter(
                    round=OuterRef("round"),
                    family__guardians__pupil_links__pupil=OuterRef("pupil"),
                    status=InvitationStatus.OTHER_TIME,
                ).values("wish")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status=BookingStatus.BOOKED).select_related(
                    "slot__staff", "family"
                ),
                to_attr="open_bookings",
            )
        )
    )


def free_slots(round: Round, after: datetime.datetime | None = None) -> QuerySet[Slot]:
    after = after or timezone.now()
    return (
        Slot.objects.filter(round=round, starts_at__gt=after)
        .free()
        .select_related("staff")
        .order_by("starts_at", "staff__last_name")
    )


def families_of(conversation: StartConversation) -> list[Family]:
    """The households that may book for this child (both households of separated parents)."""
    links = PupilGuardian.objects.filter(
        pupil_id=conversation.pupil_id, access_blocked_reason=""
    ).select_related("guardian__family")
    return sorted({link.guardian.family for link in links}, key=lambda f: f.name)


def to_plan_with_siblings(conversation: StartConversation, user: User) -> list[StartConversation]:
    """The conversation, then those of its siblings in the same round that are still to plan
    (children of the same households whom ``user`` sees), for booking them adjacent by phone."""
    families = PupilGuardian.objects.filter(
        pupil_id=conversation.pupil_id, access_blocked_reason=""
    ).values("guardian__family_id")
    siblings = (
        StartConversation.objects.visible_to(user)
        .filter(
            round=conversation.round_id,
            status=ConversationStatus.TO_PLAN,
            pupil__guardian_links__guardian__family__in=families,
        )
        .exclude(pk=conversation.pk)
        .select_related("pupil", "round")
        .distinct()
        .order_by("pupil__first_name", "pk")
    )
    return [conversation, *siblings]


def conversations_this_week(user: User, day: datetime.date | None = None) -> QuerySet[Booking]:
    """The bookings where ``user`` holds the conversation, Monday to Sunday of ``day``'s week."""
    day = day or timezone.localdate()
    monday = day - datetime.timedelta(days=day.weekday())
    return bookings_between(user, monday, monday + datetime.timedelta(days=7))


def bookings_between(
    staff: User, first_day: datetime.date, end_day: datetime.date
) -> QuerySet[Booking]:
    tz = timezone.get_current_timezone()
    return (
        Booking.objects.filter(
            slot__staff=staff,
            slot__starts_at__gte=datetime.datetime.combine(first_day, datetime.time(), tzinfo=tz),
            slot__starts_at__lt=datetime.datetime.combine(end_day, datetime.time(), tzinfo=tz),
        )
        .select_related(
            "slot",
            "conversation__pupil",
            "conversation__group",
            "conversation__round__school",
            "family",
        )
        .order_by("slot__starts_at")
    )


def day_schedule(staff: User, round: Round, day: datetime.date) -> QuerySet[Slot]:
    """Every slot of ``staff`` on ``day`` in the round, with its booking if any."""
    return (
        Slot.objects.filter(round=round, staff=staff, starts_at__date=day)
        .select_related("booking__conversation__pupil", "booking__family")
        .order_by("starts_at")
    )


def previous_conversation(conversation: StartConversation) -> StartConversation | None:
    """The pupil's last held conversation of the same kind before this one, with its agreements,
    or None: for a start conversation last year's; for a pupil-led one the round before, earlier
    this year or last year (what the child wanted to learn then is what the teacher asks about
    now). Two queries."""
    round_ = conversation.round
    earlier = Q(school_year__start__lt=conversation.school_year.start)
    if round_.is_pupil_led:
        earlier |= Q(school_year_id=conversation.school_year_id, round__number__lt=round_.number)
    return (
        StartConversation.objects.filter(
            earlier,
            pupil_id=conversation.pupil_id,
            round__kind=round_.kind,
            status=ConversationStatus.HELD,
        )
        .select_related("school_year", "conducted_by", "round__school_year")
        .prefetch_related("agreements")
        .order_by("-school_year__start", "-round__number")
        .first()
    )


def portal_conversations(user: User) -> list[StartConversation]:
    """For a guardian: their visible children's conversations in open rounds. Each carries
    ``own_bookings`` (this household's), ``other_bookings`` (the other household's, where the
    child of separated parents has one conversation for both), ``may_book`` (parental authority,
    or the round lets guardians without it book), ``opens_on`` (with the head start for families
    with several children) and ``bookable``. Four queries."""
    links = list(
        PupilGuardian.objects.filter(guardian__user=user).values_list(
            "pupil_id", "has_parental_authority", "guardian__family_id"
        )
    )
    authority = {pupil_id: has_authority for pupil_id, has_authority, _f in links}
    family_ids = {family_id for _p, _a, family_id in links}
    conversations = list(
        StartConversation.objects.visible_to(user)
        .filter(round__opened_at__isnull=False, round__closed_at__isnull=True)
        .select_related("pupil", "group", "round__school")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status=BookingStatus.BOOKED).select_related(
                    "slot__staff"
                ),
                to_attr="open_bookings",
            )
        )
        .order_by("pupil__date_of_birth")
    )
    children_by_round = defaultdict(int)
    for conversation in conversations:
        children_by_round[conversation.round_id] += 1
    today = timezone.localdate()
    for c in conversations:
        c.own_bookings = [b for b in c.open_bookings if b.family_id in family_ids]
        c.other_bookings = [b for b in c.open_bookings if b.family_id not in family_ids]
        c.may_book = authority.get(c.pupil_id, False) or c.round.without_authority_may_book
        c.opens_on = c.round.opens_for(children_by_round[c.round_id])
        covered = c.own_bookings or (c.other_bookings and not c.round.households_book_separately)
        c.bookable = bool(
            c.may_book
            and not covered
            and not c.is_held
            and c.opens_on is not None
            and c.opens_on <= today
        )
    return conversations


def rounds_of_school(school: School) -> QuerySet[Round]:
    # The start round first, then the pupil-led rounds in the order of the year.
    return (
        Round.objects.filter(school=school)
        .select_related("school_year")
        .order_by("-school_year__start", "-kind", "number")
    )


def assignments(round: Round) -> QuerySet[Assignment]:
    return round.assignments.select_related("group", "staff").order_by(
        "group__lowest_grade", "group__name", "joins"
    )


def slot_days(round: Round, user: User) -> list[dict[str, Any]]:
    """Per day of the round: the slots offered and booked (all staff for planners, else own)."""
    slots = Slot.objects.filter(round=round)
    if not round.may_plan(user):
        slots = slots.filter(staff=user)
    return list(
        slots.annotate(day=TruncDate("starts_at"))
        .values("day")
        .annotate(offered=Count("pk"), booked=Count("booking"))
        .order_by("day")
    )


def staff_of_round_school(round: Round) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(memberships__school=round.school_id)
        .distinct()
        .order_by("first_name", "last_name")
    )


def invitations_of(conversation: StartConversation) -> QuerySet[Invitation]:
    """The invitations of the child's households, with their wishes (interpreter, other time)."""
    return Invitation.objects.filter(
        round=conversation.round_id,
        family__guardians__pupil_links__pupil=conversation.pupil_id,
    ).distinct()


def portal_invitations(user: User) -> QuerySet[Invitation]:
    """Invitations of the guardian's household in open rounds where they see a child."""
    return (
        Invitation.objects.filter(
            family__guardians__user=user,
            round__opened_at__isnull=False,
            round__closed_at__isnull=True,
            round__conversations__pupil__in=permissions.visible_pupil_ids(user),
        )
        .select_related("round__school")
        .distinct()
    )


def portal_slot_options(conversations: Sequence[StartConversation]) -> dict[int, dict[int, Slot]]:
    """For each conversation: {slot pk: slot} of the free future slots of the staff who hold the
    conversations of the child's group (the group's teachers when nobody was assigned).
    Three queries, whatever the number of children."""
    if not conversations:
        return {}
    round_ids = {c.round_id for c in conversations}
    group_ids = {c.group_id for c in conversations}
    staff_by_group = defaultdict(set)
    # Who joins "where needed" is not offered to parents: they join a booked conversation.
    for group_id, staff_id in Assignment.objects.filter(
        round__in=round_ids, group__in=group_ids, joins=False
    ).values_list("group_id", "staff_id"):
        staff_by_group[group_id].add(staff_id)
    for group_id, staff_id in Group.teachers.through.objects.filter(
        group__in=[g for g in group_ids if g not in staff_by_group]
    ).values_list("group_id", "user_id"):
        staff_by_group[group_id].add(staff_id)
    slots = list(
        Slot.objects.filter(round__in=round_ids, starts_at__gt=timezone.now())
        .free()
        .select_related("staff")
        .order_by("starts_at")
    )
    return {
        c.pk: {
            s.pk: s
            for s in slots
            if s.round_id == c.round_id and s.staff_id in staff_by_group[c.group_id]
        }
        for c in conversations
    }


def sibling_suggestions(
    conversations: Sequence[StartConversation], options: dict[int, dict[int, Slot]], limit: int = 5
) -> list[list[tuple[StartConversation, Slot]]]:
    """For a household with several children to book: per round (start conversations and
    pupil-led ones may be open at once), runs of free slots, one per child, each starting as the
    previous one ends (the round's pause allowed), with each child's own teacher. Returns up to
    ``limit`` lists of (conversation, slot) per round, earliest first."""
    by_round = defaultdict(list)
    for conversation in conversations:
        by_round[conversation.round_id].append(conversation)
    # The start conversations' runs first: the pupil-led round is the later one of the year.
    rounds = sorted(by_round.values(), key=lambda children: children[0].round.is_pupil_led)
    return [run for children in rounds for run in _runs(children, options, limit)]


def _runs(
    conversations: Sequence[StartConversation], options: dict[int, dict[int, Slot]], limit: int
) -> list[list[tuple[StartConversation, Slot]]]:
    if len(conversations) < 2:
        return []
    pause = datetime.timedelta(minutes=conversations[0].round.pause_minutes)
    by_start = [
        {slot.starts_at: slot for slot in options.get(c.pk, {}).values()} for c in conversations
    ]
    runs = []
    per_day = defaultdict(int)
    for first in sorted(options.get(conversations[0].pk, {}).values(), key=lambda s: s.starts_at):
        run = [(conversations[0], first)]
        for conversation, starts in zip(conversations[1:], by_start[1:], strict=True):
            previous = run[-1][1]
            following = starts.get(previous.ends_at) or starts.get(previous.ends_at + pause)
            if following is None:
                break
            run.append((conversation, following))
        day = timezone.localtime(first.starts_at).date()
        if len(run) == len(conversations) and per_day[day] < 2:
            # At most two runs a day, so that a parent who cannot come that day has a choice.
            per_day[day] += 1
            runs.append(run)
            if len(runs) == limit:
                break
    return runs


def reach_rows(families: Iterable[Any]) -> QuerySet[StartConversation, tuple[Any, ...]]:
    """Held start conversations reach every family of the child, at the child's school (a source
    of ``parents.reach``): (family id, school id, school year id) rows."""
    return (
        StartConversation.objects.filter(
            status=ConversationStatus.HELD,
            pupil__guardian_links__guardian__family__in=families,
        )
        .values_list("pupil__guardian_links__guardian__family", "pupil__school", "school_year")
        .distinct()
        .order_by()
    )


def agreement_days() -> dict[int, datetime.date]:
    """{id of a plan's agreement: the day it was made} for the agreements that came from a held
    start conversation (the day it was held). Agreements made elsewhere have no recorded day."""
    from parents.models import Agreement

    held = {}
    for what, pupil_id, year_id, held_at in ConversationAgreement.objects.filter(
        conversation__status=ConversationStatus.HELD, conversation__held_at__isnull=False
    ).values_list(
        "what", "conversation__pupil_id", "conversation__school_year_id", "conversation__held_at"
    ):
        key = (pupil_id, year_id, what)
        day = timezone.localdate(held_at)
        held[key] = min(day, held.get(key, day))
    agreements = Agreement.objects.filter(pupil_id__in={k[0] for k in held}).values_list(
        "pk", "pupil_id", "plan__school_year_id", "what"
    )
    return {
        pk: held[(pupil_id, year_id, what)]
        for pk, pupil_id, year_id, what in agreements
        if (pupil_id, year_id, what) in held
    }
