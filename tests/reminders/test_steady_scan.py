"""The scan that runs every minute, on generated boards with three years of history: once the
outbox holds what is due, a scan reads only what is new, with the same queries on a small and a
larger board, and nothing already sent goes out a second time."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.board_data import build_board
from reminders import dispatch
from reminders.models import Reminder, Status

pytestmark = pytest.mark.django_db

# Tuesday 24 November 2026, noon in the Netherlands: a school day, outside quiet hours.
NOON = datetime.datetime(2026, 11, 24, 11, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def _board(name, schools, brin):
    build_board(
        name=name,
        schools=schools,
        pupils=30 * schools,
        guardians=50 * schools,
        brin=brin,
        seed=3,
        stream=None,
    )


def _send_all_due(now):
    while dispatch.send_batch(now=now):
        pass


def _sent():
    return dict(Reminder.objects.filter(status=Status.SENT).values_list("pk", "sent_at"))


def test_the_steady_scan_reads_the_same_on_a_larger_board_and_sends_nothing_twice(
    django_assert_num_queries,
):
    with time_machine.travel(NOON, tick=False):
        _board("Klein bestuur", 2, "91BN")
        assert dispatch.scan(now=NOON).created > 0
        with CaptureQueriesContext(connection) as small:
            assert dispatch.scan(now=NOON + MINUTE).created == 0

        _board("Groter bestuur", 5, "90BN")  # seven schools now
        assert dispatch.scan(now=NOON + 2 * MINUTE).created > 0
        with django_assert_num_queries(len(small)):
            assert dispatch.scan(now=NOON + 3 * MINUTE).created == 0

        _send_all_due(NOON + 3 * MINUTE)
        sent, messages = _sent(), len(mail.outbox)
        assert sent and messages

        # The ticks after it: nothing new in the outbox, nothing sent again.
        for minutes in (4, 5):
            assert dispatch.scan(now=NOON + minutes * MINUTE).created == 0
            _send_all_due(NOON + minutes * MINUTE)
        assert _sent() == sent
        assert len(mail.outbox) == messages
