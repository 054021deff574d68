import uuid

import pytest

from tests.world import build_world


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test gets its own cache key prefix, so login limits never leak between tests (and
    no test has to flush a Redis that other test processes share)."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()
    }
    yield
    close_cache_connections()


def close_cache_connections():
    """Close the Redis connections of this thread's caches. A new prefix makes new cache objects,
    each with a connection pool of its own, and Django never closes one: without this, every
    test left an idle connection open until the process ended (hundreds per test run)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        for pool in getattr(getattr(cache, "_cache", None), "_pools", {}).values():
            pool.disconnect()


@pytest.fixture(autouse=True)
def _no_n_plus_one(settings):
    """A query per row of a list (an N+1) in a request fails the test that makes the request,
    browser tests included. The middleware (settings, with DEBUG) counts each request on its own
    and warns; here it raises. Set-up code is not watched: it builds rows in loops and calls a
    service twice on purpose, which would count as a loop."""
    settings.ZEAL_RAISE = True


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_log():
    """On PostgreSQL a trigger refuses TRUNCATE of the audit log (schools migration 0008). The
    flush that empties the test database after a transactional test says, in its own
    transaction, that it may."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, *args, **kwargs):
        statements = original(self, *args, **kwargs)
        return ["SET LOCAL schouder.audit_truncate = 'on'", *statements] if statements else []

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client, world):
    """A test client logged in as one of the world's principals."""

    def login(principal):
        client.logout()
        user = world.users[principal]
        if user is not None:
            client.force_login(user)
        return client

    return login


def pytest_terminal_summary(terminalreporter):
    """Show what the access matrix covered (RELIABILITY A1-A2), when it ran."""
    import sys

    module = sys.modules.get("tests.test_url_access")
    if module is None or not any(module.REQUESTS.values()):
        return
    cases = module.all_cases()
    terminalreporter.write_line(
        f"access matrix: {len(module.named_patterns())} URL patterns, {len(cases)} cases, "
        f"{module.REQUESTS['own']} requests on own objects, "
        f"{module.REQUESTS['foreign']} on another board's objects"
    )
