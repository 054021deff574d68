"""Guardians log in with a one-time code by e-mail, through allauth's real views."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests import factories as f

REQUEST_URL = reverse("account_request_login_code")
CONFIRM_URL = reverse("account_confirm_login_code")
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def guardian_account(email="ouder@example.test", language="ar"):
    user = f.UserFactory(username=email, email=email)
    guardian = f.GuardianFactory(user=user, email=email, language=language)
    f.PupilGuardianFactory(guardian=guardian, pupil=f.PupilFactory())
    return guardian


def code_from(message):
    match = CODE_LINE.search(message.body)
    assert match, message.body
    return match.group(1)


def request_code(client, email):
    return client.post(REQUEST_URL, {"email": email})


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_guardian_logs_in_with_the_code_from_the_mail_and_gets_their_language(client):
    guardian = guardian_account(language="ar")
    response = request_code(client, guardian.email)
    assert response.status_code == 302 and response.url.startswith(CONFIRM_URL)
    assert [m.to for m in mail.outbox] == [[guardian.email]]

    response = client.post(CONFIRM_URL, {"code": code_from(mail.outbox[0])})

    assert response.status_code == 302
    assert is_logged_in(client)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    home = client.get(reverse("parents:portal-home"))
    assert b'<html lang="ar" dir="rtl">' in home.content


@pytest.mark.django_db
def test_guardian_session_lasts_thirty_days_on_their_phone(client):
    guardian = guardian_account()
    request_code(client, guardian.email)
    client.post(CONFIRM_URL, {"code": code_from(mail.outbox[0])})
    assert client.session.get_expiry_age() == 30 * 24 * 60 * 60


@pytest.mark.django_db
def test_staff_session_ends_within_twelve_hours(client):
    membership = f.StaffMembershipFactory(role="teacher")
    client.post(
        reverse("account_login"),
        {"login": membership.user.email, "password": "schouder-test", "remember": "on"},
    )
    assert is_logged_in(client)
    assert client.session.get_expiry_age() <= 12 * 60 * 60


@pytest.mark.django_db
def test_three_wrong_codes_end_the_attempt_with_a_clear_message(client):
    guardian = guardian_account(language="nl")
    request_code(client, guardian.email)
    right_code = code_from(mail.outbox[0])

    first = client.post(CONFIRM_URL, {"code": "AAA-AAA"})
    assert first.status_code == 200
    assert "Deze code klopt niet" in first.content.decode()
    client.post(CONFIRM_URL, {"code": "BBB-BBB"})
    third = client.post(CONFIRM_URL, {"code": "CCC-CCC"}, follow=True)

    assert third.redirect_chain[-1][0] == REQUEST_URL
    shown = [str(m) for m in third.context["messages"]]
    assert shown and "inlogpogingen" in shown[0].lower()
    # The code that was right is now worthless too: the attempt is over.
    late = client.post(CONFIRM_URL, {"code": right_code})
    assert late.status_code == 302 and late.url == REQUEST_URL
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_an_expired_code_does_not_log_in(client):
    guardian = guardian_account()
    with time_machine.travel(datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)) as clock:
        request_code(client, guardian.email)
        code = code_from(mail.outbox[0])
        clock.shift(datetime.timedelta(minutes=16))
        response = client.post(CONFIRM_URL, {"code": code})
    assert response.status_code == 302 and response.url == REQUEST_URL
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_unknown_email_gets_the_same_answer_as_a_known_one(client):
    guardian = guardian_account()
    known = request_code(client, guardian.email)
    client.logout()
    unknown = request_code(client, "niemand@example.test")

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    unknown_page = client.get(unknown.url).content.decode()
    assert "Vul de code in" in unknown_page and "niemand@example.test" in unknown_page
    # The unknown address hears that there is no account there, but never gets a code.
    to_known, to_unknown = mail.outbox
    assert to_known.to == [guardian.email] and CODE_LINE.search(to_known.body)
    assert to_unknown.to == ["niemand@example.test"]
    assert not CODE_LINE.search(to_unknown.body)


@pytest.mark.django_db
def test_forty_guardians_behind_one_address_can_all_request_a_code(client):
    guardians = [guardian_account(email=f"ouder{i}@example.test") for i in range(40)]
    for guardian in guardians:
        client.logout()
        response = request_code(client, guardian.email)
        assert response.status_code == 302, guardian.email
    assert len(mail.outbox) == 40
    assert {m.to[0] for m in mail.outbox} == {g.email for g in guardians}


@pytest.mark.django_db
def test_one_address_asking_again_and_again_is_slowed_down(client):
    guardian = guardian_account()
    for _attempt in range(3):
        client.logout()
        assert request_code(client, guardian.email).status_code == 302
    client.logout()
    fourth = request_code(client, guardian.email)
    assert fourth.status_code == 200
    assert "Te veel inlogpogingen" in fourth.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_an_imported_guardian_without_an_account_logs_in_with_a_code(client):
    """The import brings guardians, not accounts: the first code request makes the account."""
    guardian = f.GuardianFactory(user=None, email="Moeder.Yilmaz@Example.test", language="tr")
    f.PupilGuardianFactory(guardian=guardian, pupil=f.PupilFactory())
    response = request_code(client, "moeder.yilmaz@example.test")
    assert response.status_code == 302 and response.url.startswith(CONFIRM_URL)
    assert [[a.lower() for a in m.to] for m in mail.outbox] == [[guardian.email.lower()]]
    client.post(CONFIRM_URL, {"code": code_from(mail.outbox[0])})
    assert is_logged_in(client)
    guardian.refresh_from_db()
    assert guardian.user is not None and not guardian.user.has_usable_password()
    assert client.session["_auth_user_id"] == str(guardian.user.pk)
    assert client.get(reverse("parents:portal-home")).status_code == 200


@pytest.mark.django_db
def test_an_unknown_address_gets_no_account_and_the_same_answer(client):
    known = f.GuardianFactory(user=None, email="bekend@example.test")
    response_unknown = request_code(client, "onbekend@example.test")
    assert response_unknown.status_code == 302
    assert response_unknown.url.startswith(CONFIRM_URL)  # no sign whether the address is known
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="onbekend@example.test").exists()
    # The mail says what to do (ask the school), not to sign up: nobody signs up alone.
    (message,) = mail.outbox
    assert "leerlingadministratie" in message.body and "signup" not in message.body
    known.refresh_from_db()
    assert known.user is None


@pytest.fixture
def sms_outbox(settings):
    from reminders.channels import OutboxSmsBackend

    settings.SMS_BACKEND = "reminders.channels.OutboxSmsBackend"
    OutboxSmsBackend.outbox.clear()
    return OutboxSmsBackend.outbox


@pytest.mark.django_db
@pytest.mark.parametrize("as_typed", ["06 1234 5678", "06 12 34 56 78", "+31-6-12345678"])
def test_a_guardian_with_only_a_phone_logs_in_with_a_code_by_text_message(
    client, sms_outbox, as_typed
):
    guardian = f.GuardianFactory(user=None, email="", phone=as_typed, language="uk")
    f.PupilGuardianFactory(guardian=guardian, pupil=f.PupilFactory())
    response = client.post(REQUEST_URL, {"phone": "+31 6 12345678"})
    assert response.status_code == 302 and response.url.startswith(CONFIRM_URL)
    (sms,) = sms_outbox
    assert sms["to"] == "+31612345678"
    assert "spam" not in client.get(response.url).content.decode()  # no e-mail to look for
    # The text is in the guardian's language (Ukrainian), not the page's.
    code = re.search(r"Ваш код для Schouder: (\S+)\.", sms["body"]).group(1)
    client.post(CONFIRM_URL, {"code": code})
    assert is_logged_in(client)
    guardian.refresh_from_db()
    assert client.session["_auth_user_id"] == str(guardian.user.pk)


@pytest.mark.django_db
def test_a_phone_number_in_another_form_is_a_clear_message(client, sms_outbox):
    page = client.post(REQUEST_URL, {"phone": "12-34"}).content.decode()
    assert "bijvoorbeeld 06 12345678" in page and not sms_outbox
    page = client.post(REQUEST_URL, {"email": "", "phone": ""}).content.decode()
    assert "Vul uw e-mailadres of uw 06-nummer in." in page


@pytest.mark.django_db
def test_staff_still_log_in_with_e_mail_and_password(client):
    membership = f.StaffMembershipFactory(role="teacher")
    client.post(
        reverse("account_login"), {"login": membership.user.email, "password": "schouder-test"}
    )
    assert is_logged_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [("tr", "Schouder'a giriş kodunuz"), ("pl", "Kod do logowania"), ("en", "Your code to log in")],
)
def test_the_code_mail_is_in_the_guardians_own_language_not_the_pages(client, language, words):
    guardian = guardian_account(language=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"  # she asks on a Dutch page
    request_code(client, guardian.email)
    (message,) = mail.outbox
    assert words in message.body
    assert "Uw code" not in message.body + message.subject
    client.post(CONFIRM_URL, {"code": code_from(message)})
    assert is_logged_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["teacher", "director", "board"])
def test_staff_asking_for_a_code_get_none_but_a_mail_about_their_password(client, role):
    extra = {"school": None, "board": f.BoardFactory()} if role == "board" else {}
    membership = f.StaffMembershipFactory(role=role, **extra)
    guardian = guardian_account()
    known = request_code(client, guardian.email)
    mail.outbox.clear()
    client.logout()

    response = request_code(client, membership.user.email)

    # The page answers as for any address; nothing tells an outsider this is a staff address.
    assert (response.status_code, response.url) == (known.status_code, known.url)
    (message,) = mail.outbox
    assert message.to == [membership.user.email]
    assert not CODE_LINE.search(message.body)
    assert "wachtwoord" in message.body and reverse("account_login") in message.body
    for guess in ("AAA-AAA", "123456"):
        client.post(CONFIRM_URL, {"code": guess})
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_a_guardian_who_also_works_at_a_school_logs_in_with_the_password(client, sms_outbox):
    guardian = guardian_account()
    guardian.phone = "06 12345678"
    guardian.save()
    f.StaffMembershipFactory(user=guardian.user, role="teacher")

    request_code(client, guardian.email)
    client.post(REQUEST_URL, {"phone": "06 12345678"})

    assert not any(CODE_LINE.search(m.body) for m in mail.outbox)
    assert sms_outbox == []
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_a_superuser_gets_no_code(client):
    user = f.UserFactory(email="beheer@example.test", is_staff=True, is_superuser=True)
    request_code(client, user.email)
    assert not any(CODE_LINE.search(m.body) for m in mail.outbox)
