"""The benchmark's generated board and its hand-written SQL floor, on a tiny board: the floor
must compute exactly the figures of ``board_dashboard``, or the ratio the bench prints means
nothing."""

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from bench.board_data import build_board
from bench.dashboard_bench import FIGURES, check_same_figures, orm_figures, sql_figures
from conversations.models import Booking, Slot, StartConversation
from parents.models import ContactLog
from partnership.dashboards import figures as dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_november():
    """Some of the generated moments are due, some overdue, some still to come."""
    with time_machine.travel("2026-11-24 12:00 +01:00", tick=False):
        yield


def _tiny(name, brin, seed=3):
    return build_board(
        name=name, schools=3, pupils=90, guardians=150, seed=seed, brin=brin, stream=None
    )


def test_sql_floor_computes_the_figures_of_the_board_dashboard():
    built = _tiny("Klein bestuur", "97BN")
    orm = orm_figures(dashboard.board_dashboard(built.board, built.year, built.user))
    sql = sql_figures(built.board, built.year, timezone.localdate())

    check_same_figures(orm, sql)
    assert len(orm) == 3
    totals = dict(
        zip(FIGURES, (sum(column) for column in zip(*orm.values(), strict=True)), strict=True)
    )
    # The comparison only proves something if the data exercises every figure.
    assert all(totals.values()), {key: n for key, n in totals.items() if not n}


def test_the_check_names_the_figure_that_differs():
    with pytest.raises(AssertionError, match="held_late"):
        check_same_figures(
            {1: tuple(range(len(FIGURES)))},
            {1: tuple(n + (key == "held_late") for n, key in enumerate(FIGURES))},
        )


def test_a_fixed_seed_gives_the_same_board_twice():
    first = _tiny("Eerste bestuur", "96BN")
    second = _tiny("Tweede bestuur", "95BN")
    other = _tiny("Ander bestuur", "94BN", seed=8)

    def figures(built):
        result = dashboard.board_dashboard(built.board, built.year, built.user)
        return [tuple(row[key] for key in FIGURES) for row in result["schools"]]

    assert first.counts | {"seconds": 0} == second.counts | {"seconds": 0}
    assert figures(first) == figures(second)
    assert figures(first) != figures(other)


def test_schools_differ_in_size_and_staff_share_the_work():
    built = build_board(
        name="Groot bestuur", schools=6, pupils=1800, seed=3, brin="93BN", stream=None
    )
    present = {
        school.pk: school.pupils.filter(
            left_on__isnull=True, enrolments__school_year=built.year
        ).count()
        for school in built.board.schools.all()
    }
    # A third of the pupils in the biggest school (a few left during the year), the others
    # spread: the smallest far below the average of 300.
    assert max(present.values()) == present[built.biggest_school.pk] > 550
    assert min(present.values()) < 250
    # Booked and held conversations have a slot with a booking; some slots are free.
    booked = StartConversation.objects.filter(
        round__school__board=built.board, status__in=("held", "booked")
    )
    assert Booking.objects.filter(conversation__in=booked).count() == booked.count()
    assert Slot.objects.filter(round__school__board=built.board, booking__isnull=True).exists()
    # Contacts are logged by the school's staff, not by one account.
    authors = ContactLog.objects.filter(family__board=built.board).values("by").distinct()
    assert authors.count() > 6


def test_a_board_of_more_than_99_schools_numbers_them_with_a_second_brin():
    built = build_board(
        name="Bestuur van 101 scholen",
        schools=101,
        pupils=303,
        guardians=500,
        years=1,
        brin="92BN",
        stream=None,
    )
    numbers = list(built.board.schools.values_list("brin", "location_code"))

    assert len(numbers) == len(set(numbers)) == 101
    assert {brin for brin, _location in numbers} == {"92BN", "92BO"}
    assert built.biggest_school.brin + built.biggest_school.location_code == "92BN01"


def _rows_written_by(build):
    """Every row ``build`` adds, table by table, with each reference to a row it added counted
    from the first id it took in that table: two builds that write the same rows give equal
    results, whatever ids the sequences handed out."""
    models = [m for m in apps.get_models() if isinstance(m._meta.pk, AutoFieldMixin)]
    before = {m: m._default_manager.aggregate(last=Max("pk"))["last"] or 0 for m in models}
    build()
    first = {}
    for model in models:
        new = model._default_manager.filter(pk__gt=before[model]).aggregate(first=Min("pk"))
        if new["first"] is not None:
            first[model] = new["first"]

    def relative(model, value):
        start = first.get(model)
        return (
            value - start if start is not None and value is not None and value >= start else value
        )

    def value(model, field, obj):
        value = getattr(obj, field.attname)
        if field.is_relation:
            return relative(field.related_model, value)
        if field.name == "password":
            return value.startswith("!")  # unusable, as each build makes one up at random
        if callable(field.default) and isinstance(value, str):
            return len(value)  # a token made up at random for each row
        return value

    rows = {}
    for model, start in first.items():
        # Without the row's own id: who was reached is recounted in no fixed order. The
        # references between the rows still show that each one points at the same row.
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        rows[model.__name__] = sorted(
            (
                tuple(value(model, f, obj) for f in fields)
                for obj in model._default_manager.filter(pk__gte=start)
            ),
            key=repr,  # some values are None: order by their text
        )
    return rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_writes_the_same_rows_as_bulk_create():
    class Undo(Exception):
        pass

    written = {}
    for copy in (True, False):
        try:
            with transaction.atomic():
                written[copy] = _rows_written_by(
                    lambda copy=copy: build_board(
                        name="Bestuur",
                        schools=3,
                        pupils=90,
                        guardians=150,
                        years=2,
                        brin="91BN",
                        stream=None,
                        copy=copy,
                    )
                )
                raise Undo
        except Undo:
            pass

    for table, rows in written[True].items():
        assert rows == written[False][table], table
    assert written[True].keys() == written[False].keys()
    # Everything a board has is there: staff, pupils, families, a year's history, who was reached.
    assert {"User", "Pupil", "Guardian", "Slot", "Booking", "ContactLog", "Attendance"} <= set(
        written[True]
    )
    assert any("Reach" in name for name in written[True])
