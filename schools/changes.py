"""A change marker per school: a number that moves on whenever a school's figures may change.

Figures kept elsewhere (the board dashboard's per-school rows) store the marker they were counted
at and are fresh only while it has not moved. This module sits low in the dependency order so
that every app can mark a change without importing upward: the apps connect their own models
(``track``) in their ``ready()``, and the paths that write without signals (``bulk_create``,
``update()``, ``delete()`` of a queryset without receivers, imports, the rollover) call
``school_data_changed`` once for all the rows they wrote.
"""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.translation import gettext_lazy as _


class SchoolChange(models.Model):
    """One row per school; ``version`` moves on with every write that may change a figure."""

    school = models.OneToOneField(
        "schools.School",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="change_marker",
    )
    version = models.PositiveBigIntegerField(_("versie"), default=0)

    class Meta:
        app_label = "schools"
        verbose_name = _("wijzigingsteller")
        verbose_name_plural = _("wijzigingstellers")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.version}"


# What ``track`` receives: a function from a saved or deleted row to the schools it counts in,
# as School ids or a queryset of them. It starts from the row's own foreign keys, which a deleted
# row still has, and never from relations pointing at the row, which are gone by then.
SchoolsOf = Callable[[Any], Iterable[Any]]


def school_data_changed(*, schools: Iterable[Any], also: Iterable[Any] = ()) -> None:
    """Move the marker of ``schools`` (School objects, ids, or a queryset of ids), and of those
    in ``also`` (the same kinds), on, in one UPDATE. Call it in the transaction of the write, so
    the data and the marker commit together.

    A school without a marker row is always recounted and gets its row then
    (``ensure_markers``), so the UPDATE may skip it safely."""
    among = [condition for group in (schools, also) if (condition := _among(group))]
    if among:
        SchoolChange.objects.filter(functools.reduce(operator.or_, among)).update(
            version=F("version") + 1
        )


def _among(schools: Iterable[Any]) -> Q | None:
    if hasattr(schools, "query"):
        return Q(school__in=schools)
    ids = {getattr(school, "pk", school) for school in schools} - {None}
    return Q(school__in=ids) if ids else None


def with_marker(schools: QuerySet[Any]) -> QuerySet[Any]:
    """``schools`` annotated with their ``marker`` (None for a school without a marker row)."""
    # A join, not a subquery per school: the board dashboard reads every school of a board.
    return schools.annotate(marker=F("change_marker__version"))


@contextmanager
def marking(*, schools: Iterable[Any]) -> Iterator[None]:
    """Mark ``schools`` once for a bulk write, and let the rows written inside the block send no
    mark of their own (an undone import deletes hundreds of rows: one UPDATE, not one per row).
    Only for a block that writes rows of these schools alone."""
    school_data_changed(schools=schools)
    token = _marked_by_caller.set(True)
    try:
        yield
    finally:
        _marked_by_caller.reset(token)


_marked_by_caller: ContextVar[bool] = ContextVar("school_changes_marked", default=False)


def ensure_markers(school_ids: Iterable[int]) -> None:
    """Give the schools that have none a marker row (schools made with ``bulk_create``)."""
    SchoolChange.objects.bulk_create(
        [SchoolChange(school_id=pk) for pk in school_ids], ignore_conflicts=True
    )


def track(model: type[models.Model], schools_of: SchoolsOf) -> None:
    """Move the marker of the schools of every row of ``model`` that is saved or deleted.

    A row whose foreign keys changed since it was read (a pupil moved to another school, a
    contact moved to another child) counted at other schools until this write: those are marked
    too, from the keys it was read with, in the same UPDATE (a key that does not lead to the
    school, such as a booked slot, then names the same school twice: still one write). Marking a
    school too many costs a recount; one too few leaves its board row wrong until the morning."""
    keys = [field.attname for field in model._meta.concrete_fields if field.is_relation]

    def remember_keys(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        _remember_keys(instance, keys)

    def changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw") or _marked_by_caller.get():
            return  # loading fixtures, or a bulk write that marked its schools already
        before = None if kwargs.get("created") else _as_read(instance)
        school_data_changed(
            schools=schools_of(instance), also=() if before is None else schools_of(before)
        )
        _remember_keys(instance, keys)  # the row as it is now stored

    uid = f"school-changes-{model._meta.label}"
    post_init.connect(remember_keys, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


# The attribute that keeps, on a tracked row, its foreign keys as they were read.
_READ_KEYS = "_school_changes_read_keys"


def _remember_keys(instance: Any, keys: list[str]) -> None:
    # From ``__dict__``: a deferred key must not cost a query (it is then not compared).
    values = instance.__dict__
    setattr(instance, _READ_KEYS, {key: values[key] for key in keys if key in values})


def _as_read(instance: Any) -> Any | None:
    """A copy of ``instance`` with the foreign keys it was read with, or None when none moved."""
    read = getattr(instance, _READ_KEYS, {})
    moved = {key: value for key, value in read.items() if instance.__dict__.get(key) != value}
    if not moved:
        return None
    before = copy.copy(instance)
    before.__dict__.update(moved)
    before._state.fields_cache = {}  # the related objects cached are the new ones
    return before


def own_school(instance: Any) -> list[int]:
    """For rows with a ``school`` of their own."""
    return [instance.school_id]


def create_marker(sender: type[models.Model], instance: Any, created: bool, **kwargs: Any) -> None:
    """A new school starts with a marker row."""
    if created and not kwargs.get("raw"):
        ensure_markers([instance.pk])
