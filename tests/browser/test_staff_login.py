import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_director_logs_in_and_sees_the_school_start_page(demo, login):
    page = login("directeur@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat nu?")
    page.get_by_role("link", name="Alle onderdelen van de school").click()  # from "Wat nu?"
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisschool De Regenboog")
    expect(page.get_by_role("link", name="Groep 5")).to_be_visible()
    page.get_by_role("link", name="Wie doet wat").click()
    expect(page.get_by_text("Karin Verbeek")).to_be_visible()


def test_wrong_password_keeps_the_director_out_with_a_dutch_message(demo, login):
    page = login("directeur@demo.test", password="fout-wachtwoord")
    expect(page.get_by_text("niet correct")).to_be_visible()
