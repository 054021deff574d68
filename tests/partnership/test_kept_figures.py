"""The board dashboard reads each school's kept figures: every kind of write, done through the
services, shows on it at once and leaves the kept row equal to a recount; a new day moves the
overdue figure without any write; and its query count does not grow with the board."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conversations import services as conversation_services
from parents import services as parent_services
from parents.importing.apply import import_table
from parents.importing.mapping import resolve
from parents.importing.models import ImportRun
from parents.importing.tabular import read_table
from parents.importing.undo import undo_import
from parents.models import ContactLog, ContactMoment, MomentStatus
from partnership import services as partnership_services
from partnership.dashboards import figures as dashboard
from partnership.models import KeptSchoolFigures, PartnershipPlan
from partnership.rollover import rollover_school_year
from schools import changes
from schools.changes import SchoolChange
from schools.models import School, SchoolYear
from tests import factories as f
from tests.conversations.conftest import Setup
from tests.conversations.factories import at
from tests.dashboard.factories import sized_school
from tests.importing.conftest import csv_bytes
from tests.partnership.factories import ActivityFactory, InvitationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HELD_AT = at(D(2026, 9, 1), 15)


@pytest.fixture
def clock():
    """Two weeks before the round's window; tests move on from here."""
    with time_machine.travel(at(D(2026, 8, 17), 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(clock):
    return Setup()


def on_board(setup):
    """The figures of the board dashboard per school, as the board member sees them."""
    figures = dashboard.board_dashboard(setup.school.board, setup.year, None)
    return {
        row["school"].pk: {k: row[k] for k in dashboard.KEPT_COLUMNS} for row in figures["schools"]
    }


def recounted(setup):
    """The same figures of every school of the board, counted from the data, past the kept rows."""
    ids = list(School.objects.filter(board=setup.school.board).values_list("pk", flat=True))
    return dashboard.count_school_figures(setup.school.board, setup.year, ids, timezone.localdate())


def shown_after(setup, write):
    """The school's figures before and after ``write``, the board dashboard read before it
    (so the rows are kept) and after it; the kept row must then equal a recount."""
    before = on_board(setup)[setup.school.pk]
    write()
    after = on_board(setup)
    assert after == recounted(setup)
    kept = KeptSchoolFigures.objects.get(school=setup.school, school_year=setup.year)
    assert kept.figures == after[setup.school.pk]
    return before, after[setup.school.pk]


def _hold(setup):
    conversation_services.save_draft(
        conversation=setup.conversation,
        by=setup.teacher,
        values={"child_present": True, "preferred_channels": ["phone"]},
        guardians=[setup.mother],
    )
    conversation_services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Elke maand even bellen",
        channel="phone",
        responsible=setup.teacher,
        with_child=False,
        schedule="monthly",
    )
    conversation_services.complete_conversation(
        conversation=setup.conversation, by=setup.teacher, held_at=HELD_AT
    )


def test_a_held_start_conversation_shows_at_once(setup):
    before, after = shown_after(setup, lambda: _hold(setup))
    assert (before["held"], after["held"]) == (0, 1)
    assert (before["reached"], after["reached"]) == (0, 1)
    assert (before["with_plan"], after["with_plan"]) == (0, 1)


def test_a_contact_logged_shows_at_once(setup):
    def log():
        parent_services.log_contact(
            family=setup.family, by=setup.ib, channel="phone", tone="positive", pupil=setup.child
        )

    before, after = shown_after(setup, log)
    assert (before["contacts"], after["contacts"]) == (0, 1)
    assert (before["positive"], after["positive"]) == (0, 1)


def test_a_moment_rescheduled_and_a_new_day_move_the_overdue_figure(setup, clock):
    _hold(setup)
    clock.move_to(at(D(2026, 10, 15), 9))
    first = on_board(setup)[setup.school.pk]
    assert first["overdue"] == 2  # the monthly calls of September and early October
    moment = ContactMoment.objects.filter(status=MomentStatus.PLANNED).earliest("due_on")

    before, after = shown_after(
        setup,
        lambda: parent_services.move_moment(moment=moment, by=setup.ib, to=D(2026, 10, 20)),
    )
    assert (before["overdue"], after["overdue"]) == (2, 1)

    # No write at all: on 21 October the moved call is overdue, and the board says so.
    clock.move_to(at(D(2026, 10, 21), 9))
    assert on_board(setup)[setup.school.pk]["overdue"] == 2
    assert on_board(setup) == recounted(setup)


def test_an_attendance_recorded_shows_at_once(setup):
    activity = ActivityFactory(school=setup.school, school_year=setup.year)
    InvitationFactory(activity=activity, family=setup.family)

    def attend():
        partnership_services.register_attendance(
            activity=activity, family=setup.family, by=setup.ib
        )

    before, after = shown_after(setup, attend)
    assert (before["attendance"], after["attendance"]) == (0, 1)
    assert (before["reached"], after["reached"]) == (0, 1)


def test_a_goal_achieved_shows_at_once(setup):
    plan = PartnershipPlan.objects.create(school=setup.school, school_year=setup.year)

    def achieve():
        partnership_services.add_goal(
            plan=plan,
            partnership="pedagogical",
            description="Elk gezin een startgesprek",
            term="short",
            status="achieved",
        )

    before, after = shown_after(setup, achieve)
    assert (before["goals_achieved"], after["goals_achieved"]) == (0, 1)


def _import(setup, *numbers, **options):
    lines = [f"{n};Kind;;Bos;01-05-2017;5;ouder{n}@example.test;;" for n in numbers]
    table = read_table(csv_bytes(*lines), "export.csv")
    return import_table(school=setup.school, table=table, columns=resolve(table.headers), **options)


def test_an_import_shows_at_once(setup):
    before, after = shown_after(setup, lambda: _import(setup, 2001, 2002))
    assert (before["families"], after["families"]) == (1, 3)


def test_an_undone_import_shows_at_once_with_one_mark(setup):
    result = _import(setup, 2001, 2002)
    run = ImportRun.objects.get(pk=result.run_id)
    marker = SchoolChange.objects.get(school=setup.school).version
    before, after = shown_after(setup, lambda: undo_import(run=run, by=setup.ib))
    assert (before["families"], after["families"]) == (3, 1)
    # One mark for the whole undo: the pupils, links and guardians it deleted sent none.
    assert SchoolChange.objects.get(school=setup.school).version == marker + 1


def test_pupils_leaving_show_at_once(setup):
    _import(setup, 2001, 2002)
    # The file no longer has 2002 nor the two Bouzid children: they left.
    before, after = shown_after(setup, lambda: _import(setup, 2001, mark_leavers=True))
    assert (before["pupils"], after["pupils"]) == (2, 0)
    assert (before["families"], after["families"]) == (3, 1)


def test_a_pupil_moved_to_another_school_of_the_board_shows_at_both_at_once(setup, client):
    """Only the technical administrator moves a pupil, in the pupil form of the admin (school and
    group together). The school the pupil left counts them no more, the new one does."""
    parent_services.log_contact(
        family=setup.family, by=setup.ib, channel="phone", tone="positive", pupil=setup.child
    )
    other = f.SchoolFactory(board=setup.school.board, name="De Wilg")
    group = f.GroupFactory(school=other, school_year=setup.year, name="5")
    enrolment = setup.child.enrolments.get()
    before = on_board(setup)  # both schools' rows are kept now
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:schools_pupil_change", args=[setup.child.pk]),
        {
            "school": other.pk,
            "pupil_number": setup.child.pupil_number,
            "first_name": setup.child.first_name,
            "last_name": setup.child.last_name,
            "enrolments-TOTAL_FORMS": "1",
            "enrolments-INITIAL_FORMS": "1",
            "enrolments-0-id": enrolment.pk,
            "enrolments-0-pupil": setup.child.pk,
            "enrolments-0-group": group.pk,
            "enrolments-0-school_year": setup.year.pk,
        },
    )

    assert response.status_code == 302
    after = on_board(setup)
    assert after == recounted(setup)
    left, joined = setup.school.pk, other.pk
    assert (before[left]["contacts"], after[left]["contacts"]) == (1, 0)
    assert (before[joined]["contacts"], after[joined]["contacts"]) == (0, 1)
    assert (before[joined]["families"], after[joined]["families"]) == (0, 1)


def test_a_contact_moved_to_a_child_at_another_school_shows_at_both_at_once(setup):
    """The same for a row whose school comes through another row: a contact written down for
    the wrong child of a family with children at two schools, put right (no page does it yet)."""
    other = f.SchoolFactory(board=setup.school.board, name="De Wilg")
    brother = f.PupilFactory(school=other, first_name="Adam")
    f.EnrolmentFactory(pupil=brother, group=f.GroupFactory(school=other, school_year=setup.year))
    f.PupilGuardianFactory(pupil=brother, guardian=setup.mother)
    log = parent_services.log_contact(
        family=setup.family, by=setup.ib, channel="phone", tone="positive", pupil=setup.child
    )
    log = ContactLog.objects.get(pk=log.pk)  # as a page would read it
    before = on_board(setup)

    log.pupil = brother
    log.save()

    after = on_board(setup)
    assert after == recounted(setup)
    assert (before[setup.school.pk]["contacts"], after[setup.school.pk]["contacts"]) == (1, 0)
    assert (before[other.pk]["contacts"], after[other.pk]["contacts"]) == (0, 1)


def test_a_rollover_leaves_the_year_counted_and_the_next_one_right(setup, clock):
    clock.move_to(at(D(2027, 6, 1), 9))
    before = on_board(setup)
    rollover_school_year(label="2027-2028")
    assert on_board(setup) == before == recounted(setup)
    next_year = SchoolYear.objects.get(label="2027-2028")
    figures = dashboard.board_dashboard(setup.school.board, next_year, None)
    assert figures["totals"]["pupils"] == 0


def test_the_board_page_shows_a_change_at_once(setup, client):
    member = f.StaffMembershipFactory(school=None, board=setup.school.board, role="board").user
    client.force_login(member)
    url = reverse("dashboard:board-dashboard", args=[setup.school.board.pk])
    page = client.get(url, {"jaar": setup.year.pk})
    assert page.context["figures"]["totals"]["contacts"] == 0
    parent_services.log_contact(
        family=setup.family, by=setup.ib, channel="phone", tone="positive", pupil=setup.child
    )
    page = client.get(url, {"jaar": setup.year.pk})
    assert page.context["figures"]["totals"]["contacts"] == 1


def test_a_change_during_a_recount_is_not_lost(setup):
    """The marker is read before counting and stored with the row: a write committed after the
    read leaves the row stale, however the counts fell."""
    on_board(setup)
    schools = list(changes.with_marker(School.objects.filter(pk=setup.school.pk)))
    parent_services.log_contact(
        family=setup.family, by=setup.ib, channel="phone", tone="positive", pupil=setup.child
    )
    dashboard.recount_school_figures(setup.school.board, setup.year, schools, timezone.localdate())
    kept = KeptSchoolFigures.objects.get(school=setup.school, school_year=setup.year)
    assert kept.version == schools[0].marker
    assert on_board(setup) == recounted(setup)
    assert KeptSchoolFigures.objects.get(pk=kept.pk).version != schools[0].marker


def test_the_school_dashboard_totals_equal_the_board_row(setup):
    _hold(setup)
    row = on_board(setup)[setup.school.pk]
    school = dashboard.school_dashboard(setup.school, setup.year, setup.ib)
    assert {k: school["totals"][k] for k in (*dashboard.CONVERSATION_KEYS, "contacts")} == {
        k: row[k] for k in (*dashboard.CONVERSATION_KEYS, "contacts")
    }
    assert {k: school["families"][k] for k in dashboard.FAMILY_KEYS} == {
        k: row[k] for k in dashboard.FAMILY_KEYS
    }
    assert school["moments"] == {k: row[k] for k in dashboard.MOMENT_KEYS}


def test_the_morning_recount_keeps_every_school_fresh(setup, clock):
    _hold(setup)
    clock.move_to(at(D(2026, 10, 15), 4))
    out = io.StringIO()
    call_command("recount_dashboard_figures", stdout=out)
    assert "1 scholen" in out.getvalue()
    kept = KeptSchoolFigures.objects.get(school=setup.school, school_year=setup.year)
    assert kept.counted_for == D(2026, 10, 15)
    assert kept.figures["overdue"] == 2


# --- the query count does not grow with the board ---------------------------------------------


@pytest.fixture
def board(clock):
    clock.move_to(at(D(2026, 10, 15), 9))
    return f.BoardFactory()


def _schools(board, n):
    year = f.SchoolYearFactory()
    schools = [f.SchoolFactory(board=board) for _ in range(n)]
    for school in schools:
        sized_school(school, year, groups=2, pupils_per_group=2)
    dashboard.board_dashboard(board, year, None)  # counts and keeps every school
    return year, schools


# Fresh: the schools with their change markers, and the board's kept table.
FRESH_QUERIES = 2
# One school changed: the kept rows of the schools; the changed one recounted with the six
# grouped counts and written back; the board's table written back.
ONE_CHANGED_QUERIES = FRESH_QUERIES + 1 + 6 + 1 + 1


@pytest.mark.parametrize("n", [2, 6])
def test_fresh_rows_are_read_in_two_queries(n, board, django_assert_num_queries):
    year, schools = _schools(board, n)
    with django_assert_num_queries(FRESH_QUERIES):
        figures = dashboard.board_dashboard(board, year, None)
    assert figures["totals"]["pupils"] == 4 * n


@pytest.mark.parametrize("n", [2, 6])
def test_one_changed_school_is_recounted_alone(n, board, django_assert_num_queries):
    year, schools = _schools(board, n)
    ActivityFactory(school=schools[0], school_year=year)
    with django_assert_num_queries(ONE_CHANGED_QUERIES):
        figures = dashboard.board_dashboard(board, year, None)
    assert figures["totals"]["activities"] == n + 1


# --- the board's kept table -------------------------------------------------------------------


def _rows(figures):
    return [(row["name"], row["pupils"]) for row in figures["schools"]]


def test_a_renamed_school_keeps_its_own_figures_in_its_new_place(board):
    year = f.SchoolYearFactory()
    small, large = f.SchoolFactory(board=board, name="Amstel"), f.SchoolFactory(board=board)
    large.name = "Berkel"
    large.save()
    sized_school(small, year, groups=1, pupils_per_group=1)
    sized_school(large, year, groups=2, pupils_per_group=2)
    assert _rows(dashboard.board_dashboard(board, year, None)) == [("Amstel", 1), ("Berkel", 4)]
    School.objects.filter(pk=small.pk).update(name="Ceder")  # a rename marks no change
    assert _rows(dashboard.board_dashboard(board, year, None)) == [("Berkel", 4), ("Ceder", 1)]


def test_a_school_that_joins_or_leaves_the_board_shows_at_once(board):
    year, schools = _schools(board, 2)
    newcomer = f.SchoolFactory(board=board)
    sized_school(newcomer, year, groups=1, pupils_per_group=3)
    figures = dashboard.board_dashboard(board, year, None)
    assert figures["totals"]["pupils"] == 4 + 4 + 3
    assert newcomer.pk in {row["school"].pk for row in figures["schools"]}
    School.objects.filter(pk=schools[0].pk).update(board=f.BoardFactory())
    figures = dashboard.board_dashboard(board, year, None)
    assert figures["totals"]["pupils"] == 4 + 3
    assert schools[0].pk not in {row["school"].pk for row in figures["schools"]}


def test_after_the_morning_recount_the_first_view_reads_the_kept_table(
    board, django_assert_num_queries
):
    year, schools = _schools(board, 2)
    ActivityFactory(school=schools[1], school_year=year)
    dashboard.recount_board(board, year)
    with django_assert_num_queries(FRESH_QUERIES):
        figures = dashboard.board_dashboard(board, year, None)
    assert figures["totals"]["activities"] == 3


def test_schools_made_without_a_marker_are_read_in_two_queries_once_counted(
    board, django_assert_num_queries
):
    year, schools = _schools(board, 2)
    SchoolChange.objects.filter(school__in=schools).delete()  # as after bulk_create
    dashboard.recount_board(board, year)  # gives them their markers
    with django_assert_num_queries(FRESH_QUERIES):
        figures = dashboard.board_dashboard(board, year, None)
    assert figures["totals"]["pupils"] == 8
