"""Celery tasks: thin, without arguments that carry personal data, safe to run twice.

Beat calls ``tick`` every minute (UTC, fixed interval), on a queue of its own so that send tasks
never hold it up. The rows in the outbox are the schedule; a message on the broker only says "go
and look", so a lost or repeated message costs nothing.
"""

import logging
import uuid

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from reminders import dispatch

logger = logging.getLogger(__name__)
TICK_LOCK = "reminders:tick"

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**TASK_OPTIONS)
def tick():
    """Requeue stale rows, scan the rules, and start one send task per batch of due rows. A tick
    that finds the previous pass still running skips its turn: two passes never overlap."""
    owner = uuid.uuid4().hex
    if not cache.add(TICK_LOCK, owner, timeout=dispatch.option("TICK_LOCK", 600)):
        logger.info("reminders: the previous tick is still running; this one skips its turn")
        return False
    try:
        now = timezone.now()
        dispatch.sweep_stale(now=now)
        dispatch.scan(now=now)
        for _ in range(dispatch.batches_due(now=now)):
            send_due.delay_on_commit()
    finally:
        if cache.get(TICK_LOCK) == owner:  # a pass that outlived the lock leaves the next alone
            cache.delete(TICK_LOCK)
    return True


@shared_task(**TASK_OPTIONS)
def send_due():
    """Claim and send one batch; a second copy of this task finds nothing left to claim."""
    dispatch.send_batch()
