"""What a rule asks of the outbox while it scans, so that a scan costs what is new.

The scan runs every minute. A rule that yields every item it ever found (and lets the outbox ignore
what it holds) rebuilds thousands of texts each time; instead a rule filters its candidates in SQL
with ``without_rows`` before it renders anything, so once everything is in the outbox a scan reads
nothing but empty results.

Some rules look at an object and find nobody to tell (a school where every family was reached this
week). They leave a mark with ``mark_looked``, so the next scans of that occurrence skip it
(``not_looked``): a weekly per-school rule queries only the schools it did not look at this week.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from reminders.models import Reminder, ScanMark

_QS = TypeVar("_QS", bound=QuerySet[Any, Any])


def key(prefix: str, field: str) -> Concat:
    """The SQL for ``f"{prefix}{candidate.field}"``, for the candidate of the outer query: an
    ``object_ref`` (``key("parents.contactmoment:", "pk")``), a ``recipient_key`` or an
    ``occurrence`` (``key("on-the-day:", "due_on")``: a date reads ``YYYY-MM-DD`` as in Python)."""
    return Concat(Value(prefix), Cast(OuterRef(field), CharField()), output_field=CharField())


def without_rows(
    queryset: _QS,
    *,
    rule: str,
    object_ref: str | Concat,
    occurrence: str | Concat,
    recipient_key: str | Concat | None = None,
) -> _QS:
    """``queryset`` without the candidates whose outbox row already exists, or that the rule
    marked as looked at (``mark_looked``: nobody to tell). Each argument is a plain string or a
    ``key(...)``; without ``recipient_key`` a row for anyone counts."""
    rows = Reminder.objects.filter(rule=rule, object_ref=object_ref, occurrence=occurrence)
    if recipient_key is not None:
        rows = rows.filter(recipient_key=recipient_key)
    marks = ScanMark.objects.filter(rule=rule, object_ref=object_ref, occurrence=occurrence)
    return queryset.filter(~Exists(rows), ~Exists(marks))


def not_looked(*, rule: str, occurrence: str, object_refs: Iterable[str]) -> set[str]:
    """The ``object_refs`` this rule has not looked at yet for ``occurrence`` (one query)."""
    object_refs = set(object_refs)
    if not object_refs:
        return set()
    looked = ScanMark.objects.filter(
        rule=rule, occurrence=occurrence, object_ref__in=object_refs
    ).values_list("object_ref", flat=True)
    return object_refs - set(looked)


def mark_looked(*, rule: str, occurrence: str, object_refs: Iterable[str]) -> None:
    """Remember that the rule looked at these objects for ``occurrence``. Written in the scan's
    transaction with the rule's rows: both are kept, or neither."""
    ScanMark.objects.bulk_create(
        (ScanMark(rule=rule, occurrence=occurrence, object_ref=ref) for ref in object_refs),
        ignore_conflicts=True,
        batch_size=500,
    )
