# ruff: noqa: F811
"""An Arabic-reading parent opens the portal home on a 360-pixel phone: the outside help the
school told them about reads right to left, fits the screen (long Dutch words included) and passes
axe-core."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from care import services
from tests import factories as f
from tests.browser.test_parent_portal import axe  # noqa: F401

pytestmark = pytest.mark.browser
PHONE = 360


def test_the_outside_help_reads_right_to_left_on_a_phone(transactional_db, page, live_server, axe):
    school = f.SchoolFactory(name="De Regenboog")
    ib = f.StaffMembershipFactory(school=school, role="intern_begeleider").user
    child = f.PupilFactory(school=school, first_name="Yasmina")
    f.EnrolmentFactory(pupil=child, group=f.GroupFactory(school=school, name="5"))
    guardian = f.GuardianFactory(language="ar", user=f.UserFactory())
    f.PupilGuardianFactory(pupil=child, guardian=guardian)
    services.involve_outside_service(
        pupil=child,
        by=ib,
        service="Schoolmaatschappelijkwerkondersteuningstraject",
        what="Drie gesprekken met het gezin over de ochtenden en het slapen.",
        why="Yasmina komt vaak moe op school.",
    )
    client = Client()
    client.force_login(guardian.user)
    page.context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in (
                (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value),
                (settings.LANGUAGE_COOKIE_NAME, "ar"),
            )
        ]
    )
    page.set_viewport_size({"width": PHONE, "height": 740})

    page.goto(f"{live_server.url}/ouders/")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    section = page.locator("section:has(#outside-help-heading)")
    expect(section.get_by_role("heading", level=2)).to_have_text("المساعدة من خارج المدرسة")
    expect(section.get_by_role("heading", level=3)).to_have_text("Yasmina")
    expect(section.get_by_text("Drie gesprekken met het gezin")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"the portal home scrolls sideways: {width}px"
    axe(page)
