"""Every text a parent can read exists in every parent language; every text exists in English."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
# Files whose texts parents read: the portal, the login-by-code pages, the page frame.
PARENT_SOURCES = (
    "templates/parents/portal_",
    "templates/account/",
    "templates/base.html",
    "templates/navigation.html",
    "templates/schools/who_does_what.html",
    "templates/schools/no_access.html",
    "parents/portal_",
)
PARENT_LANGUAGES = ["en", "ar", "tr", "pl", "bg", "uk"]


def catalog(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def is_parent_text(message):
    return any(path.startswith(PARENT_SOURCES) for path, _line in message.locations)


@pytest.mark.parametrize("language", PARENT_LANGUAGES)
def test_every_parent_text_is_translated(language):
    untranslated = [
        message.id
        for message in catalog(language)
        if message.id and is_parent_text(message) and not message.string
    ]
    assert not untranslated, f"{language}: {untranslated}"


def test_every_text_has_an_english_translation():
    untranslated = [
        message.id
        for message in catalog("en")
        if message.id and not (all(message.string) if message.pluralizable else message.string)
    ]
    assert not untranslated


@pytest.mark.parametrize("language", PARENT_LANGUAGES)
def test_placeholders_survive_translation(language):
    broken = [
        message.id
        for message in catalog(language)
        if message.id
        and not message.pluralizable
        and message.string
        and sorted(_placeholders(message.id)) != sorted(_placeholders(message.string))
    ]
    assert not broken, f"{language}: {broken}"


def _placeholders(text):
    return re.findall(r"%\(\w+\)s", text)


@pytest.mark.django_db
def test_the_portal_speaks_arabic_right_to_left(client, world):
    client.force_login(world.s1.guardian.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get("/ouders/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "أطفالي" in page  # "Mijn kinderen"
