"""A guardian chooses per channel: each message at once, or one message a day."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_guardian_chooses_one_message_a_day_by_email(world, client_for, settings):
    settings.SMS_BACKEND = "reminders.channels.ConsoleSmsBackend"
    parent = client_for("guardian")
    parent.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    url = reverse("parents:portal-preferences")
    page = parent.get(url).content.decode()
    assert "Berichten per e-mail" in page and "Berichten per sms" in page
    assert "Eén bericht per dag" in page
    response = parent.post(
        url,
        {
            "language": "nl",
            "channel": "email",
            "wants_reminders": "on",
            "daily_email": "daily",
            "daily_sms": "now",
        },
    )
    assert response.status_code == 302
    world.s1.guardian.refresh_from_db()
    assert world.s1.guardian.daily_channels == ["email"]
    form = parent.get(url).context["form"]
    assert form.initial["daily_email"] == "daily" and "daily_sms" not in form.initial
