"""The portal home tells a guardian what to do next, what is planned with the school, and which
activities are coming, with their own answer."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conversations.services import book_slot
from parents.models import ContactMoment
from tests import factories as f
from tests.conversations.factories import RoundFactory, SlotFactory, StartConversationFactory
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory
from tests.partnership.factories import ActivityFactory, InvitationFactory

pytestmark = pytest.mark.django_db

HOME = reverse("parents:portal-home")
BOOKING = reverse("conversations:portal-booking")
# Booking is open (from 17 August), the window starts on 31 August.
TODAY = datetime.datetime(2026, 8, 20, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def child_in_round(guardian, round, first_name, **link):
    conversation = StartConversationFactory(round=round, pupil__first_name=first_name)
    f.PupilGuardianFactory(pupil=conversation.pupil, guardian=guardian, **link)
    return conversation


def home(client, guardian):
    client.force_login(guardian.user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_siblings_to_book_make_one_next_step_to_the_booking_page(client, world):
    guardian = world.s1.guardian
    round = RoundFactory(school=world.s1.school)
    child_in_round(guardian, round, "Yasmina")
    child_in_round(guardian, round, "Ilyas")
    actions = home(client, guardian).context["next_actions"]
    assert len(actions) == 1
    assert actions[0]["url"] == BOOKING
    assert "Yasmina" in actions[0]["label"] and "Ilyas" in actions[0]["label"]


def test_a_booked_child_is_no_longer_a_next_step(client, world):
    guardian = world.s1.guardian
    round = RoundFactory(school=world.s1.school)
    conversation = child_in_round(guardian, round, "Geboekt")
    slot = SlotFactory(round=round, staff=world.users["teacher"])
    book_slot(slot=slot, conversation=conversation, family=guardian.family, by=guardian.user)
    assert home(client, guardian).context["next_actions"] == []


def test_guardian_without_authority_is_not_asked_to_book(client, world):
    guardian = world.s1.guardian
    round = RoundFactory(school=world.s1.school)
    child_in_round(guardian, round, "Zonder", has_parental_authority=False)
    response = home(client, guardian)
    assert response.context["next_actions"] == []
    assert "U hoeft nu niets te doen." in response.content.decode()


def test_a_child_the_guardian_may_not_see_is_not_named_in_the_next_step(client, world):
    guardian = world.s1.guardian
    round = RoundFactory(school=world.s1.school)
    child_in_round(guardian, round, "Zichtbaar")
    child_in_round(guardian, round, "Afgeschermd", access_blocked_reason="rechterlijke uitspraak")
    actions = home(client, guardian).context["next_actions"]
    assert len(actions) == 1
    assert "Zichtbaar" in actions[0]["label"] and "Afgeschermd" not in actions[0]["label"]


def test_open_invitation_is_a_next_step_and_an_answered_one_shows_its_answer(client, world):
    guardian = world.s1.guardian
    open_one = InvitationFactory(
        activity=ActivityFactory(school=world.s1.school, title="Koffieochtend taal"),
        family=guardian.family,
    )
    InvitationFactory(
        activity=ActivityFactory(school=world.s1.school, title="Nieuwjaarsreceptie"),
        family=guardian.family,
        rsvp="yes",
    )
    response = home(client, guardian)
    actions = response.context["next_actions"]
    assert [a["url"] for a in actions] == [
        reverse("partnership:invitation-respond", args=[open_one.pk])
    ]
    page = response.content.decode()
    assert "Koffieochtend taal" in page and "U heeft nog niet geantwoord." in page
    assert "Nieuwjaarsreceptie" in page and "Uw antwoord: komt" in page


def test_past_activities_and_other_families_invitations_stay_out(client, world):
    guardian = world.s1.guardian
    InvitationFactory(
        activity=ActivityFactory(
            school=world.s1.school,
            title="Voorbij",
            starts_at=TODAY - datetime.timedelta(days=3),
        ),
        family=guardian.family,
    )
    InvitationFactory(
        activity=ActivityFactory(school=world.s3.school, title="Kanarievogel-ochtend"),
        family=world.s3.family,
    )
    page = home(client, guardian).content.decode()
    assert "Voorbij" not in page and "Kanarievogel" not in page


def test_next_moments_show_the_next_three_of_the_plan_for_children_the_guardian_sees(client, world):
    guardian = world.s1.guardian
    plan = CommunicationPlanFactory(family=guardian.family)
    agreement = AgreementFactory(plan=plan, pupil=world.s1.pupil, what="Bellen na het rapport")
    hidden = f.PupilFactory(school=world.s1.school, first_name="Verborgen")
    f.PupilGuardianFactory(
        pupil=hidden, guardian=guardian, has_parental_authority=False, information_right="none"
    )
    secret = AgreementFactory(plan=plan, pupil=hidden, what="Geheim gesprek")
    for days in (-2, 5, 9, 30, 60):
        ContactMoment.objects.create(
            agreement=agreement, due_on=TODAY.date() + datetime.timedelta(days=days)
        )
    ContactMoment.objects.create(agreement=secret, due_on=TODAY.date())
    moments = home(client, guardian).context["next_moments"]
    assert [m.due_on for m in moments] == [
        TODAY.date() + datetime.timedelta(days=days) for days in (5, 9, 30)
    ]
    assert "Geheim gesprek" not in home(client, guardian).content.decode()


@pytest.mark.parametrize("children", [1, 4])
def test_full_home_runs_a_fixed_number_of_queries(
    client, world, children, django_assert_num_queries
):
    guardian = world.s1.guardian
    round = RoundFactory(school=world.s1.school)
    plan = CommunicationPlanFactory(family=guardian.family)
    for number in range(children):
        conversation = child_in_round(guardian, round, f"Kind{number}")
        agreement = AgreementFactory(plan=plan, pupil=conversation.pupil)
        ContactMoment.objects.create(agreement=agreement, due_on=TODAY.date())
        InvitationFactory(activity=ActivityFactory(school=world.s1.school), family=guardian.family)
    client.force_login(guardian.user)
    # As the plain home page (with the information card, new messages from school and answered
    # ideas and complaints, support plans to answer, meetings to come and the outside help the
    # parents were told about), plus the open conversations' bookings.
    with django_assert_num_queries(16):
        response = client.get(HOME)
    assert len(response.context["next_actions"]) == 1 + min(children, 3)
    assert len(response.context["next_moments"]) == min(children, 3)
