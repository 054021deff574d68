"""Scan and send: the two halves of the outbox.

``scan`` asks every rule what is due and inserts what the outbox does not hold yet (insert-or-ignore
on the unique key). ``send_batch`` claims up to a batch of due rows (``SELECT ... FOR UPDATE SKIP
LOCKED`` on PostgreSQL, a conditional UPDATE everywhere), checks each again, sends them over one
connection, and records every result. ``sweep_stale`` gives rows back whose sender died mid-batch.

A claim is a lease of ``STALE_AFTER`` seconds under a token of its own. The sender renews it while
it sends (three times per lease), so a slow mail server never makes
a live sender's rows look abandoned; the sweeper takes back only expired leases; and every result
is written only on the rows that still carry the sender's token, so a sender that lost its lease
can neither mark nor send rows that another sender holds now.

Exactly once is a promise about rows, not inboxes: a sender killed after the mail server accepted
a message but before the row says "sent" sends that message again after its lease expired.
Results are written every ``FLUSH_EVERY`` messages to keep that window small; a duplicate is
preferred to a reminder that is lost.
"""

import datetime
import logging
import math
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone
from zeal import ZealError, zeal_context

from reminders import registry, texts
from reminders.channels import (
    DeliveryError,
    build_email,
    classify,
    is_outage,
    sms_backend,
)
from reminders.models import Channel, OptOut, Preference, Reminder, SchoolSwitch, Status
from reminders.quiet import AMSTERDAM, QuietHours

logger = logging.getLogger(__name__)

STOP_SALT = "reminders.stop"
# A digest someone chose (a guardian per channel, a staff member for everything) collects the
# items of a day and goes out the next morning.
DIGEST_TIME = datetime.time(7, 30)
# Routine reminders to staff fall due at the start of the school day (the rules' staff morning);
# the day's digest goes out then, with all of them.
ROUTINE_DIGEST_TIME = datetime.time(8, 0)


def option(name, default):
    return getattr(settings, f"REMINDERS_{name}", default)


def batch_size():
    return option("BATCH_SIZE", 500)


# --- Scan -------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    due: int = 0
    created: int = 0
    skipped: int = 0  # opted out or switched off
    rows: list = None
    failed_rules: list = None


def scan(*, now=None, dry_run=False):
    """Insert an outbox row for every due item the outbox does not hold yet. Idempotent: two
    scans at once, or a scan repeated every minute, leave one row per item. A dry run writes
    nothing at all: whatever a rule notes while it looks is rolled back too."""
    if dry_run:
        with transaction.atomic():
            result = _scan(now=now, dry_run=True)
            transaction.set_rollback(True)
        return result
    return _scan(now=now, dry_run=False)


def _scan(*, now, dry_run):
    now = now or timezone.now()
    result = ScanResult(rows=[], failed_rules=[])
    switched_off = set(SchoolSwitch.objects.values_list("school_id", "rule"))
    # {recipient_key: True (one message a day) or False (each one at once)}
    preferences = dict(Preference.objects.values_list("recipient_key", "daily_digest"))
    opted_out = set(OptOut.objects.values_list("rule", "recipient_key"))
    for rule in registry.rules().values():
        try:
            # A rule's rows and the marks it leaves (outbox.mark_looked) are kept together. Each
            # rule is watched for a query per item on its own (with DEBUG and in the tests).
            with transaction.atomic(), zeal_context():
                new = _scan_rule(rule, now, result, switched_off, opted_out, preferences)
                if not dry_run and new:
                    # A second scan running at the same moment may insert the same rows: the
                    # unique key keeps one of each, and neither scan fails.
                    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        except ZealError:
            raise  # only the tests raise it: a rule that queries per item fails them
        except Exception:
            # One broken rule must not stop the others, nor the sending of what is already due.
            logger.exception("reminders: scan of rule %s failed", rule.name)
            result.failed_rules.append(rule.name)
            continue
        result.rows.extend(new)
    result.created = len(result.rows)
    return result


def _scan_rule(rule, now, result, switched_off, opted_out, preferences):
    items = []
    for item in rule.due(now):
        result.due += 1
        if (item.school_id, rule.name) in switched_off or (
            rule.name,
            item.recipient_key,
        ) in opted_out:
            result.skipped += 1
            continue
        items.append(item)
    if not items:
        return []
    # Rules filter what the outbox holds before they render (reminders.outbox); this check
    # keeps the promise for a rule that does not.
    existing = set(
        Reminder.objects.filter(
            rule=rule.name, occurrence__in={item.occurrence for item in items}
        ).values_list("object_ref", "recipient_key", "occurrence")
    )
    items = [
        item
        for item in items
        if (item.object_ref, item.recipient_key, item.occurrence) not in existing
    ]
    chosen = registry.digest_choices({item.recipient_key for item in items}) if items else set()
    return [_row(rule, item, _digest_at(rule, item, preferences, chosen)) for item in items]


def _digest_at(rule, item, preferences, chosen):
    """The moment ``item`` goes out as part of its recipient's digest, or None when it goes out
    on its own."""
    preference = preferences.get(item.recipient_key)
    if preference is True or (item.recipient_key, item.channel) in chosen:
        return _digest_moment(item.due_at, DIGEST_TIME)
    if preference is None and rule.routine:
        return _digest_moment(item.due_at, ROUTINE_DIGEST_TIME)
    return None


def _row(rule, item, digest_at=None):
    """The outbox row of ``item``; with ``digest_at``, as part of the recipient's digest."""
    quiet = item.quiet_hours or QuietHours()
    digest = bool(digest_at)
    send_at = digest_at if digest else item.due_at
    row = Reminder(
        rule=rule.name,
        object_ref=item.object_ref,
        recipient_key=item.recipient_key,
        occurrence=item.occurrence,
        school_id=item.school_id,
        recipient_name=item.recipient_name[:200],
        address=item.address,
        channel=item.channel,
        language=item.language,
        subject=item.subject[:200],
        body=item.body,
        html_body=item.html_body,
        sender_name=item.sender_name[:200],
        reply_to=item.reply_to,
        quiet_hours="" if item.quiet_hours is None else quiet.encode(),
        digest=digest,
        note=item.note[:300],
        due_at=item.due_at,
        next_attempt_at=quiet.postpone(send_at),
    )
    if not item.address:
        row.status = Status.FAILED
        row.last_error = "Geen e-mailadres of telefoonnummer bekend."
    return row


def _digest_moment(due_at, at):
    """A digest collects the items of a day and goes out the next morning at ``at`` (or this
    morning, for items due by then), so all of them are claimed together."""
    local = due_at.astimezone(AMSTERDAM)
    day = local.date() if local.time() <= at else local.date() + datetime.timedelta(1)
    return datetime.datetime.combine(day, at, tzinfo=AMSTERDAM)


# --- Claim --------------------------------------------------------------------------------------


def lease_seconds():
    return option("STALE_AFTER", 300)


def claim(*, now, limit):
    """Mark up to ``limit`` due rows as ours, under a new token and a fresh lease. Two senders at
    once never get the same row."""
    token = uuid.uuid4()
    with transaction.atomic():
        due = Reminder.objects.due(now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # A digest goes out whole: the recipient's other due digest rows join this batch, also
        # when the batch limit fell among them.
        addresses = Reminder.objects.filter(id__in=ids, digest=True).values("address")
        ids += list(
            due.filter(digest=True, address__in=addresses)
            .exclude(id__in=ids)
            .values_list("id", flat=True)
        )
        # The status condition makes this safe without row locks too (SQLite).
        Reminder.objects.filter(id__in=ids, status=Status.PENDING).update(
            status=Status.SENDING,
            claimed_at=now,
            claim_token=token,
            leased_until=_lease_end(),
            attempts=F("attempts") + 1,
        )
    return list(Reminder.objects.filter(claim_token=token, status=Status.SENDING).order_by("id"))


def _lease_end():
    # Real time, also when a caller passes another ``now``: the lease is about this process.
    return timezone.now() + datetime.timedelta(seconds=lease_seconds())


def _ours(token):
    return Reminder.objects.filter(claim_token=token, status=Status.SENDING)


class Lease:
    """The claim of one batch while it is sent: renewed whenever a third of the lease has
    passed, so it never runs out under a live sender."""

    def __init__(self, token):
        self.token = token
        self.renewed = timezone.now()

    def due(self):
        elapsed = (timezone.now() - self.renewed).total_seconds()
        return elapsed >= lease_seconds() / 3

    def renew(self):
        """Extend the lease; the ids still ours (a row the sweeper took back is not)."""
        _ours(self.token).update(leased_until=_lease_end())
        self.renewed = timezone.now()
        return set(_ours(self.token).values_list("id", flat=True))


def batches_due(*, now=None):
    """How many send tasks the due rows need (one per batch, never one per message)."""
    now = now or timezone.now()
    count = Reminder.objects.due(now).count()
    return min(math.ceil(count / batch_size()), option("MAX_BATCHES_PER_TICK", 20))


def sweep_stale(*, now=None):
    """Give rows back whose lease expired: their sender died mid-batch (worker killed, machine
    lost). A live sender renews its lease, however slow the mail server is."""
    now = now or timezone.now()
    stale = Reminder.objects.filter(status=Status.SENDING, leased_until__lt=now)
    failed = stale.filter(attempts__gte=option("MAX_ATTEMPTS", 8)).update(
        status=Status.FAILED,
        claim_token=None,
        leased_until=None,
        last_error="Versturen steeds afgebroken.",
    )
    requeued = stale.update(
        status=Status.PENDING, claim_token=None, leased_until=None, next_attempt_at=now
    )
    if requeued or failed:
        logger.warning("reminders: %s stale rows requeued, %s failed", requeued, failed)
    return requeued


# --- Send ---------------------------------------------------------------------------------------


def send_batch(*, now=None, limit=None):
    """Claim one batch of due rows and send it. Returns a Counter of outcomes."""
    now = now or timezone.now()
    rows = claim(now=now, limit=limit or batch_size())
    outcome = Counter()
    if not rows:
        return outcome
    lease = Lease(rows[0].claim_token)
    rows = _recheck(rows, outcome)
    rows = _hold_quiet(rows, now, outcome)
    email = [r for r in rows if r.channel == Channel.EMAIL]
    sms = [r for r in rows if r.channel == Channel.SMS]
    if email:
        _send_email(email, outcome, lease)
    ours = {r.pk for r in sms}
    for group, body in _texts(sms):
        if lease.due():
            ours = lease.renew()
        if all(r.pk in ours for r in group):
            _send_sms(group, body, outcome)
    return outcome


def _recheck(rows, outcome):
    """Ask again right before sending: opted out, switched off, or the rule says the cause is
    gone → cancelled with a reason, never sent."""
    keys = {r.recipient_key for r in rows}
    opted_out = set(
        OptOut.objects.filter(recipient_key__in=keys).values_list("recipient_key", "rule")
    )
    switched_off = set(
        SchoolSwitch.objects.filter(school_id__in={r.school_id for r in rows}).values_list(
            "school_id", "rule"
        )
    )
    by_rule = defaultdict(list)
    cancelled = {}
    for row in rows:
        if (row.recipient_key, row.rule) in opted_out:
            cancelled[row.pk] = "Afgemeld door de ontvanger."
        elif (row.school_id, row.rule) in switched_off:
            cancelled[row.pk] = "Door de school uitgezet."
        else:
            by_rule[row.rule].append(row)
    keep = []
    for name, rule_rows in by_rule.items():
        rule = registry.get(name)
        if rule is None:
            cancelled.update({r.pk: "Deze soort herinnering bestaat niet meer." for r in rule_rows})
            continue
        try:
            verdicts = rule.recheck(rule_rows)
        except Exception:
            # Never send unchecked: try again later, and tell the people who must fix it.
            logger.exception("reminders: recheck of rule %s failed", name)
            _record_failure(rule_rows, DeliveryError("Controle mislukt.", transient=True), outcome)
            continue
        for row in rule_rows:
            verdict = verdicts.get(row.pk)
            if verdict and verdict.cancel_reason:
                cancelled[row.pk] = verdict.cancel_reason
            else:
                if verdict and verdict.address:
                    row.address = verdict.address
                    row.channel = verdict.channel or row.channel
                    _mine(row).update(address=row.address, channel=row.channel)
                keep.append(row)
    for reason in set(cancelled.values()):
        ids = [pk for pk, why in cancelled.items() if why == reason]
        Reminder.objects.filter(pk__in=ids, claim_token=rows[0].claim_token).update(
            status=Status.CANCELLED, last_error=reason, claim_token=None, leased_until=None
        )
    if cancelled:
        outcome["cancelled"] += len(cancelled)
    return keep


def _hold_quiet(rows, now, outcome):
    """A row claimed late (a stalled queue) still waits for the end of quiet hours."""
    keep = []
    for row in rows:
        quiet = QuietHours.decode(row.quiet_hours)
        if quiet.is_quiet(now):
            _mine(row).update(
                status=Status.PENDING,
                leased_until=None,
                next_attempt_at=quiet.postpone(now),
                attempts=F("attempts") - 1,
                claim_token=None,
            )
            outcome["held"] += 1
        else:
            keep.append(row)
    return keep


def stop_url(row):
    token = signing.dumps(
        [row.recipient_key, row.rule, row.language], salt=STOP_SALT, compress=True
    )
    return settings.SITE_URL.rstrip("/") + reverse("reminders:stop", args=[token])


def _with_stop_link(row, body):
    (stop,) = texts.in_language(row.language, texts.STOP)
    return f"{body}\n\n{stop}: {stop_url(row)}\n"


def _messages(rows):
    """(rows, message) pairs: one message per row, one digest per digest recipient."""
    digests = defaultdict(list)
    for row in rows:
        if row.digest:
            digests[row.address].append(row)
        else:
            yield [row], _email(row, row.subject, _with_stop_link(row, row.body), row.html_body)
    for group in digests.values():
        if len(group) == 1:
            row = group[0]
            yield group, _email(row, row.subject, _with_stop_link(row, row.body), row.html_body)
            continue
        first = group[0]
        (subject,) = texts.in_language(first.language, texts.DIGEST_SUBJECT)
        subject = subject.format(count=len(group))
        body = "\n\n".join(
            f"{index}. {r.subject}\n{_with_stop_link(r, r.body)}"
            for index, r in enumerate(group, start=1)
        )
        yield group, _email(first, subject, body, "")


def _email(row, subject, body, html_body):
    return build_email(
        reminder_id=row.pk,
        address=row.address,
        subject=subject,
        body=body,
        html_body=html_body,
        sender_name=row.sender_name,
        reply_to=row.reply_to,
    )


def _send_email(rows, outcome, lease):
    flush_every = option("FLUSH_EVERY", 25)
    mail = get_connection()
    try:
        mail.open()  # one connection for the batch; send_messages below keeps it open
    except Exception as exc:  # noqa: BLE001 - the server is down: the batch waits
        _stop_batch(rows[:1], rows[1:], classify(exc), outcome)
        return
    sent = []
    ours = {r.pk for r in rows}
    pending = list(_messages(rows))
    delivered = False
    try:
        for index, (group, message) in enumerate(pending):
            if len(sent) >= flush_every:
                _record_sent(sent, lease.token, outcome)
                sent = []
            if lease.due():
                ours = lease.renew()
            if not all(r.pk in ours for r in group):
                # The lease ran out after all (a stalled process): another sender may hold
                # these rows now, so this one leaves them alone.
                outcome["lease_lost"] += len(group)
                continue
            try:
                mail.send_messages([message])
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on its row
                if is_outage(exc):
                    # The server, not this address, is failing: hammering it with the rest of
                    # the batch only makes a storm. They wait for this row's next try.
                    rest = [r for g, _m in pending[index + 1 :] for r in g if r.pk in ours]
                    _stop_batch(group, rest, classify(exc), outcome)
                    break
                _record_failure(group, classify(exc), outcome)
                continue
            sent.extend(r.pk for r in group)
            if not delivered:
                delivered = True
                mail_recovered()
    finally:
        _record_sent(sent, lease.token, outcome)
        mail.close()


def _stop_batch(tried, rest, error, outcome):
    """An outage: the tried rows count an attempt and wait with backoff; the rest of the batch
    was not tried and waits with them, without an attempt counted (a long outage does not use
    up their tries). The outage shows on /healthz until a message goes out again."""
    mail_failing(error)
    _record_failure(tried, error, outcome)
    if not rest:
        return
    retry_at = (
        Reminder.objects.filter(pk__in=[r.pk for r in tried]).aggregate(at=Min("next_attempt_at"))[
            "at"
        ]
        or timezone.now()
    )
    by_quiet = defaultdict(list)
    for row in rest:
        by_quiet[row.quiet_hours].append(row.pk)
    for quiet, ids in by_quiet.items():
        Reminder.objects.filter(pk__in=ids, claim_token=rest[0].claim_token).update(
            status=Status.PENDING,
            attempts=F("attempts") - 1,
            last_error=str(error)[:500],
            claim_token=None,
            leased_until=None,
            next_attempt_at=QuietHours.decode(quiet).postpone(retry_at),
        )
    outcome["postponed"] += len(rest)


MAIL_STATE = "reminders:mail-failing"


def mail_failing(error):
    """Remember that the mail server fails (web and workers share the cache)."""
    cache.set(
        MAIL_STATE,
        {"error": str(error)[:300], "since": timezone.now().isoformat()},
        timeout=option("MAIL_STATE_SECONDS", 3600),
    )


def mail_recovered():
    cache.delete(MAIL_STATE)


def mail_state():
    """None while mail goes out, else {"error", "since"} of the outage."""
    return cache.get(MAIL_STATE)


def _texts(rows):
    """(rows, text) pairs: one text message per row, one per digest recipient."""
    digests = defaultdict(list)
    for row in rows:
        if row.digest:
            digests[row.address].append(row)
        else:
            yield [row], _with_stop_link(row, row.body)
    for group in digests.values():
        if len(group) == 1:
            yield group, _with_stop_link(group[0], group[0].body)
            continue
        (heading,) = texts.in_language(group[0].language, texts.DIGEST_SUBJECT)
        yield (
            group,
            "\n\n".join(
                [
                    heading.format(count=len(group)),
                    *(f"{n}. {_with_stop_link(r, r.body)}" for n, r in enumerate(group, start=1)),
                ]
            ),
        )


def _send_sms(group, body, outcome):
    first = group[0]
    try:
        sms_backend().send(to=first.address, body=body, reference=f"reminder-{first.pk}")
    except Exception as exc:  # noqa: BLE001
        _record_failure(group, classify(exc), outcome)
        return
    _record_sent([r.pk for r in group], first.claim_token, outcome)


def _mine(row):
    """The row, as long as it still carries the claim it was sent under."""
    return Reminder.objects.filter(pk=row.pk, claim_token=row.claim_token)


def _record_sent(ids, token, outcome):
    """Mark rows sent, only where the claim that sent them still holds them: a sender whose
    lease was taken back never overwrites what the next sender records."""
    if not ids:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Not waiting for the disk here is safe: a killed worker cannot undo a commit the
            # server already has, and if the database server itself crashes the worst case is
            # that these rows are swept back and sent again: a duplicate, never a loss.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        recorded = Reminder.objects.filter(
            pk__in=ids, claim_token=token, status=Status.SENDING
        ).update(
            status=Status.SENT,
            sent_at=timezone.now(),
            last_error="",
            claim_token=None,
            leased_until=None,
        )
    if recorded < len(ids):
        logger.warning("reminders: %s rows sent after their lease ran out", len(ids) - recorded)
    outcome["sent"] += recorded


def backoff(attempts):
    """Seconds to wait after ``attempts`` tries: doubling from a minute, at most an hour, with
    jitter so that a server that comes back is not hit by every message at once."""
    base = option("RETRY_BASE", 60)
    delay = min(base * 2 ** max(attempts - 1, 0), option("RETRY_MAX", 3600))
    return delay * random.uniform(0.75, 1.25)


def _record_failure(rows, error, outcome):
    max_attempts = option("MAX_ATTEMPTS", 8)
    now = timezone.now()
    for row in rows:
        if error.transient and row.attempts < max_attempts:
            quiet = QuietHours.decode(row.quiet_hours)
            _mine(row).update(
                status=Status.PENDING,
                last_error=str(error)[:500],
                claim_token=None,
                leased_until=None,
                next_attempt_at=quiet.postpone(
                    now + datetime.timedelta(seconds=backoff(row.attempts))
                ),
            )
            outcome["retry"] += 1
        else:
            _mine(row).update(
                status=Status.FAILED,
                last_error=str(error)[:500],
                claim_token=None,
                leased_until=None,
            )
            outcome["failed"] += 1


# --- Health -------------------------------------------------------------------------------------


def oldest_due_age(*, now=None):
    """Seconds the oldest due-but-unsent row has waited (0 when nothing waits): a queue that stops
    moving shows here, whatever the worker processes say about themselves."""
    now = now or timezone.now()
    pending = Reminder.objects.due(now).aggregate(oldest=Min("next_attempt_at"))["oldest"]
    # A row being sent waits only once its lease ran out: a live sender renews it, however slow.
    sending = Reminder.objects.filter(status=Status.SENDING, leased_until__lt=now).aggregate(
        oldest=Min("leased_until")
    )["oldest"]
    oldest = min([moment for moment in (pending, sending) if moment], default=None)
    return max(0, int((now - oldest).total_seconds())) if oldest else 0
