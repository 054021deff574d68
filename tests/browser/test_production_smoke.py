"""The production configuration, opened in a browser: DEBUG=0, static files collected into the
compressed manifest storage and served by whitenoise, gunicorn on PostgreSQL + Redis with a
Celery worker. ``.ci/production-boot`` starts that server with the demo school and runs this file
against it (PRODUCTION_BASE_URL); without that address the tests are skipped.

The browser plays the part of the TLS-terminating proxy in front of a real deployment: it sends
``X-Forwarded-Proto: https``, which the server believes because TRUSTED_PROXY_COUNT=1."""

import email
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

BASE_URL = os.environ.get("PRODUCTION_BASE_URL", "").rstrip("/")
MAIL_DIR = os.environ.get("PRODUCTION_MAIL_DIR", "")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)
# Whitenoise's header for a file whose name carries its content's hash: cache it for ten years.
LONG_CACHE = "max-age=315360000, public, immutable"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.production,
    pytest.mark.skipif(not BASE_URL, reason="no production server (.ci/production-boot)"),
]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "extra_http_headers": PROXY_HEADERS}


def stylesheets_applied(page):
    """Every stylesheet of the page loaded and has rules (a missing file has none)."""
    counts = page.evaluate("[...document.styleSheets].map(s => s.cssRules.length)")
    return bool(counts) and all(counts)


def login_code_for(address):
    """The code of the newest login-code mail to ``address`` in the file backend's folder."""
    for path in sorted(Path(MAIL_DIR).glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        for raw in path.read_text().split("-" * 79):
            message = email.message_from_string(raw.strip())
            if message["To"] != address:
                continue
            body = message.get_payload(decode=True)
            match = body and CODE_LINE.search(body.decode())
            if match:
                return match.group(1)
    raise AssertionError(f"no login code mailed to {address} in {MAIL_DIR}")


def test_healthz_answers_200_also_to_a_plain_http_health_check():
    # A load balancer asks the application server directly, without the proxy's header.
    with urllib.request.urlopen(f"{BASE_URL}/healthz", timeout=10) as response:
        assert response.status == 200
        assert b'"broker": "ok"' in response.read()


def test_plain_http_without_the_proxy_is_sent_to_https():
    request = urllib.request.Request(f"{BASE_URL}/accounts/login/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].startswith("https://")


def test_login_page_is_styled_and_its_css_is_cached_for_a_long_time(page):
    response = page.goto(f"{BASE_URL}/accounts/login/")
    assert response.status == 200
    assert "max-age=31536000" in response.headers["strict-transport-security"]
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
    assert stylesheets_applied(page)

    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    # collectstatic's manifest gave the file a name with its hash in it.
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet
    asset = page.request.get(f"{BASE_URL}{stylesheet}", headers={"Accept-Encoding": "gzip"})
    assert asset.status == 200
    assert asset.headers["cache-control"] == LONG_CACHE
    assert asset.headers.get("content-encoding") in {"gzip", "br"}


def test_staff_page_is_styled_and_not_stored(page):
    page.goto(f"{BASE_URL}/accounts/login/")
    page.get_by_label("E-mailadres").fill("directeur@demo.test")
    page.get_by_label("Wachtwoord").fill("schouder-demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # The director's start page: her school, its groups and figures.
    response = page.reload()
    assert response.status == 200 and "/accounts/" not in page.url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert stylesheets_applied(page)
    # Bootstrap is applied: the body uses its system font stack, not the browser's serif.
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "no-store" in response.headers["cache-control"]
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["__Host-sessionid"]["secure"] and cookies["__Host-sessionid"]["httpOnly"]


def test_parent_logs_in_with_a_code_and_sees_the_portal_right_to_left(page):
    page.goto(f"{BASE_URL}/accounts/login/code/")
    page.get_by_label("Uw e-mailadres").fill("ouder@demo.test")
    page.get_by_role("button", name="Stuur mij een code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code in")
    page.get_by_label("Code").fill(login_code_for("ouder@demo.test"))
    page.get_by_role("button", name="Inloggen").click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("link", name="Yasmina", exact=True)).to_be_visible()
    assert stylesheets_applied(page)
    assert "rtl" in page.locator("link[rel=stylesheet]").first.get_attribute("href")
