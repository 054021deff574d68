"""The reminder bench runs end to end on a small outbox and reports no duplicates and no losses,
so that a change to the outbox cannot quietly break `make bench`."""

import pytest
import time_machine
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


@pytest.mark.django_db
def test_a_steady_scan_runs_the_same_queries_on_a_small_and_a_larger_board():
    """Once the outbox holds everything, the scan that runs every minute reads only what is new:
    its query count does not grow with the number of schools (the weekly per-school rules look
    only at schools not looked at this week)."""
    with time_machine.travel(reminders_bench.SCAN_NOW, tick=False):
        small = reminders_bench.scan_figures(
            2, pupils=60, guardians=100, brin="93BN", seed=3, stream=None
        )
        large = reminders_bench.scan_figures(
            5, pupils=150, guardians=250, brin="92BN", seed=3, stream=None
        )
    assert small[2] == large[2]
    assert not Reminder.objects.exists()  # rolled back
