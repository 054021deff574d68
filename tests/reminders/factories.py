import datetime

import factory
from django.utils import timezone

from reminders.models import Reminder


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    rule = "test.list"
    object_ref = factory.Sequence(lambda n: f"tests.thing:{n}")
    recipient_key = factory.Sequence(lambda n: f"tests.person:{n}")
    occurrence = "1"
    school_id = None
    recipient_name = "Ouder Test"
    address = factory.Sequence(lambda n: f"ontvanger{n}@example.test")
    channel = "email"
    language = "nl"
    subject = "Herinnering"
    body = "Vergeet het niet."
    sender_name = "Basisschool Test"
    reply_to = "ib@example.test"
    due_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
    next_attempt_at = factory.SelfAttribute("due_at")
