"""A conversation in two languages: the parent reads the school's answer in their own language
(labelled, the original one tap away), staff read the parent's message in Dutch, and Dutch on an
Arabic page stays apart from the sentence around it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from messaging import services
from parents import portal_services

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=AMS)
ANSWER = "Ik bel u morgen om vijf uur."
# However many answers: their stored translations are read in one query for the whole page.
QUERIES = 10
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def conversation(world, *, language, text="Kunt u mij bellen?"):
    guardian = world.s1.guardian
    guardian.language = language
    guardian.save(update_fields=["language"])
    return portal_services.send_guardian_message(
        guardian=guardian, pupil=world.s1.pupil, kind="call_request", text=text
    ).thread


def read_as_parent(client, world, thread, language):
    client.force_login(world.users["guardian"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("messaging:portal-thread-detail", args=[thread.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_turkish_parent_reads_the_answer_translated_labelled_with_the_dutch_original(
    client, world, deepl
):
    thread = conversation(world, language="tr")
    services.answer_thread(thread=thread, by=world.users["teacher"], text=ANSWER)
    page = read_as_parent(client, world, thread, "tr")
    assert f'<div lang="tr" dir="auto"><p>[tr] {ANSWER}</p></div>' in page
    assert "(otomatik çeviri)" in page
    assert "<summary>Orijinal metni görün</summary>" in page
    assert f'<div lang="nl" dir="auto"><p>{ANSWER}</p></div>' in page
    # A second visit asks the service nothing.
    asked = len(deepl.requests)
    read_as_parent(client, world, thread, "tr")
    assert len(deepl.requests) == asked


def test_with_the_service_off_the_dutch_answer_stays_apart_on_an_arabic_page(
    client, world, settings
):
    settings.TRANSLATION_BACKEND = ""
    thread = conversation(world, language="ar")
    services.answer_thread(thread=thread, by=world.users["teacher"], text=ANSWER)
    page = read_as_parent(client, world, thread, "ar")
    assert 'dir="rtl"' in page
    assert f'<div lang="nl" dir="auto"><p>{ANSWER}</p></div>' in page
    assert "<details" not in page


def test_staff_read_the_parents_message_and_reply_in_dutch_with_the_original(client, world, deepl):
    thread = conversation(world, language="tr", text="Beni arar mısınız?")
    services.reply_as_guardian(thread=thread, guardian=world.s1.guardian, text="Teşekkürler.")
    client.force_login(world.users["teacher"])
    page = client.get(reverse("messaging:thread-detail", args=[thread.pk])).content.decode()
    assert '<div lang="nl" dir="auto"><p>[nl] Beni arar mısınız?</p></div>' in page
    assert '<div lang="nl" dir="auto"><p>[nl] Teşekkürler.</p></div>' in page
    assert page.count("(automatisch vertaald)") == 2
    assert '<div lang="tr" dir="auto"><p>Beni arar mısınız?</p></div>' in page
    assert "<summary>Bekijk de oorspronkelijke tekst</summary>" in page
    sent = [(body["source_lang"], body["target_lang"]) for _p, _h, body in deepl.requests]
    assert set(sent) == {("TR", "NL")}


def test_a_message_in_a_language_schouder_does_not_speak_is_shown_as_written(client, world, deepl):
    thread = conversation(world, language="ti", text="ሰላም")
    client.force_login(world.users["teacher"])
    page = client.get(reverse("messaging:thread-detail", args=[thread.pk])).content.decode()
    assert '<div lang="ti" dir="auto"><p>ሰላም</p></div>' in page
    assert "automatisch vertaald" not in page
    assert deepl.requests == []


@pytest.mark.parametrize("answers", [1, 6])
def test_the_parents_conversation_page_runs_fixed_queries(
    client, world, deepl, answers, django_assert_num_queries
):
    thread = conversation(world, language="tr")
    for number in range(answers):
        services.answer_thread(thread=thread, by=world.users["teacher"], text=f"{ANSWER} {number}")
    read_as_parent(client, world, thread, "tr")  # the translations are stored once
    with django_assert_num_queries(QUERIES):
        read_as_parent(client, world, thread, "tr")
