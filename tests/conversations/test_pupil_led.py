"""Pupil-led conversations (kindgesprekken, issue 21 item 3): three rounds a year made in one step,
parents book siblings adjacent as for the start conversation, the pupil's portfolio and own words
appear in the log, the agreements of pupil, parents and teacher reach the communication plan, and
photos follow the photo consent."""

import datetime
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from conversations import pupil_led, services
from conversations.models import Booking, PortfolioItem, Round, RoundKind
from conversations.services import ConversationError
from parents.consent import answer_photo_consent
from parents.models import CommunicationPlan, PhotoPurpose
from tests import factories as f
from tests.conversations.factories import at

pytestmark = pytest.mark.django_db

ROUND_DAY = datetime.date(2026, 12, 1)  # a Tuesday in the window of the first pupil-led round
PORTAL_QUERIES = 7
STAFF_QUERIES = 6


@pytest.fixture(autouse=True)
def _photos_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def photo(name="tekening.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), "orange").save(out, format="JPEG")
    return ContentFile(out.getvalue(), name=name)


def stored_photos():
    return default_storage.listdir("portfolio")[1] if default_storage.exists("portfolio") else []


def consent(setup, given):
    answer_photo_consent(
        guardian=setup.mother,
        pupil=setup.child,
        year=setup.year,
        answers=dict.fromkeys(PhotoPurpose.values, given),
        by=setup.mother.user,
    )


@pytest.fixture
def pupil_led_round(setup):
    """The first pupil-led round of 2026-2027, open, with the families invited; the start round
    closed, so that the portal offers only the pupil-led conversations."""
    services.close_round(round=setup.round, by=setup.ib)
    first = pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )[0]
    services.open_round(round=first, by=setup.ib)
    services.invite_families(round=first, by=setup.ib)
    return first


def conversation_of(round_, pupil):
    return round_.conversations.get(pupil=pupil)


def test_the_three_rounds_of_the_year_are_made_in_one_step_each_in_another_term(setup):
    made = pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )

    assert [(r.kind, r.number) for r in made] == [(RoundKind.PUPIL_LED, n) for n in (1, 2, 3)]
    # The last weeks of the terms before Christmas, before the May holiday and before summer;
    # the first term holds the start conversations.
    assert [(r.window_start, r.window_end) for r in made] == [
        (datetime.date(2026, 11, 30), datetime.date(2026, 12, 18)),
        (datetime.date(2027, 4, 5), datetime.date(2027, 4, 23)),
        (datetime.date(2027, 6, 28), datetime.date(2027, 7, 16)),
    ]
    assert made[0].title == "Kindgesprekken 2026-2027, ronde 1"
    # The start round of the year stays the one start round.
    assert Round.objects.filter(school=setup.school, kind=RoundKind.START).count() == 1
    with pytest.raises(ConversationError, match="bestaan al"):
        pupil_led.create_pupil_led_rounds(school=setup.school, school_year=setup.year, by=setup.ib)


def test_only_the_director_or_ib_makes_the_rounds(setup, client):
    client.force_login(setup.teacher)
    url = reverse("conversations:pupil-led-rounds-create", args=[setup.school.pk])
    assert client.post(url).status_code == 404
    client.force_login(setup.ib)
    response = client.post(url, follow=True)
    assert "3 rondes kindgesprekken gemaakt" in response.content.decode()
    assert Round.objects.filter(school=setup.school, kind=RoundKind.PUPIL_LED).count() == 3


def test_parents_book_two_siblings_adjacent_in_a_pupil_led_round(setup, pupil_led_round, client):
    for staff, hour in ((setup.teacher, 13), (setup.teacher6, 13)):
        services.generate_slots(
            round=pupil_led_round,
            staff=staff,
            day=ROUND_DAY,
            start=datetime.time(hour),
            end=datetime.time(15),
            by=setup.ib,
        )
    client.force_login(setup.mother.user)
    page = client.get(reverse("conversations:portal-booking"))
    run = page.context["suggestions"][0]
    together = ",".join(str(slot.pk) for _c, slot in run)

    client.post(reverse("conversations:portal-booking"), {"together": together})

    bookings = sorted(
        Booking.objects.filter(conversation__round=pupil_led_round), key=lambda b: b.slot.starts_at
    )
    assert [b.conversation.pupil for b in bookings] == [setup.child, setup.sibling]
    assert bookings[0].slot.ends_at == bookings[1].slot.starts_at
    assert {b.slot.staff for b in bookings} == {setup.teacher, setup.teacher6}


def test_the_pupils_items_and_words_appear_in_the_log_and_the_agreements_in_the_plan(
    setup, pupil_led_round, client
):
    conversation = conversation_of(pupil_led_round, setup.child)
    slot = services.generate_slots(
        round=pupil_led_round,
        staff=setup.teacher,
        day=ROUND_DAY,
        start=datetime.time(13),
        end=datetime.time(14),
        by=setup.ib,
    )[0]
    services.book_slot(
        slot=slot, conversation=conversation, family=setup.family, by=setup.mother.user
    )
    client.force_login(setup.teacher)
    client.post(
        reverse("conversations:portfolio-item-create", args=[conversation.pk]),
        {"text": "Mijn werkstuk over bijen", "photo": photo()},
    )
    client.post(
        reverse("conversations:portfolio-detail", args=[conversation.pk]),
        {"pupil_proud_of": "Ik lees nu AVI E4", "pupil_learn_next": "Breuken"},
    )

    log = client.get(reverse("conversations:conversation-log", args=[conversation.pk]))

    page = log.content.decode()
    assert "Mijn werkstuk over bijen" in page
    assert "Ik lees nu AVI E4" in page and "Breuken" in page
    assert "Afspraken van Ilyas, de ouders en de leerkracht" in page
    item = PortfolioItem.objects.get()
    assert reverse("conversations:portfolio-photo", args=[item.pk]) in page

    services.save_draft(
        conversation=conversation,
        by=setup.teacher,
        values={"child_present": True},
        guardians=[setup.mother],
    )
    services.add_agreement(
        conversation=conversation,
        by=setup.teacher,
        what="Ilyas oefent elke week breuken met zijn moeder",
        channel="email",
        responsible=setup.teacher,
        schedule="weekly",
    )
    with time_machine.travel(at(ROUND_DAY, 14), tick=False):
        services.complete_conversation(conversation=conversation, by=setup.teacher)

    plan = CommunicationPlan.objects.get(family=setup.family, school_year=setup.year)
    assert [a.what for a in plan.agreements.all()] == [
        "Ilyas oefent elke week breuken met zijn moeder"
    ]


def test_a_pupil_led_conversation_is_not_held_without_the_pupil(setup, pupil_led_round):
    conversation = conversation_of(pupil_led_round, setup.child)
    services.save_draft(
        conversation=conversation,
        by=setup.teacher,
        values={"child_present": False, "child_absent_reason": "ziek"},
        guardians=[setup.mother],
    )
    services.add_agreement(
        conversation=conversation,
        by=setup.teacher,
        what="Bellen",
        channel="phone",
        responsible=setup.teacher,
        schedule="monthly",
    )
    with pytest.raises(ConversationError, match="vertelt het kind zelf"):
        services.complete_conversation(conversation=conversation, by=setup.teacher)


def test_parents_see_their_own_childs_items_before_the_conversation(setup, pupil_led_round, client):
    conversation = conversation_of(pupil_led_round, setup.child)
    item = pupil_led.add_portfolio_item(
        conversation=conversation, by=setup.teacher, text="Mijn kleitoren", photo=photo()
    )
    pupil_led.save_pupil_voice(
        conversation=conversation,
        by=setup.teacher,
        proud_of="Ik kan zwemmen",
        learn_next="Schaken",
    )
    other = f.GuardianFactory(user=f.UserFactory())  # a parent of another family
    client.force_login(setup.mother.user)

    page = client.get(reverse("conversations:portal-portfolio")).content.decode()
    assert "Mijn kleitoren" in page and "Ik kan zwemmen" in page and "Schaken" in page
    photo_url = reverse("conversations:portfolio-photo", args=[item.pk])
    assert photo_url in page
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"

    client.force_login(other.user)
    assert (
        "Mijn kleitoren"
        not in client.get(reverse("conversations:portal-portfolio")).content.decode()
    )
    assert client.get(photo_url).status_code == 404


def test_a_photo_of_the_child_needs_the_portal_consent_a_photo_of_the_work_does_not(
    setup, pupil_led_round
):
    conversation = conversation_of(pupil_led_round, setup.child)

    with pytest.raises(ConversationError, match="geen toestemming"):
        pupil_led.add_portfolio_item(
            conversation=conversation,
            by=setup.teacher,
            text="Ik op het podium",
            photo=photo(),
            photo_shows_child=True,
        )
    assert stored_photos() == []

    work = pupil_led.add_portfolio_item(
        conversation=conversation, by=setup.teacher, text="Mijn schilderij", photo=photo()
    )
    assert default_storage.exists(work.photo.name)

    consent(setup, True)
    on_stage = pupil_led.add_portfolio_item(
        conversation=conversation,
        by=setup.teacher,
        text="Ik op het podium",
        photo=photo(),
        photo_shows_child=True,
    )
    assert on_stage.photo_shows_child


def test_withdrawn_consent_hides_the_childs_photo_from_the_portal(setup, pupil_led_round, client):
    consent(setup, True)
    conversation = conversation_of(pupil_led_round, setup.child)
    item = pupil_led.add_portfolio_item(
        conversation=conversation,
        by=setup.teacher,
        text="Ik op het podium",
        photo=photo(),
        photo_shows_child=True,
    )
    consent(setup, False)
    client.force_login(setup.mother.user)
    photo_url = reverse("conversations:portfolio-photo", args=[item.pk])

    page = client.get(reverse("conversations:portal-portfolio")).content.decode()
    assert "Ik op het podium" in page and photo_url not in page
    assert client.get(photo_url).status_code == 404
    client.force_login(setup.teacher)  # the school still has the child's own work
    assert client.get(photo_url).status_code == 200


def test_bad_input_gets_a_dutch_message_and_keeps_the_items(setup, pupil_led_round, client):
    conversation = conversation_of(pupil_led_round, setup.child)
    client.force_login(setup.teacher)
    url = reverse("conversations:portfolio-item-create", args=[conversation.pk])
    for n in range(5):
        client.post(url, {"text": f"Stuk {n}"})

    response = client.post(url, {"text": "Nog een"}, follow=True)

    assert "Kies hoogstens 5 stukken" in response.content.decode()
    assert PortfolioItem.objects.count() == 5
    with pytest.raises(ConversationError, match="geen foto"):
        pupil_led.add_portfolio_item(
            conversation=conversation,
            by=setup.teacher,
            text="Brief",
            photo=ContentFile(b"%PDF-1.4", name="brief.jpg"),
        )


def test_a_teacher_of_another_group_sees_nothing_of_the_portfolio(setup, pupil_led_round, client):
    conversation = conversation_of(pupil_led_round, setup.child)
    item = pupil_led.add_portfolio_item(
        conversation=conversation, by=setup.teacher, text="Mijn kleitoren", photo=photo()
    )
    client.force_login(setup.teacher6)  # teaches the sibling's group, not Ilyas's
    assert (
        client.get(reverse("conversations:portfolio-detail", args=[conversation.pk])).status_code
        == 404
    )
    assert client.get(reverse("conversations:portfolio-photo", args=[item.pk])).status_code == 404
    with pytest.raises(ConversationError):
        pupil_led.add_portfolio_item(conversation=conversation, by=setup.teacher6, text="Iets")


@pytest.mark.parametrize("items", [1, 5])
def test_the_portfolio_pages_run_fixed_queries(
    setup, pupil_led_round, client, django_assert_num_queries, items
):
    for pupil in (setup.child, setup.sibling):
        conversation = conversation_of(pupil_led_round, pupil)
        teacher = setup.teacher if pupil == setup.child else setup.teacher6
        for n in range(items):
            pupil_led.add_portfolio_item(
                conversation=conversation, by=teacher, text=f"Stuk {n}", photo=photo()
            )
    client.force_login(setup.mother.user)
    with django_assert_num_queries(PORTAL_QUERIES):
        response = client.get(reverse("conversations:portal-portfolio"))
    assert sum(len(c.items) for c in response.context["conversations"]) == 2 * items

    client.force_login(setup.teacher)
    url = reverse(
        "conversations:portfolio-detail", args=[conversation_of(pupil_led_round, setup.child).pk]
    )
    with django_assert_num_queries(STAFF_QUERIES):
        response = client.get(url)
    assert len(response.context["items"]) == items


def test_with_the_start_round_still_open_each_round_offers_its_own_adjacent_times(setup, client):
    first = pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )[0]
    services.open_round(round=first, by=setup.ib)
    services.invite_families(round=first, by=setup.ib)
    for staff in (setup.teacher, setup.teacher6):
        setup.slots(staff=staff, hour=8, until=9)
        services.generate_slots(
            round=first,
            staff=staff,
            day=ROUND_DAY,
            start=datetime.time(13),
            end=datetime.time(14),
            by=setup.ib,
        )
    client.force_login(setup.mother.user)
    runs = client.get(reverse("conversations:portal-booking")).context["suggestions"]
    # The start conversations' runs first, then the pupil-led round's; never one mixing both.
    assert [run[0][1].round_id for run in runs][0] == setup.round.pk
    assert {run[0][1].round_id for run in runs} == {setup.round.pk, first.pk}
    assert all(len({slot.round_id for _c, slot in run}) == 1 for run in runs)
    pupil_led_run = next(run for run in runs if run[0][1].round_id == first.pk)

    client.post(
        reverse("conversations:portal-booking"),
        {"together": ",".join(str(slot.pk) for _c, slot in pupil_led_run)},
    )

    booked = Booking.objects.filter(conversation__round=first).order_by("slot__starts_at")
    assert [b.conversation.pupil for b in booked] == [setup.child, setup.sibling]
    assert booked[0].slot.ends_at == booked[1].slot.starts_at
    assert not Booking.objects.filter(conversation__round=setup.round).exists()
