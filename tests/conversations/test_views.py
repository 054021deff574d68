import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from conversations import services
from conversations.models import Booking, CalendarFeed, ConversationStatus, Round, Slot
from tests import factories as f
from tests.audit_cost import audit_write
from tests.conversations.factories import WINDOW_START, at


def _grow(setup, families):
    """Add ``families`` families with one child each to group 5 and group 6, invite, book half."""
    slots = setup.slots(hour=8, until=18) + setup.slots(staff=setup.teacher6, hour=8, until=18)
    for n in range(families):
        family = f.FamilyFactory(board=setup.school.board)
        guardian = f.GuardianFactory(family=family)
        pupil = f.PupilFactory(school=setup.school)
        f.EnrolmentFactory(pupil=pupil, group=setup.group if n % 2 else setup.group6)
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    services.invite_families(round=setup.round, by=setup.ib)
    conversations = list(setup.round.conversations.exclude(pupil__in=[setup.child, setup.sibling]))
    for conversation, slot in zip(conversations[: families // 2], slots, strict=False):
        family = conversation.pupil.guardian_links.get().guardian.family
        services.book_slot(slot=slot, conversation=conversation, family=family, by=setup.ib)


@pytest.mark.parametrize("families", [2, 12])
def test_round_detail_runs_fixed_queries(setup, client, django_assert_num_queries, families):
    _grow(setup, families)
    client.force_login(setup.ib)
    url = reverse("conversations:round-detail", args=[setup.round.pk])
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    rows = {row["group__name"]: row for row in response.context["rows"]}
    assert rows["5"]["invited"] + rows["6"]["invited"] == families + 2
    assert response.context["totals"]["booked"] == families // 2


@pytest.mark.parametrize("families", [2, 12])
def test_group_page_runs_fixed_queries(setup, client, django_assert_num_queries, families):
    _grow(setup, families)
    client.force_login(setup.ib)
    url = reverse("conversations:group-detail", args=[setup.round.pk, setup.group.pk])
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["conversations"]) == 1 + families // 2


@pytest.mark.parametrize("families", [2, 12])
def test_my_week_runs_fixed_queries(setup, client, django_assert_num_queries, frozen, families):
    _grow(setup, families)
    frozen.move_to(at(WINDOW_START, 7))
    client.force_login(setup.teacher)
    with django_assert_num_queries(2):
        response = client.get(reverse("conversations:my-week"))
    booked = Booking.objects.filter(slot__staff=setup.teacher).count()
    assert booked and len(response.context["bookings"]) == booked


def test_ib_creates_a_round_with_the_default_window(db, frozen, client):
    school = f.SchoolFactory(holiday_region="zuid")
    ib = f.StaffMembershipFactory(school=school, role="intern_begeleider").user
    client.force_login(ib)
    response = client.post(
        reverse("conversations:round-list", args=[school.pk]),
        {"slot_minutes": 20, "pause_minutes": 5, "modes": ["school", "phone"]},
    )
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert round_.window_start == datetime.date(2026, 8, 24)
    assert round_.pause_minutes == 5


def test_teacher_sees_no_round_form(db, frozen, client):
    school = f.SchoolFactory()
    teacher = f.StaffMembershipFactory(school=school, role="teacher").user
    client.force_login(teacher)
    client.post(reverse("conversations:round-list", args=[school.pk]), {"slot_minutes": 20})
    assert not Round.objects.exists()


def test_slot_form_shows_the_overlap_message(setup, client):
    setup.slots(hour=8, until=10)
    client.force_login(setup.teacher)
    response = client.post(
        reverse("conversations:slot-create", args=[setup.round.pk]),
        {
            "staff": setup.teacher.pk,
            "day": WINDOW_START,
            "start": "09:00",
            "end": "11:00",
            "mode": "school",
        },
    )
    assert response.status_code == 200
    assert "al gesprekken" in response.content.decode()


def test_staff_book_by_phone(setup, client):
    slot = setup.slots()[0]
    client.force_login(setup.ib)
    form = client.get(reverse("conversations:conversation-book", args=[setup.conversation.pk]))
    # The family is chosen by its name with the children beside it.
    pupil = setup.conversation.pupil
    assert escape(f"{setup.family.name} — {pupil.first_name}") in form.content.decode()
    response = client.post(
        reverse("conversations:conversation-book", args=[setup.conversation.pk]),
        {"family": setup.family.pk, "slot": slot.pk},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.by_staff and booking.slot == slot


def test_taken_slot_is_not_offered_again(setup, client):
    slot = setup.slots()[0]
    services.book_slot(slot=slot, conversation=setup.conversation, family=setup.family, by=setup.ib)
    client.force_login(setup.ib)
    response = client.post(
        reverse("conversations:conversation-book", args=[setup.sibling_conversation.pk]),
        {"family": setup.family.pk, "slot": slot.pk},
    )
    assert response.status_code == 200
    assert Booking.objects.count() == 1


def test_log_draft_saves_as_you_type(setup, client):
    client.force_login(setup.teacher)
    url = reverse("conversations:conversation-log", args=[setup.conversation.pk])
    response = client.post(
        url, {"qualities": "Tekent prachtig", "child_present": "True"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Concept bewaard" in response.content.decode()
    assert "<form" not in response.content.decode()
    setup.conversation.refresh_from_db()
    assert setup.conversation.qualities == "Tekent prachtig"
    assert setup.conversation.child_present is True


def test_completing_without_agreement_shows_the_message(setup, client):
    client.force_login(setup.teacher)
    url = reverse("conversations:conversation-log", args=[setup.conversation.pk])
    data = {"child_present": "True", "guardians_present": [setup.mother.pk], "ambition": "Lezen"}
    response = client.post(url, {**data, "complete": "1"}, follow=True)
    assert "minstens één afspraak" in response.content.decode()
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
    assert setup.conversation.ambition == "Lezen"

    client.post(
        reverse("conversations:agreement-create", args=[setup.conversation.pk]),
        {
            "what": "Elke maand bellen",
            "channel": "phone",
            "with_child": "on",
            "responsible": setup.teacher.pk,
            "schedule": "monthly",
        },
    )
    client.post(url, {**data, "complete": "1"})
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.HELD
    assert setup.conversation.agreements.get().what == "Elke maand bellen"


def test_home_situation_is_not_shown_to_the_ouder_coordinator(setup, client):
    services.save_draft(
        conversation=setup.conversation, by=setup.ib, values={"home_situation": "Geheim-123"}
    )
    coordinator = f.StaffMembershipFactory(school=setup.school, role="ouder_coordinator").user
    client.force_login(coordinator)
    url = reverse("conversations:conversation-log", args=[setup.conversation.pk])
    page = client.get(url).content.decode()
    assert "Geheim-123" not in page and "home_situation" not in page
    client.force_login(setup.teacher)
    assert "Geheim-123" in client.get(url).content.decode()


def test_last_years_conversation_is_beside_the_form(setup, client):
    from tests.conversations.test_services import test_previous_year_conversation_is_found

    test_previous_year_conversation_is_found(setup)
    client.force_login(setup.teacher)
    page = client.get(reverse("conversations:conversation-log", args=[setup.conversation.pk]))
    assert "Zwemdiploma A" in page.content.decode()


def test_booking_ics_keeps_its_uid_when_moved(setup, client):
    slots = setup.slots()
    booking = services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    client.force_login(setup.mother.user)
    url = reverse("conversations:booking-ics", args=[booking.pk])
    first = client.get(url).content.decode()
    services.move_booking(booking=booking, slot=slots[3], by=setup.ib)
    second = client.get(url).content.decode()
    assert f"UID:{booking.uid}@schouder" in first and f"UID:{booking.uid}@schouder" in second
    assert "DTSTART:20260831T060000Z" in first
    assert "DTSTART:20260831T070000Z" in second


def test_private_feed_lists_the_staff_members_bookings(setup, client):
    slot = setup.slots()[0]
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    feed = CalendarFeed.objects.create(user=setup.teacher)
    body = client.get(reverse("conversations:staff-feed", args=[feed.token])).content.decode()
    assert booking.uid in body and "Ilyas" in body
    assert client.get(reverse("conversations:staff-feed", args=["nope"])).status_code == 404


def test_day_schedule_lists_free_and_booked_slots(setup, client):
    slots = setup.slots(hour=8, until=9)
    services.book_slot(
        slot=slots[1], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    client.force_login(setup.teacher)
    response = client.get(
        reverse("conversations:day-schedule", args=[setup.round.pk]), {"dag": WINDOW_START}
    )
    assert [s.pk for s in response.context["slots"]] == [s.pk for s in slots]
    assert "Ilyas" in response.content.decode()


def test_guardian_books_siblings_in_one_step(setup, client):
    first = setup.slots(staff=setup.teacher, hour=8, until=9)
    second = setup.slots(staff=setup.teacher6, hour=8, until=9)
    client.force_login(setup.mother.user)
    url = reverse("conversations:portal-booking")
    page = client.get(url).content.decode()
    assert "Ilyas" in page and "Yasmina" in page
    response = client.post(
        url,
        {
            f"slot-{setup.conversation.pk}": first[0].pk,
            f"slot-{setup.sibling_conversation.pk}": second[1].pk,
        },
        follow=True,
    )
    assert "Uw gesprek staat vast" in response.content.decode()
    assert set(Booking.objects.values_list("slot_id", flat=True)) == {first[0].pk, second[1].pk}


def test_guardian_is_offered_only_slots_of_the_childs_teachers(setup, client):
    setup.slots(staff=setup.teacher, hour=8, until=9)
    other = setup.slots(staff=setup.teacher6, hour=8, until=9)
    client.force_login(setup.mother.user)
    client.post(
        reverse("conversations:portal-booking"), {f"slot-{setup.conversation.pk}": other[0].pk}
    )
    assert not Booking.objects.exists()


@pytest.mark.parametrize("children", [1, 5])
def test_portal_booking_runs_fixed_queries(setup, client, django_assert_num_queries, children):
    setup.slots(hour=8, until=12)
    for _n in range(children):
        pupil = f.PupilFactory(school=setup.school)
        f.EnrolmentFactory(pupil=pupil, group=setup.group)
        f.PupilGuardianFactory(pupil=pupil, guardian=setup.mother)
    services.invite_families(round=setup.round, by=setup.ib)
    client.force_login(setup.mother.user)
    with django_assert_num_queries(9):
        response = client.get(reverse("conversations:portal-booking"))
    assert len(response.context["conversations"]) == children + 2


def test_guardian_asks_for_an_interpreter_and_staff_see_it(setup, client):
    invitation = setup.round.invitations.get()
    client.force_login(setup.mother.user)
    client.post(
        reverse("conversations:portal-wish", args=[invitation.pk]),
        {"wish": "Na 17 uur", "interpreter_language": "ar"},
    )
    client.force_login(setup.teacher)
    page = client.get(reverse("conversations:conversation-log", args=[setup.conversation.pk]))
    assert "wil een tolk" in page.content.decode() and "Na 17 uur" in page.content.decode()


def test_staff_cancel_from_the_group_page_tells_the_family(
    setup, client, django_capture_on_commit_callbacks
):
    booking = services.book_slot(
        slot=setup.slots()[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    client.force_login(setup.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conversations:booking-cancel", args=[booking.pk]))
    assert not Booking.objects.exists()
    assert mail.outbox[0].to == [setup.mother.email]


def test_other_household_sees_the_booking_of_the_shared_conversation(setup, client):
    father_family = f.FamilyFactory(board=setup.school.board, name="Gezin vader")
    father = f.GuardianFactory(family=father_family, user=f.UserFactory())
    f.PupilGuardianFactory(pupil=setup.child, guardian=father, relation="father", lives_with=False)
    slots = setup.slots()
    services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    client.force_login(father.user)
    page = client.get(reverse("conversations:portal-booking")).content.decode()
    assert "De andere ouder heeft het gesprek gepland" in page
    assert f'name="slot-{setup.conversation.pk}"' not in page
    client.post(
        reverse("conversations:portal-booking"), {f"slot-{setup.conversation.pk}": slots[1].pk}
    )
    assert Booking.objects.count() == 1


def test_portal_says_when_booking_opens(setup, client, frozen):
    services.open_round(
        round=setup.round, by=setup.ib, booking_opens_on=WINDOW_START - datetime.timedelta(days=3)
    )
    setup.slots()
    client.force_login(setup.mother.user)
    page = client.get(reverse("conversations:portal-booking")).content.decode()
    # Two children: a day's head start, but still later than today.
    assert "U kunt boeken vanaf" in page and "donderdag 27 augustus" in page.lower()


def test_group_page_shows_the_interpreter_wish(setup, client):
    services.ask_other_time(
        invitation=setup.round.invitations.get(), by=setup.mother.user, interpreter_language="ar"
    )
    client.force_login(setup.teacher)
    page = client.get(
        reverse("conversations:group-detail", args=[setup.round.pk, setup.group.pk])
    ).content.decode()
    assert "tolk (ar)" in page


def test_guardian_cannot_book_for_a_child_that_is_not_theirs_through_the_portal(setup, client):
    stranger = f.GuardianFactory(
        family=f.FamilyFactory(board=setup.school.board), user=f.UserFactory()
    )
    own_child = f.PupilFactory(school=setup.school)
    f.EnrolmentFactory(pupil=own_child, group=setup.group)
    f.PupilGuardianFactory(pupil=own_child, guardian=stranger)
    services.invite_families(round=setup.round, by=setup.ib)
    slot = setup.slots()[0]
    client.force_login(stranger.user)
    page = client.get(reverse("conversations:portal-booking")).content.decode()
    assert "Ilyas" not in page
    client.post(reverse("conversations:portal-booking"), {f"slot-{setup.conversation.pk}": slot.pk})
    assert not Booking.objects.exists()


def test_blocked_guardian_sees_no_child_in_the_portal(setup, client):
    blocked = f.GuardianFactory(family=setup.family, user=f.UserFactory())
    f.PupilGuardianFactory(pupil=setup.child, guardian=blocked, access_blocked_reason="rechter")
    client.force_login(blocked.user)
    response = client.get(reverse("conversations:portal-booking"))
    assert response.context["conversations"] == []
    assert "Ilyas" not in response.content.decode()


def test_round_window_cannot_shrink_past_offered_slots(setup, client):
    setup.slots(day=WINDOW_START + datetime.timedelta(days=14))
    client.force_login(setup.ib)
    url = reverse("conversations:round-edit", args=[setup.round.pk])
    data = {
        "window_start": WINDOW_START,
        "window_end": WINDOW_START + datetime.timedelta(days=7),
        "slot_minutes": 20,
        "pause_minutes": 0,
        "modes": ["school"],
    }
    response = client.post(url, data)
    assert "buiten deze periode" in response.content.decode()
    setup.round.refresh_from_db()
    assert setup.round.window_end == WINDOW_START + datetime.timedelta(days=20)
    response = client.post(url, {**data, "window_end": WINDOW_START + datetime.timedelta(days=14)})
    assert response.status_code == 302
    setup.round.refresh_from_db()
    assert setup.round.modes == ["school"]


def test_siblings_get_adjacent_slots_with_their_own_teachers_suggested(setup, client):
    setup.slots(staff=setup.teacher, hour=8, until=9)
    setup.slots(staff=setup.teacher6, hour=8, until=9)
    teacher_of = {
        setup.conversation.pk: setup.teacher,
        setup.sibling_conversation.pk: setup.teacher6,
    }
    client.force_login(setup.mother.user)
    url = reverse("conversations:portal-booking")
    runs = client.get(url).context["suggestions"]
    assert runs
    for run in runs:
        assert all(slot.staff == teacher_of[c.pk] for c, slot in run)
        assert run[0][1].ends_at == run[1][1].starts_at
    client.post(url, {"together": ",".join(str(slot.pk) for _c, slot in runs[0])})
    booked = dict(Booking.objects.values_list("conversation_id", "slot__staff"))
    assert booked == {pk: staff.pk for pk, staff in teacher_of.items()}


@pytest.mark.parametrize("families", [2, 12])
def test_day_schedule_and_feed_run_fixed_queries(
    setup, client, django_assert_num_queries, families
):
    _grow(setup, families)
    client.force_login(setup.teacher)
    url = reverse("conversations:day-schedule", args=[setup.round.pk])
    with django_assert_num_queries(3):
        response = client.get(url, {"dag": WINDOW_START})
    assert len(response.context["slots"]) == 30
    feed = CalendarFeed.objects.create(user=setup.teacher)
    client.logout()
    # The feed, its bookings; then the audit row of the download (the owner's roles for it).
    with django_assert_num_queries(2 + 1 + audit_write()):
        body = client.get(reverse("conversations:staff-feed", args=[feed.token])).content
    assert body.count(b"BEGIN:VEVENT") == Booking.objects.filter(slot__staff=setup.teacher).count()


def test_agreement_form_asks_for_what_its_schedule_needs(setup, client):
    client.force_login(setup.teacher)
    create = reverse("conversations:agreement-create", args=[setup.conversation.pk])
    base = {"what": "Bellen", "channel": "phone", "responsible": setup.teacher.pk}

    page = client.post(create, {**base, "schedule": "once"}, follow=True).content.decode()
    assert "Kies een datum voor deze afspraak." in page
    page = client.post(create, {**base, "schedule": "every_n_weeks"}, follow=True)
    assert "Vul in om de hoeveel weken." in page.content.decode()
    assert not setup.conversation.agreements.exists()

    # A date typed before switching to a repeating schedule is not kept.
    client.post(
        create, {**base, "schedule": "every_n_weeks", "interval_weeks": "3", "due_on": "2026-10-01"}
    )
    agreement = setup.conversation.agreements.get()
    assert (agreement.schedule, agreement.interval_weeks, agreement.due_on) == (
        "every_n_weeks",
        3,
        None,
    )
    log = reverse("conversations:conversation-log", args=[setup.conversation.pk])
    page = client.get(log).content.decode()
    assert "om de 3 weken" in page
    assert 'name="schedule"' in page and 'name="interval_weeks"' in page


def test_staff_mark_a_family_not_reached_from_the_group_page(setup, client):
    conversation = setup.conversation
    client.force_login(setup.ib)
    group_page = reverse(
        "conversations:group-detail", args=[conversation.round_id, conversation.group_id]
    )
    action = reverse("conversations:conversation-not-reached", args=[conversation.pk])
    assert action in client.get(group_page).content.decode()
    response = client.post(action, follow=True)
    assert "Genoteerd: niet bereikt" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "not_reached"
    assert action not in client.get(group_page).content.decode()


def test_a_booked_conversation_cannot_be_marked_not_reached(setup, client):
    services.book_slot(
        slot=setup.slots()[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    client.force_login(setup.ib)
    action = reverse("conversations:conversation-not-reached", args=[setup.conversation.pk])
    response = client.post(action, follow=True)
    assert "Er staat nog een gesprek gepland" in response.content.decode()
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == "booked"


def test_planner_closes_the_round_and_parents_can_no_longer_book(setup, client):
    services.open_round(round=setup.round, by=setup.ib)
    client.force_login(setup.teacher)
    close = reverse("conversations:round-close", args=[setup.round.pk])
    assert client.post(close).status_code == 404
    client.force_login(setup.ib)
    assert (
        close
        in client.get(reverse("conversations:round-detail", args=[setup.round.pk])).content.decode()
    )
    response = client.post(close, follow=True)
    assert "De ronde is gesloten" in response.content.decode()
    setup.round.refresh_from_db()
    assert not setup.round.is_open
    with pytest.raises(services.ConversationError, match="gesloten"):
        services.book_slot(
            slot=setup.slots()[0],
            conversation=setup.conversation,
            family=setup.family,
            by=setup.mother.user,
        )


def test_staff_take_back_a_free_time_but_not_a_booked_one(setup, client):
    free, taken = setup.slots()[:2]
    services.book_slot(
        slot=taken, conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    client.force_login(setup.ib)
    schedule = client.get(
        reverse("conversations:day-schedule", args=[setup.round.pk]),
        {"dag": free.starts_at.date().isoformat(), "medewerker": free.staff_id},
    ).content.decode()
    assert reverse("conversations:slot-remove", args=[free.pk]) in schedule
    assert reverse("conversations:slot-remove", args=[taken.pk]) not in schedule
    client.post(reverse("conversations:slot-remove", args=[free.pk]))
    response = client.post(reverse("conversations:slot-remove", args=[taken.pk]), follow=True)
    assert "al geboekt" in response.content.decode()
    assert not Slot.objects.filter(pk=free.pk).exists()
    assert Slot.objects.filter(pk=taken.pk).exists()


def test_cancelling_a_handled_booking_is_a_message_not_an_error_page(setup, client, frozen):
    slots = setup.slots()
    booking = services.book_slot(
        slot=slots[0], conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    frozen.move_to(slots[0].ends_at)
    services.mark_no_show(booking=booking, by=setup.ib)
    client.force_login(setup.ib)
    response = client.post(reverse("conversations:booking-cancel", args=[booking.pk]), follow=True)
    assert response.status_code == 200
    assert "afgehandeld" in response.content.decode()
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_a_planner_changing_the_day_stays_on_the_colleagues_schedule(setup, client):
    client.force_login(setup.ib)
    page = client.get(
        reverse("conversations:day-schedule", args=[setup.round.pk]),
        {"medewerker": setup.teacher.pk},
    ).content.decode()
    assert f'name="medewerker" value="{setup.teacher.pk}"' in page
