"""The demo mother reads 'Mijn gegevens' on a small phone (320 px): in Arabic, one part per
child, nothing wider than the screen, and no serious accessibility problem (axe-core)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_parent_portal import axe, guardian_login  # noqa: F401

pytestmark = pytest.mark.browser


def test_my_data_reads_on_a_small_phone_in_the_guardians_language(
    demo,
    guardian_login,  # noqa: F811
    axe,  # noqa: F811
    live_server,
):
    page = guardian_login()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/ouders/mijn-gegevens/")

    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("بياناتي")
    parts = page.get_by_role("heading", level=2)
    expect(parts).to_have_text(["أنت وأسرتك", "Ilyas Bouzid", "Yasmina Bouzid"])
    expect(page.get_by_text("Yasmina", exact=True)).to_be_visible()  # her first name, labelled
    # Nothing sticks out sideways: no table to scroll, no long address past the edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
