"""What the reminder pages and other apps read from the outbox."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise

from reminders import registry
from reminders.dispatch import mail_state, oldest_due_age
from reminders.models import Reminder, SchoolSwitch, Status

__all__ = [
    "failed_groups",
    "health",
    "oldest_due_age",
    "outbox_of_school",
    "queue_state",
    "rules_of_school",
    "sent_at",
    "sent_without_follow_up",
    "status_counts",
]

PAGE_ROWS = 200
# With a tick every minute nothing due waits five minutes unless the queue stopped moving; so a
# stall shows well within ten minutes.
STALL_AFTER = 5 * 60


def queue_state() -> tuple[float, bool]:
    """(seconds the oldest due reminder has waited, whether the queue counts as stalled)."""
    waiting = oldest_due_age()
    return waiting, waiting >= STALL_AFTER


# The sweeper runs every minute: a row whose lease expired longer ago than that is stuck.
STUCK_AFTER = datetime.timedelta(seconds=60)


def health(now: datetime.datetime | None = None) -> tuple[dict[str, object], bool]:
    """What /healthz says about reminders: ({name: value}, healthy). Unhealthy (and so a 503 a
    monitor sees from the status code alone) while the mail server fails, while rows stay
    claimed beyond their lease (a dead worker nobody swept), or while the queue stands still."""
    now = now or timezone.now()
    waiting, stalled = queue_state()
    stuck = Reminder.objects.filter(
        status=Status.SENDING, leased_until__lt=now - STUCK_AFTER
    ).count()
    mail = mail_state()
    state = "stuck" if stuck else "stalled" if stalled else "ok"
    report = {
        "reminders": state,
        "reminders_oldest_due_seconds": waiting,
        "reminders_stuck": stuck,
        "mail": f"error: {mail['error']} (since {mail['since']})" if mail else "ok",
    }
    return report, state == "ok" and not mail


def status_counts(school_id: int) -> list[tuple[str, str | Promise, int]]:
    counts = dict(
        Reminder.objects.of_school(school_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def outbox_of_school(school_id: int, status: str = "") -> list[Reminder]:
    rows = Reminder.objects.of_school(school_id).order_by("-next_attempt_at", "-id")
    if status in Status.values:
        rows = rows.filter(status=status)
    rows = list(
        rows.only(
            "rule",
            "recipient_name",
            "channel",
            "language",
            "subject",
            "status",
            "attempts",
            "last_error",
            "note",
            "next_attempt_at",
            "sent_at",
        )[:PAGE_ROWS]
    )
    # The subject is in the family's language; staff read the kind in Dutch.
    labels = {name: rule.label for name, rule in registry.rules().items()}
    for row in rows:
        row.rule_label = labels.get(row.rule, row.rule)
    return rows


def rules_of_school(school_id: int) -> list[tuple[registry.Rule, bool]]:
    """(rule, is_on) for every registered kind, in label order."""
    off = set(SchoolSwitch.objects.filter(school_id=school_id).values_list("rule", flat=True))
    rules = sorted(registry.rules().values(), key=lambda rule: rule.label)
    return [(rule, rule.name not in off) for rule in rules]


def sent_at(
    rule: str, occurrence: str, object_refs: Iterable[str] | None = None
) -> dict[tuple[str, str], datetime.datetime]:
    """{(object_ref, recipient_key): sent_at} of one rule's sent rows: for a rule that repeats
    a message some time after the first one went out."""
    rows = Reminder.objects.filter(rule=rule, occurrence=occurrence, status=Status.SENT)
    if object_refs is not None:
        rows = rows.filter(object_ref__in=object_refs)
    return {
        (ref, key): moment
        for ref, key, moment in rows.values_list("object_ref", "recipient_key", "sent_at")
    }


def sent_without_follow_up(
    rule: str,
    occurrence: str,
    *,
    follow_up: str,
    sent_before: datetime.datetime,
    follow_up_occurrence: str | None = None,
) -> dict[tuple[str, str], datetime.datetime]:
    """{(object_ref, recipient_key): sent_at} of one rule's rows sent before ``sent_before`` that
    the rule ``follow_up`` (its repeat, same occurrence unless ``follow_up_occurrence`` names the
    repeat's own) has no row for yet: the repeat's scan reads only what it still has to do."""
    followed = Reminder.objects.filter(
        rule=follow_up,
        occurrence=follow_up_occurrence or occurrence,
        object_ref=OuterRef("object_ref"),
        recipient_key=OuterRef("recipient_key"),
    )
    rows = Reminder.objects.filter(
        rule=rule, occurrence=occurrence, status=Status.SENT, sent_at__lte=sent_before
    ).filter(~Exists(followed))
    return {
        (ref, key): moment
        for ref, key, moment in rows.values_list("object_ref", "recipient_key", "sent_at")
    }


def failed_groups(
    school_id: int,
) -> tuple[list[tuple[str, str, int]], list[tuple[datetime.date, int]]]:
    """The failed rows of a school per kind [(rule, label, n)] and per day they were due
    [(day, n)]: what the page offers to resend at once. Two queries."""
    failed = Reminder.objects.of_school(school_id).filter(status=Status.FAILED)
    labels = {name: rule.label for name, rule in registry.rules().items()}
    by_rule = [
        (name, labels.get(name, name), n)
        for name, n in failed.values_list("rule").annotate(n=Count("id")).order_by("rule")
    ]
    by_day = list(
        failed.annotate(day=TruncDate("due_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("-day")
    )
    return by_rule, by_day
