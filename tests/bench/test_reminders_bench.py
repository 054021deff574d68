"""The reminder bench runs end to end on a small outbox and reports no duplicates and no losses,
so that a change to the outbox cannot quietly break `make bench`."""

import pytest
from django.db import connection

from bench import reminders_bench
from reminders.models import Reminder


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="two dispatcher threads; SQLite's shared in-memory test database locks whole tables",
)
@pytest.mark.django_db(transaction=True)
def test_the_reminder_bench_runs_on_a_small_outbox(monkeypatch, settings):
    monkeypatch.setattr(reminders_bench, "N", 60)
    monkeypatch.setattr(reminders_bench, "LOOP_ROWS", 5)
    figures = dict(reminders_bench.run())
    assert figures["dispatch_duplicates"] == 0 and figures["dispatch_lost"] == 0
    assert figures["dispatch_vs_build"] > 0
    assert not Reminder.objects.filter(rule=reminders_bench.RULE).exists()
