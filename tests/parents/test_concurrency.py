"""RELIABILITY C4: two colleagues save the same plan at the same moment; one wins, the other gets
the conflict, never a silent overwrite. Runs on PostgreSQL, where saves truly run in parallel."""

import threading

import pytest
from django.db import connection

from parents import services
from parents.models import CommunicationPlan
from tests.parents.factories import CommunicationPlanFactory

TRIALS = 100


def _save(plan_pk, by, version, notes, barrier, outcomes):
    """One colleague's save, in their own thread and database connection."""
    try:
        plan = CommunicationPlan.objects.select_related("family").get(pk=plan_pk)
        barrier.wait()
        services.save_plan(plan=plan, by=by, version=version, notes=notes)
        outcomes.append(("saved", notes))
    except services.PlanError:
        outcomes.append(("conflict", notes))
    finally:
        connection.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel connections")
def test_concurrent_saves_of_one_plan_lose_no_update(transactional_db, home):
    plan = CommunicationPlanFactory(family=home.family, school_year=home.year)
    lost = 0
    for trial in range(TRIALS):
        plan.refresh_from_db()
        version, outcomes, barrier = plan.version, [], threading.Barrier(2)
        threads = [
            threading.Thread(
                target=_save,
                args=(plan.pk, home.teacher, version, f"{trial}-{who}", barrier, outcomes),
            )
            for who in "ab"
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        plan.refresh_from_db()
        winners = [notes for outcome, notes in outcomes if outcome == "saved"]
        if len(winners) != 1 or plan.notes != winners[0] or plan.version != version + 1:
            lost += 1
    assert lost == 0, f"lost updates: {lost} / {TRIALS}"
