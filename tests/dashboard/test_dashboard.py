"""The figures of the school and board dashboards on a small known school, their query counts at
two sizes, the list of families not reached, the filters and the exports."""

import csv
import datetime
import io

import pytest
import time_machine
from django.utils.html import escape
from openpyxl import load_workbook

from partnership.dashboards import figures as dashboard
from partnership.dashboards import lists as dashboard_lists
from tests import factories as f
from tests.dashboard.factories import known_school, sized_school

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _mid_october():
    """Today is 15 October 2026: the moments of 20 September and 1 October are past."""
    with time_machine.travel("2026-10-15 12:00 +02:00", tick=False):
        yield


@pytest.fixture
def year():
    return f.SchoolYearFactory()


@pytest.fixture
def board():
    return f.BoardFactory()


@pytest.fixture
def school(board):
    return f.SchoolFactory(board=board, name="De Linde")


@pytest.fixture
def known(school, year):
    return known_school(school, year)


@pytest.fixture
def director(school):
    return f.StaffMembershipFactory(school=school, board=school.board, role="director").user


@pytest.fixture
def board_member(board):
    return f.StaffMembershipFactory(school=None, board=board, role="board").user


def test_start_conversations_per_group(known, school, year, director):
    figures = dashboard.school_dashboard(school, year, director)
    by_name = {row["group"].name: row for row in figures["groups"]}
    assert list(by_name) == ["3a", "5b", "7c"]
    a = {k: by_name["3a"][k] for k in dashboard.CONVERSATION_KEYS}
    assert a == {
        "pupils": 3,
        "held": 2,
        "booked": 1,
        "to_plan": 0,
        "not_reached": 0,
        "in_window": 1,  # the second was held on 1 October, after the window
        "child": 1,
    }
    b = {k: by_name["5b"][k] for k in dashboard.CONVERSATION_KEYS}
    assert b == {
        "pupils": 2,
        "held": 0,
        "booked": 0,
        "to_plan": 1,
        "not_reached": 1,
        "in_window": 0,
        "child": 0,
    }
    assert by_name["7c"]["pupils"] == 0
    assert figures["totals"]["pupils"] == 5
    assert figures["totals"]["held"] == 2


def test_share_of_positive_contacts_per_group(known, school, year, director):
    figures = dashboard.school_dashboard(school, year, director)
    by_name = {row["group"].name: row for row in figures["groups"]}
    # 3a: the positive log of the moment held on time (the late one is about no child).
    assert (by_name["3a"]["contacts"], by_name["3a"]["positive_share"]) == (1, 100)
    # 5b: one positive, one concern.
    assert (by_name["5b"]["contacts"], by_name["5b"]["positive_share"]) == (2, 50)
    assert by_name["7c"]["positive_share"] is None


def test_families_plans_and_moments(known, school, year, director):
    figures = dashboard.school_dashboard(school, year, director)
    assert figures["families"] == {
        "families": 4,
        "with_plan": 2,
        "reached": 3,
        "not_reached": 1,
        "reached_share": 75,
        "plan_share": 50,
        # Nobody answered the photo consent question yet (tests/parents/test_consent.py).
        "consent_unanswered": 4,
    }
    assert figures["moments"] == {
        "moments_due": 3,
        "held_on_time": 1,
        "held_late": 1,
        "overdue": 1,
    }


def test_partnership_balance_and_goals(known, school, year, director):
    figures = dashboard.school_dashboard(school, year, director)
    balance = {row["partnership"]: row for row in figures["partnerships"]}
    assert len(balance) == 5
    assert (balance["informal"]["activities"], balance["informal"]["attendance"]) == (1, 1)
    assert (balance["pedagogical"]["activities"], balance["pedagogical"]["attendance"]) == (1, 0)
    assert balance["societal"]["activities"] == 0
    goals = {row["partnership"]: row for row in figures["goals"]}
    # statuses in the order planned, in progress, achieved, dropped
    assert goals["pedagogical"]["statuses"] == [0, 1, 1, 0]
    assert goals["formal"]["statuses"] == [1, 0, 0, 0]
    assert goals["informal"]["total"] == 0


def test_evaluation_and_self_assessment_trend_over_the_years(known, school, year, director):
    figures = dashboard.school_dashboard(school, year, director)
    # Partnerships in their order: pedagogical, didactic, formal, informal, societal.
    assert figures["evaluations"] == [
        {"label": "2025-2026", "scores": [2.5, None, None, 3.0, None], "last": D(2026, 6, 10)},
        {"label": "2026-2027", "scores": [4.0, None, None, 5.0, None], "last": D(2026, 10, 6)},
    ]
    # Frameworks in their order: checklist, OB 3.0.
    assert figures["self_assessments"] == [{"label": "2026-2027", "scores": [None, 2.5]}]
    # Looking back at last year shows nothing of the year after it.
    earlier = dashboard.school_dashboard(school, known["last_year"], director)
    assert [entry["label"] for entry in earlier["evaluations"]] == ["2025-2026"]


def test_not_reached_lists_the_family_with_its_language(known, school, year):
    families = list(dashboard.families_not_reached(school, year))
    assert families == [known["families"][2]]
    guardian = families[0].guardians.all()[0]
    assert (guardian.language, guardian.needs_interpreter) == ("ar", True)


def test_group_filter_narrows_families_and_groups(known, school, year, director):
    figures = dashboard.school_dashboard(school, year, director, group=known["b"])
    assert [row["group"].name for row in figures["groups"]] == ["5b"]
    assert (figures["families"]["families"], figures["families"]["reached"]) == (2, 2)
    assert list(dashboard.families_not_reached(school, year, known["b"])) == []


def test_other_schools_data_is_not_counted(known, school, year, director):
    other = f.SchoolFactory(board=school.board)
    known_school(other, year)
    figures = dashboard.school_dashboard(school, year, director)
    assert figures["totals"]["pupils"] == 5
    assert figures["families"]["families"] == 4


def test_board_dashboard_per_school_with_total_and_sort(known, school, board, year, board_member):
    small = f.SchoolFactory(board=board, name="Aan de Dijk")
    sized_school(small, year, groups=1, pupils_per_group=1)
    foreign = f.SchoolFactory(name="Elders")
    sized_school(foreign, year, groups=1, pupils_per_group=2)

    figures = dashboard.board_dashboard(board, year, board_member)
    assert [row["name"] for row in figures["schools"]] == ["Aan de Dijk", "De Linde"]
    linde = figures["schools"][1]
    assert (linde["pupils"], linde["held"], linde["families"], linde["reached"]) == (5, 2, 4, 3)
    assert (linde["held_on_time"], linde["overdue"], linde["goals_achieved"]) == (1, 1, 1)
    dijk = figures["schools"][0]
    assert (dijk["pupils"], dijk["held"], dijk["reached"], dijk["attendance"]) == (1, 1, 1, 1)
    totals = figures["totals"]
    assert (totals["pupils"], totals["held"], totals["families"]) == (6, 3, 5)

    by_pupils = dashboard.board_dashboard(board, year, board_member, sort="-pupils")
    assert [row["name"] for row in by_pupils["schools"]] == ["De Linde", "Aan de Dijk"]
    unknown = dashboard.board_dashboard(board, year, board_member, sort="__class__")
    assert unknown["sort"] == "name"


@pytest.mark.parametrize("size", [1, 3])
def test_school_dashboard_queries_do_not_grow(
    size, school, year, director, django_assert_num_queries
):
    sized_school(school, year, groups=size, pupils_per_group=size)
    # Ten: the nine figures and the families that did not answer about photos.
    with django_assert_num_queries(10):
        figures = dashboard.school_dashboard(school, year, director)
    assert figures["totals"]["pupils"] == size * size


@pytest.mark.parametrize("schools", [1, 3])
def test_board_dashboard_queries_do_not_grow(
    schools, board, year, board_member, django_assert_num_queries
):
    for _n in range(schools):
        sized_school(f.SchoolFactory(board=board), year, groups=schools, pupils_per_group=2)
    # The first view counts every school: the schools with their change markers, the board's
    # kept table (none yet), the schools' kept rows, six grouped counts, one write of the rows
    # and one of the table. The next one reads the schools and the kept table.
    with django_assert_num_queries(11):
        figures = dashboard.board_dashboard(board, year, board_member)
    assert figures["totals"]["pupils"] == schools * schools * 2
    with django_assert_num_queries(2):
        figures = dashboard.board_dashboard(board, year, board_member)
    assert figures["totals"]["pupils"] == schools * schools * 2


@pytest.mark.parametrize("size", [1, 3])
def test_school_dashboard_page_queries_do_not_grow(
    size, client, school, year, director, django_assert_num_queries
):
    sized_school(school, year, groups=size, pupils_per_group=size)
    client.force_login(director)
    client.get(f"/scholen/{school.pk}/dashboard/")  # warm up: sessions, content types
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(f"/scholen/{school.pk}/dashboard/")
    assert response.status_code == 200


# The page's queries: two of them for the families who read this year's information card, one
# for the families who have not answered about photos, one for the response times to parents,
# one for the ideas and complaints.
PAGE_QUERIES = 18


def test_page_links_the_not_reached_figure_to_the_list(known, client, school, director):
    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/").content.decode()
    assert f'href="/scholen/{school.pk}/dashboard/niet-bereikt/?' in page
    assert "1 gezin niet bereikt" in page
    assert "style=" not in page.split("<main", 1)[-1]
    listing = client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt/").content.decode()
    assert known["families"][2].name in listing
    assert known["families"][0].name not in listing


def test_group_of_another_school_is_not_found(known, client, school, year, director):
    other = f.GroupFactory(school=f.SchoolFactory(board=school.board), school_year=year)
    client.force_login(director)
    assert client.get(f"/scholen/{school.pk}/dashboard/?groep={other.pk}").status_code == 404
    assert client.get(f"/scholen/{school.pk}/dashboard/?groep=x").status_code == 404
    own = client.get(f"/scholen/{school.pk}/dashboard/?groep={known['b'].pk}")
    assert own.status_code == 200


def test_school_without_groups_explains_what_to_do(client, school, year, director):
    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/").content.decode()
    assert 'data-empty="groups"' in page
    assert 'data-empty="families"' in page


def test_exports_escape_formulas_and_name_the_file(known, client, school, year, director):
    family = known["families"][2]
    family.name = "=HYPERLINK(1)"
    family.save()
    client.force_login(director)
    response = client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt.csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{school.brin}-{school.pk}-niet-bereikt-2026-2027.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][2] == "Arabisch" or rows[1][2]
    response = client.get(f"/scholen/{school.pk}/dashboard/groepen.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:3] == ["3a", 3, 2]
    assert client.get(f"/scholen/{school.pk}/dashboard/onbekend.csv").status_code == 404
    assert client.get(f"/scholen/{school.pk}/dashboard/groepen.pdf").status_code == 404


def test_board_export_has_a_total_row(known, client, board, year, board_member):
    client.force_login(board_member)
    response = client.get(f"/besturen/{board.pk}/dashboard/scholen.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[-1][:3] == ["Totaal bestuur", "5", "2"]


def test_board_excel_export_has_a_dutch_sheet_name_and_headers(
    known, client, board, year, board_member
):
    client.force_login(board_member)
    response = client.get(f"/besturen/{board.pk}/dashboard/scholen.xlsx", HTTP_ACCEPT_LANGUAGE="nl")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Scholen"]
    headers = next(workbook["Scholen"].iter_rows(max_row=1, values_only=True))
    assert headers == (
        "School",
        "Leerlingen",
        "Startgesprekken gehouden",
        "Startgesprekken gepland",
        "Startgesprekken nog te plannen",
        "Startgesprekken: gezin niet bereikt",
        "Startgesprekken gehouden in de afgesproken weken",
        "Startgesprekken met het kind erbij",
        "Gezinnen",
        "Gezinnen met een communicatieplan",
        "Gezinnen bereikt",
        "Contactmomenten tot vandaag",
        "Contactmomenten op tijd gehouden",
        "Contactmomenten te laat gehouden",
        "Contactmomenten te laat en nog niet gehouden",
        "Contacten met ouders",
        "Positieve contacten",
        "Activiteiten",
        "Aanwezig bij activiteiten",
        "Doelen",
        "Doelen bereikt",
    )


def test_school_excel_export_names_its_sheet_after_the_table(known, client, school, year, director):
    client.force_login(director)
    response = client.get(f"/scholen/{school.pk}/dashboard/partnerschappen.xlsx")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Partnerschappen"]


def test_board_page_sorts_by_parameter(known, client, board, year, board_member):
    f.SchoolFactory(board=board, name="Aan de Dijk")
    client.force_login(board_member)
    page = client.get(f"/besturen/{board.pk}/dashboard/?sort=-pupils").content.decode()
    assert page.index("De Linde") < page.index("Aan de Dijk")
    page = client.get(f"/besturen/{board.pk}/dashboard/").content.decode()
    assert page.index("Aan de Dijk") < page.index("De Linde")


def test_links_appear_only_for_who_may_open_the_dashboard(client, school, year, director, board):
    teacher = f.StaffMembershipFactory(school=school, board=board, role="teacher").user
    member = f.StaffMembershipFactory(school=None, board=board, role="board").user
    link = f'href="/scholen/{school.pk}/dashboard/"'
    client.force_login(director)
    assert link in client.get(f"/scholen/{school.pk}/").content.decode()
    client.force_login(teacher)
    assert link not in client.get(f"/scholen/{school.pk}/").content.decode()
    client.force_login(member)
    assert (
        f'href="/besturen/{board.pk}/dashboard/"'
        in client.get(f"/scholen/{school.pk}/").content.decode()
    )


def test_not_reached_list_filters_by_language(known, client, school, year, director):
    assert list(dashboard.families_not_reached(school, year, language="ar")) == [
        known["families"][2]
    ]
    assert list(dashboard.families_not_reached(school, year, language="pl")) == []
    client.force_login(director)
    name = known["families"][2].name
    assert (
        name in client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt/?taal=ar").content.decode()
    )
    assert (
        name
        not in client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt/?taal=pl").content.decode()
    )
    # An unknown language shows everyone rather than an error.
    assert (
        name in client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt/?taal=xx").content.decode()
    )
    export = client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt.csv?taal=pl")
    assert name not in export.content.decode("utf-8-sig")


@pytest.mark.parametrize("schools", [1, 3])
def test_board_dashboard_page_queries_do_not_grow(
    schools, client, board, year, board_member, django_assert_num_queries
):
    for _n in range(schools):
        sized_school(f.SchoolFactory(board=board), year, groups=2, pupils_per_group=2)
    client.force_login(board_member)
    client.get(f"/besturen/{board.pk}/dashboard/")
    with django_assert_num_queries(BOARD_PAGE_QUERIES):
        response = client.get(f"/besturen/{board.pk}/dashboard/?sort=-held_share")
    assert response.status_code == 200


# The schools' figures come from their kept rows (two queries) once the first view counted them;
# one more: the response times per school (messaging).
BOARD_PAGE_QUERIES = 6


def test_board_sort_puts_schools_without_a_figure_last(known, board, year, board_member):
    f.SchoolFactory(board=board, name="Zonder gesprekken")
    f.SchoolFactory(board=board, name="Aan de Dijk")
    for sort in ("held_share", "-held_share"):
        figures = dashboard.board_dashboard(board, year, board_member, sort=sort)
        names = [row["name"] for row in figures["schools"]]
        assert names[0] == "De Linde", sort
        assert set(names[1:]) == {"Zonder gesprekken", "Aan de Dijk"}


def _figure_value(figures, figure, group_row=None):
    """The number the dashboard shows for ``figure`` (a key of FIGURE_LISTS)."""
    spec = dashboard_lists.FIGURE_LISTS[figure]
    if spec.kind in ("conversations", "contacts"):
        return (group_row or figures["totals"])[spec.key]
    if spec.kind == "families":
        return figures["families"][spec.key]
    if spec.kind == "moments":
        return figures["moments"][spec.key]
    if spec.kind == "activities":
        return sum(row["activities"] for row in figures["partnerships"])
    return sum(row["total"] for row in figures["goals"])


@pytest.mark.parametrize("figure", list(dashboard_lists.FIGURE_LISTS))
def test_every_figure_opens_the_list_of_what_it_counts(
    figure, known, client, school, year, director
):
    figures = dashboard.school_dashboard(school, year, director)
    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/").content.decode()
    assert f'data-figure="{figure}"' in page
    listing = client.get(f"/scholen/{school.pk}/dashboard/cijfers/{figure}/?jaar={year.pk}")
    assert listing.status_code == 200
    rows = listing.content.decode().count("<tr data-row>")
    assert rows == _figure_value(figures, figure)


@pytest.mark.parametrize(
    "figure", [k for k, v in dashboard_lists.FIGURE_LISTS.items() if v.kind == "conversations"]
)
def test_a_group_row_opens_the_list_of_that_group(figure, known, client, school, year, director):
    figures = dashboard.school_dashboard(school, year, director)
    row = next(r for r in figures["groups"] if r["group"] == known["b"])
    client.force_login(director)
    url = f"/scholen/{school.pk}/dashboard/cijfers/{figure}/?jaar={year.pk}&groep={known['b'].pk}"
    assert (
        client.get(url).content.decode().count("<tr data-row>")
        == row[dashboard_lists.FIGURE_LISTS[figure].key]
    )


def test_the_list_behind_held_conversations_names_those_pupils(
    known, client, school, year, director
):
    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/cijfers/gesprek-gehouden/").content.decode()
    held = dashboard_lists.rows("gesprek-gehouden", school, year, by=director)
    assert held and all(c.status == "held" for c in held)
    for conversation in held:
        assert escape(conversation.pupil.full_name) in page
    assert client.get(f"/scholen/{school.pk}/dashboard/cijfers/onbekend/").status_code == 404


def test_the_board_sees_figures_but_not_the_names_behind_them(
    known, client, school, year, board_member
):
    client.force_login(board_member)
    page = client.get(f"/scholen/{school.pk}/dashboard/").content.decode()
    assert "data-figure=" not in page
    assert "data-not-reached" not in page
    for url in ("cijfers/gezinnen/", "niet-bereikt/", "niet-bereikt.csv"):
        assert client.get(f"/scholen/{school.pk}/dashboard/{url}").status_code == 404
    assert client.get(f"/scholen/{school.pk}/dashboard/groepen.csv").status_code == 200


def test_a_year_without_data_shows_empty_states_not_an_error(
    known, client, school, board, director, board_member
):
    empty = f.SchoolYearFactory(label="2023-2024", start=D(2023, 8, 1), end=D(2024, 7, 31))
    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/?jaar={empty.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-empty="groups"' in body and 'data-empty="evaluations"' in body
    listing = client.get(f"/scholen/{school.pk}/dashboard/cijfers/gezinnen/?jaar={empty.pk}")
    assert 'data-empty="figure"' in listing.content.decode()
    assert client.get(f"/scholen/{school.pk}/dashboard/?jaar=999999").status_code == 404
    client.force_login(board_member)
    assert client.get(f"/besturen/{board.pk}/dashboard/?jaar={empty.pk}").status_code == 200


def test_the_language_filter_narrows_every_family_figure_and_its_lists(
    known, client, school, year, director
):
    polish = dashboard.school_dashboard(school, year, director, language="pl")
    assert polish["families"]["families"] == 1 and polish["families"]["reached"] == 1
    assert (polish["totals"]["pupils"], polish["totals"]["to_plan"]) == (1, 1)
    assert (polish["totals"]["contacts"], polish["totals"]["positive"]) == (1, 1)
    assert polish["moments"]["moments_due"] == 0
    arabic = dashboard.school_dashboard(school, year, director, language="ar")
    assert arabic["families"]["not_reached"] == 1 and arabic["totals"]["booked"] == 1
    everyone = dashboard.school_dashboard(school, year, director)
    assert everyone["families"]["families"] == 4

    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/?jaar={year.pk}&taal=pl").content.decode()
    assert '<option value="pl" selected>' in page
    assert "&amp;taal=pl" in page  # the figures link to the lists of the same families
    listing = client.get(
        f"/scholen/{school.pk}/dashboard/cijfers/gezinnen/?jaar={year.pk}&taal=pl"
    ).content.decode()
    assert listing.count("<tr data-row>") == 1 and known["families"][3].name in listing


def test_not_reached_list_tells_families_apart_by_their_children(known, client, school, director):
    family = known["families"][2]
    pupil = family.guardians.get().pupil_links.get().pupil
    client.force_login(director)
    page = client.get(f"/scholen/{school.pk}/dashboard/niet-bereikt/").content.decode()
    assert escape(f"{family.name} — {pupil.first_name} (3a)") in page
