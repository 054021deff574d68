"""Browser tests drive Debian's Chromium through Playwright; no browser is downloaded.

Without Chromium they are skipped, unless REQUIRE_BROWSER_TESTS is set (CI): then they fail.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright runs an event loop in the test's thread; Django's ORM calls from the test itself are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise pytest.UsageError(f"Browser tests are required but Chromium is missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def demo(transactional_db):
    from partnership import demo

    for step in demo.DEMO_STEPS:
        step()
    return demo


@pytest.fixture
def login(page, live_server):
    """Log a demo staff member in through the real login form."""

    def _login(email, password="schouder-demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        return page

    return _login


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The school's staff read Dutch; the browser's own language would otherwise choose English.
    return {**browser_context_args, "locale": "nl-NL"}
