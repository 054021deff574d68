"""The organisation pages run a fixed number of queries whatever the size of the school."""

import datetime

import pytest

from tests import factories as f
from tests.audit_cost import audit_write

pytestmark = pytest.mark.django_db


def add_pupils(world, count):
    for _ in range(count):
        pupil = f.PupilFactory(school=world.s1.school)
        f.EnrolmentFactory(pupil=pupil, group=world.s1.group)
        f.PupilGuardianFactory(pupil=pupil)


@pytest.mark.parametrize(
    "url_name", ["schools:pupil-list", "schools:school-detail", "schools:group-detail"]
)
def test_page_queries_do_not_grow_with_pupils(
    world, client_for, django_assert_num_queries, url_name
):
    from django.urls import reverse

    pk = world.s1.group.pk if url_name == "schools:group-detail" else world.s1.school.pk
    url = reverse(url_name, kwargs={"pk": pk})
    client = client_for("intern_begeleider")
    add_pupils(world, 10)
    client.get(url)  # warm up the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_pupils(world, 30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


# The school, the number of pupils (for the pages), a page of pupils with their group of this year
# (the session, the user and the memberships come from the cache).
PUPIL_LIST_QUERIES = 3
# The school year, children (the permission check), the school's days off,
# the family with its signals and this year's plan, the guardians and other households,
# agreements, moments, the timeline, the children of the contact form, the parents' own changes
# of their contact details, the sections of the apps above (care's contact arrangements,
# partnership's activities of the family); and the audit row of the view (issue 14).
FAMILY_PAGE_QUERIES = 11


def add_family_history(world, count, by):
    """This year's plan of S1's family with ``count`` agreements (two moments each) and contacts."""
    from tests.parents.factories import (
        AgreementFactory,
        CommunicationPlanFactory,
        ContactLogFactory,
    )

    family = world.s1.family
    plan = family.plans.first() or CommunicationPlanFactory(family=family, contact_person=by)
    for index in range(count):
        agreement = AgreementFactory(
            plan=plan, pupil=world.s1.pupil, responsible=by, what=f"Ouderavond {index}"
        )
        agreement.moments.create(due_on=plan.school_year.start + datetime.timedelta(days=40))
        agreement.moments.create(due_on=plan.school_year.end - datetime.timedelta(days=10))
        ContactLogFactory(
            family=family, by=by, pupil=world.s1.pupil, summary=f"Telefoontje {index}"
        )


@pytest.mark.parametrize("pupils", [10, 40])
def test_pupil_list_and_family_page_run_the_same_queries_at_10_and_40_pupils(
    world, client_for, django_assert_num_queries, pupils
):
    add_pupils(world, pupils - 1)  # the world's own pupil makes the round number
    add_family_history(world, pupils // 4, by=world.s1.director)
    client = client_for("director")
    pupil_list = f"/scholen/{world.s1.school.pk}/leerlingen/"
    family_page = f"/gezinnen/{world.s1.family.pk}/"
    client.get(pupil_list)  # warm up the session

    with django_assert_num_queries(PUPIL_LIST_QUERIES):
        response = client.get(pupil_list)
    assert response.content.decode().count('href="/leerlingen/') == pupils

    with django_assert_num_queries(FAMILY_PAGE_QUERIES + audit_write()):
        response = client.get(family_page)
    body = response.content.decode()
    assert body.count("Ouderavond ") == 3 * (pupils // 4)  # the agreement and its two moments
    assert body.count("Telefoontje ") == pupils // 4


def test_pupil_list_shows_the_group_of_this_school_year(world, client_for):
    from schools.models import SchoolYear

    today = SchoolYear.current()
    last_year = f.SchoolYearFactory(
        label=SchoolYear.label_for(today.start - datetime.timedelta(days=1)),
        start=today.start.replace(year=today.start.year - 1),
        end=today.start - datetime.timedelta(days=1),
    )
    moved_on = f.PupilFactory(school=world.s1.school, last_name="Doorgestroomd")
    f.EnrolmentFactory(
        pupil=moved_on,
        group=f.GroupFactory(school=world.s1.school, school_year=last_year, name="Vorig"),
    )
    f.EnrolmentFactory(pupil=moved_on, group=world.s1.other_group)
    not_placed = f.PupilFactory(school=world.s1.school, last_name="Nogniet")
    f.EnrolmentFactory(
        pupil=not_placed,
        group=f.GroupFactory(school=world.s1.school, school_year=last_year, name="Oud"),
    )

    body = client_for("director").get(f"/scholen/{world.s1.school.pk}/leerlingen/")
    body = body.content.decode()

    assert "<td>6</td>" in _row(body, moved_on.full_name)
    assert "<td></td>" in _row(body, not_placed.full_name)
    assert "Vorig" not in body and "Oud" not in body


def test_the_label_of_a_school_year_follows_from_the_date(db):
    from schools.models import SchoolYear

    assert SchoolYear.label_for(datetime.date(2026, 7, 31)) == "2025-2026"
    assert SchoolYear.label_for(datetime.date(2026, 8, 1)) == "2026-2027"
    assert SchoolYear.for_date(datetime.date(2027, 1, 5)).label == "2026-2027"


def _row(body, text):
    """The table row of the page that contains ``text``."""
    at = body.index(text)
    return body[body.rindex("<tr>", 0, at) : body.index("</tr>", at)]


def test_pupil_list_search_finds_by_name_and_number(world, client_for):
    pupil = f.PupilFactory(school=world.s1.school, first_name="Zeynep", pupil_number="424242")
    f.EnrolmentFactory(pupil=pupil, group=world.s1.group)
    client = client_for("director")
    url = f"/scholen/{world.s1.school.pk}/leerlingen/"
    assert "Zeynep" in client.get(url, {"q": "zeyn"}).content.decode()
    assert "Zeynep" in client.get(url, {"q": "424242"}).content.decode()
    assert "Zeynep" not in client.get(url, {"q": "Pieter"}).content.decode()


def test_pupil_list_answers_htmx_with_only_the_rows(world, client_for):
    client = client_for("director")
    response = client.get(
        f"/scholen/{world.s1.school.pk}/leerlingen/", {"q": "S1"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="pupil-rows"' in body
    assert "<nav" not in body


def test_director_edits_who_does_what(world, client_for):
    client = client_for("director")
    membership = world.s1.director_membership
    response = client.post(
        f"/scholen/{world.s1.school.pk}/wie-doet-wat/{membership.pk}/",
        {
            "task_description": "Ik ben er elke ochtend bij de poort.",
            "phone": "070-1234567",
            "reachable": "ma-vr 8-9 uur",
        },
    )
    assert response.status_code == 302
    page = client_for("guardian").get(f"/scholen/{world.s1.school.pk}/wie-doet-wat/")
    assert "Ik ben er elke ochtend bij de poort." in page.content.decode()


def test_pupil_list_shows_a_large_school_a_hundred_pupils_at_a_time(world, client_for):
    add_pupils(world, 249)  # with the world's own pupil: 250, three pages
    client = client_for("director")
    url = f"/scholen/{world.s1.school.pk}/leerlingen/"

    first = client.get(url).content.decode()
    last = client.get(url, {"pagina": 3}).content.decode()

    assert "250 leerlingen" in first
    assert first.count('href="/leerlingen/') == 100
    assert "Pagina 1 van 3" in first and "pagina=2" in first
    assert last.count('href="/leerlingen/') == 50
    assert "Pagina 3 van 3" in last and "pagina=2" in last


def test_pupil_list_pages_keep_the_search(world, client_for):
    for _ in range(120):
        f.EnrolmentFactory(pupil=f.PupilFactory(school=world.s1.school, last_name="Jansen"))
    client = client_for("director")

    body = client.get(f"/scholen/{world.s1.school.pk}/leerlingen/", {"q": "Jansen"})

    assert "q=Jansen&amp;pagina=2" in body.content.decode()
