"""The audit log as a hash chain: each event's ``chain`` is the SHA-256 of the previous event's
chain and the event's own fields, so changing or removing a row in the middle breaks the chain
from there on (RELIABILITY E2). ``append`` writes one event; ``verify`` walks the log.

Appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by the
write lock every transaction takes first (``transaction_mode`` IMMEDIATE in the settings).
Retention removes the oldest events; the oldest that remains anchors the chain.
"""

import datetime
import hashlib

from django.db import connection, transaction
from django.utils import timezone

from schools.models import AuditEvent

# Any fixed number: the advisory lock that lets one append at a time read the last chain.
_LOCK = 0x5C40D1E
_FIELDS = ("user_id", "roles", "school_id", "pupil_id", "family_id", "action", "what")


def _digest(previous, event):
    fields = [event.at.astimezone(datetime.UTC).isoformat()]
    fields += [
        "" if getattr(event, name) is None else str(getattr(event, name)) for name in _FIELDS
    ]
    return hashlib.sha256("\x1f".join([previous, *fields]).encode()).hexdigest()


@transaction.atomic
def append(**fields):
    """Write one audit event, chained to the last one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    previous = AuditEvent.objects.order_by("-pk").values_list("chain", flat=True).first() or ""
    event = AuditEvent(at=timezone.now(), **fields)
    event.chain = _digest(previous, event)
    event.save(force_insert=True)
    return event


def verify(batch=5000):
    """(events checked, id of the first event whose chain does not match, or None)."""
    checked, previous = 0, None
    events = AuditEvent.objects.order_by("pk").only("pk", "at", "chain", *_FIELDS)
    for event in events.iterator(chunk_size=batch):
        if previous is not None and event.chain != _digest(previous, event):
            return checked, event.pk
        previous = event.chain
        checked += 1
    return checked, None
