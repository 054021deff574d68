"""`send_reminders`: one pass in the foreground; a second pass sends nothing new."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command

from reminders.models import Reminder

# The second week of the school year: the welcome and the information card are due.
MORNING = datetime.datetime(2026, 9, 8, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_send_reminders_sends_what_is_due_once(world_today):
    with time_machine.travel(MORNING, tick=False):
        dry = _run("--dry-run")
        assert Reminder.objects.count() == 0 and mail.outbox == []
        assert "parents.welcome" in dry and "schools.information_card" in dry
        first = _run()
        sent = len(mail.outbox)
        second = _run()
    assert sent > 0 and f"verstuurd: {sent}," in first
    assert "Nieuw: 0, verstuurd: 0," in second and len(mail.outbox) == sent


def test_stop_page_speaks_the_language_of_the_message(client, db):
    from reminders.dispatch import stop_url

    row = Reminder(pk=1, recipient_key="parents.guardian:1", rule="parents.welcome", language="ar")
    url = stop_url(row).split("8000", 1)[-1]
    page = client.get(url).content.decode()
    assert 'lang="ar"' in page and "نعم، أوقف هذه الرسائل" in page
