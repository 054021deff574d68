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
