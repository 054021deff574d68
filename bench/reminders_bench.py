"""Reminder dispatch: 5,000 due e-mails against the floor of claiming the rows and building the
same messages without sending; a one-row-at-a-time loop for comparison; two dispatchers at once
(duplicates and losses); and the number of Celery tasks one pass fans out.

Mail goes to a backend that renders every message to bytes and counts it, so the figures measure
our work, not a mail server's.
"""

import datetime
import threading
from collections import Counter

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from bench import best_of
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


def run():
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
