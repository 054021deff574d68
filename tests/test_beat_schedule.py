"""Beat only says "go and look"; what it says must reach a registered task, or nothing is sent."""

from django.conf import settings

from partnership.celery import app


def test_beat_ticks_the_reminders_and_the_retention_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reminders.tasks.tick", "partnership.tasks.anonymise_left_pupils"} <= scheduled
    assert scheduled <= set(app.tasks)


def test_the_reminders_tick_runs_every_minute_on_a_fixed_interval():
    tick = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "reminders.tasks.tick"
    )
    assert tick["schedule"] == 60.0


def test_the_tick_has_a_queue_of_its_own_that_every_worker_consumes():
    """Behind a backlog of send tasks the tick still runs (issue 17): it is routed to its own
    queue, a worker started without -Q consumes it, and it expires when the next one is due."""
    route = app.amqp.router.route({}, "reminders.tasks.tick")
    assert route["queue"].name == settings.REMINDERS_TICK_QUEUE
    assert app.amqp.router.route({}, "reminders.tasks.send_due")["queue"].name == "celery"
    assert {q.name for q in app.amqp.queues.values()} >= {"celery", "reminders-tick"}
    tick = settings.CELERY_BEAT_SCHEDULE["reminders-tick"]
    assert tick["options"]["expires"] == tick["schedule"]
