"""When a parent writes again in a conversation, the staff member who answers it hears of it
through the outbox: once, at once, or in the daily overview they chose."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from messaging import services
from parents import portal_services
from reminders import dispatch
from reminders.models import Reminder
from reminders.services import choose_daily_digest

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=AMS)
RULE = "messaging.guardian_reply"
REPLY = "Donderdag na drie uur kan ik ook."
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def thread(world):
    return portal_services.send_guardian_message(
        guardian=world.s1.guardian, pupil=world.s1.pupil, kind="call_request", text="Bel mij."
    ).thread


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email] and "schreef terug" in m.subject]


def test_the_teacher_hears_once_that_the_parent_wrote_back(world, thread):
    teacher = world.users["teacher"]
    services.answer_thread(thread=thread, by=teacher, text="Wanneer kan ik bellen?")
    dispatch.scan()
    assert not Reminder.objects.filter(rule=RULE).exists()  # the opening message is not a reply
    services.reply_as_guardian(thread=thread, guardian=world.s1.guardian, text=REPLY)
    dispatch.scan()
    dispatch.scan()
    dispatch.send_batch()
    (sent,) = mails_to(teacher)
    assert world.s1.guardian.full_name in sent.subject
    assert world.s1.pupil.first_name in sent.subject
    assert f"/berichten/gesprekken/{thread.pk}/" in sent.body
    assert REPLY not in sent.body  # what parents write is read behind a login
    assert Reminder.objects.filter(rule=RULE).count() == 1


def test_a_teacher_who_chose_one_message_a_day_gets_it_the_next_morning(world, thread):
    teacher = world.users["teacher"]
    choose_daily_digest(recipient_key=f"auth.user:{teacher.pk}", daily=True)
    services.reply_as_guardian(thread=thread, guardian=world.s1.guardian, text=REPLY)
    dispatch.scan()
    row = Reminder.objects.get(rule=RULE)
    assert row.digest
    assert row.next_attempt_at == datetime.datetime(2026, 12, 8, 7, 30, tzinfo=AMS)
    dispatch.send_batch()
    assert mails_to(teacher) == []
    with time_machine.travel(datetime.datetime(2026, 12, 8, 7, 31, tzinfo=AMS), tick=False):
        dispatch.send_batch()
    (overview,) = [m for m in mail.outbox if m.to == [teacher.email]]
    assert f"/berichten/gesprekken/{thread.pk}/" in overview.body


def test_a_staff_member_who_left_is_not_told(world, thread):
    thread.responsible.is_active = False
    thread.responsible.save(update_fields=["is_active"])
    services.reply_as_guardian(thread=thread, guardian=world.s1.guardian, text=REPLY)
    dispatch.scan()
    assert not Reminder.objects.filter(rule=RULE).exists()
