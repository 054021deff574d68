"""The director's journey: open the school dashboard, see how many families the school has not
reached this year, click that figure and land on the list of those families with their language."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from partnership.dashboards import figures as dashboard
from schools.models import School, SchoolYear

pytestmark = pytest.mark.browser


def test_director_opens_dashboard_and_the_families_not_reached(demo, login):
    school = School.objects.get(name="Basisschool De Regenboog")
    year = SchoolYear.current()
    director = get_user_model().objects.get(email="directeur@demo.test")
    expected = list(dashboard.families_not_reached(school, year))
    assert expected, "the demo should leave some families not reached"

    page = login("directeur@demo.test")
    page.get_by_role("link", name="Alle onderdelen van de school").click()  # from "Wat nu?"
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    figures = dashboard.school_dashboard(school, year, director)
    assert figures["families"]["not_reached"] == len(expected)

    page.locator("[data-not-reached]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gezinnen die we nog niet bereikt hebben"
    )
    names = page.locator("table[data-table=not-reached] th[scope=row]").all_inner_texts()
    # Each household with its children beside the name: the demo's namesakes told apart.
    labels = [f.label for f in dashboard.families_not_reached(school, year).with_children(director)]
    assert names == labels and len(set(labels)) == len(labels)
