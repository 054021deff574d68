"""The messages parents wrote before conversations existed each open one, and going back loses
none of them."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from messaging.models import Thread
from parents.models import GuardianMessage
from tests.portal.factories import GuardianMessageFactory

BEFORE = [("messaging", "0002_threads_and_messages_from_school")]
AFTER = [("messaging", "0003_threads_for_earlier_messages")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)


@pytest.fixture
def back_to_the_latest_state():
    """Going back to 0002 also unapplies the migrations that merely follow it in the graph (the
    translations, the guardians' daily messages): the tests after this one need them all."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_earlier_messages_open_conversations_reversibly(world, back_to_the_latest_state):
    s1 = world.s1
    handled_at = timezone.now() - datetime.timedelta(days=1)
    open_one = GuardianMessageFactory(guardian=s1.guardian, pupil=s1.pupil)
    handled = GuardianMessageFactory(
        guardian=s1.guardian,
        pupil=s1.pupil,
        kind="file_information",
        handled_at=handled_at,
        handled_by=world.users["teacher"],
    )
    migrate(BEFORE)
    assert GuardianMessage.objects.count() == 2
    migrate(AFTER)
    threads = {t.opening_id: t for t in Thread.objects.all()}
    assert set(threads) == {open_one.pk, handled.pk}
    assert threads[open_one.pk].answered_at is None
    assert threads[handled.pk].answered_at == handled_at
    assert threads[open_one.pk].responsible == world.users["teacher"]
    assert threads[open_one.pk].answer_by > timezone.localdate(open_one.created_at)

    migrate(BEFORE)
    assert not Thread.objects.exists()
    assert GuardianMessage.objects.count() == 2  # nothing the parents wrote is lost
    migrate(AFTER)
    assert Thread.objects.count() == 2
