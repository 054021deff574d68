"""Celery tasks: thin, without arguments that carry personal data, safe to run twice.

Beat calls ``tick`` every minute (UTC, fixed interval). The rows in the outbox are the schedule;
a message on the broker only says "go and look", so a lost or repeated message costs nothing.
"""

from celery import shared_task
from django.utils import timezone

from reminders import dispatch

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**TASK_OPTIONS)
def tick():
    """Requeue stale rows, scan the rules, and start one send task per batch of due rows."""
    now = timezone.now()
    dispatch.sweep_stale(now=now)
    dispatch.scan(now=now)
    for _ in range(dispatch.batches_due(now=now)):
        send_due.delay_on_commit()


@shared_task(**TASK_OPTIONS)
def send_due():
    """Claim and send one batch; a second copy of this task finds nothing left to claim."""
    dispatch.send_batch()
