"""A logged-in request makes no query before its view: the session comes from the cache, and so
do the user and the memberships (kept there after one query). Every change of the user or a
membership ends the kept copy, so a deactivated user or a revoked role is gone at once. Where
REDIS_URL is set the cache is Redis, as in production."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import caches
from django.test.utils import override_settings
from django.urls import reverse

from bench.http_urls import HELLO_PATH
from schools.permissions import access_for, forget_signed_in, signed_in_rows
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.http_urls")]


@pytest.fixture
def director(client):
    membership = f.StaffMembershipFactory(role="director")
    f.StaffMembershipFactory(user=membership.user, school=membership.school, role="teacher")
    client.force_login(membership.user)
    client.get(HELLO_PATH)  # the idle clock starts: later requests need no session write
    return membership


def _dashboard(school):
    return f"/scholen/{school.pk}/dashboard/"


def test_a_logged_in_request_makes_no_query_before_the_view(
    client, director, django_assert_num_queries
):
    if settings.REDIS_URL:
        assert type(caches["default"]).__name__ == "RedisCache"
    # The hello view reads nothing itself: every query here is one the middleware made.
    with django_assert_num_queries(0):
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
    assert client.get(_dashboard(director.school)).status_code == 200

    director.delete()

    assert client.get(_dashboard(director.school)).status_code == 404


@override_settings(ROOT_URLCONF="partnership.urls")
def test_a_new_role_counts_on_the_next_request(client):
    teacher = f.StaffMembershipFactory(role="teacher")
    client.force_login(teacher.user)
    assert client.get(_dashboard(teacher.school)).status_code == 404

    f.StaffMembershipFactory(user=teacher.user, school=teacher.school, role="director")

    assert client.get(_dashboard(teacher.school)).status_code == 200


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, director):
    assert client.get(HELLO_PATH).wsgi_request.user.is_authenticated

    director.user.is_active = False
    director.user.save()

    assert not client.get(HELLO_PATH).wsgi_request.user.is_authenticated


def test_a_new_password_ends_the_other_sessions(client, director):
    assert client.get(HELLO_PATH).wsgi_request.user.is_authenticated

    director.user.set_password("een-nieuw-wachtwoord-2026")
    director.user.save()

    assert not client.get(HELLO_PATH).wsgi_request.user.is_authenticated


def test_a_board_that_starts_requiring_a_second_step_sends_its_staff_to_set_it_up(client, director):
    assert client.get(HELLO_PATH).status_code == 200

    board = director.board
    board.mfa_required = True
    board.save()

    response = client.get(HELLO_PATH)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_a_linked_guardian_record_counts_on_the_next_request(client, director):
    assert not access_for(client.get(HELLO_PATH).wsgi_request.user).is_guardian

    f.GuardianFactory(user=director.user)

    assert access_for(client.get(HELLO_PATH).wsgi_request.user).is_guardian


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


def _never_read():
    raise AssertionError("read the database although a current copy was kept")


def test_a_kept_copy_is_used_until_the_user_changes():
    columns = ("role",)
    assert signed_in_rows(7001, columns, lambda: [("director",)]) == [("director",)]
    assert signed_in_rows(7001, columns, _never_read) == [("director",)]

    forget_signed_in([7001])

    assert signed_in_rows(7001, columns, lambda: [("teacher",)]) == [("teacher",)]
    # After a release with other user columns the old copy does not fit: read again.
    assert signed_in_rows(7001, ("role", "phone"), lambda: [("teacher", "")]) == [("teacher", "")]


def test_a_copy_kept_just_before_the_change_was_committed_is_not_used(
    django_capture_on_commit_callbacks,
):
    columns = ("role",)
    with django_capture_on_commit_callbacks(execute=True):
        forget_signed_in([7002])
        # Another request reads the database before the commit: it still sees the old rows
        # and keeps them under the generation of that moment.
        signed_in_rows(7002, columns, lambda: [("director",)])

    assert signed_in_rows(7002, columns, lambda: [("teacher",)]) == [("teacher",)]


def _is_guardian_on_next_request(client) -> bool:
    return access_for(client.get(HELLO_PATH).wsgi_request.user).is_guardian


def test_a_guardian_record_moved_to_another_account_counts_for_both_at_once(client):
    from django.test import Client

    from parents.models import Guardian

    first, second = f.UserFactory(), f.UserFactory()
    guardian = f.GuardianFactory(user=first)
    client.force_login(first)
    other = Client()
    other.force_login(second)
    assert _is_guardian_on_next_request(client)
    assert not _is_guardian_on_next_request(other)

    # The record is read afresh, as the admin or an import would, and given to the other account.
    moved = Guardian.objects.get(pk=guardian.pk)
    moved.user = second
    moved.save()

    assert not _is_guardian_on_next_request(client)
    assert _is_guardian_on_next_request(other)


@pytest.fixture
def second_step_director(client, director):
    """A director whose board requires the second step and who has set up an app for it."""
    from allauth.mfa.models import Authenticator

    director.board.mfa_required = True
    director.board.save()
    Authenticator.objects.create(
        user=director.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.get(HELLO_PATH)  # the rows, the authenticator fact among them, are kept from here on
    return director


def test_staff_with_a_second_step_make_no_query_before_the_view(
    client, second_step_director, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(HELLO_PATH)

    assert response.status_code == 200


def test_a_removed_authenticator_sends_the_staff_member_to_set_one_up_at_once(
    client, second_step_director
):
    second_step_director.user.authenticator_set.get().delete()

    response = client.get(HELLO_PATH)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_a_new_authenticator_opens_the_pages_at_once(client, director):
    from allauth.mfa.models import Authenticator

    director.board.mfa_required = True
    director.board.save()
    assert client.get(HELLO_PATH).status_code == 302

    Authenticator.objects.create(
        user=director.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )

    assert client.get(HELLO_PATH).status_code == 200
