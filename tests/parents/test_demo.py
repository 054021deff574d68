import datetime

import time_machine
from django.contrib.auth import get_user_model

from parents import queries
from parents.demo import seed_communication_plans
from parents.models import CommunicationPlan, ContactLog, ContactMoment
from partnership.demo import seed_organisation


def test_demo_plans_give_work_this_week_and_running_twice_adds_nothing(db):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9), tick=False):
        seed_organisation()
        seed_communication_plans()
        counts = (
            CommunicationPlan.objects.count(),
            ContactMoment.objects.count(),
            ContactLog.objects.count(),
        )
        seed_communication_plans()
        teacher = get_user_model().objects.get(email="leerkracht@demo.test")
        week = list(queries.this_week(teacher, datetime.date(2026, 11, 24)))
    assert counts == (
        CommunicationPlan.objects.count(),
        ContactMoment.objects.count(),
        ContactLog.objects.count(),
    )
    assert counts[0] >= 20
    assert {m.due_on < datetime.date(2026, 11, 24) for m in week} == {True, False}
    assert set(ContactLog.objects.values_list("tone", flat=True)) == {
        "positive",
        "neutral",
        "concern",
    }
