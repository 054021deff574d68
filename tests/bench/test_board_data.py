"""The benchmark's generated board and its hand-written SQL floor, on a tiny board: the floor
must compute exactly the figures of ``board_dashboard``, or the ratio the bench prints means
nothing."""

import pytest
import time_machine
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
