"""Which families were reached, kept as data (``FamilyReach``) instead of recounted per page.

A family is reached in a school year at a school by a contact about one of its children there, a
held start conversation of one of its children there, or attendance at one of the school's
activities; a contact about no child in particular reaches it at every school. Searching that in
years of contacts made the board dashboard grow with history, so the services that write one of
these things call ``refresh_reach`` for the families concerned, in their own transaction, and the
dashboards count the kept rows.

The sources live in the apps that own them (conversations and partnership sit above this app),
so each registers a function at start-up (``register_source``): given a queryset of family ids,
it returns ``(family id, school id or None, school year id)`` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from parents.models import ContactLog, Family, FamilyReach
from schools import changes
from schools.models import Pupil, SchoolYear

_SOURCES = {}
BATCH = 5000


def register_source(
    name: str,
    rows: Callable[[Iterable[Any]], Iterable[tuple[int, int | None, int]]],
) -> None:
    """``rows(families)``: an iterable of (family id, school id or None, school year id) for the
    families of the queryset of ids ``families``."""
    _SOURCES[name] = rows


def contact_rows(families: Iterable[Any]) -> QuerySet[Any, tuple[Any, ...]]:
    """Contacts: at the school of the child they were about, or anywhere (no child)."""
    year = SchoolYear.objects.filter(
        start__lte=OuterRef("happened_on"), end__gte=OuterRef("happened_on")
    ).values("pk")[:1]
    return (
        ContactLog.objects.filter(family__in=families)
        .annotate(year=Subquery(year))
        .filter(year__isnull=False)
        .values_list("family_id", "pupil__school_id", "year")
        .distinct()
        .order_by()
    )


def recount(
    families: Iterable[Any] | None = None,
) -> set[tuple[int, int | None, int]]:
    """The rows ``FamilyReach`` should hold for ``families`` (a queryset of family ids; None:
    every family), from the sources themselves."""
    if families is None:
        families = Family.objects.values("pk")
    found = set()
    for rows in _SOURCES.values():
        found.update(tuple(row) for row in rows(families))
    return found


def kept(
    families: Iterable[Any] | None = None,
) -> set[tuple[int, int | None, int]]:
    """The rows ``FamilyReach`` holds, in the shape of ``recount``."""
    rows = FamilyReach.objects.all()
    if families is not None:
        rows = rows.filter(family__in=families)
    return set(rows.values_list("family_id", "school_id", "school_year_id"))


@transaction.atomic
def refresh_reach(*, families: Iterable[Any]) -> None:
    """Make the kept rows of ``families`` (family objects, ids, or a queryset of ids) equal to a
    recount from the sources. A few index lookups per family: call it wherever a contact, a held
    conversation or an attendance of those families is written or removed, in that transaction.
    """
    if not hasattr(families, "query"):
        families = [getattr(family, "pk", family) for family in families]
    # One mark for all: the schools of the families' children (a contact about no child counts
    # at each of them).
    changes.school_data_changed(
        schools=Pupil.objects.filter(guardian_links__guardian__family__in=families).values("school")
    )
    FamilyReach.objects.filter(family__in=families).delete()
    FamilyReach.objects.bulk_create(
        (
            FamilyReach(family_id=family, school_id=school, school_year_id=year)
            for family, school, year in recount(families)
        ),
        batch_size=BATCH,
    )


def rebuild_reach() -> int:
    """Recount every family's rows (``manage.py rebuild_family_reach``). Returns the number."""
    refresh_reach(families=Family.objects.values("pk"))
    return FamilyReach.objects.count()


register_source("contacts", contact_rows)
