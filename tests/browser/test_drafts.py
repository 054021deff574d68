"""RELIABILITY C4, second half: a teacher's session expires while she writes a long note. The
save fails, the page says why, and after logging in again the note is back, character for
character; once saved, the browser forgets it."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from parents.models import ContactLog, Family

pytestmark = pytest.mark.browser

NOTE = (
    "Moeder belde over de eerste weken. Ilyas slaapt slecht sinds de verhuizing; ze vraagt of "
    "de juf let op vermoeidheid na de gymles. Afgesproken: vrijdag even bijpraten op het plein. "
    "Vader werkt in ploegendienst en leest liever Arabisch: مرحبا، شكرا على الاتصال. "
) * 3


def test_a_note_survives_an_expired_session_and_is_forgotten_once_saved(demo, login, live_server):
    teacher = get_user_model().objects.get(email="leerkracht@demo.test")
    family = Family.objects.visible_to(teacher).order_by("name").first()
    url = f"{live_server.url}/gezinnen/{family.pk}/"

    page = login("leerkracht@demo.test")
    page.goto(url)
    page.get_by_label("Kort verslag").fill(NOTE)
    # The session ends on the server while she types: gone from the cache and the database.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()
    page.get_by_label("positief", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-session-expired]")).to_contain_text("uitgelogd")
    assert not ContactLog.objects.filter(summary=NOTE).exists()

    login("leerkracht@demo.test")
    page.goto(url)
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    kept = page.get_by_label("Kort verslag").input_value()
    assert len(kept) == len(NOTE) and kept == NOTE  # characters lost: 0

    page.get_by_label("positief", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#timeline")).to_contain_text("Ilyas slaapt slecht")
    # Forms strip the spaces at the ends; every other character is kept.
    assert ContactLog.objects.filter(summary=NOTE.strip(), family=family).exists()
    page.reload()
    expect(page.get_by_label("Kort verslag")).to_have_value("")
    expect(page.locator("[data-draft-restored]")).to_have_count(0)
