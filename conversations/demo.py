"""Demo step: a start-conversation round at "Basisschool De Regenboog" under way today.

The window runs from a week ago to two weeks ahead. The demo teacher holds group 5's conversations
(the IB'er joins some of them); the teachers of groups 3 and 6 offer time too. Past slots were
booked and mostly held (a few logged with agreements, one no-show); some future slots are booked,
the rest open. Completing a logged conversation hands its agreement to the family's plan, so this
step runs after the communication plans (whose step adds nothing once a plan exists). Samira
Bouzid's two children are not booked, so ouder@demo.test can book them.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from conversations import pupil_led, services
from conversations.models import Booking, Round, RoundKind, Slot, StartConversation
from schools.calendar import SchoolCalendar
from schools.models import Group, Role, School, SchoolYear, StaffMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parents.models import Family

SCHOOL_NAME = "Basisschool De Regenboog"
EXTRA_TEACHERS = [
    # e-mail, first name, last name, group
    ("groep3@demo.test", "Fleur", "Koster", "3"),
    ("groep6@demo.test", "Rachid", "Amrani", "6"),
]
SEED = 20260831
GUARDIAN_EMAIL = "ouder@demo.test"  # Samira Bouzid books her two children herself
DEMO_PASSWORD = "schouder-demo"  # the same as the other demo accounts


def seed_start_conversations(stdout=None):
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None:
        return
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    if Round.objects.filter(school=school, school_year=year, kind=RoundKind.START).exists():
        return
    User = get_user_model()
    ib = User.objects.get(email="ib@demo.test")
    teacher = User.objects.get(email="leerkracht@demo.test")
    with transaction.atomic():
        round_ = Round.objects.create(
            school=school,
            school_year=year,
            window_start=today - datetime.timedelta(days=7),
            window_end=today + datetime.timedelta(days=14),
            modes=["school", "home_visit", "phone", "video"],
            created_by=ib,
        )
        group5 = Group.objects.get(school=school, school_year=year, name="5")
        services.assign_staff(round=round_, group=group5, staff=teacher, by=ib)
        services.assign_staff(round=round_, group=group5, staff=ib, by=ib, joins=True)
        holders = {"5": teacher}
        for email, first_name, last_name, group_name in EXTRA_TEACHERS:
            holders[group_name] = _teacher(
                User, school, year, email, first_name, last_name, group_name
            )
            group = Group.objects.get(school=school, school_year=year, name=group_name)
            services.assign_staff(round=round_, group=group, staff=holders[group_name], by=ib)
        for staff in holders.values():
            _slots(round_, staff, today)
        services.open_round(round=round_, by=ib, booking_opens_on=round_.window_start)
        services.invite_families(round=round_, by=ib)
        _bookings(round_, holders, ib, random.Random(SEED))
    if stdout:
        stdout.write(f"Startgesprekken: {round_.conversations.count()} leerlingen uitgenodigd")


def _teacher(User, school, year, email, first_name, last_name, group_name):
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    StaffMembership.objects.get_or_create(
        user=user, board=school.board, school=school, role=Role.TEACHER
    )
    Group.objects.get(school=school, school_year=year, name=group_name).teachers.add(user)
    return user


def _slots(round_, staff, today):
    """Afternoons 14:00-16:00 on every school day of the window (direct rows: the service refuses
    the past, and the demo needs a past)."""
    tz = timezone.get_current_timezone()
    calendar = SchoolCalendar.build(round_.school, round_.school_year)
    day = round_.window_start
    slots = []
    while day <= round_.window_end:
        if calendar.is_school_day(day):
            start = datetime.datetime.combine(day, datetime.time(14), tzinfo=tz)
            for n in range(6):
                begins = start + datetime.timedelta(minutes=20 * n)
                slots.append(
                    Slot(
                        round=round_,
                        staff=staff,
                        starts_at=begins,
                        ends_at=begins + datetime.timedelta(minutes=20),
                    )
                )
        day += datetime.timedelta(days=1)
    Slot.objects.bulk_create(slots)


def _bookings(round_, holders, ib, rng):
    now = timezone.now()
    for group_name, staff in holders.items():
        conversations = list(
            StartConversation.objects.filter(round=round_, group__name=group_name)
            .exclude(pupil__guardian_links__guardian__email=GUARDIAN_EMAIL)
            .select_related("pupil")
            .order_by("pupil__pupil_number")
        )
        rng.shuffle(conversations)
        slots = list(Slot.objects.filter(round=round_, staff=staff).order_by("starts_at"))
        past = [s for s in slots if s.starts_at < now]
        future = [s for s in slots if s.starts_at > now]
        booked_past = conversations[: len(past) // 3]
        booked_future = conversations[len(booked_past) : len(booked_past) + len(future) // 6]
        for conversation, slot in zip(booked_past, past[::3], strict=False):
            family = _family(conversation)
            if family is None:
                continue
            booking = Booking.objects.create(
                slot=slot, conversation=conversation, family=family, booked_by=ib
            )
            conversation.status = "booked"
            conversation.save(update_fields=["status"])
            if rng.random() < 0.1:
                booking.status = "no_show"
                booking.save(update_fields=["status"])
                conversation.status = "to_plan"
                conversation.save(update_fields=["status"])
            elif rng.random() < 0.8:
                _log(conversation, staff, slot, family, rng)
        for conversation, slot in zip(booked_future, future[::6], strict=False):
            family = _family(conversation)
            if family is not None:
                services.book_slot(slot=slot, conversation=conversation, family=family, by=ib)


def _family(conversation):
    link = (
        conversation.pupil.guardian_links.filter(access_blocked_reason="")
        .select_related("guardian__family")
        .order_by("-lives_with")
        .first()
    )
    return link.guardian.family if link else None


def _log(conversation, staff, slot, family, rng):
    guardians = list(family.guardians.filter(pupil_links__pupil=conversation.pupil))
    services.save_draft(
        conversation=conversation,
        by=staff,
        values={
            "child_present": True,
            "qualities": rng.choice(
                ["Helpt anderen graag", "Rekent snel", "Vertelt mooie verhalen"]
            ),
            "needs": "Duidelijke afspraken in de klas; thuis samen lezen.",
            "parents_expectations": "Dat de juf laat weten hoe het gaat, ook als het goed gaat.",
            "school_expectations": "Dat ouders bellen als er thuis iets speelt.",
            "ambition": rng.choice(["Vlot lezen op niveau", "Meer durven zeggen in de groep"]),
            "preferred_channels": ["phone"],
        },
        guardians=guardians,
    )
    services.add_agreement(
        conversation=conversation,
        by=staff,
        what="Over vier weken kort bellen hoe het gaat",
        channel="phone",
        responsible=staff,
        schedule="once",
        # One moment weeks ahead: it reaches the family's plan without crowding this week's list.
        due_on=timezone.localdate(slot.starts_at) + datetime.timedelta(weeks=4),
    )
    services.complete_conversation(conversation=conversation, by=staff, held_at=slot.starts_at)


# What Samira Bouzid's children show in their pupil-led conversation: (first name, items, proud
# of, learn next). Text only: the demo carries no pictures of children.
PORTFOLIOS = [
    (
        "Ilyas",
        ["Mijn werkstuk over de haven van Rotterdam", "De brug die ik van papier heb gebouwd"],
        "Ik durf nu voor de klas te vertellen.",
        "Ik wil beter worden in breuken.",
    ),
    (
        "Yasmina",
        ["Mijn eerste boekje dat ik zelf heb gelezen"],
        "Ik kan alle letters schrijven.",
        "Ik wil leren klokkijken.",
    ),
]


# The first round of kindgesprekken is for the upper groups; Samira Bouzid's children (groups 3
# and 6) are not in it, so her booking page keeps only their start conversations.
UPPER_GROUP_TEACHERS = [
    # e-mail, first name, last name, group
    ("groep7@demo.test", "Esther", "Mulder", "7"),
    ("groep8@demo.test", "Bram", "Hendriks", "8"),
]
# What the child of group 8 whose kindgesprek was held brought and said.
HELD_PORTFOLIO = "Mijn spreekbeurt over vulkanen, met de tekening van een uitbarsting"
HELD_PROUD_OF = "Ik heb mijn spreekbeurt gehouden zonder op mijn briefje te kijken."
HELD_LEARN_NEXT = "Ik wil leren hoe je een goede samenvatting schrijft."
HELD_AGREEMENT = "Thuis elke week samen een nieuwsbericht lezen en het kort navertellen"


def seed_pupil_led_conversations(stdout=None) -> None:
    """The year's three pupil-led rounds at De Regenboog.

    Round 1 is under way for groups 7 and 8, from a week ago to two weeks ahead: open, with slots
    on the next school days, a booking or two per group and one kindgesprek held in group 8 with
    the child's own words, so that those teachers see the round on their home page. Round 2 has
    its conversations ready for the whole school and Samira Bouzid's children have chosen their
    portfolio, which ouder@demo.test sees in the portal; it is not open for booking yet."""
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None:
        return
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    if Round.objects.filter(school=school, school_year=year, kind=RoundKind.PUPIL_LED).exists():
        return
    User = get_user_model()
    ib = User.objects.get(email="ib@demo.test")
    with transaction.atomic():
        under_way = services.create_round(
            school=school,
            school_year=year,
            by=ib,
            window_start=today - datetime.timedelta(days=7),
            window_end=today + datetime.timedelta(days=14),
            kind=RoundKind.PUPIL_LED,
            number=1,
            modes=["school"],
        )
        # Rounds 2 and 3 in the terms the school calendar gives them.
        following = pupil_led.create_pupil_led_rounds(school=school, school_year=year, by=ib)
        teachers = {
            group_name: _teacher(User, school, year, email, first_name, last_name, group_name)
            for email, first_name, last_name, group_name in UPPER_GROUP_TEACHERS
        }
        _open_for_upper_groups(under_way, teachers, ib, today)
        prepared = following[0]
        services.invite_families(round=prepared, by=ib)
        _choose_portfolios(prepared)
    if stdout:
        stdout.write(
            f"Kindgesprekken: {under_way.title} open voor groep 7 en 8 "
            f"({under_way.conversations.count()} leerlingen); {prepared.title} klaargezet "
            f"({prepared.conversations.count()} leerlingen)"
        )


def _open_for_upper_groups(
    round_: Round, teachers: dict[str, User], ib: User, today: datetime.date
) -> None:
    """Invite the upper groups, open the round and let each teacher offer an hour on each of the
    next three school days; the first two children of each group are booked (by the teacher,
    after a call), and in group 8 one more child had theirs on the round's first school day."""
    groups = {
        group.name: group
        for group in Group.objects.filter(
            school=round_.school, school_year=round_.school_year, name__in=teachers
        )
    }
    for group_name, teacher in teachers.items():
        services.assign_staff(round=round_, group=groups[group_name], staff=teacher, by=ib)
    services.invite_families(round=round_, by=ib, groups=groups.values())
    services.open_round(round=round_, by=ib, booking_opens_on=round_.window_start)
    calendar = SchoolCalendar.build(round_.school, round_.school_year)
    days = [calendar.add_school_days(today, n) for n in (1, 2, 3)]
    days = [day for day in days if day <= round_.window_end and calendar.is_school_day(day)]
    for group_name, teacher in teachers.items():
        slots = [
            slot
            for day in days
            for slot in services.generate_slots(
                round=round_,
                staff=teacher,
                day=day,
                start=datetime.time(14),
                end=datetime.time(15),
                by=ib,
            )
        ]
        conversations = (
            round_.conversations.filter(group=groups[group_name])
            .select_related("pupil")
            .order_by("pupil__pupil_number")
        )
        with_family = [(c, f) for c in conversations if (f := _family(c)) is not None]
        for (conversation, family), slot in zip(with_family[:2], slots[::3], strict=False):
            services.book_slot(slot=slot, conversation=conversation, family=family, by=teacher)
        held_on = calendar.next_school_day(round_.window_start)
        if group_name == "8" and len(with_family) > 2 and held_on and held_on < today:
            _hold(*with_family[2], teacher, held_on)


def _hold(
    conversation: StartConversation, family: Family, teacher: User, day: datetime.date
) -> None:
    """The child prepared with the teacher, the family came at 14:00 and the teacher logged it
    (a direct slot and booking: the services refuse the past, and the demo needs a past)."""
    pupil_led.add_portfolio_item(conversation=conversation, by=teacher, text=HELD_PORTFOLIO)
    pupil_led.save_pupil_voice(
        conversation=conversation,
        by=teacher,
        proud_of=HELD_PROUD_OF,
        learn_next=HELD_LEARN_NEXT,
    )
    starts_at = datetime.datetime.combine(
        day, datetime.time(14), tzinfo=timezone.get_current_timezone()
    )
    slot = Slot.objects.create(
        round=conversation.round,
        staff=teacher,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=conversation.round.slot_minutes),
    )
    Booking.objects.create(slot=slot, conversation=conversation, family=family, booked_by=teacher)
    conversation.status = "booked"
    conversation.save(update_fields=["status"])
    services.save_draft(
        conversation=conversation,
        by=teacher,
        values={"child_present": True},
        guardians=family.guardians.filter(pupil_links__pupil=conversation.pupil),
    )
    services.add_agreement(
        conversation=conversation,
        by=teacher,
        what=HELD_AGREEMENT,
        channel="email",
        responsible=teacher,
        schedule="once",
        due_on=day + datetime.timedelta(weeks=4),
    )
    services.complete_conversation(conversation=conversation, by=teacher, held_at=starts_at)


def _choose_portfolios(round_: Round) -> None:
    """Samira Bouzid's children chose what they will show in ``round_`` (their teachers typed
    it in class)."""
    for first_name, items, proud_of, learn_next in PORTFOLIOS:
        conversation = (
            round_.conversations.filter(
                pupil__first_name=first_name,
                pupil__guardian_links__guardian__email=GUARDIAN_EMAIL,
            )
            .select_related("group")
            .first()
        )
        teacher = conversation.group.teachers.first() if conversation else None
        if conversation is None or teacher is None:
            continue
        for text in items:
            pupil_led.add_portfolio_item(conversation=conversation, by=teacher, text=text)
        pupil_led.save_pupil_voice(
            conversation=conversation, by=teacher, proud_of=proud_of, learn_next=learn_next
        )
