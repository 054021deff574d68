"""Every role's Monday morning, at a laptop (1366 px) and a phone (390 px): the home says what
to do, the main task is at most two clicks away, nothing scrolls sideways and axe-core finds no
serious or critical violation. And the IB'er opens a round, offers times and books two siblings
by phone, adjacent, in one step."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Booking, Round, StartConversation
from schools.models import SchoolYear
from tests.browser.test_parent_portal import axe, guardian_login  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)


def fits(page):
    """No sideways scroll at this width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{page.url} is {width} px wide at {inner} px"


def check(page, axe):  # noqa: F811
    fits(page)
    axe(page)


def _teacher(page):
    page.get_by_role("link", name="Alle momenten van deze week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze week")
    return "Gehouden…"


def _ib(page):
    page.get_by_role("link", name="Naar de ronde").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Startgesprekken")
    return "Tijden aanbieden"


def _director(page):
    page.get_by_role("link", name="Naar het dashboard").click()
    return None


def _coordinator(page):
    page.locator("[data-home-section] a", has_text="nog niet bereikt").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gezinnen die we nog niet bereikt hebben"
    )
    return None


JOURNEYS = {
    "leerkracht@demo.test": ("Vandaag en deze week", _teacher),
    "ib@demo.test": ("Startgesprekken", _ib),
    "directeur@demo.test": ("Cijfers die aandacht vragen", _director),
    "oudercoordinator@demo.test": ("Volgende activiteit", _coordinator),
    "ouder@demo.test": (None, None),
}


@pytest.mark.parametrize("who", list(JOURNEYS))
def test_each_role_starts_at_home_and_reaches_the_main_task(
    who,
    demo,
    login,
    guardian_login,  # noqa: F811
    axe,  # noqa: F811
    page,
    live_server,  # noqa: F811
):
    section, to_task = JOURNEYS[who]
    if who == "ouder@demo.test":
        guardian_login()
        page.locator("#language-switch").select_option("nl")
        page.locator("form:has(#language-switch) button[type=submit]").click()
    else:
        login(who)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/", wait_until="networkidle")
        if section:
            expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
        check(page, axe)
        if to_task is None:  # the parent: the next step on the portal's home, one click
            page.locator("main a", has_text="Kies een tijd voor het startgesprek").first.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            check(page, axe)
            continue
        next_step = to_task(page)
        check(page, axe)
        if next_step:
            page.get_by_role("link", name=next_step).first.click()
            check(page, axe)


def _next_school_day(day):
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def test_ib_opens_a_round_offers_times_and_books_two_siblings_by_phone(
    demo, login, page, live_server
):
    # This year's demo round becomes last year's, so that the IB'er opens this year's afresh.
    today = timezone.localdate()
    last_year = SchoolYear.for_date(today - datetime.timedelta(days=365))
    Round.objects.update(school_year=last_year)
    StartConversation.objects.update(school_year=last_year)
    day = _next_school_day(today)
    page = login("ib@demo.test")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Maak de ronde van dit schooljaar").click()
    page.get_by_label("Eerste dag").fill(today.isoformat())
    page.get_by_label("Laatste dag").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Ronde maken").click()
    for teacher in ("Fleur Koster", "Rachid Amrani"):
        page.get_by_role("link", name="Tijden aanbieden").click()
        page.get_by_label("Wie voert de gesprekken?").select_option(label=teacher)
        page.get_by_label("Dag").fill(day.isoformat())
        page.get_by_label("Van").fill("13:00")
        page.get_by_label("Tot").fill("14:00")
        page.get_by_role("button", name="Tijden maken").click()
        expect(page.get_by_role("status")).to_contain_text("tijden gemaakt")
    page.get_by_role("button", name="Ronde openen en gezinnen uitnodigen").click()
    round_ = Round.objects.get(school_year=SchoolYear.for_date(today))
    bouzid = (
        round_.conversations.filter(pupil__guardian_links__guardian__email="ouder@demo.test")
        .select_related("group")
        .order_by("pupil__first_name")
        .first()
    )
    page.get_by_role("link", name=f"Groep {bouzid.group.name}", exact=True).click()
    # Several children share the first name: the row of this one.
    page.locator(f'a[href$="/startgesprekken/{bouzid.pk}/plannen/"]').click()
    expect(page.get_by_text("Broers en zussen aansluitend")).to_be_visible()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("status")).to_contain_text("Het gesprek is gepland.")
    bookings = list(Booking.objects.filter(slot__round=round_).order_by("slot__starts_at"))
    assert len(bookings) == 2
    assert bookings[0].slot.ends_at <= bookings[1].slot.starts_at
    assert bookings[1].slot.starts_at - bookings[0].slot.ends_at <= datetime.timedelta(
        minutes=round_.pause_minutes
    )
    assert bookings[0].slot.staff != bookings[1].slot.staff
