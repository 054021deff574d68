"""State changes on the outbox that people make: resend, stop a kind, switch a kind off."""

from __future__ import annotations

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from reminders.dispatch import STOP_SALT, batches_due
from reminders.models import OptOut, Preference, Reminder, SchoolSwitch, Status


class RemindersError(Exception):
    pass


def resend(*, reminder: Reminder) -> None:
    """Put a failed or cancelled reminder back in the queue, as if it were new."""
    from reminders.tasks import send_due

    with transaction.atomic():
        updated = Reminder.objects.filter(
            pk=reminder.pk, status__in=(Status.FAILED, Status.CANCELLED)
        ).update(
            status=Status.PENDING,
            attempts=0,
            last_error="",
            next_attempt_at=timezone.now(),
            claim_token=None,
        )
        if not updated:
            raise RemindersError("Alleen een mislukte of gestopte herinnering kan opnieuw.")
        send_due.delay_on_commit()


def resend_failed(*, school_id: int, rule: str = "", day: datetime.date | None = None) -> int:
    """Put every failed reminder of one kind (``rule``) or of one day (``day``, the day it was
    due) of a school back in the queue at once, after an outage. Returns how many. Each row
    goes back once: a second click, or two at the same moment, finds nothing left to put back,
    and the outbox sends each row once."""
    from reminders.tasks import send_due

    if not rule and day is None:
        raise RemindersError("Kies een soort herinnering of een dag.")
    rows = Reminder.objects.of_school(school_id).filter(status=Status.FAILED)
    if rule:
        rows = rows.filter(rule=rule)
    if day is not None:
        rows = rows.filter(due_at__date=day)
    with transaction.atomic():
        count = rows.update(
            status=Status.PENDING,
            attempts=0,
            last_error="",
            next_attempt_at=timezone.now(),
            claim_token=None,
        )
        for _ in range(batches_due()):
            send_due.delay_on_commit()
    return count


def read_stop_token(token: str) -> tuple[str, str, str]:
    """(recipient_key, rule, language) from the link in a message, or RemindersError."""
    try:
        recipient_key, rule, language = signing.loads(token, salt=STOP_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise RemindersError("Deze link werkt niet (meer).") from exc
    return recipient_key, rule, language


def stop_reminders(*, token: str) -> str:
    """Record that the person in the token wants no more reminders of this kind."""
    recipient_key, rule, _language = read_stop_token(token)
    with transaction.atomic():
        OptOut.objects.get_or_create(recipient_key=recipient_key, rule=rule)
        Reminder.objects.filter(
            recipient_key=recipient_key, rule=rule, status=Status.PENDING
        ).update(status=Status.CANCELLED, last_error="Afgemeld door de ontvanger.")
    return rule


def switch_rule(*, school_id: int, rule: str, on: bool) -> None:
    """Switch a kind of reminder on or off for one school."""
    with transaction.atomic():
        if on:
            SchoolSwitch.objects.filter(school_id=school_id, rule=rule).delete()
            return
        try:
            with transaction.atomic():
                SchoolSwitch.objects.create(school_id=school_id, rule=rule)
        except IntegrityError:
            return  # already off
        Reminder.objects.filter(school_id=school_id, rule=rule, status=Status.PENDING).update(
            status=Status.CANCELLED, last_error="Door de school uitgezet."
        )


def wants_daily_digest(*, recipient_key: str) -> bool:
    """Does this staff member get their routine reminders as one overview a day? Yes, unless
    they chose otherwise."""
    chosen = (
        Preference.objects.filter(recipient_key=recipient_key)
        .values_list("daily_digest", flat=True)
        .first()
    )
    return True if chosen is None else chosen


def choose_daily_digest(*, recipient_key: str, daily: bool) -> None:
    """Record how a staff member wants their reminders: one overview a day (``daily``) or each
    one at once. Rows already waiting keep the moment they were given."""
    with transaction.atomic():
        Preference.objects.update_or_create(
            recipient_key=recipient_key, defaults={"daily_digest": daily}
        )
