"""Staff log in with e-mail and password; failures slow an account down, not a whole school."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_director_logs_in_with_email_and_password(client):
    f.StaffMembershipFactory(user=f.UserFactory(username="d@example.test"), role="director")
    response = attempt(client, "d@example.test", "schouder-test")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_account_is_blocked_after_five_wrong_passwords_even_with_the_right_one(client):
    f.UserFactory(username="t@example.test")
    for _ in range(5):
        response = attempt(client, "t@example.test", "wrong")
        assert response.status_code == 200
    response = attempt(client, "t@example.test", "schouder-test")
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_forty_parents_evening_logins_behind_one_address_all_succeed(client):
    users = [f.UserFactory(username=f"ouder{n}@example.test") for n in range(40)]
    succeeded = 0
    for user in users:
        client.logout()
        # One wrong try each, as people do, then the right password, all from the school's NAT.
        attempt(client, user.username, "typo", ip="192.0.2.10")
        if attempt(client, user.username, "schouder-test", ip="192.0.2.10").status_code == 302:
            succeeded += 1
    assert succeeded == 40


def test_admin_login_goes_through_the_protected_login(client):
    response = client.get("/beheer/login/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    assert b'name="password2"' not in response.content
