"""The IB'er's journey through the start conversations, in a real browser on the demo data."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Booking, Slot, StartConversation

pytestmark = pytest.mark.browser


def held_in_group_5(page):
    return int(page.locator('tr[data-group="5"] td[data-held]').inner_text())


def let_the_booked_time_pass():
    """The phone booking lies ahead; the conversation takes place: its slot moves to early this
    morning (or yesterday's), before any afternoon slot of the demo."""
    booking = Booking.objects.filter(by_staff=True).latest("booked_at")
    now = timezone.localtime()
    start = now.replace(hour=6, minute=0, second=0, microsecond=0)
    if start > now - datetime.timedelta(minutes=30):
        start -= datetime.timedelta(days=1)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=start, ends_at=start + datetime.timedelta(minutes=20)
    )


def test_ib_books_by_phone_logs_the_conversation_and_progress_goes_up(demo, login, live_server):
    page = login("ib@demo.test")
    page.get_by_role("link", name="Alle onderdelen van de school").click()  # from "Wat nu?"
    page.get_by_role("link", name="Startgesprekken").first.click()
    # The year's start round, not one of its pupil-led rounds.
    page.get_by_role("link", name=re.compile(r"^Startgesprekken \d{4}-\d{4}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Startgesprekken")
    held_before = held_in_group_5(page)

    page.locator('tr[data-group="5"]').get_by_role("link", name="Groep 5").click()
    row = page.locator("tbody tr", has=page.get_by_text("nog plannen", exact=True)).first
    pupil_name = row.locator("td").first.inner_text()
    row.get_by_role("link", name="Plannen (telefoon)").click()

    # A phone call with the family: the IB'er books the first free time.
    page.get_by_label("Tijdstip").select_option(index=1)
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_text("Het gesprek is gepland.")).to_be_visible()

    row = page.locator("tbody tr", has=page.get_by_text(pupil_name, exact=True))
    expect(row.get_by_text("gepland", exact=True)).to_be_visible()
    row.get_by_role("link", name="Verslag").click()

    # The log: who was there, the child too, and what the child is good at; drafts save as you type.
    page.locator("#div_id_guardians_present input[type=checkbox]").first.check()
    page.get_by_label("Was het kind erbij?").select_option("True")
    page.get_by_label("Waar is het kind goed in?").fill("Helpt jongere kinderen op het plein")
    page.get_by_label("Wat willen we dit jaar bereiken?").fill("Elke dag een kwartier lezen")
    expect(page.locator("#saved")).to_contain_text("Concept bewaard")

    agreements = (
        ("Elke maand kort bellen", "elke maand"),
        ("Samen het rapport bespreken", "in de week na elk rapport"),
    )
    for what, when in agreements:
        page.get_by_label("Wat spreken we af?").fill(what)
        page.locator("#id_channel").select_option("phone")
        page.locator("#id_schedule").select_option(label=when)
        page.get_by_role("button", name="Afspraak toevoegen").click()
        expect(page.locator("#agreements")).to_contain_text(f"{what} · ")
        expect(page.locator("#agreements")).to_contain_text(when)
    # The draft survived the page reloads of adding agreements.
    expect(page.get_by_label("Waar is het kind goed in?")).to_have_value(
        "Helpt jongere kinderen op het plein"
    )

    # Not before the booked time: a conversation is held after it starts.
    page.get_by_role("button", name="Gesprek afronden").click()
    expect(page.get_by_text("begint pas op")).to_be_visible()
    let_the_booked_time_pass()
    page.get_by_role("button", name="Gesprek afronden").click()
    expect(page.get_by_text("Het startgesprek is afgerond")).to_be_visible()
    row = page.locator("tbody tr", has=page.get_by_text(pupil_name, exact=True))
    expect(row.get_by_text("gehouden", exact=True)).to_be_visible()

    page.get_by_role("link", name="Startgesprekken").first.click()
    assert held_in_group_5(page) == held_before + 1

    # The agreements reached the family's communication plan.
    conversation = StartConversation.objects.get(
        status="held", agreements__what="Samen het rapport bespreken"
    )
    family = conversation.guardians_present.get().family
    page.goto(live_server.url + reverse("parents:family-detail", args=[family.pk]))
    plan_agreements = page.locator("h3", has_text="Afspraken").locator(
        "xpath=following-sibling::ul[1]"
    )
    for what, when in agreements:
        item = plan_agreements.locator("li", has=page.get_by_role("link", name=what, exact=True))
        expect(item).to_have_count(1)
        expect(item).to_contain_text(when)


def test_samira_books_both_children_in_one_step_on_her_phone(demo, page, live_server):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from conversations.models import Booking

    # The guardian's e-mail code login is the parent portal's own journey; here she is logged in.
    client = Client()
    client.force_login(get_user_model().objects.get(email="ouder@demo.test"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/ouders/startgesprekken/")
    expect(page.get_by_role("group", name="Yasmina")).to_be_visible()
    expect(page.get_by_role("group", name="Ilyas")).to_be_visible()
    # The first suggested run: both children one after the other, each with their own teacher.
    expect(page.locator("#together input[type=radio]").first).to_be_checked()
    page.get_by_role("button", name="Boek deze tijden").click()
    expect(page.get_by_text("Uw gesprek staat vast")).to_be_visible()
    expect(page.get_by_role("link", name="Zet in mijn agenda")).to_have_count(2)
    first, second = Booking.objects.filter(family__guardians__email="ouder@demo.test").order_by(
        "slot__starts_at"
    )
    assert first.slot.ends_at == second.slot.starts_at
    assert first.slot.staff != second.slot.staff
