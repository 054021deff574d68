"""The director reads in an export from the pupil administration: upload, preview, confirm."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "leerlingen.csv"


def test_director_imports_the_sample_file(demo, login):
    from schools.models import Pupil

    page = login("directeur@demo.test")
    page.get_by_role("link", name="Alle onderdelen van de school").click()  # from "Wat nu?"
    page.get_by_role("link", name="Leerlingen inlezen").click()
    page.get_by_label("Bestand uit de leerlingadministratie").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Bestand bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wat er verandert")
    expect(page.get_by_text("Rij 7 is overgeslagen")).to_be_visible()
    expect(page.get_by_role("row", name="Nieuwe leerlingen")).to_contain_text("5")
    # Five pupils of a whole school: the others stay unless the box is ticked.
    expect(page.get_by_text("Is het een deel van de school?")).to_be_visible()
    expect(page.get_by_label("zijn van school af")).not_to_be_checked()
    at_school = Pupil.objects.filter(left_on__isnull=True).count()
    assert not Pupil.objects.filter(pupil_number="5005").exists()
    page.get_by_role("button", name="Bevestigen en inlezen").click()
    expect(page.get_by_text("Ingelezen: 5 nieuw, 0 gewijzigd, 0 van school af")).to_be_visible()
    assert Pupil.objects.get(pupil_number="5005").last_name == "Đorđević"
    assert Pupil.objects.filter(left_on__isnull=True).count() == at_school + 5
    page.get_by_role("button", name="Import terugdraaien").click()
    expect(page.get_by_text("De import is teruggedraaid.")).to_be_visible()
    assert not Pupil.objects.filter(pupil_number="5005").exists()
