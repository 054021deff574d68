"""A Turkish-reading parent reads what staff wrote in Turkish (translated by a local stand-in
for LibreTranslate), labelled as machine translation, and opens the Dutch original by keyboard;
the pages pass axe-core at 320 px in Dutch and Arabic; "Voorlezen" shows only where the browser
has a voice for the page's language."""

# The fixtures imported below are named as the tests' parameters, as pytest wants them.
# ruff: noqa: F811
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parents.models import Guardian
from partnership.demo.activities import SERIES_TITLE
from partnership.models import Invitation
from tests.browser.test_parent_portal import axe, guardian_login, switch_language  # noqa: F401
from tests.messaging.translation_servers import libretranslate  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 740}
# The browser's voices, as a phone with a Turkish voice has them; speaking is recorded.
TURKISH_VOICE = """
(() => {
  window.spoken = [];
  const voices = [{lang: "tr-TR", name: "Türkçe", voiceURI: "tr", localService: true}];
  Object.defineProperty(window.speechSynthesis, "getVoices", {value: () => voices});
  Object.defineProperty(window.speechSynthesis, "speak", {
    value: (utterance) => window.spoken.push({text: utterance.text, lang: utterance.lang}),
  });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""


def turkish_parent():
    """The first Turkish-reading demo parent whose family is invited to the next coffee
    morning, and that invitation."""
    invitation = (
        Invitation.objects.filter(
            activity__title=SERIES_TITLE,
            activity__starts_at__gt=timezone.now(),
            family__guardians__language="tr",
        )
        .exclude(family__guardians__email="")
        .order_by("activity__starts_at", "pk")
        .first()
    )
    guardian = (
        Guardian.objects.filter(family=invitation.family, language="tr")
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    return guardian, invitation


def test_turkish_parent_reads_a_staff_title_translated_labelled_and_opens_the_original(
    demo,
    libretranslate,
    guardian_login,
    axe,
    live_server,
    page,
):
    guardian, invitation = turkish_parent()
    page.set_viewport_size(PHONE)
    guardian_login(guardian.email)
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    page.goto(live_server.url + reverse("partnership:invitation-respond", args=[invitation.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kahve sabahı")
    title_original = page.locator("details.translated-original").first
    expect(page.locator(".translated-label").first).to_have_text("(otomatik çeviri)")
    expect(title_original.locator("bdi[lang=nl]")).to_be_hidden()
    # One tap away, and by keyboard too.
    title_original.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(title_original.locator("bdi[lang=nl]")).to_be_visible()
    expect(title_original.locator("bdi[lang=nl]")).to_have_text(SERIES_TITLE)
    assert any(body["q"] == SERIES_TITLE for _p, _h, body in libretranslate.requests)

    for language in ("nl", "ar"):
        switch_language(page, language)
        for path in (
            reverse("parents:portal-home"),
            reverse("partnership:invitation-respond", args=[invitation.pk]),
            reverse("parents:portal-plan"),
            reverse("parents:portal-preferences"),
            reverse("schools:who-does-what", args=[invitation.activity.school_id]),
        ):
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            axe(page)


def test_read_aloud_shows_only_with_a_voice_for_the_pages_language(
    demo,
    libretranslate,
    guardian_login,
    live_server,
    page,
):
    guardian, invitation = turkish_parent()
    page.add_init_script(TURKISH_VOICE)
    guardian_login(guardian.email)
    page.goto(live_server.url + reverse("partnership:invitation-respond", args=[invitation.pk]))
    button = page.get_by_role("button", name="Sesli oku")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    spoken = page.evaluate("window.spoken")
    assert spoken[0]["lang"] == "tr-TR"
    assert "Kahve sabahı" in spoken[0]["text"]
    assert SERIES_TITLE + " " not in spoken[0]["text"]  # the folded Dutch original is not read
    expect(page.get_by_role("button", name="Sesli okumayı durdur")).to_be_visible()

    switch_language(page, "ar")  # no Arabic voice on this phone: no button
    expect(page.locator("[data-read-aloud]")).to_be_hidden()
