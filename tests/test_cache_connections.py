"""The test run's own Redis connections: each test gets fresh cache objects (a key prefix of its
own), and their connections must be closed when it ends, or one test process holds hundreds."""

import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches

from tests.conftest import close_cache_connections

pytestmark = pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="the cache is Redis only where REDIS_URL is set"
)


def _clients_named(name: str) -> int:
    location = django_settings.CACHES["default"]["LOCATION"]
    with redis.Redis.from_url(location) as client:
        return sum(1 for c in client.client_list() if c.get("name") == name)


def test_the_cache_connections_of_finished_tests_are_closed(settings):
    name = f"schouder-test-{uuid.uuid4().hex[:8]}"
    configuration = settings.CACHES["default"]
    for _test in range(5):  # what the autouse fixture does around each test
        settings.CACHES = {
            "default": {
                **configuration,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
                "OPTIONS": {"client_name": name},
            }
        }
        caches["default"].set("seen", 1)
        assert caches["default"].get("seen") == 1
        assert _clients_named(name) == 1  # this test's one connection, open while it runs
        close_cache_connections()

    assert _clients_named(name) == 0
