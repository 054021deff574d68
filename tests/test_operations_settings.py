"""Operations as the README documents them (issue 17): every REMINDERS_* setting comes from the
environment, and a connection kept between requests is checked before use."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
NAMES = [
    "BATCH_SIZE",
    "MAX_BATCHES_PER_TICK",
    "MAX_ATTEMPTS",
    "RETRY_BASE",
    "RETRY_MAX",
    "STALE_AFTER",
    "FLUSH_EVERY",
    "TICK_LOCK",
    "TICK_SECONDS",
]


def test_every_reminders_setting_is_read_from_the_environment():
    env = {
        **os.environ,
        "DEBUG": "1",
        **{f"REMINDERS_{n}": str(7 + i) for i, n in enumerate(NAMES)},
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps([getattr(settings, 'REMINDERS_' + n) for n in {NAMES!r}]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "partnership.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [7 + i for i in range(len(NAMES))]


def test_a_kept_connection_is_checked_before_a_request_uses_it():
    """After a database restart each web worker's kept connection is dead: with health checks
    the next request opens a fresh one instead of answering 500."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
