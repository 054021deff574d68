import datetime

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction

from conversations import queries, services
from conversations.models import (
    Booking,
    ConversationStatus,
    Invitation,
    Round,
    Slot,
    StartConversation,
)
from conversations.services import ConversationError
from tests import factories as f
from tests.conversations.factories import WINDOW_START, RoundFactory, at


def test_default_window_is_the_first_three_weeks_of_school(db, frozen):
    school = f.SchoolFactory(holiday_region="midden")
    director = f.StaffMembershipFactory(school=school, role="director").user
    round_ = services.create_round(school=school, school_year=f.SchoolYearFactory(), by=director)
    # The summer holiday of region midden ends on Sunday 30 August 2026.
    assert round_.window_start == datetime.date(2026, 8, 31)
    assert round_.window_end == datetime.date(2026, 9, 20)
    assert round_.slot_minutes == 20


def test_teacher_cannot_create_a_round(db, frozen):
    school = f.SchoolFactory()
    teacher = f.StaffMembershipFactory(school=school, role="teacher").user
    with pytest.raises(ConversationError):
        services.create_round(school=school, school_year=f.SchoolYearFactory(), by=teacher)
    assert not Round.objects.exists()


def test_slots_follow_length_and_pause(setup):
    setup.round.pause_minutes = 5
    setup.round.save()
    slots = setup.slots(hour=8, until=10)
    starts = [f"{s.starts_at.astimezone(at(WINDOW_START, 0).tzinfo):%H:%M}" for s in slots]
    assert starts == ["08:00", "08:25", "08:50", "09:15", "09:40"]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=20) for s in slots)


@pytest.mark.parametrize(
    "day, message",
    [
        (WINDOW_START - datetime.timedelta(days=1), "buiten de periode"),
        (WINDOW_START + datetime.timedelta(days=21), "buiten de periode"),
    ],
)
def test_slots_outside_the_window_are_refused(setup, day, message):
    with pytest.raises(ConversationError, match=message):
        setup.slots(day=day)
    assert not Slot.objects.exists()


def test_slots_in_the_past_are_refused(setup, frozen):
    frozen.move_to(at(WINDOW_START, 12))
    with pytest.raises(ConversationError, match="voorbij"):
        setup.slots(hour=8, until=10)
    assert not Slot.objects.exists()


def test_staff_member_cannot_be_in_two_places_at_once(setup):
    setup.slots(hour=8, until=10)
    with pytest.raises(ConversationError, match="al gesprekken"):
        setup.slots(hour=9, until=11)
    # Also not in another school's round.
    other = f.SchoolFactory()
    f.StaffMembershipFactory(school=other, role="teacher", user=setup.teacher)
    other_round = services.create_round(
        school=other,
        school_year=setup.year,
        by=f.StaffMembershipFactory(school=other, role="director").user,
        window_start=WINDOW_START,
    )
    with pytest.raises(ConversationError, match="al gesprekken"):
        services.generate_slots(
            round=other_round,
            staff=setup.teacher,
            day=WINDOW_START,
            start=datetime.time(9, 30),
            end=datetime.time(10, 30),
            by=setup.teacher,
        )
    assert Slot.objects.count() == 6


def test_teacher_offers_own_slots_but_not_for_a_colleague(setup):
    services.generate_slots(
        round=setup.round,
        staff=setup.teacher,
        day=WINDOW_START,
        start=datetime.time(14),
        end=datetime.time(15),
        by=setup.teacher,
    )
    with pytest.raises(ConversationError):
        services.generate_slots(
            round=setup.round,
            staff=setup.teacher6,
            day=WINDOW_START,
            start=datetime.time(14),
            end=datetime.time(15),
            by=setup.teacher,
        )
    assert Slot.objects.count() == 3


def test_a_round_for_some_groups_invites_only_their_children_and_households(setup):
    other_family = f.FamilyFactory(board=setup.school.board, name="Gezin Kaya")
    classmate = f.PupilFactory(school=setup.school, first_name="Elif")
    f.EnrolmentFactory(pupil=classmate, group=setup.group)
    f.PupilGuardianFactory(pupil=classmate, guardian=f.GuardianFactory(family=other_family))
    upper = RoundFactory(
        school=setup.school, school_year=setup.year, created_by=setup.ib, kind="pupil_led", number=1
    )

    assert services.invite_families(round=upper, by=setup.ib, groups=[setup.group6]) == 1

    assert list(upper.conversations.values_list("pupil__first_name", flat=True)) == ["Yasmina"]
    assert list(upper.invitations.values_list("family__name", flat=True)) == ["Gezin Bouzid"]


def test_both_households_of_separated_parents_are_invited_in_their_language(setup):
    father_family = f.FamilyFactory(board=setup.school.board, name="Gezin vader")
    father = f.GuardianFactory(family=father_family, language="tr")
    f.PupilGuardianFactory(pupil=setup.child, guardian=father, relation="father", lives_with=False)
    blocked_family = f.FamilyFactory(board=setup.school.board)
    blocked = f.GuardianFactory(family=blocked_family)
    f.PupilGuardianFactory(pupil=setup.child, guardian=blocked, access_blocked_reason="rechter")

    assert services.invite_families(round=setup.round, by=setup.ib) == 1
    invitations = dict(Invitation.objects.values_list("family__name", "language"))
    assert invitations == {"Gezin Bouzid": "ar", "Gezin vader": "tr"}
    assert services.invite_families(round=setup.round, by=setup.ib) == 0
    assert StartConversation.objects.filter(round=setup.round).count() == 2
    assert set(
        queries.unbooked_invitations(setup.round).values_list("family__name", flat=True)
    ) == {
        "Gezin Bouzid",
        "Gezin vader",
    }


def test_guardian_books_a_slot_and_it_is_taken(setup):
    slot = setup.slots()[0]
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.BOOKED
    assert not booking.by_staff
    assert Invitation.objects.get(family=setup.family).status == "booked"

    with pytest.raises(ConversationError, match="iemand anders"):
        services.book_slot(
            slot=slot,
            conversation=setup.sibling_conversation,
            family=setup.family,
            by=setup.mother.user,
        )
    assert Booking.objects.count() == 1


def test_the_database_refuses_a_second_booking_of_a_slot(setup):
    slot = setup.slots()[0]
    services.book_slot(slot=slot, conversation=setup.conversation, family=setup.family, by=setup.ib)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=slot,
            conversation=setup.sibling_conversation,
            family=setup.family,
            booked_by=setup.ib,
        )


def test_guardian_cannot_book_for_a_child_that_is_not_theirs(setup):
    stranger_family = f.FamilyFactory(board=setup.school.board)
    stranger = f.GuardianFactory(family=stranger_family, user=f.UserFactory())
    other_child = f.PupilFactory(school=setup.school)
    f.PupilGuardianFactory(pupil=other_child, guardian=stranger)
    slot = setup.slots()[0]
    with pytest.raises(ConversationError, match="eigen kind"):
        services.book_slot(
            slot=slot, conversation=setup.conversation, family=stranger_family, by=stranger.user
        )
    # Nor for their own child in someone else's household name.
    with pytest.raises(ConversationError, match="eigen kind"):
        services.book_slot(
            slot=slot, conversation=setup.conversation, family=setup.family, by=stranger.user
        )
    assert not Booking.objects.exists()


def test_guardian_without_authority_books_only_when_the_round_allows(setup):
    family = f.FamilyFactory(board=setup.school.board)
    father = f.GuardianFactory(family=family, user=f.UserFactory())
    f.PupilGuardianFactory(
        pupil=setup.child,
        guardian=father,
        has_parental_authority=False,
        information_right="granted",
    )
    setup.round.households_book_separately = True
    setup.round.save()
    slots = setup.slots()
    with pytest.raises(ConversationError, match="eigen kind"):
        services.book_slot(
            slot=slots[0], conversation=setup.conversation, family=family, by=father.user
        )
    setup.round.without_authority_may_book = True
    setup.round.save()
    services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=family, by=father.user
    )
    # Each household in its own slot, where the school allows it.
    services.book_slot(
        slot=slots[1], conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    assert setup.conversation.bookings.count() == 2


def test_one_slot_per_child_unless_households_book_separately(setup):
    slots = setup.slots()
    services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    with pytest.raises(ConversationError, match="al een gesprek gepland"):
        services.book_slot(
            slot=slots[1], conversation=setup.conversation, family=setup.family, by=setup.ib
        )


def test_siblings_book_adjacent_slots_with_their_teachers_in_one_step(setup):
    first = setup.slots(staff=setup.teacher, hour=8, until=9)
    second = setup.slots(staff=setup.teacher6, hour=8, until=9)
    bookings = services.book_slots(
        choices=[(first[0], setup.conversation), (second[1], setup.sibling_conversation)],
        family=setup.family,
        by=setup.mother.user,
    )
    assert len(bookings) == 2
    assert first[0].ends_at == second[1].starts_at


def test_sibling_booking_is_all_or_nothing(setup):
    first = setup.slots(staff=setup.teacher, hour=8, until=9)
    second = setup.slots(staff=setup.teacher6, hour=8, until=9)
    services.book_slot(
        slot=second[1], conversation=setup.sibling_conversation, family=setup.family, by=setup.ib
    )
    services.cancel_booking(booking=Booking.objects.get(), by=setup.ib)
    services.book_slot(
        slot=second[1], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    with pytest.raises(ConversationError):
        services.book_slots(
            choices=[
                (first[0], setup.sibling_conversation),
                (second[1], setup.sibling_conversation),
            ],
            family=setup.family,
            by=setup.mother.user,
        )
    assert Booking.objects.count() == 1


def test_families_with_several_children_get_a_day_head_start(setup, frozen):
    only_child_family = f.FamilyFactory(board=setup.school.board)
    parent = f.GuardianFactory(family=only_child_family, user=f.UserFactory())
    only_child = f.PupilFactory(school=setup.school)
    f.EnrolmentFactory(pupil=only_child, group=setup.group)
    f.PupilGuardianFactory(pupil=only_child, guardian=parent)
    services.invite_families(round=setup.round, by=setup.ib)
    only_conversation = setup.round.conversations.get(pupil=only_child)
    opens = WINDOW_START - datetime.timedelta(days=7)
    services.open_round(round=setup.round, by=setup.ib, booking_opens_on=opens)
    slots = setup.slots()
    frozen.move_to(at(opens - datetime.timedelta(days=1), 9))

    services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    with pytest.raises(ConversationError, match="nog niet boeken"):
        services.book_slot(
            slot=slots[1], conversation=only_conversation, family=only_child_family, by=parent.user
        )
    frozen.move_to(at(opens, 9))
    services.book_slot(
        slot=slots[1], conversation=only_conversation, family=only_child_family, by=parent.user
    )


def test_slot_in_the_past_cannot_be_booked(setup, frozen):
    slot = setup.slots()[0]
    frozen.move_to(slot.starts_at + datetime.timedelta(minutes=1))
    with pytest.raises(ConversationError, match="voorbij"):
        services.book_slot(
            slot=slot, conversation=setup.conversation, family=setup.family, by=setup.ib
        )


def test_teacher_books_only_for_own_group(setup):
    slot = setup.slots()[0]
    with pytest.raises(ConversationError, match="uw groepen"):
        services.book_slot(
            slot=slot,
            conversation=setup.sibling_conversation,
            family=setup.family,
            by=setup.teacher,
        )
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.teacher
    )
    assert booking.by_staff


def test_staff_move_a_booking_and_the_family_is_told(setup, django_capture_on_commit_callbacks):
    slots = setup.slots()
    booking = services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move_booking(booking=booking, slot=slots[2], by=setup.ib)
    booking.refresh_from_db()
    assert booking.slot == slots[2]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [setup.mother.email]
    assert "31-08-2026 08:00" in mail.outbox[0].body
    assert "31-08-2026 08:40" in mail.outbox[0].body


def test_staff_cancel_a_booking_frees_the_slot(setup, django_capture_on_commit_callbacks):
    slot = setup.slots()[0]
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking=booking, by=setup.ib)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
    assert not Booking.objects.exists()
    assert queries.free_slots(setup.round).filter(pk=slot.pk).exists()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("right", ["none", "on_request"])
def test_a_parent_without_information_gets_no_mail_about_the_cancelled_conversation(
    setup, right, django_capture_on_commit_callbacks
):
    father = f.GuardianFactory(family=setup.family, email="vader@example.test")
    f.PupilGuardianFactory(
        pupil=setup.child, guardian=father, has_parental_authority=False, information_right=right
    )
    booking = services.book_slot(
        slot=setup.slots()[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking=booking, by=setup.ib)
    assert [m.to for m in mail.outbox] == [[setup.mother.email]]


def test_no_show_returns_the_family_to_plan(setup, frozen):
    slot = setup.slots()[0]
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    with pytest.raises(ConversationError, match="nog niet begonnen"):
        services.mark_no_show(booking=booking, by=setup.teacher)
    frozen.move_to(slot.ends_at)
    services.mark_no_show(booking=booking, by=setup.teacher)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
    assert Invitation.objects.get(family=setup.family).status == "invited"
    assert Booking.objects.get().status == "no_show"
    # The family can book again.
    later = setup.slots(hour=14, until=15)
    services.book_slot(
        slot=later[0], conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )


def _log(setup, by, **values):
    values = {"child_present": True, "qualities": "Rekent graag", **values}
    return services.save_draft(
        conversation=setup.conversation, by=by, values=values, guardians=[setup.mother]
    )


def test_completing_needs_an_agreement_and_loses_nothing(setup):
    _log(setup, setup.teacher, ambition="Lezen op niveau")
    with pytest.raises(ConversationError, match="minstens één afspraak"):
        services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
    assert setup.conversation.ambition == "Lezen op niveau"

    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Elke maand even bellen",
        channel="phone",
        responsible=setup.teacher,
        schedule="monthly",
    )
    services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.HELD
    assert setup.conversation.conducted_by == setup.teacher


def test_a_child_not_present_needs_a_reason(setup):
    _log(setup, setup.teacher, child_present=False)
    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Huisbezoek",
        channel="home_visit",
        responsible=setup.teacher,
        due_on=datetime.date(2026, 10, 1),
    )
    with pytest.raises(ConversationError, match="waarom het kind"):
        services.complete_conversation(conversation=setup.conversation, by=setup.teacher)


def test_an_agreement_once_needs_a_date(setup):
    with pytest.raises(ConversationError, match="datum"):
        services.add_agreement(
            conversation=setup.conversation,
            by=setup.teacher,
            what="Bellen",
            channel="phone",
            responsible=setup.teacher,
        )


def test_a_held_conversation_cannot_be_logged_again(setup):
    _log(setup, setup.teacher)
    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Bellen",
        channel="phone",
        responsible=setup.teacher,
        schedule="monthly",
    )
    services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    with pytest.raises(ConversationError, match="al afgerond"):
        _log(setup, setup.teacher, qualities="overschreven")
    setup.conversation.refresh_from_db()
    assert setup.conversation.qualities == "Rekent graag"
    # A second conversation for the same pupil and year: the database says no.
    with pytest.raises(IntegrityError), transaction.atomic():
        StartConversation.objects.create(
            round=setup.round, pupil=setup.child, school_year=setup.year, group=setup.group
        )


def test_home_situation_is_written_only_by_roles_that_need_it(setup):
    coordinator = f.StaffMembershipFactory(school=setup.school, role="ouder_coordinator").user
    _log(setup, coordinator, home_situation="Vader werkt in het buitenland")
    setup.conversation.refresh_from_db()
    assert setup.conversation.home_situation == ""
    _log(setup, setup.teacher, home_situation="Vader werkt in het buitenland")
    setup.conversation.refresh_from_db()
    assert setup.conversation.home_situation == "Vader werkt in het buitenland"
    assert not setup.conversation.shows_home_situation_to(coordinator)
    assert setup.conversation.shows_home_situation_to(setup.ib)


def test_guardian_asks_for_another_time_and_an_interpreter(setup):
    invitation = Invitation.objects.get(family=setup.family)
    services.ask_other_time(
        invitation=invitation,
        by=setup.mother.user,
        wish="Na 17 uur",
        home_visit=True,
        interpreter_language="ar",
    )
    invitation.refresh_from_db()
    assert invitation.status == "other_time"
    assert invitation.interpreter_language == "ar"
    with pytest.raises(ConversationError):
        services.ask_other_time(invitation=invitation, by=setup.teacher, wish="x")


def test_progress_counts_per_group(setup, frozen):
    slots = setup.slots()
    services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    frozen.move_to(slots[0].ends_at)
    _log(setup, setup.teacher)
    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Bellen",
        channel="phone",
        responsible=setup.teacher,
        schedule="monthly",
    )
    services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    rows = {row["group__name"]: row for row in queries.progress_by_group(setup.round, setup.ib)}
    assert rows["5"]["held"] == 1 and rows["5"]["in_window"] == 1
    assert rows["6"]["to_plan"] == 1 and rows["6"]["invited"] == 1
    # A teacher sees only their own group.
    assert [r["group__name"] for r in queries.progress_by_group(setup.round, setup.teacher)] == [
        "5"
    ]


def test_previous_year_conversation_is_found(setup):
    earlier_year = f.SchoolYearFactory(
        label="2025-2026", start=datetime.date(2025, 8, 1), end=datetime.date(2026, 7, 31)
    )
    earlier = StartConversation.objects.create(
        round=Round.objects.create(
            school=setup.school,
            school_year=earlier_year,
            window_start=datetime.date(2025, 9, 1),
            window_end=datetime.date(2025, 9, 19),
            created_by=setup.ib,
        ),
        pupil=setup.child,
        school_year=earlier_year,
        group=f.GroupFactory(school=setup.school, school_year=earlier_year, name="4"),
        status="held",
        held_at=at(datetime.date(2025, 9, 2), 8),
        child_present=True,
        ambition="Zwemdiploma A",
    )
    assert queries.previous_conversation(setup.conversation) == earlier


@pytest.mark.django_db(transaction=True)
def test_two_guardians_booking_one_slot_at_once_leave_one_booking(frozen):
    """Two connections book the same slot at the same moment: exactly one booking remains."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; the race needs PostgreSQL's row locks")
    import threading

    from tests.conversations.conftest import Setup

    setup = Setup()
    slot = setup.slots()[0]
    barrier = threading.Barrier(2)
    outcomes = []

    def book(conversation):
        try:
            barrier.wait()
            services.book_slot(
                slot=slot, conversation=conversation, family=setup.family, by=setup.ib
            )
            outcomes.append("booked")
        except ConversationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(c,))
        for c in (setup.conversation, setup.sibling_conversation)
    ]
    with time_machine.travel(at(WINDOW_START - datetime.timedelta(days=14), 9), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Booking.objects.filter(slot=slot).count() == 1


def test_the_database_refuses_overlapping_slots_of_one_person(setup):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist only on PostgreSQL")
    slot = setup.slots(hour=8, until=9)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(
            round=setup.round,
            staff=setup.teacher,
            starts_at=slot.starts_at + datetime.timedelta(minutes=10),
            ends_at=slot.ends_at + datetime.timedelta(minutes=10),
        )


def test_household_whose_shared_conversation_is_booked_gets_no_reminder(setup):
    father_family = f.FamilyFactory(board=setup.school.board, name="Gezin vader")
    father = f.GuardianFactory(family=father_family)
    only_child = f.PupilFactory(school=setup.school)
    f.EnrolmentFactory(pupil=only_child, group=setup.group)
    f.PupilGuardianFactory(pupil=only_child, guardian=setup.mother)
    f.PupilGuardianFactory(pupil=only_child, guardian=father, relation="father")
    services.invite_families(round=setup.round, by=setup.ib)
    conversation = setup.round.conversations.get(pupil=only_child)
    slots = setup.slots()
    for slot, c in zip(slots, [setup.conversation, setup.sibling_conversation], strict=False):
        services.book_slot(slot=slot, conversation=c, family=setup.family, by=setup.ib)

    def unbooked():
        return set(queries.unbooked_invitations(setup.round).values_list("family__name", flat=True))

    assert unbooked() == {"Gezin Bouzid", "Gezin vader"}  # the third child is still to plan
    services.book_slot(slot=slots[2], conversation=conversation, family=setup.family, by=setup.ib)
    assert unbooked() == set()
    setup.round.households_book_separately = True
    setup.round.save()
    assert unbooked() == {"Gezin vader"}


def test_a_handled_booking_cannot_be_moved_or_cancelled(setup, frozen):
    slots = setup.slots()
    booking = services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    frozen.move_to(slots[0].ends_at)
    services.mark_no_show(booking=booking, by=setup.ib)
    for action in (
        lambda: services.move_booking(booking=booking, slot=slots[3], by=setup.ib),
        lambda: services.cancel_booking(booking=booking, by=setup.ib),
        lambda: services.mark_no_show(booking=booking, by=setup.ib),
    ):
        with pytest.raises(ConversationError, match="afgehandeld"):
            action()
    assert Booking.objects.get().slot == slots[0]


@pytest.mark.django_db
def test_a_slot_just_taken_by_someone_else_says_so_in_dutch():
    """Two people pick the same free slot: the one who saves second sees why, not Django's
    generic "Selecteer een geldige keuze"."""
    from conversations.forms import MoveForm
    from conversations.models import Slot

    form = MoveForm({"slot": "12345"}, slots=Slot.objects.none())
    assert not form.is_valid()
    assert form.errors["slot"] == [
        "Dit tijdstip is net door iemand anders gekozen. Kies een ander."
    ]
