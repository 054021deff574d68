"""Reminder dispatch: 5,000 due e-mails against the floor of claiming the rows and building the
same messages without sending; a one-row-at-a-time loop for comparison; two dispatchers at once
(duplicates and losses); and the number of Celery tasks one pass fans out.

The scan, on a generated board with three years of history (5 and 50 schools): the first scan,
which fills the outbox, against the steady scan a minute later with nothing new, and the queries
of the steady scan at both sizes (equal: a scan reads what is new, not every school).

Mail goes to a backend that renders every message to bytes and counts it, so the figures measure
our work, not a mail server's.
"""

import datetime
import sys
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import best_of
from bench.board_data import build_board
from reminders import dispatch, registry
from reminders.models import Reminder, Status

RULE = "bench.dispatch"
N = 5000
NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)  # a Tuesday noon: not quiet


class CountingBackend(BaseEmailBackend):
    sent = Counter()
    lock = threading.Lock()

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()
            with self.lock:
                self.sent[message.extra_headers["Message-ID"]] += 1
        return len(messages)


class PassThrough(registry.Rule):
    name = RULE
    label = "Bench"

    def due(self, now):
        return iter(())


def _reset():
    Reminder.objects.filter(rule=RULE).update(
        status=Status.PENDING,
        next_attempt_at=NOW - datetime.timedelta(minutes=1),
        attempts=0,
        sent_at=None,
        claim_token=None,
        claimed_at=None,
        leased_until=None,
    )
    CountingBackend.sent.clear()


def _create():
    Reminder.objects.filter(rule=RULE).delete()
    Reminder.objects.bulk_create(
        (
            Reminder(
                rule=RULE,
                object_ref=f"bench.thing:{n}",
                recipient_key=f"bench.person:{n}",
                occurrence="1",
                school_id=None,
                recipient_name=f"Ouder {n}",
                address=f"ouder{n}@example.test",
                channel="email",
                language="nl",
                subject="Boek een startgesprek",
                body="Beste ouder,\n\nKies een tijd voor het startgesprek.\n",
                sender_name="Basisschool De Regenboog",
                reply_to="ib@example.test",
                due_at=NOW,
                next_attempt_at=NOW,
            )
            for n in range(N)
        ),
        batch_size=1000,
    )


def _floor():
    """Claim every row in batches and build its message, without sending or recording."""
    while rows := dispatch.claim(now=NOW, limit=dispatch.batch_size()):
        for _group, message in dispatch._messages(rows):
            message.message().as_bytes()


def _dispatch():
    while dispatch.send_batch(now=NOW):
        pass


LOOP_ROWS = 1000  # the loop is slow: measured on the first 1,000 rows, compared per row


def _one_at_a_time():
    for _ in range(LOOP_ROWS):
        dispatch.send_batch(now=NOW, limit=1)


def _timed(function, repeat):
    def run():
        _reset()
        return best_of(function, 1)

    return min(run() for _ in range(repeat))


def _two_dispatchers():
    _reset()

    def worker():
        try:
            _dispatch()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = CountingBackend.sent
    duplicates = sum(c - 1 for c in counts.values())
    lost = N - len(counts)
    return duplicates, lost


class _Rollback(Exception):
    pass


SCAN_NOW = datetime.datetime(2026, 11, 24, 11, 0, tzinfo=datetime.UTC)  # Tuesday 12:00 local
STEADY_REPEAT = 3


def scan_figures(schools, stream=sys.stderr, **board):
    """(seconds of the first scan, best seconds of a steady scan, queries of a steady scan) on a
    generated board of ``schools`` schools, rolled back afterwards."""
    result = None
    try:
        with transaction.atomic():
            build_board(name=f"Scan bestuur {schools}", schools=schools, stream=stream, **board)
            started = time.perf_counter()
            first = dispatch.scan(now=SCAN_NOW)
            first_seconds = time.perf_counter() - started
            # A minute later nothing is new: the tick that runs all day long.
            later = SCAN_NOW + datetime.timedelta(minutes=1)
            steady = best_of(lambda: dispatch.scan(now=later), STEADY_REPEAT)
            connection.queries_log.clear()  # the board's inserts filled the log
            with CaptureQueriesContext(connection) as queries:
                again = dispatch.scan(now=later)
            print(
                f"[reminders] scan at {schools} schools: first {first_seconds:.2f} s, "
                f"{first.created} rows; steady {steady * 1000:.0f} ms, {again.created} rows, "
                f"{len(queries)} queries",
                file=stream,
                flush=True,
            )
            result = first_seconds, steady, len(queries)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _scan_figures(stream):
    small = scan_figures(5, pupils=1500, guardians=2500, brin="98BN", stream=stream)
    large = scan_figures(50, brin="99BN", stream=stream)
    yield "scan_first_seconds", round(large[0], 1)
    yield "scan_steady_vs_first", round(large[1] / large[0], 3)
    yield "scan_steady_queries", f"{small[2]} at 5 schools, {large[2]} at 50 schools"


def run(stream=sys.stderr):
    yield from _dispatch_figures()
    yield from _scan_figures(stream)


def _dispatch_figures():
    settings.EMAIL_BACKEND = "bench.reminders_bench.CountingBackend"
    registry.register(PassThrough())
    try:
        _create()
        repeat = 3
        floor, full = [], []
        for _ in range(repeat):  # interleaved, best of each
            floor.append(_timed(_floor, 1))
            full.append(_timed(_dispatch, 1))
        loop = _timed(_one_at_a_time, 1)
        yield "dispatch_vs_build", round(min(floor) / min(full), 2)
        per_row_loop, per_row_batched = loop / LOOP_ROWS, min(full) / N
        yield "dispatch_vs_one_at_a_time", round(per_row_loop / per_row_batched, 1)
        duplicates, lost = _two_dispatchers()
        yield "dispatch_duplicates", duplicates
        yield "dispatch_lost", lost
        _reset()
        yield "reminders_tasks_per_pass_5000_due", dispatch.batches_due(now=NOW)
    finally:
        Reminder.objects.filter(rule=RULE).delete()
        registry.unregister(RULE)
