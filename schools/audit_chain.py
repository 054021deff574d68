"""The audit log as a hash chain: each event's ``chain`` is the SHA-256 of the previous event's
chain and the event's own fields, so changing or removing a row in the middle breaks the chain
from there on (RELIABILITY E2). ``append`` writes one event; ``verify`` walks the log.

The chain alone cannot tell that rows are missing at its ends: without its first rows the rest
still holds, and an emptied table is a chain of nothing. So the nightly retention run writes a
checkpoint (``write_checkpoint``): the first and last event, their chains and the number of
events, signed with a key derived from SECRET_KEY, in a table of its own. ``missing_at_the_ends``
compares the log with the latest checkpoint; whoever can change the database but cannot read the
key cannot sign a shorter log. Rows written since the last checkpoint are covered by the next.

Appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by the
write lock every transaction takes first (``transaction_mode`` IMMEDIATE in the settings).
Retention removes the oldest events and then writes a checkpoint: the oldest that remains anchors
the chain.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from schools.models import AuditCheckpoint, AuditEvent

# Any fixed number: the advisory lock that lets one append at a time read the last chain.
_LOCK = 0x5C40D1E
_FIELDS = ("user_id", "roles", "school_id", "pupil_id", "family_id", "action", "what")
_SALT = "schools.audit_chain.checkpoint"


def _digest(previous, event):
    fields = [event.at.astimezone(datetime.UTC).isoformat()]
    fields += [
        "" if getattr(event, name) is None else str(getattr(event, name)) for name in _FIELDS
    ]
    return hashlib.sha256("\x1f".join([previous, *fields]).encode()).hexdigest()


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def append(**fields):
    """Write one audit event, chained to the last one. Part of the caller's transaction (no
    savepoint of its own): when the event cannot be written, what it records does not happen."""
    with transaction.atomic(savepoint=False):
        _lock()
        previous = AuditEvent.objects.order_by("-pk").values_list("chain", flat=True).first()
        event = AuditEvent(at=timezone.now(), **fields)
        event.chain = _digest(previous or "", event)
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


# --- the checkpoint ------------------------------------------------------------------------------


def _signed_text(checkpoint):
    values = (
        checkpoint.at.astimezone(datetime.UTC).isoformat(),
        checkpoint.first_id,
        checkpoint.first_chain,
        checkpoint.last_id,
        checkpoint.head,
        checkpoint.count,
    )
    return "|".join("" if value is None else str(value) for value in values)


def _signature(checkpoint, secret):
    return salted_hmac(
        _SALT, _signed_text(checkpoint), secret=secret, algorithm="sha256"
    ).hexdigest()


def signature_holds(checkpoint):
    """Signed with SECRET_KEY, or with a key it replaced (SECRET_KEY_FALLBACKS)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(_signature(checkpoint, secret), checkpoint.signature)
        for secret in secrets
    )


def write_checkpoint():
    """Sign where the chain stands now: its first and last event and how many lie between.
    Runs in the caller's transaction (the retention run's, after its delete), holding the lock
    of the appends, so no event slips in between the reads."""
    with transaction.atomic(savepoint=False):
        _lock()
        events = AuditEvent.objects.values_list("pk", "chain")
        first = events.order_by("pk").first() or (None, "")
        last = events.order_by("-pk").first() or (None, "")
        checkpoint = AuditCheckpoint(
            at=timezone.now(),
            first_id=first[0],
            first_chain=first[1],
            last_id=last[0],
            head=last[1],
            count=AuditEvent.objects.count(),
        )
        checkpoint.signature = _signature(checkpoint, settings.SECRET_KEY)
        checkpoint.save(force_insert=True)
        return checkpoint


def missing_at_the_ends():
    """What the latest checkpoint says is missing from the log, as Dutch sentences for the
    person who runs ``verify_audit_log``; an empty list when nothing is."""
    checkpoint = AuditCheckpoint.objects.order_by("-pk").first()
    events = AuditEvent.objects.order_by("pk")
    first = events.only("pk", "at", "chain", *_FIELDS).first()
    if checkpoint is None:
        # Nothing was ever removed by retention without a checkpoint: the first event of the
        # log must then be the first of the chain.
        if first is not None and first.chain != _digest("", first):
            return [
                f"Regels vóór regel {first.pk} ontbreken: die regel is niet het begin van de "
                "keten, en er is nog geen controlepunt."
            ]
        return []
    when = timezone.localtime(checkpoint.at).strftime("%d-%m-%Y %H:%M")
    if not signature_holds(checkpoint):
        return [f"Het controlepunt van {when} is veranderd: de handtekening klopt niet."]
    if checkpoint.count == 0:
        return []
    span = f"regel {checkpoint.first_id} tot en met {checkpoint.last_id}"
    if first is None:
        return [
            f"Het logboek is leeg, maar bij het controlepunt van {when} had het "
            f"{checkpoint.count} regels ({span})."
        ]
    problems = []
    if first.pk != checkpoint.first_id or first.chain != checkpoint.first_chain:
        problems.append(
            f"Het begin van het logboek ontbreekt: het controlepunt van {when} begint bij regel "
            f"{checkpoint.first_id}, het logboek nu bij regel {first.pk}."
        )
    last = events.filter(pk=checkpoint.last_id).values_list("chain", flat=True).first()
    if last is None:
        problems.append(
            f"Het einde van het logboek ontbreekt: regel {checkpoint.last_id}, de laatste bij "
            f"het controlepunt van {when}, is weg."
        )
    elif last != checkpoint.head:
        problems.append(
            f"Regel {checkpoint.last_id} is veranderd sinds het controlepunt van {when}."
        )
    kept = events.filter(pk__gte=checkpoint.first_id, pk__lte=checkpoint.last_id).count()
    if kept != checkpoint.count:
        problems.append(
            f"Van {span} waren er bij het controlepunt {checkpoint.count} regels, nu {kept}."
        )
    return problems
