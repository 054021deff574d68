"""A parent sends a complaint from a phone, in Arabic; the school acknowledges it (through the
reminders), answers and closes it; the parent sees each step. The new parent pages pass axe-core
in Arabic and Dutch at 320 pixels."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from care import services
from care.models import Feedback
from tests.browser.outbox import send_everything
from tests.browser.test_parent_portal import axe, guardian_login, switch_language  # noqa: F401

pytestmark = pytest.mark.browser

COMPLAINT = "الباب يفتح متأخرًا في الصباح ونحن ننتظر تحت المطر."


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways: {width}px"


def test_parent_follows_a_complaint_from_sent_to_closed(  # noqa: F811
    demo,
    guardian_login,  # noqa: F811
    page,
    axe,  # noqa: F811
    live_server,
):
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # On a phone the menu is folded away: the page is opened by its address.
    page.goto(f"{live_server.url}{reverse('care:feedback-portal-list')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("أفكار وشكاوى")
    _fits(page)
    axe(page)

    page.get_by_role("link", name="شاركوا فكرة أو شكوى").click()
    _fits(page)
    axe(page)
    page.get_by_label("شكوى", exact=True).check()
    page.locator("#id_text").fill(COMPLAINT)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شكواكم")
    expect(page.get_by_text(COMPLAINT)).to_be_visible()
    expect(page.get_by_text("Landelijke Klachtencommissie Onderwijs")).to_be_visible()
    _fits(page)
    axe(page)

    # The reminders acknowledge it: the parent sees the step done.
    send_everything()
    page.reload()
    expect(page.locator("[data-step=acknowledged]")).to_contain_text("✓")

    feedback = Feedback.objects.get(text=COMPLAINT)
    director = get_user_model().objects.get(email="directeur@demo.test")
    teacher = get_user_model().objects.get(email="leerkracht@demo.test")
    services.assign_feedback(feedback=feedback, to=teacher, by=director)
    services.answer_feedback(
        feedback=feedback, by=teacher, answer="Vanaf maandag gaat het hek om 8.15 uur open."
    )
    switch_language(page, "nl")
    expect(page.locator("[data-step=assigned]")).to_contain_text("✓ In behandeling")
    expect(page.locator("[data-step=answered]")).to_contain_text("✓ Beantwoord")
    expect(page.get_by_text("Vanaf maandag gaat het hek om 8.15 uur open.")).to_be_visible()
    _fits(page)
    axe(page)

    services.close_feedback(feedback=feedback, by=teacher)
    page.reload()
    expect(page.locator("[data-step=closed]")).to_contain_text("✓ Afgesloten")
