"""Staff are addressed as "u" on allauth's pages too, as everywhere else."""

import datetime
import re

from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags

PASSWORD = "een-lang-wachtwoord-42"
# "je", "jij", "jouw", "jou": the informal "you" that allauth's own Dutch uses.
INFORMAL = re.compile(r"\b(je|jij|jouw|jou|jezelf)\b", re.IGNORECASE)


def _informal_words(response):
    text = " ".join(strip_tags(response.content.decode()).split())
    return sorted({match.group(0) for match in INFORMAL.finditer(text)})


def _dutch_page(client, url, **data):
    if data:
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")
    else:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response


def _current_code(client):
    secret = client.session[SECRET_SESSION_KEY]
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_reauthentication_asks_for_your_password_with_u(world, client_for):
    page = client_for("director").get(reverse("account_reauthenticate")).content.decode()
    assert "Vul uw wachtwoord in:" in page
    assert "je wachtwoord" not in page


def test_the_closed_sign_up_page_says_u_and_how_to_get_in(db, client):
    response = _dutch_page(client, reverse("account_signup"))
    assert "de school maakt uw account" in response.content.decode()
    assert _informal_words(response) == []


def test_setting_up_and_using_the_second_factor_says_u(world, client, time_machine):
    # The authenticator code depends on the clock: one moment for the whole journey.
    time_machine.move_to(datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC), tick=False)
    director = world.users["director"]
    director.set_password(PASSWORD)
    director.save()
    login = {"login": director.email, "password": PASSWORD}
    client.post(reverse("account_login"), login, HTTP_ACCEPT_LANGUAGE="nl")
    signed_in = [str(message) for message in get_messages(client.get(reverse("home")).wsgi_request)]
    assert signed_in == [f"U bent ingelogd als {director.email}."]

    pages = {"confirm with password": _dutch_page(client, reverse("account_reauthenticate"))}
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    pages["set up"] = _dutch_page(client, reverse("mfa_activate_totp"))
    assert "Scan de QR-code hieronder met uw authenticator-app" in pages["set up"].content.decode()
    pages["wrong code"] = _dutch_page(client, reverse("mfa_activate_totp"), code="000000")
    client.post(reverse("mfa_activate_totp"), {"code": _current_code(client)})
    assert director.authenticator_set.filter(type="totp").exists()
    pages["overview"] = _dutch_page(client, reverse("mfa_index"))
    pages["turn off"] = _dutch_page(client, reverse("mfa_deactivate_totp"))
    pages["confirm with code"] = _dutch_page(client, reverse("mfa_reauthenticate"))

    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), login)
    pages["second step"] = _dutch_page(client, reverse("mfa_authenticate"))
    assert "U bent uitgelogd." in pages["second step"].content.decode()
    assert "Vul de code in die uw authenticator-app nu laat zien" in (
        pages["second step"].content.decode()
    )

    informal = {name: _informal_words(page) for name, page in pages.items()}
    assert informal == {name: [] for name in pages}
