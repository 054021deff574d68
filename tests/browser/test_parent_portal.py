"""A guardian on the portal: logs in by code, reads it in Arabic (right to left), and every page
passes axe-core without a serious or critical violation, at phone width and by keyboard alone."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# AXE_CORE_JS: an axe-core installed elsewhere than this checkout's node_modules.
AXE = Path(
    os.environ.get("AXE_CORE_JS")
    or Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
)
GUARDIAN = "ouder@demo.test"
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


@pytest.fixture
def axe():
    """Run axe-core on the open page; fail on serious or critical violations."""
    if not AXE.exists():
        reason = f"axe-core is not installed ({AXE}); run npm ci"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(reason)
        pytest.skip(reason)
    source = AXE.read_text()

    def check(page):
        # Evaluated through the browser's debugging channel, so the page's strict CSP stays on.
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
        )
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{page.url}: {serious}"

    return check


@pytest.fixture
def guardian_login(page, live_server):
    def _login(email=GUARDIAN):
        mail.outbox.clear()
        page.goto(f"{live_server.url}/accounts/login/code/")
        page.get_by_label("Uw e-mailadres").fill(email)
        page.get_by_role("button", name="Stuur mij een code").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code in")
        code = CODE_LINE.search(mail.outbox[-1].body).group(1)
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Inloggen").click()
        return page

    return _login


def switch_language(page, code):
    page.locator("#language-switch").select_option(code)
    page.locator("form:has(#language-switch) button[type=submit]").click()


def test_guardian_logs_in_by_code_and_reads_the_portal_right_to_left(
    demo, guardian_login, axe, live_server
):
    page = guardian_login()
    # Samira chose Arabic: the portal opens in Arabic, mirrored.
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", name="أطفالي")).to_be_visible()
    expect(page.get_by_role("link", name="Yasmina", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Ilyas", exact=True)).to_be_visible()
    axe(page)

    switch_language(page, "nl")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Mijn kinderen")).to_be_visible()
    axe(page)

    switch_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="Yasmina", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yasmina Bouzid")
    axe(page)

    page.get_by_role("link", name="أخبر المدرسة بشيء").click()
    page.get_by_label("اتصلوا بي من فضلكم").check()
    page.get_by_label("رسالتك").fill("بعد الساعة الخامسة من فضلكم")
    axe(page)
    page.get_by_role("button", name="إرسال").click()
    expect(page.get_by_text("شكرًا. وصلت رسالتك إلى المدرسة.")).to_be_visible()
    expect(page.get_by_text("بعد الساعة الخامسة من فضلكم")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/ouders/voorkeuren/")
    expect(page.get_by_role("heading", level=1)).to_have_text("اللغة والرسائل")
    axe(page)


def test_login_by_code_pages_pass_axe_in_every_parent_language(page, live_server, axe):
    for code, _name in settings.PARENT_LANGUAGES:
        page.goto(f"{live_server.url}/accounts/login/code/")
        switch_language(page, code)
        expect(page.locator("html")).to_have_attribute("lang", code)
        axe(page)


def test_portal_fits_a_320_pixel_phone_and_works_by_keyboard(demo, guardian_login, page, axe):
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    # On a phone the language switch is in sight, not hidden behind the menu button.
    expect(page.locator("#language-switch")).to_be_visible()
    switch_language(page, "nl")
    expect(page.get_by_role("heading", name="Mijn kinderen")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways: {width}px"
    axe(page)

    # Keyboard only: from the top of the page, Tab reaches the first child and Enter opens it.
    page.keyboard.press("Tab")
    for _ in range(30):
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Yasmina":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the link to the first child")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Yasmina Bouzid")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
