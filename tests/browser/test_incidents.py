"""A teacher registers a verbal incident with a parent; the director sees it and plans aftercare
and a repair conversation; another teacher sees only the contact arrangement; the board a count."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from care.models import Incident
from schools.models import Group, StaffMembership
from tests import factories as f

pytestmark = pytest.mark.browser

WHAT = "De ouder schreeuwde bij de deur van groep 5 en schold mij uit."


def _second_teacher_of_group_5():
    """A colleague who teaches group 5 too, and so sees its families (the demo has one teacher)."""
    teacher = StaffMembership.objects.get(user__email="leerkracht@demo.test", role="teacher")
    user = f.UserFactory(username="duo@demo.test", email="duo@demo.test")
    user.set_password("schouder-demo")
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    f.StaffMembershipFactory(user=user, school=teacher.school, role="teacher")
    Group.objects.get(school=teacher.school, name="5", teachers=teacher.user).teachers.add(user)
    return user


def _log_out(page):
    page.context.clear_cookies()


def test_incident_from_report_to_follow_up(demo, login, page, live_server):
    _second_teacher_of_group_5()

    page = login("leerkracht@demo.test")
    page.get_by_role("link", name="Mijn school").click()
    page.get_by_role("link", name="Alle onderdelen van de school").click()  # from "Wat nu?"
    page.get_by_role("link", name="Incidenten met ouders").first.click()
    page.get_by_role("link", name="Incident melden").first.click()
    page.locator("#id_guardian").select_option(index=1)
    page.get_by_label("verbaal", exact=True).check()
    # Yesterday: "today at 08:15" lies in the future when the test runs just after midnight.
    page.locator("#id_day").fill(str(timezone.localdate() - datetime.timedelta(days=1)))
    page.locator("#id_time").fill("08:15")
    page.locator("#id_place").fill("Bij de deur van groep 5")
    page.locator("#id_what_happened").fill(WHAT)
    page.get_by_label("Gesprek met de ouder").check()
    page.get_by_role("button", name="Melden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Incident (verbaal)")
    incident = Incident.objects.get()
    family_url = reverse("parents:family-detail", args=[incident.guardian.family_id])
    incident_url = reverse("care:incident-detail", args=[incident.pk])

    _log_out(page)
    login("directeur@demo.test")
    page.goto(f"{live_server.url}{reverse('care:incident-list', args=[incident.school_id])}")
    page.locator(f"[data-incident='{incident.pk}'] a").click()
    expect(page.get_by_text(WHAT)).to_be_visible()
    page.get_by_label("Nazorg voor de medewerker: wie").select_option(label="Karin Verbeek")
    page.get_by_label("Nazorg voor de medewerker: wanneer").fill("2026-12-08")
    page.get_by_label("Herstelgesprek met de ouder: wie").select_option(label="Karin Verbeek")
    page.get_by_label("Herstelgesprek met de ouder: wanneer").fill("2026-12-10")
    page.get_by_role("button", name="Opvolging opslaan").click()
    expect(page.locator("#follow-up")).to_contain_text("gepland: Karin Verbeek, 8 december 2026")
    expect(page.locator("#follow-up")).to_contain_text("gepland: Karin Verbeek, 10 december 2026")
    page.get_by_label("Contactafspraak voor collega's").fill("Alleen met twee collega's")
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_text("De contactafspraak staat op de gezinspagina.")).to_be_visible()

    _log_out(page)
    login("duo@demo.test")
    page.goto(f"{live_server.url}{family_url}")
    arrangement = page.locator("[data-family-section]").filter(has_text="Alleen met twee collega's")
    expect(arrangement).to_have_count(1)
    expect(page.get_by_text(WHAT)).to_have_count(0)
    response = page.goto(f"{live_server.url}{incident_url}")
    assert response.status == 404

    _log_out(page)
    login("bestuur@demo.test")
    page.goto(
        f"{live_server.url}{reverse('care:incident-figures', args=[incident.school.board_id])}"
    )
    row = page.locator(f"[data-school='{incident.school_id}']")
    expect(row.locator("[data-total]")).to_have_text("1")
    expect(page.get_by_text(incident.guardian.last_name)).to_have_count(0)
