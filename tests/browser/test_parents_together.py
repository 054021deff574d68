# ruff: noqa: F811
"""Parents together (issue 21), in the browser on the demo data: a teacher makes a parent class
parent, the class parent writes, the group's parents read it after the teacher approved it, and a
household that withdrew its consent is invisible to the others; a coffee morning asking for three
helpers gets them, and the dashboard counts them as reached; the receptions of all groups in one
action, with new families marked at the door. Parent pages pass axe-core at 320 px in nl and ar."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parents.models import FamilyReach
from partnership.class_queries import guardians_of_group
from partnership.models import Activity, Invitation
from schools.models import Enrolment, Group, SchoolYear
from tests import factories as f

# The portal tests' fixtures (axe-core, login by code), used here as arguments.
from tests.browser.test_parent_portal import axe, guardian_login, switch_language  # noqa: F401

pytestmark = pytest.mark.browser
PHONE = 320


def as_parent(page, live_server, guardian):
    """Open the browser as this demo parent (a portal account with Dutch as its language)."""
    if guardian.user is None:
        guardian.user = f.UserFactory(username=f"together{guardian.pk}@example.test")
    guardian.language = "nl"
    guardian.save()
    client = Client()
    client.force_login(guardian.user)
    name = settings.SESSION_COOKIE_NAME
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    return page


def demo_group(name, school="Basisschool De Regenboog"):
    from partnership.demo import BOARD_NAME

    return Group.objects.get(
        school__board__name=BOARD_NAME,
        school__name=school,
        school_year=SchoolYear.current(),
        name=name,
    )


def test_class_parent_posts_after_approval_and_consent_decides_who_is_seen(
    demo,
    login,
    live_server,
    axe,
):
    group = demo_group("5")  # the demo teacher's group
    class_parent, reader, sharer = list(guardians_of_group(group).order_by("pk"))[:3]
    sharer.phone = "0611122233"
    sharer.save()

    page = login("leerkracht@demo.test")
    page.goto(f"{live_server.url}{reverse('schools:group-detail', args=[group.pk])}")
    page.get_by_role("link", name="Klassenpagina en klassenouders").click()
    page.get_by_label("Maak een ouder klassenouder").select_option(str(class_parent.pk))
    page.get_by_role("button", name="Klassenouder maken").click()
    expect(page.get_by_text(f"{class_parent.full_name} is klassenouder.")).to_be_visible()

    page = as_parent(page, live_server, class_parent)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{live_server.url}{reverse('partnership:class-page', args=[group.pk])}")
    page.get_by_role("link", name="Bericht aan de ouders van de klas").click()
    page.get_by_label("Uw bericht").fill("Wie rijdt vrijdag mee naar de kinderboerderij?")
    axe(page)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("De leerkracht leest uw bericht")).to_be_visible()

    page = as_parent(page, live_server, reader)
    class_page = f"{live_server.url}{reverse('partnership:class-page', args=[group.pk])}"
    page.goto(class_page)
    expect(page.get_by_text("kinderboerderij")).to_have_count(0)

    page.context.clear_cookies()
    page = login("leerkracht@demo.test")
    page.goto(f"{live_server.url}{reverse('partnership:class-manage', args=[group.pk])}")
    page.locator("[data-waiting]").get_by_role("button", name="Plaatsen", exact=True).click()
    expect(page.locator("[data-waiting]")).to_have_count(0)

    page = as_parent(page, live_server, reader)
    page.goto(class_page)
    expect(page.get_by_text("Wie rijdt vrijdag mee naar de kinderboerderij?")).to_be_visible()
    expect(page.locator("[data-class-parent]")).to_contain_text(class_parent.first_name)
    axe(page)

    # The sharer's household opts in, and later withdraws: the reader sees it, then nothing.
    page = as_parent(page, live_server, sharer)
    page.goto(f"{live_server.url}{reverse('partnership:class-list')}")
    page.get_by_label("Andere ouders van de klas mogen onze voornamen zien").check()
    page.get_by_label("Ook ons telefoonnummer").check()
    axe(page)
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Andere ouders van de klas zien nu uw voornamen.")).to_be_visible()

    page = as_parent(page, live_server, reader)
    page.goto(class_page)
    expect(page.locator("[data-sharing-parent]", has_text="0611122233")).to_contain_text(
        sharer.first_name
    )

    page = as_parent(page, live_server, sharer)
    page.goto(f"{live_server.url}{reverse('partnership:class-list')}")
    page.get_by_label("Andere ouders van de klas mogen onze voornamen zien").uncheck()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Andere ouders van de klas zien niets van u.")).to_be_visible()

    page = as_parent(page, live_server, reader)
    page.goto(class_page)
    expect(page.get_by_text("0611122233")).to_have_count(0)
    expect(page.locator("[data-sharing-parent]", has_text=sharer.first_name)).to_have_count(0)


def test_the_class_pages_read_right_to_left_in_arabic_on_a_phone(
    demo,
    guardian_login,
    axe,
    live_server,
):
    page = guardian_login()  # Samira reads Arabic; her children are in groups 3 and 6
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{live_server.url}{reverse('partnership:class-list')}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="صفوفي")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=re.compile("3")).first.click()
    expect(page.get_by_role("heading", name="أخبار من الصف")).to_be_visible()
    axe(page)
    switch_language(page, "nl")
    expect(page.get_by_role("heading", name="Nieuws uit de klas")).to_be_visible()
    axe(page)


def reached(page):
    return int(re.match(r"\d+", page.locator("[data-reached]").inner_text()).group())


def test_a_coffee_morning_gets_three_helpers_who_count_as_reached(
    demo,
    login,
    live_server,
    axe,
):
    morning = (
        Activity.objects.filter(kind="coffee_morning", starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    reached_families = FamilyReach.objects.filter(
        school=morning.school, school_year=morning.school_year
    ).values("family")
    invited = Invitation.objects.filter(activity=morning).exclude(family__in=reached_families)
    helpers = [
        invitation.family.guardians.filter(pupil_links__access_blocked_reason="").first()
        for invitation in invited.select_related("family").order_by("pk")[:3]
    ]
    dashboard = (
        f"{live_server.url}{reverse('dashboard:school-dashboard', args=[morning.school_id])}"
    )

    page = login("directeur@demo.test")
    page.goto(dashboard)
    before = reached(page)

    page.context.clear_cookies()
    page = login("oudercoordinator@demo.test")
    page.goto(f"{live_server.url}{reverse('partnership:activity-detail', args=[morning.pk])}")
    page.get_by_role("link", name="Hulpouders").click()
    page.get_by_label("Taak").select_option(label="klaarzetten en opruimen")
    page.get_by_label("Hoeveel ouders?").fill("3")
    page.get_by_role("button", name="Vraag ouders om hulp").click()
    expect(page.get_by_text("De ouders kunnen zich nu aanmelden.")).to_be_visible()

    for number, helper in enumerate(helpers):
        page = as_parent(page, live_server, helper)
        page.set_viewport_size({"width": PHONE, "height": 800})
        page.goto(f"{live_server.url}{reverse('partnership:helper-signup', args=[morning.pk])}")
        expect(page.get_by_text(f"Nog open: {3 - number} van de 3")).to_be_visible()
        if number == 0:
            axe(page)
        page.get_by_role("button", name="Ik help mee").click()
        expect(page.get_by_text("U krijgt de dag ervoor een herinnering.")).to_be_visible()
    expect(page.get_by_text(helpers[0].first_name)).to_be_visible()  # who else helps
    expect(page.get_by_role("button", name="Ik help mee")).to_have_count(0)  # full

    page.context.clear_cookies()
    page = login("directeur@demo.test")
    page.goto(dashboard)
    expect(page.locator("tr[data-partnership=informal] td[data-helped]")).to_have_text("3")
    assert reached(page) == before + 3


def test_receptions_for_all_groups_in_one_action_with_new_families_marked(demo, login, live_server):
    # The demo's first school had its receptions already; the second has none yet.
    group = demo_group("3", school="Basisschool Het Startpunt")
    school = group.school
    coordinator = get_user_model().objects.get(email="oudercoordinator@demo.test")
    f.StaffMembershipFactory(user=coordinator, school=school, role="ouder_coordinator")
    known = Enrolment.objects.filter(group=group).order_by("pk").first().pupil
    last_year = f.SchoolYearFactory(
        label="2020-2021", start=datetime.date(2020, 8, 1), end=datetime.date(2021, 7, 31)
    )
    f.EnrolmentFactory(pupil=known, group=f.GroupFactory(school=school, school_year=last_year))
    day = timezone.localdate() + datetime.timedelta(days=14)
    while day.weekday() != 2:  # a Wednesday afternoon
        day += datetime.timedelta(days=1)

    page = login("oudercoordinator@demo.test")
    page.goto(f"{live_server.url}{reverse('partnership:activity-list', args=[school.pk])}")
    page.get_by_role("link", name="Nieuwjaarsrecepties per groep").click()
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Eerste groep begint om").fill("13:00")
    page.get_by_label("Minuten per groep").fill("30")
    page.get_by_role("button", name="Recepties voor alle groepen plannen").click()
    groups = Group.objects.filter(school=school, school_year=SchoolYear.current()).count()
    expect(page.get_by_text(f"{groups} recepties staan in de planning")).to_be_visible()

    reception = Activity.objects.get(kind="new_year_reception", groups=group)
    page.goto(f"{live_server.url}{reverse('partnership:door-list', args=[reception.pk])}")
    families = reception.invitations.count()
    expect(page.locator("[data-new-family]")).to_have_count(families - 1)
    known_family = known.guardian_links.first().guardian.family
    invitation = reception.invitations.get(family=known_family)
    row = page.locator(f"#invitation-{invitation.pk}")
    expect(row).to_be_visible()
    expect(row.locator("[data-new-family]")).to_have_count(0)
