"""The demo guardian's whole journey, starting from the portal home's "what to do now": she logs
in by code, reads the portal in Arabic, books her two children in adjacent slots in one step,
says she comes to the coffee morning and suggests a topic. Every page passes axe-core."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Booking
from partnership.models import Invitation, TopicSuggestion
from tests.browser.test_parent_portal import (  # noqa: F401
    GUARDIAN,
    axe,
    guardian_login,
    switch_language,
)

pytestmark = pytest.mark.browser

NEXT_STEPS = "section[aria-labelledby=next-heading]"


@pytest.fixture
def weekday_morning():
    """A Wednesday morning: the demo round (from a week ago to two weeks ahead) is open and the
    afternoon slots of today are still ahead. Time moves on, so the browser and server agree."""
    today = timezone.localdate()
    wednesday = today + datetime.timedelta(days=(2 - today.weekday()) % 7)
    morning = timezone.make_aware(datetime.datetime.combine(wednesday, datetime.time(9)))
    with time_machine.travel(morning, tick=True):
        yield


def test_guardian_goes_from_the_home_page_through_booking_rsvp_and_a_topic(
    weekday_morning,
    demo,
    guardian_login,  # noqa: F811
    axe,  # noqa: F811
    live_server,
):
    page = guardian_login()
    # She reads Dutch at first, then switches to Arabic: the page turns right to left.
    switch_language(page, "nl")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    switch_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    axe(page)

    # The first thing to do: book both children's start conversations, one link for both.
    booking_url = reverse("conversations:portal-booking")
    book = page.locator(f"{NEXT_STEPS} a[href='{booking_url}']")
    expect(book).to_have_count(1)
    expect(book).to_contain_text("Yasmina")
    expect(book).to_contain_text("Ilyas")
    book.click()
    expect(page).to_have_url(f"{live_server.url}{booking_url}")
    axe(page)
    # The first suggested run books both children one after the other, with their own teachers.
    page.locator("#together button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    axe(page)
    bookings = list(
        Booking.objects.filter(family__guardians__email=GUARDIAN, status="booked")
        .select_related("slot", "conversation__pupil", "conversation__group")
        .order_by("slot__starts_at")
    )
    assert sorted(b.conversation.pupil.first_name for b in bookings) == ["Ilyas", "Yasmina"]
    first, second = bookings
    assert second.slot.starts_at in (
        first.slot.ends_at,
        first.slot.ends_at + datetime.timedelta(minutes=first.conversation.round.pause_minutes),
    )
    assert first.slot.staff_id != second.slot.staff_id

    # Back home, booking is done; the next thing is the coffee morning invitation.
    page.goto(f"{live_server.url}{reverse('parents:portal-home')}")
    expect(page.locator(f"{NEXT_STEPS} a[href='{booking_url}']")).to_have_count(0)
    answer = page.locator(f"{NEXT_STEPS} a[href^='/ouders/activiteiten/']").first
    expect(answer).to_contain_text("Koffieochtend")
    invitation_pk = int(answer.get_attribute("href").rstrip("/").rsplit("/", 1)[1])
    answer.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe(page)
    page.locator("button[name=rsvp][value=yes]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    axe(page)
    assert Invitation.objects.get(pk=invitation_pk).rsvp == "yes"

    # The home page shows the answer, and a way to suggest a topic.
    page.goto(f"{live_server.url}{reverse('parents:portal-home')}")
    expect(page.locator(f"{NEXT_STEPS} a[href$='/{invitation_pk}/']")).to_have_count(0)
    axe(page)
    page.locator(f"a[href='{reverse('partnership:topic-suggest')}']").first.click()
    axe(page)
    page.locator("textarea[name=text]").fill("كيف نساعد أطفالنا في القراءة بالهولندية؟")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    axe(page)
    assert TopicSuggestion.objects.filter(
        text="كيف نساعد أطفالنا في القراءة بالهولندية؟", suggested_by__email=GUARDIAN
    ).exists()
