"""A message from school reaches each guardian in their own language: the mail the outbox sends
and the portal page, labelled when a machine translated it; and the composer says beforehand who
gets a translation, who gets Dutch and who needs an interpreter."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messaging import services
from messaging.models import Translation
from messaging.reminder_rules import AnnouncementRule
from reminders import dispatch
from tests import factories as f

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=AMS)
SUBJECT = "Studiedag vrijdag"
BODY = "Vrijdag zijn alle kinderen vrij."
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def add_guardian(world, language, *, interpreter=False):
    """A guardian of a child in S1's group 5 who reads ``language``."""
    guardian = f.GuardianFactory(
        family=f.FamilyFactory(board=world.b1), language=language, needs_interpreter=interpreter
    )
    pupil = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=pupil, group=world.s1.group)
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    return guardian


def to_group(world):
    return services.send_announcement(
        school=world.s1.school,
        by=world.users["teacher"],
        audience="groups",
        groups=[world.s1.group],
        subject=SUBJECT,
        body=BODY,
    )


def test_the_mail_goes_out_translated_and_labelled_in_the_guardians_language(world, deepl):
    turkish = add_guardian(world, "tr")
    dutch = add_guardian(world, "nl")
    to_group(world)
    dispatch.scan()
    dispatch.send_batch()
    (mail_tr,) = [m for m in mail.outbox if m.to == [turkish.email] and "[tr]" in m.body]
    assert mail_tr.subject.startswith(f"[tr] {SUBJECT}")
    assert f"[tr] {BODY}" in mail_tr.body
    assert "Felemenkçeden otomatik olarak çevrildi." in mail_tr.body
    assert "/bericht/" in mail_tr.body  # the original is behind the link
    (mail_nl,) = [m for m in mail.outbox if m.to == [dutch.email] and BODY in m.body]
    assert "[tr]" not in mail_nl.body and "Automatisch vertaald" not in mail_nl.body
    # One request per text and language, however many Turkish readers.
    assert len(deepl.requests) == 2


def test_with_the_service_off_a_teachers_own_translation_is_sent_without_a_label(world, settings):
    settings.TRANSLATION_BACKEND = ""
    turkish = add_guardian(world, "tr")
    to_group(world)
    dispatch.scan()  # the texts are noted as wanted; the mail of this scan is Dutch
    wanted = Translation.objects.get(original=BODY, language="tr", text="")
    services.save_own_translation(
        translation=wanted, text="Cuma günü tüm çocuklar tatil.", by=world.users["teacher"]
    )
    second = to_group(world)
    dispatch.scan()
    dispatch.send_batch()
    recipient = second.recipients.get(guardian=turkish)
    (ours,) = [m for m in mail.outbox if m.to == [turkish.email] and recipient.token in m.body]
    assert "Cuma günü tüm çocuklar tatil." in ours.body
    assert "otomatik" not in ours.body


def test_the_portal_shows_the_message_translated_with_the_original(client, world, deepl):
    world.s1.guardian.language = "tr"
    world.s1.guardian.save(update_fields=["language"])
    announcement = to_group(world)
    client.force_login(world.users["guardian"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    inbox = client.get(reverse("messaging:portal-inbox")).content.decode()
    assert f'<bdi lang="tr">[tr] {SUBJECT}</bdi>' in inbox
    url = reverse("messaging:portal-announcement-detail", args=[announcement.pk])
    page = client.get(url).content.decode()
    assert f'<h1><bdi lang="tr">[tr] {SUBJECT}</bdi></h1>' in page
    assert f'<div lang="tr" dir="auto"><p>[tr] {BODY}</p></div>' in page
    assert "(otomatik çeviri)" in page
    assert f'<div lang="nl" dir="auto"><p>{BODY}</p></div>' in page


def test_the_link_in_the_mail_shows_an_arabic_reader_the_translation(client, world, deepl):
    world.s1.guardian.language = "ar"
    world.s1.guardian.save(update_fields=["language"])
    recipient = to_group(world).recipients.get(guardian=world.s1.guardian)
    page = client.get(reverse("messaging:read-link", args=[recipient.token])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<div lang="ar" dir="auto"><p>[ar] {BODY}</p></div>' in page
    assert f'<bdi lang="nl">{SUBJECT}</bdi>' in page  # the original, one tap away


def compose(client, world):
    client.force_login(world.users["teacher"])
    response = client.post(
        reverse("messaging:announcement-create", args=[world.s1.school.pk]),
        {
            "audience": "groups",
            "kind": "news",
            "groups": [world.s1.group.pk],
            "subject": SUBJECT,
            "body": BODY,
            "preview": "1",
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_composer_says_who_gets_a_translation_dutch_or_an_interpreter(client, world, deepl):
    turkish = add_guardian(world, "tr")
    tigrinya = add_guardian(world, "ti")
    arabic_interpreter = add_guardian(world, "ar", interpreter=True)
    page = compose(client, world)
    translated_part = page.split('data-preview="translated"')[1].split("</ul>")[0]
    other_part = page.split('data-preview="other"')[1].split("</ul>")[0]
    interpreter_part = page.split('data-preview="interpreter"')[1].split("</ul>")[0]
    assert turkish.full_name in translated_part and "Türkçe" in translated_part
    assert tigrinya.full_name in other_part and tigrinya.full_name not in translated_part
    assert arabic_interpreter.full_name in interpreter_part
    assert "automatisch vertaald, met het origineel erbij" in page
    assert deepl.requests == []  # a preview translates nothing yet


def test_with_the_service_off_the_composer_names_the_families_that_get_dutch(
    client, world, settings
):
    settings.TRANSLATION_BACKEND = ""
    turkish = add_guardian(world, "tr")
    page = compose(client, world)
    assert 'data-preview="translated"' not in page
    assert "iedereen krijgt uw tekst in het Nederlands" in page
    assert turkish.full_name in page.split('data-preview="other"')[1].split("</ul>")[0]


def rule_queries(world, turkish_readers):
    """The queries the announcement rule runs to render a message to the group."""
    for _ in range(turkish_readers):
        add_guardian(world, "tr")
    to_group(world)
    with CaptureQueriesContext(connection) as queries:
        items = list(AnnouncementRule().due(timezone.now()))
    assert all(f"[tr] {BODY}" in i.body for i in items if i.language == "tr")
    return len(queries)


def test_the_outbox_reads_the_stored_translations_once_however_many_readers(world, deepl):
    add_guardian(world, "tr")
    to_group(world)
    dispatch.scan()  # a first message stores the translations of its texts
    few = rule_queries(world, 1)
    dispatch.scan()
    many = rule_queries(world, 6)
    assert few == many
    assert len(deepl.requests) == 2  # the subject and the body, once
