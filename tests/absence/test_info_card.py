"""The information card of week one: the school publishes it once a year, every family reads it
in its language and confirms, and the dashboard counts the families who did."""

import datetime

import pytest
from django.urls import reverse

from absence import services
from absence.models import InfoCardReading
from schools.models import SchoolYear
from tests import factories as f
from tests.absence.conftest import at

pytestmark = pytest.mark.django_db

FIRST_WEEK = datetime.date(2026, 9, 1)


def test_director_publishes_families_read_in_their_language_and_the_dashboard_counts(
    place, client, travel
):
    travel(at(FIRST_WEEK, 9))
    second_family = f.GuardianFactory(language="nl", user=f.UserFactory())
    other_pupil = f.PupilFactory(school=place.school)
    f.EnrolmentFactory(pupil=other_pupil, group=place.group)
    f.PupilGuardianFactory(pupil=other_pupil, guardian=second_family)

    client.force_login(place.director)
    response = client.post(
        reverse("absence:info-card-edit", args=[place.school.pk]),
        {"welcome": "Welkom op De Linde!"},
    )
    assert response.status_code == 302

    # The mother reads it in Arabic: the protocol in her language, the school's word as written.
    client.force_login(place.guardian.user)
    client.cookies["django_language"] = "ar"
    home = client.get(reverse("parents:portal-home")).content.decode()
    card_url = reverse("absence:portal-info-card", args=[place.school.pk])
    assert card_url in home  # a next step on her home page
    page = client.get(card_url).content.decode()
    assert "سيتصل بك المعلم." in page  # the teacher calls you
    assert "Welkom op De Linde!" in page
    assert "Herfstvakantie" not in page and "17-10-2026" in page  # the holidays, translated
    client.post(card_url)
    client.post(card_url)  # twice is once
    assert InfoCardReading.objects.count() == 1
    assert card_url not in client.get(reverse("parents:portal-home")).content.decode()

    client.force_login(place.director)
    dashboard = client.get(reverse("dashboard:school-dashboard", args=[place.school.pk]))
    assert "1 van 2 gezinnen (50%)" in dashboard.content.decode()


def test_a_guardian_without_a_child_at_the_school_cannot_confirm(place):
    card = services.publish_info_card(
        school=place.school, year=SchoolYear.for_date(FIRST_WEEK), by=place.director
    )
    stranger = f.GuardianFactory()
    with pytest.raises(services.AbsenceError):
        services.confirm_info_card(card=card, guardian=stranger)
