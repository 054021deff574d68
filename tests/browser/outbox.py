"""Sending what the outbox holds, from a browser journey, whatever the time of day."""

from django.utils import timezone

from reminders import dispatch
from reminders.quiet import QuietHours


def send_everything() -> None:
    """Scan the rules and send every message the outbox holds, at the first moment messages may
    go out: a journey run in the evening or on a Sunday sends at the next morning, as the
    outbox would (quiet hours, ``reminders.quiet``), instead of finding nothing sent."""
    moment = QuietHours().postpone(timezone.now())
    dispatch.scan(now=moment)
    while dispatch.send_batch(now=moment):
        pass  # the demo's own reminders wait in the same outbox
