"""Less noise: a guardian who chose one message a day over a channel gets the day's reminders in
one message the next morning; staff get their routine reminders as one overview at the start of
the school day unless they chose otherwise. Each reminder is still sent exactly once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from reminders import dispatch
from reminders.channels import OutboxSmsBackend
from reminders.models import Reminder, Status
from reminders.services import choose_daily_digest
from tests.factories import GuardianFactory
from tests.reminders.test_dispatch import ListRule, item

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
TUESDAY_NOON = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
WEDNESDAY_DIGEST = datetime.datetime(2026, 11, 25, 7, 30, tzinfo=AMS)


class StaffListRule(ListRule):
    name = "test.staff"
    audience = "staff"


def for_guardian(guardian, n, **changes):
    return item(
        n,
        recipient_key=f"parents.guardian:{guardian.pk}",
        address=changes.pop("address", "moeder@example.test"),
        subject=f"Bericht {n}",
        body=f"Tekst {n}.",
        **changes,
    )


def send_at(moment):
    with time_machine.travel(moment, tick=False):
        return dispatch.send_batch()


def test_two_reminders_of_a_day_reach_a_guardian_as_one_message_each_sent_once(rules):
    guardian = GuardianFactory(daily_channels=["email"])
    rules.register(ListRule([for_guardian(guardian, 1), for_guardian(guardian, 2)]))
    with time_machine.travel(TUESDAY_NOON, tick=False):
        dispatch.scan()
        assert dispatch.send_batch() == {}  # not at once: tomorrow morning
    assert send_at(WEDNESDAY_DIGEST) == {"sent": 2}
    [message] = mail.outbox
    assert message.to == ["moeder@example.test"] and "(2)" in message.subject
    assert "Tekst 1." in message.body and "Tekst 2." in message.body
    rows = Reminder.objects.all()
    assert [r.status for r in rows] == [Status.SENT, Status.SENT]
    assert all(r.sent_at is not None for r in rows)
    assert send_at(WEDNESDAY_DIGEST + datetime.timedelta(hours=1)) == {}
    assert len(mail.outbox) == 1


def test_the_choice_is_per_channel(rules, settings):
    settings.SMS_BACKEND = "reminders.channels.OutboxSmsBackend"
    OutboxSmsBackend.outbox = []
    guardian = GuardianFactory(daily_channels=["sms"])
    rules.register(
        ListRule(
            [
                for_guardian(guardian, 1),  # e-mail: at once
                for_guardian(guardian, 2, channel="sms", address="+31612345678"),
                for_guardian(guardian, 3, channel="sms", address="+31612345678"),
            ]
        )
    )
    with time_machine.travel(TUESDAY_NOON, tick=False):
        dispatch.scan()
        assert dispatch.send_batch() == {"sent": 1}
    assert len(mail.outbox) == 1 and OutboxSmsBackend.outbox == []
    assert send_at(WEDNESDAY_DIGEST) == {"sent": 2}
    [text] = OutboxSmsBackend.outbox
    assert text["to"] == "+31612345678"
    assert "Tekst 2." in text["body"] and "Tekst 3." in text["body"]


def test_a_guardian_who_wants_each_message_at_once_gets_them_at_once(rules):
    guardian = GuardianFactory()
    rules.register(ListRule([for_guardian(guardian, 1), for_guardian(guardian, 2)]))
    with time_machine.travel(TUESDAY_NOON, tick=False):
        dispatch.scan()
        assert dispatch.send_batch() == {"sent": 2}
    assert len(mail.outbox) == 2


def staff_item(n, **changes):
    return item(
        n,
        recipient_key="auth.user:5",
        address="juf@example.test",
        subject=f"Afspraak {n}",
        due_at=changes.pop("due_at", datetime.datetime(2026, 11, 24, 8, 0, tzinfo=AMS)),
        **changes,
    )


def test_routine_reminders_reach_staff_as_one_overview_at_eight(rules):
    rules.register(StaffListRule([staff_item(1), staff_item(2)]))
    with time_machine.travel(datetime.datetime(2026, 11, 24, 8, 0, 30, tzinfo=AMS), tick=False):
        dispatch.scan()
        assert dispatch.send_batch() == {"sent": 2}  # the day's overview, right away
    [message] = mail.outbox
    assert "(2)" in message.subject and "Afspraak 1" in message.body


def test_a_staff_member_who_chose_at_once_gets_each_reminder(rules):
    choose_daily_digest(recipient_key="auth.user:5", daily=False)
    rules.register(StaffListRule([staff_item(1), staff_item(2)]))
    with time_machine.travel(datetime.datetime(2026, 11, 24, 8, 0, 30, tzinfo=AMS), tick=False):
        dispatch.scan()
        assert dispatch.send_batch() == {"sent": 2}
    assert len(mail.outbox) == 2


def test_a_staff_reminder_due_later_in_the_day_waits_for_the_next_overview(rules):
    rules.register(StaffListRule([staff_item(1, due_at=TUESDAY_NOON)]))
    with time_machine.travel(TUESDAY_NOON, tick=False):
        dispatch.scan()
    row = Reminder.objects.get()
    assert row.digest
    assert row.next_attempt_at == datetime.datetime(2026, 11, 25, 8, 0, tzinfo=AMS)


def test_a_digest_goes_out_whole_when_the_batch_limit_falls_inside_it(rules):
    guardian = GuardianFactory(daily_channels=["email"])
    rules.register(ListRule([for_guardian(guardian, n) for n in range(1, 4)]))
    with time_machine.travel(TUESDAY_NOON, tick=False):
        dispatch.scan()
    with time_machine.travel(WEDNESDAY_DIGEST, tick=False):
        assert dispatch.send_batch(limit=1) == {"sent": 3}
        assert dispatch.send_batch(limit=1) == {}
    assert len(mail.outbox) == 1
