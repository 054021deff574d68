"""A logged-in request pays one query before its view: the session comes from the cache, the
user and the memberships from one query. The memberships are read fresh on every request, so
a revoked role is gone at once."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test.utils import override_settings

from bench.http_urls import HELLO_PATH
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.http_urls")]


@pytest.fixture
def director(client):
    membership = f.StaffMembershipFactory(role="director")
    f.StaffMembershipFactory(user=membership.user, school=membership.school, role="teacher")
    client.force_login(membership.user)
    client.get(HELLO_PATH)  # the idle clock starts: later requests need no session write
    return membership


def test_a_logged_in_request_makes_one_query_before_the_view(
    client, director, django_assert_num_queries
):
    # The hello view reads nothing itself: every query here is one the middleware made.
    with django_assert_num_queries(1):
        response = client.get(HELLO_PATH)

    assert response.status_code == 200
    assert response.wsgi_request.user == director.user


def test_the_memberships_come_with_the_user(client, director, django_assert_num_queries):
    response = client.get(HELLO_PATH)
    user = response.wsgi_request.user

    with django_assert_num_queries(0):
        roles = user._schouder_access.roles_at(director.school.pk)
    assert roles == {"director", "teacher"}


@override_settings(ROOT_URLCONF="partnership.urls")
def test_a_revoked_role_is_gone_on_the_next_request(client, director):
    page = f"/scholen/{director.school.pk}/dashboard/"
    assert client.get(page).status_code == 200

    director.delete()

    assert client.get(page).status_code == 404


def test_a_login_through_either_backend_loads_the_memberships(client, director):
    session = client.session
    for backend in (
        "schools.auth_backends.ModelBackend",
        "schools.auth_backends.AuthenticationBackend",
    ):
        session[BACKEND_SESSION_KEY] = backend
        session.save()
        user = client.get(HELLO_PATH).wsgi_request.user
        assert user.is_authenticated
        assert hasattr(user, "_schouder_access")
