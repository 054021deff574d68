"""The demo step builds De Regenboog's partnership year and can run twice."""

import datetime

import pytest
import time_machine

from partnership.demo import DEMO_STEPS
from partnership.models import (
    Activity,
    Attendance,
    BuddyPair,
    Evaluation,
    PartnershipPlan,
    SelfAssessment,
    TopicSuggestion,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_demo_step_seeds_the_partnership_year_once():
    for _ in range(2):
        for step in DEMO_STEPS:
            step()
    coffee = Activity.objects.filter(kind="coffee_morning")
    # Five Tuesdays back, one of them in the autumn holiday: four held.
    assert (
        coffee.filter(ends_at__lt=datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC)).count() == 4
    )
    assert coffee.filter(
        starts_at__gt=datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC)
    ).exists()
    assert all(a.interpreter_languages == ["ar", "tr"] for a in coffee)
    assert Attendance.objects.filter(invitation__activity__kind="coffee_morning").count() >= 4 * 6
    assert Activity.objects.filter(kind="new_year_reception").count() == 8  # one per group
    assert Activity.objects.filter(kind="information_evening", evening_option=True).count() == 1
    assert TopicSuggestion.objects.filter(suggested_by__email="ouder@demo.test").count() == 2
    assert BuddyPair.objects.count() == 2
    assert Evaluation.objects.count() == 2
    assert SelfAssessment.objects.count() == 4
    assert PartnershipPlan.objects.filter(closed_on__isnull=False).count() == 1


@time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_every_partnership_page_opens_on_the_demo(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    for step in DEMO_STEPS:
        step()
    users = get_user_model().objects
    coffee = Activity.objects.filter(kind="coffee_morning").order_by("starts_at")
    school = coffee[0].school
    topic = TopicSuggestion.objects.filter(school=school).first()
    client.force_login(users.get(email="oudercoordinator@demo.test"))
    pages = [
        ("partnership:activity-list", [school.pk]),
        ("partnership:activity-create", [school.pk]),
        ("partnership:activity-detail", [coffee[0].pk]),
        ("partnership:activity-move", [coffee[0].pk]),
        ("partnership:door-list", [coffee[0].pk]),
        ("partnership:topic-list", [school.pk]),
        ("partnership:topic-edit", [topic.pk]),
        ("partnership:plan-detail", [school.pk]),
        ("partnership:plan-edit", [school.pk]),
        ("partnership:area-edit", [school.pk, "informal"]),
        ("partnership:evaluation-list", [school.pk]),
        ("partnership:evaluation-create", [school.pk]),
        ("partnership:self-assessment-edit", [school.pk, "ob30"]),
        ("partnership:buddy-list", [school.pk]),
    ]
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    client.force_login(users.get(email="ouder@demo.test"))
    page = client.get(reverse("partnership:invitation-list")).content.decode()
    assert "Koffieochtend" in page
    # Samira's topic that names another parent stays with the school.
    assert "parkeert" not in page
