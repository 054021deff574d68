"""Demo step: a start-conversation round at "Basisschool De Regenboog" under way today.

The window runs from a week ago to two weeks ahead. The demo teacher holds group 5's conversations
(the IB'er joins some of them); the teachers of groups 3 and 6 offer time too. Past slots were
booked and mostly held (a few logged with agreements, one no-show); some future slots are booked,
the rest open. Completing a logged conversation hands its agreement to the family's plan, so this
step runs after the communication plans (whose step adds nothing once a plan exists). Samira
Bouzid's two children are not booked, so ouder@demo.test can book them.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from conversations import pupil_led, services
from conversations.models import Booking, Round, RoundKind, Slot, StartConversation
from schools.calendar import SchoolCalendar
from schools.models import Group, Role, School, SchoolYear, StaffMembership

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


def seed_pupil_led_conversations(stdout=None) -> None:
    """The year's three pupil-led rounds at De Regenboog. The one under way or next has its
    conversations ready and Samira Bouzid's children have chosen their portfolio, which
    ouder@demo.test sees in the portal; the IB'er has not opened it for booking yet, so that the
    start conversations stay the one round parents book in the demo."""
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None:
        return
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    if Round.objects.filter(school=school, school_year=year, kind=RoundKind.PUPIL_LED).exists():
        return
    ib = get_user_model().objects.get(email="ib@demo.test")
    with transaction.atomic():
        rounds = pupil_led.create_pupil_led_rounds(school=school, school_year=year, by=ib)
        current = next((r for r in rounds if r.window_end >= today), None)
        if current is None:
            return
        services.invite_families(round=current, by=ib)
    for first_name, items, proud_of, learn_next in PORTFOLIOS:
        conversation = (
            current.conversations.filter(
                pupil__first_name=first_name,
                pupil__guardian_links__guardian__email=GUARDIAN_EMAIL,
            )
            .select_related("group")
            .first()
        )
        teacher = conversation and conversation.group.teachers.first()
        if teacher is None:
            continue
        for text in items:
            pupil_led.add_portfolio_item(conversation=conversation, by=teacher, text=text)
        pupil_led.save_pupil_voice(
            conversation=conversation, by=teacher, proud_of=proud_of, learn_next=learn_next
        )
    if stdout:
        stdout.write(f"Kindgesprekken: {current.title}, {current.conversations.count()} leerlingen")
