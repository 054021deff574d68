"""The ouder-coördinator's journey: plan a weekly coffee morning for the term with Arabic and
Turkish interpreters, see the warning for the week of Eid, move that week, put a parent's topic on
the agenda, take attendance of five families at the door, and see the informal partnership rise."""

import datetime

import holidays
import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from partnership.models import Activity

pytestmark = pytest.mark.browser


def next_eid_al_fitr(today):
    for year in (today.year, today.year + 1):
        days = holidays.country_holidays("TR", years=year, language="en_US").get_named(
            "Eid al-Fitr", lookup="icontains"
        )
        future = sorted(d for d in days if d > today + datetime.timedelta(weeks=4))
        if future:
            return future[0]
    raise AssertionError("no Eid al-Fitr found")


def held_informal(page):
    return int(page.locator("tr[data-partnership=informal] td[data-held]").inner_text())


def test_ouder_coordinator_plans_coffee_mornings_and_takes_attendance(demo, login, live_server):
    eid = next_eid_al_fitr(timezone.localdate())
    first, until = eid - datetime.timedelta(weeks=3), eid + datetime.timedelta(weeks=3)
    page = login("oudercoordinator@demo.test")
    page.get_by_role("link", name="Alle onderdelen van de school").click()  # from "Wat nu?"
    page.get_by_role("link", name="Activiteiten", exact=True).first.click()
    held_before = held_informal(page)

    page.get_by_role("link", name="Nieuwe activiteit").click()
    page.locator("#id_kind").select_option(label="koffieochtend")
    page.locator("#id_partnership").select_option(label="informeel partnerschap")
    page.locator("#id_title").fill("Koffieochtend voorjaar")
    page.locator("#id_date").fill(first.isoformat())
    page.locator("#id_start_time").fill("08:30")
    page.locator("#id_end_time").fill("10:00")
    page.locator("#id_weekly").check()
    page.locator("#id_until").fill(until.isoformat())
    page.locator("#id_place").fill("Ouderkamer")
    page.get_by_label("العربية").check()
    page.get_by_label("Türkçe").check()
    page.get_by_role("button", name="Plannen").click()

    with translation.override("nl"):
        day = formats.date_format(eid, "j E")  # "9 maart", as the page writes it
    warning = page.get_by_text(f"{day}: Deze datum valt op Suikerfeest")
    expect(warning).to_be_visible()

    on_eid = Activity.objects.get(title="Koffieochtend voorjaar", starts_at__date=eid)
    page.goto(f"{live_server.url}/activiteiten/{on_eid.pk}/")
    expect(page.locator("[data-warning]")).to_have_count(1)
    page.get_by_role("link", name="Verplaatsen").click()
    page.locator("#id_date").fill((eid + datetime.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Verplaatsen").click()
    expect(page.get_by_text("De activiteit is verplaatst.")).to_be_visible()
    expect(page.locator("[data-warning]")).to_have_count(0)

    first_week = Activity.objects.filter(title="Koffieochtend voorjaar").order_by("starts_at")[0]
    page.get_by_role("link", name="Onderwerpen van ouders").first.click()
    page.get_by_role("link", name="Gezonde traktaties").click()
    page.locator("#id_activity").select_option(
        label=f"Koffieochtend voorjaar – {timezone.localtime(first_week.starts_at):%d-%m-%Y}"
    )
    page.get_by_role("button", name="Kiezen").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()

    page.goto(f"{live_server.url}/activiteiten/{first_week.pk}/")
    expect(page.get_by_text("Gezonde traktaties")).to_be_visible()
    page.get_by_role("link", name="Aanwezig bij de deur").click()
    buttons = page.locator("#door-list button")
    for index in range(5):
        buttons.nth(index).click()
        expect(buttons.nth(index)).to_have_attribute("aria-pressed", "true")
    expect(page.locator('#door-list button[aria-pressed="true"]')).to_have_count(5)

    page.get_by_role("link", name="terug").click()
    expect(page.get_by_text("5 kwamen")).to_be_visible()
    page.get_by_role("link", name="Activiteiten", exact=True).first.click()
    assert held_informal(page) == held_before + 1
