"""Staff say when they answer parents, and how their reminders reach them; parents see the
hours with the people they can turn to."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from reminders.services import wants_daily_digest
from schools.models import AnswerHours

pytestmark = pytest.mark.django_db


def test_a_teacher_sets_answer_hours_and_parents_see_them(world, client_for):
    teacher = client_for("teacher")
    url = reverse("schools:my-messages-edit", args=[world.s1.school.pk])
    response = teacher.post(url, {"starts": "08:00", "ends": "17:00", "daily_digest": "1"})
    assert response.status_code == 302
    hours = AnswerHours.objects.get(user=world.users["teacher"])
    assert (hours.starts, hours.ends) == (datetime.time(8), datetime.time(17))

    parent = client_for("guardian")
    parent.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = parent.get(reverse("schools:who-does-what", args=[world.s1.school.pk]))
    assert "U krijgt antwoord op schooldagen tussen 8:00 en 17:00 uur." in page.content.decode()
    home = parent.get(reverse("parents:portal-home")).content.decode()
    assert "U krijgt antwoord op schooldagen tussen 8:00 en 17:00 uur." in home


def test_hours_in_the_wrong_order_get_a_clear_message_and_nothing_changes(world, client_for):
    teacher = client_for("teacher")
    url = reverse("schools:my-messages-edit", args=[world.s1.school.pk])
    response = teacher.post(url, {"starts": "17:00", "ends": "08:00", "daily_digest": "1"})
    assert "De begintijd moet voor de eindtijd liggen." in response.content.decode()
    response = teacher.post(url, {"starts": "08:00", "ends": "", "daily_digest": "1"})
    assert "Vul een begintijd en een eindtijd in." in response.content.decode()
    assert not AnswerHours.objects.exists()


def test_a_teacher_chooses_each_reminder_at_once(world, client_for):
    teacher = client_for("teacher")
    key = f"auth.user:{world.users['teacher'].pk}"
    assert wants_daily_digest(recipient_key=key)  # one overview a day unless chosen otherwise
    url = reverse("schools:my-messages-edit", args=[world.s1.school.pk])
    teacher.post(url, {"starts": "", "ends": "", "daily_digest": "0"})
    assert not wants_daily_digest(recipient_key=key)
    assert teacher.get(url).context["form"].initial["daily_digest"] == "0"
