"""Turn the free-text "of steeds" of existing agreements into the plan's schedules.

The texts the form suggested map to their schedule; anything else becomes one moment four weeks
after the conversation, so that no agreement is lost and each can be handed to the plan.
Reversing writes the schedule back as the Dutch text.
"""

import datetime

from django.db import migrations
from django.utils import timezone

RULES = {
    "elke week": "weekly",
    "elke maand": "monthly",
    "na elk rapport": "after_report",
    "begin van elke periode": "term_start",
}
TEXTS = {schedule: text for text, schedule in RULES.items()}
FALLBACK_WEEKS = 4


def _conversation_day(conversation):
    """The day of the conversation at school (local time): held, else booked, else the first day
    of its round."""
    if conversation.held_at is not None:
        return timezone.localdate(conversation.held_at)
    booking = conversation.bookings.order_by("slot__starts_at").select_related("slot").first()
    if booking is not None:
        return timezone.localdate(booking.slot.starts_at)
    return conversation.round.window_start


def rule_to_schedule(apps, schema_editor):
    ConversationAgreement = apps.get_model("conversations", "ConversationAgreement")
    agreements = ConversationAgreement.objects.select_related("conversation__round")
    for agreement in agreements.iterator():
        text = " ".join(agreement.rule.lower().split())
        if text in RULES:
            agreement.schedule = RULES[text]
            agreement.due_on = None
        else:
            agreement.schedule = "once"
            if agreement.due_on is None:
                agreement.due_on = _conversation_day(agreement.conversation) + datetime.timedelta(
                    weeks=FALLBACK_WEEKS
                )
        agreement.save(update_fields=["schedule", "due_on"])


def schedule_to_rule(apps, schema_editor):
    ConversationAgreement = apps.get_model("conversations", "ConversationAgreement")
    for agreement in ConversationAgreement.objects.iterator():
        if agreement.schedule == "once":
            agreement.rule = ""
        elif agreement.schedule == "every_n_weeks":
            agreement.rule = f"om de {agreement.interval_weeks} weken"
        else:
            agreement.rule = TEXTS[agreement.schedule]
        agreement.save(update_fields=["rule"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0004_agreement_schedule"),
    ]

    operations = [
        migrations.RunPython(rule_to_schedule, schedule_to_rule),
    ]
