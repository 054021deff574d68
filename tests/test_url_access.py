"""RELIABILITY A1-A3: every page of the project, requested by every principal, own and foreign.

The matrix lives in tests/access/<app>.py. A URL pattern without a case fails the suite, so a new
page cannot skip the check.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access
from tests.access.matrix import BOARD_PAGES
from tests.world import CANARY, PRINCIPALS

# Pages that are not ours to classify: allauth's own account pages, Django admin (staff users
# only, behind allauth's login), the language switch, and static files.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_PREFIXES = ("account_", "mfa_", "socialaccount_", "set_language")


def all_cases():
    cases = []
    for module_info in pkgutil.iter_modules(access.__path__):
        module = importlib.import_module(f"tests.access.{module_info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases


def named_patterns(resolver=None, namespace=""):
    names = set()
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if not pattern.name.startswith(EXEMPT_PREFIXES):
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_case():
    covered = {case.url_name for case in all_cases()}
    missing = sorted(named_patterns() - covered)
    assert not missing, f"URL patterns without an access case: {missing}"


def _lets_board_in(case):
    return case.expect["board"] not in (404, 405)


def test_the_board_opens_only_its_listed_pages():
    """The board gets figures and comparisons, never a child's or parent's name (issue 14): a
    case letting the board into a page that is not in BOARD_PAGES fails, so a new page with
    names cannot open to the board by a copied expectation."""
    unlisted = sorted({c.url_name for c in all_cases() if _lets_board_in(c)} - set(BOARD_PAGES))
    assert not unlisted, f"the board opens pages not in BOARD_PAGES: {unlisted}"


def test_every_listed_board_page_is_opened_by_the_board_in_a_case():
    opened = {c.url_name for c in all_cases() if _lets_board_in(c)}
    stale = sorted(set(BOARD_PAGES) - opened)
    assert not stale, f"BOARD_PAGES lists pages no case lets the board into: {stale}"


# Requests made by this module, for the line it adds to the test report (see conftest.py).
REQUESTS = {"own": 0, "foreign": 0}


def _request(client, method, url, kind="own"):
    REQUESTS[kind] += 1
    return getattr(client, method)(url)


@pytest.mark.parametrize("case", all_cases(), ids=str)
def test_own_school_matrix(case, world, client_for):
    url = reverse(case.url_name, kwargs=case.own(world))
    mismatches = []
    for principal in PRINCIPALS:
        client = client_for(principal)
        for method in case.methods:
            response = _request(client, method, url)
            wanted = case.expect[principal]
            if method != "get" and wanted == 200:
                continue  # what an allowed POST does is the feature tests' business
            if response.status_code != wanted:
                mismatches.append(
                    f"{principal} {method.upper()}: {response.status_code} != {wanted}"
                )
    assert not mismatches, f"{case} at {url}: " + "; ".join(mismatches)


@pytest.mark.parametrize("case", [c for c in all_cases() if c.foreign], ids=str)
def test_foreign_school_is_not_found(case, world, client_for):
    url = reverse(case.url_name, kwargs=case.foreign(world))
    leaks = []
    for principal in PRINCIPALS:
        if principal == "foreign_director":
            continue  # S3's own director: the foreign object is theirs
        client = client_for(principal)
        for method in case.methods:
            response = _request(client, method, url, kind="foreign")
            wanted = 302 if principal == "anonymous" else 404
            if response.status_code != wanted or CANARY in response.content.decode():
                leaks.append(f"{principal} {method.upper()}: {response.status_code}")
    assert not leaks, f"{case} at {url} leaks to: " + "; ".join(leaks)
