"""The acknowledgement of a parent's message follows the parent's language: a parent who switches
language after writing reads it in the new language while the conversation is open."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from messaging import services
from parents import portal_services

pytestmark = pytest.mark.django_db
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def conversation(world, client):
    """The world's Dutch-speaking guardian wrote to school and is signed in."""
    thread = portal_services.send_guardian_message(
        guardian=world.s1.guardian, pupil=world.s1.pupil, kind="call_request", text="Bel mij."
    ).thread
    client.force_login(world.users["guardian"])
    return thread


def _page(client, thread) -> str:
    url = reverse("messaging:portal-thread-detail", kwargs={"pk": thread.pk})
    return client.get(url).content.decode()


def _switch_language(client, language: str) -> None:
    client.post(reverse("parents:portal-language-set"), {"language": language, "next": "/"})


def test_after_switching_to_arabic_the_open_conversation_acknowledges_in_arabic(
    client, world, conversation
):
    teacher = world.users["teacher"].get_full_name()
    assert f"Dank u voor uw bericht. {teacher} antwoordt u uiterlijk woensdag" in _page(
        client, conversation
    )

    _switch_language(client, "ar")

    page = _page(client, conversation)
    assert 'dir="rtl"' in page
    assert f"شكرًا على رسالتك. سيرد عليك {teacher} في موعد أقصاه" in page
    assert "Dank u voor uw bericht" not in page
    # What was sent stays on record as it was sent.
    assert conversation.posts.get(kind="ack").text.startswith("Dank u voor uw bericht.")


def test_switching_back_shows_the_acknowledgement_in_dutch_again(client, world, conversation):
    _switch_language(client, "tr")
    assert "Mesajınız için teşekkür ederiz." in _page(client, conversation)

    _switch_language(client, "nl")

    page = _page(client, conversation)
    assert "Dank u voor uw bericht." in page
    assert "Mesajınız için teşekkür ederiz." not in page


def test_a_closed_conversation_keeps_the_acknowledgement_as_it_was_sent(
    client, world, conversation
):
    services.close_thread(thread=conversation, by=world.users["teacher"])

    _switch_language(client, "pl")

    assert "Dank u voor uw bericht." in _page(client, conversation)
