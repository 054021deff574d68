"""The organisation pages run a fixed number of queries whatever the size of the school."""

import pytest

from tests import factories as f

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
