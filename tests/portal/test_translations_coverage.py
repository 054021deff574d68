"""The demo guardian reads the parent pages of start conversations and activities in Arabic.

Each page is rendered in Dutch first: every text of its template that shows there must, in
Arabic, be replaced by its Arabic translation.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from parents.models import Guardian
from partnership import demo
from partnership.demo import GUARDIAN_EMAIL

pytestmark = pytest.mark.django_db

# A weekday in the autumn, when the demo round of start conversations is open for booking.
SCHOOL_DAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def guardian_client(client):
    with time_machine.travel(SCHOOL_DAY, tick=False):
        for step in demo.DEMO_STEPS:
            step()
        client.force_login(Guardian.objects.get(email=GUARDIAN_EMAIL).user)
        yield client


def arabic_catalog():
    path = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale="ar")


def read_in(client, language, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def texts_shown(template, page):
    """(Dutch, Arabic) of the plain texts of ``template`` that the Dutch page shows."""
    return [
        (message.id, message.string)
        for message in arabic_catalog()
        if isinstance(message.id, str)
        and "%(" not in message.id
        and any(path == template for path, _line in message.locations)
        and escape(message.id) in page
    ]


@pytest.mark.parametrize(
    ("url", "template", "arabic_sample"),
    [
        (
            lambda: reverse("conversations:portal-booking"),
            "templates/conversations/portal_booking.html",
            "احجز هذه الأوقات",  # "Boek deze tijden"
        ),
        (
            lambda: reverse("partnership:invitation-list"),
            "templates/partnership/invitation_list.html",
            "هل ستحضر؟ اضغط للرد.",  # "Komt u? Tik om te antwoorden."
        ),
    ],
    ids=["booking", "activity-invitations"],
)
def test_parent_page_is_arabic(guardian_client, url, template, arabic_sample):
    dutch = read_in(guardian_client, "nl", url())
    arabic = read_in(guardian_client, "ar", url())

    shown = texts_shown(template, dutch)
    assert len(shown) >= 4, shown  # the demo fills the page: it is not the empty state
    for source, translation in shown:
        assert translation, f"no Arabic for {source!r}"
        assert escape(translation) in arabic
        assert escape(source) not in arabic
    assert arabic_sample in arabic
    assert '<html lang="ar" dir="rtl">' in arabic


def test_rsvp_page_buttons_are_arabic(guardian_client):
    invitation = guardian_client.get(reverse("partnership:invitation-list"))
    first = invitation.context["invitations"][0]
    arabic = read_in(
        guardian_client, "ar", reverse("partnership:invitation-respond", args=[first.pk])
    )
    for dutch, translation in (("Ik kom", "سأحضر"), ("Ik kom niet", "لن أحضر")):
        assert translation in arabic
        assert f">{dutch}<" not in arabic
