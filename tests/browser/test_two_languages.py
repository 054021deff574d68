"""A conversation across two languages, in the browser: a Turkish-reading parent writes and is
acknowledged in Turkish at once, the teacher reads the message in Dutch and answers in Dutch,
the parent reads the answer translated (labelled) and the original, and the school dashboard's
response time counts it. The translation service is a local stand-in speaking DeepL's protocol.
The changed parent pages pass axe-core at 320 px in Dutch and Arabic."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from parents.models import Guardian
from tests.browser.test_parent_portal import GUARDIAN, axe, guardian_login, switch_language
from tests.messaging.translation_servers import deepl

pytestmark = pytest.mark.browser
__all__ = ["axe", "deepl", "guardian_login"]

QUESTION = "Yarın öğleden sonra beni arayabilir misiniz?"
ANSWER = "Ik bel u morgen om vijf uur."


def answered_total(page, live_server, school):
    """The number of parents' messages the school dashboard counts in its response time."""
    page.goto(live_server.url + reverse("dashboard:school-dashboard", args=[school.pk]))
    total = page.locator("[data-table=responses] tr[data-total] td").first
    return int(total.inner_text()) if total.count() else 0


def fits_320(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_turkish_parent_reads_the_dutch_answer_translated_and_the_dashboard_counts_it(
    demo, deepl, guardian_login, login, page, live_server, axe
):
    parent = Guardian.objects.get(email=GUARDIAN)
    Guardian.objects.filter(pk=parent.pk).update(language="tr")
    pupil = parent.pupil_links.get(pupil__first_name="Yasmina").pupil
    school = pupil.school
    director = school.memberships.get(role="director").user
    login(director.email)
    before = answered_total(page, live_server, school)
    page.context.clear_cookies()

    # The parent writes in Turkish and reads the acknowledgement in Turkish at once.
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    page.goto(live_server.url + reverse("parents:portal-message-create", args=[pupil.pk]))
    page.locator("input[name=kind][value=call_request]").check()
    page.locator("textarea[name=text]").fill(QUESTION)
    page.locator("form:has(textarea[name=text]) button[type=submit]").click()
    acknowledgement = page.locator("[data-acknowledgement]")
    expect(acknowledgement).to_contain_text("Mesajınız için teşekkür ederiz")
    thread = parent.messages.get(text=QUESTION).thread
    expect(acknowledgement).to_contain_text(thread.responsible.get_full_name())

    # The teacher reads it in Dutch (labelled, the Turkish one tap away) and answers in Dutch.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(thread.responsible.email)
    page.goto(live_server.url + reverse("messaging:thread-detail", args=[thread.pk]))
    from_parent = page.locator("[data-from-parent]").first
    expect(from_parent).to_contain_text(f"[nl] {QUESTION}")
    expect(from_parent).to_contain_text("automatisch vertaald")
    page.get_by_label("Uw antwoord").fill(ANSWER)
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Uw antwoord is verstuurd.")).to_be_visible()

    # The parent reads the answer in Turkish, labelled, and opens the Dutch original.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    page.goto(live_server.url + reverse("messaging:portal-thread-detail", args=[thread.pk]))
    answer = page.locator("[data-answer]")
    expect(answer).to_contain_text(f"[tr] {ANSWER}")
    expect(answer).to_contain_text("otomatik çeviri")
    original = answer.locator(".translated-original bdi, .translated-original div[lang=nl]")
    expect(original).to_be_hidden()
    answer.get_by_text("Orijinal metni görün").click()
    expect(original).to_have_text(ANSWER)

    # The changed parent pages in Arabic (right to left) and Dutch, at 320 px.
    thread_page = live_server.url + reverse("messaging:portal-thread-detail", args=[thread.pk])
    for language, direction, shown in (("ar", "rtl", f"[ar] {ANSWER}"), ("nl", "ltr", ANSWER)):
        switch_language(page, language)
        page.goto(thread_page)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("[data-answer]")).to_contain_text(shown)
        axe(page)
        fits_320(page)
        page.goto(live_server.url + reverse("messaging:portal-inbox"))
        axe(page)
        fits_320(page)

    # The school dashboard counts the answer in its response time.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(director.email)
    assert answered_total(page, live_server, school) == before + 1
