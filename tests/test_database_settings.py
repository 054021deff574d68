"""The application's PostgreSQL sessions run without JIT compilation: for the dashboard's
grouped counts the compile took longer than the query (see partnership/settings.py)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting"),
]


def test_postgresql_sessions_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_kept_connection_is_checked_before_a_request_uses_it():
    """After a database restart each web worker's kept connection is dead: with health checks
    the next request opens a fresh one instead of answering 500 (issue 17)."""
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
