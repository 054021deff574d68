"""The free-text "of steeds" of agreements made before the schedules became the plan's own."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("conversations", "0004_agreement_schedule")]
AFTER = [("conversations", "0006_agreement_schedule_constraints")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_state():
    """Going back to 0004 also unapplies every migration that depends on a later one (parents'
    and the new apps'): the tests after this one need them all."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_known_texts_become_schedules_and_the_rest_a_date_four_weeks_on():
    from tests import factories as f
    from tests.conversations.factories import RoundFactory

    school = f.SchoolFactory()
    year = f.SchoolYearFactory()
    user = f.UserFactory()
    round_ = RoundFactory(school=school, school_year=year, created_by=user)
    pupil = f.PupilFactory(school=school)
    group = f.GroupFactory(school=school, school_year=year)
    try:
        apps = _migrate(BEFORE)
        Conversation = apps.get_model("conversations", "StartConversation")
        Agreement = apps.get_model("conversations", "ConversationAgreement")
        conversation = Conversation.objects.create(
            round_id=round_.pk,
            pupil_id=pupil.pk,
            school_year_id=year.pk,
            group_id=group.pk,
            status="held",
            # 23:30 UTC on 1 September is already 2 September at school.
            held_at=datetime.datetime(2026, 9, 1, 23, 30, tzinfo=datetime.UTC),
            child_present=True,
        )
        rows = {
            "Elke week": (None, "weekly", None),
            "elke  maand": (None, "monthly", None),
            "na elk rapport": (None, "after_report", None),
            "begin van elke periode": (None, "term_start", None),
            "als het nodig is": (None, "once", datetime.date(2026, 9, 30)),
            "": (datetime.date(2026, 10, 5), "once", datetime.date(2026, 10, 5)),
        }
        for n, (rule, (due_on, _schedule, _on)) in enumerate(rows.items()):
            Agreement.objects.create(
                conversation=conversation,
                what=f"afspraak {n}",
                channel="phone",
                responsible_id=user.pk,
                due_on=due_on,
                rule=rule,
            )

        apps = _migrate(AFTER)
        Agreement = apps.get_model("conversations", "ConversationAgreement")
        got = list(Agreement.objects.order_by("pk").values_list("schedule", "due_on"))
        assert got == [(schedule, on) for _due, schedule, on in rows.values()]

        apps = _migrate(BEFORE)
        Agreement = apps.get_model("conversations", "ConversationAgreement")
        assert list(Agreement.objects.order_by("pk").values_list("rule", flat=True)) == [
            "elke week",
            "elke maand",
            "na elk rapport",
            "begin van elke periode",
            "",
            "",
        ]
    finally:
        _migrate(AFTER)
