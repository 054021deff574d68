"""RELIABILITY D1/D3 with the real things: a Celery worker process on Redis, PostgreSQL, and an
SMTP server on loopback. 1,000 due reminders; the worker is killed (SIGKILL) in the middle of a
batch and started again; several dispatchers run at once. Reported: delivered / lost / duplicated.

Skipped without Redis and PostgreSQL (CI sets both)."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from reminders import dispatch
from reminders.models import Reminder, Status
from reminders.quiet import QuietHours
from tests.reminders.factories import ReminderFactory
from tests.reminders.smtp import SmtpServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DUE = 1000


@pytest.fixture(autouse=True)
def _needs_redis_and_postgres():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: the worker tests run a real Celery worker on Redis")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): a worker process cannot share SQLite memory")


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


class Worker:
    def __init__(self, smtp_port, queue, concurrency, env=None):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.env.update(env or {})
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "partnership",
            "worker",
            "-I",
            "tests.reminders.worker_rules",
            "-Q",
            # Its own queue, and the default one that tick fans its send tasks out to.
            f"{queue},celery",
            "-c",
            str(concurrency),
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ]
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL
        )

    def kill(self):
        """SIGKILL to the worker and its pool children: no goodbye, no ack, no cleanup."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_factory(smtp):
    from partnership.celery import app

    queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
    started = []

    def start(concurrency=2, env=None):
        worker = Worker(smtp.port, queue, concurrency, env)
        worker.start()
        started.append(worker)
        return worker

    def send(task, times=1):
        for _ in range(times):
            task.apply_async(queue=queue)

    start.send = send
    yield start
    for worker in started:
        worker.stop()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)


# The worker runs in real time (a separate process: time cannot be frozen there), so these rows
# carry no quiet hours; otherwise the test would hold every message after 21:00 and on Sundays.
NEVER_QUIET = QuietHours(datetime.time(0, 0), datetime.time(0, 0), sunday=False).encode()


def _due_rows(n):
    now = timezone.now()
    Reminder.objects.bulk_create(
        ReminderFactory.build(due_at=now, next_attempt_at=now, quiet_hours=NEVER_QUIET)
        for _ in range(n)
    )


def _wait_until(condition, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)  # polling another process's progress, not waiting for a guess
    return False


def _left():
    return Reminder.objects.exclude(status=Status.SENT).count()


def _report(label, smtp, kills=0, window=0):
    counts = smtp.handler.counts()
    delivered = len(counts)
    duplicated = sum(count - 1 for count in counts.values())
    lost = DUE - delivered
    line = (
        f"{label}: {DUE} due; kills {kills}; delivered {delivered}; lost {lost}; "
        f"duplicated {duplicated} (rows in flight at the kill: {window})"
    )
    print(line)
    return delivered, lost, duplicated


def test_worker_killed_mid_batch_loses_nothing(worker_factory, smtp, settings):
    from reminders.tasks import send_due

    _due_rows(DUE)
    smtp.handler.delay = 0.003  # a slow mail server, so each kill lands inside a batch
    short_lease = {"REMINDERS_STALE_AFTER": "1"}  # so the dead worker's leases soon expire
    in_flight = []
    for target in (200, 450, 700):
        worker = worker_factory(env=short_lease)
        worker_factory.send(send_due, dispatch.batches_due())
        assert _wait_until(lambda t=target: DUE - _left() >= t)
        worker.kill()
        in_flight.append(Reminder.objects.filter(status=Status.SENDING).count())
        assert _left() > 0, "the kill came too late to test anything"
        # What the per-minute tick does once the dead worker's leases expired: rows back.
        assert _wait_until(
            lambda: (
                dispatch.sweep_stale() >= 0
                and not Reminder.objects.filter(status=Status.SENDING).exists()
            )
        )
    worker_factory(env=short_lease)
    worker_factory.send(send_due, dispatch.batches_due())
    assert _wait_until(lambda: _left() == 0), f"{_left()} reminders never went out"

    delivered, lost, duplicated = _report(
        "D1 worker killed", smtp, kills=len(in_flight), window=sum(in_flight)
    )
    assert delivered == DUE and lost == 0
    # Only messages accepted by the mail server but not yet recorded can go twice: at most one
    # unflushed group per pool process per kill.
    assert duplicated <= dispatch.option("FLUSH_EVERY", 25) * 2 * len(in_flight)
    assert not Reminder.objects.filter(status=Status.SENDING).exists()


def test_two_beat_ticks_and_many_dispatchers_send_each_reminder_once(worker_factory, smtp):
    from reminders.tasks import send_due, tick

    _due_rows(DUE)
    worker_factory(concurrency=4)
    worker_factory.send(tick, 2)  # two beats ticking at once, each fanning out two batches
    worker_factory.send(send_due, 6)  # and more send tasks than there are batches
    assert _wait_until(lambda: _left() == 0), f"{_left()} reminders never went out"
    delivered, lost, duplicated = _report("D3 two beats", smtp)
    assert (delivered, lost, duplicated) == (DUE, 0, 0)


def _kill_broker_connections():
    """CLIENT KILL every connection on our Redis database (the worker's and ours): what a Redis
    restart or a network reset does to the worker. Other databases are left alone."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    db = client.connection_pool.connection_kwargs.get("db", 0)
    me = client.client_id()
    killed = 0
    for info in client.client_list():
        if int(info.get("db", -1)) == db and int(info["id"]) != me:
            killed += client.client_kill_filter(_id=info["id"])
    client.close()
    return killed


def test_worker_resumes_after_its_broker_connections_are_reset(worker_factory, smtp, settings):
    """RELIABILITY D2 (the CLIENT KILL variant): the worker reconnects by itself, and what the
    broker lost is found again by the sweeper and the next tick."""
    from reminders.tasks import send_due

    _due_rows(DUE)
    smtp.handler.delay = 0.003
    # What the next ticks do: expired leases back, one task per batch still due. (A batch takes
    # about two seconds here; the lease is renewed while it is sent.)
    worker = worker_factory(env={"REMINDERS_STALE_AFTER": "10"})
    worker_factory.send(send_due, dispatch.batches_due())
    assert _wait_until(lambda: Reminder.objects.filter(status=Status.SENT).count() >= 200)
    assert _kill_broker_connections() > 0

    def progressed():
        dispatch.sweep_stale()
        if _left() and not Reminder.objects.filter(status=Status.SENDING).exists():
            worker_factory.send(send_due, dispatch.batches_due())
        return _left() == 0

    assert _wait_until(progressed, timeout=60), f"{_left()} reminders never went out"
    assert worker.process.poll() is None  # the same worker, never restarted by hand
    delivered, lost, duplicated = _report("D2 broker connections reset", smtp)
    assert delivered == DUE and lost == 0 and duplicated == 0


def test_a_slow_mail_server_sends_nothing_twice(worker_factory, smtp, settings):
    """Each batch takes longer than its lease while the sweeper runs all the time: the sender
    renews its lease, the sweeper leaves live batches alone, and nothing goes out twice."""
    from reminders.tasks import send_due

    due = 300
    _due_rows(due)
    smtp.handler.delay = 0.05  # 100 messages a batch: five seconds against a lease of three
    lease = {"REMINDERS_STALE_AFTER": "3", "REMINDERS_BATCH_SIZE": "100"}
    settings.REMINDERS_STALE_AFTER = 3
    settings.REMINDERS_BATCH_SIZE = 100
    worker_factory(env=lease)
    worker_factory.send(send_due, dispatch.batches_due())

    def progressed():
        # The tick, as often as it likes: expired leases back, a task for what is due again.
        if dispatch.sweep_stale():
            worker_factory.send(send_due, dispatch.batches_due())
        return _left() == 0

    assert _wait_until(progressed, timeout=120), f"{_left()} reminders never went out"
    counts = smtp.handler.counts()
    duplicated = sum(count - 1 for count in counts.values())
    print(f"slow SMTP: {due} due; delivered {len(counts)}; duplicated {duplicated}")
    assert (len(counts), duplicated) == (due, 0)


def test_a_mail_outage_through_the_worker_makes_no_storm_and_loses_nothing(
    worker_factory, smtp, settings
):
    """The server answers 421 to everything for a while: each batch stops at its first refusal
    and waits, and once the server accepts again every reminder goes out once."""
    from reminders.tasks import send_due

    due = 200
    _due_rows(due)
    smtp.handler.refuse_all = True
    # Backoff in seconds instead of minutes, so the outage and the recovery fit in a test.
    worker_factory(env={"REMINDERS_RETRY_BASE": "1", "REMINDERS_RETRY_MAX": "2"})

    def tick():
        # What beat does each minute, here as soon as the last batch is done: due rows, a task.
        if not Reminder.objects.filter(status=Status.SENDING).exists():
            worker_factory.send(send_due, dispatch.batches_due())

    assert _wait_until(lambda: tick() or smtp.handler.refused >= 3, timeout=60)
    assert Reminder.objects.filter(status=Status.SENT).count() == 0
    smtp.handler.refuse_all = False
    assert _wait_until(lambda: tick() or _left() == 0, timeout=90), "not all went out"
    counts = smtp.handler.counts()
    print(
        f"421 outage: {due} due; refused attempts {smtp.handler.refused}; "
        f"delivered {len(counts)}; duplicated {sum(c - 1 for c in counts.values())}"
    )
    assert len(counts) == due and set(counts.values()) == {1}
    # Without stopping, every row of every batch would be refused on every try.
    assert smtp.handler.refused < due


def _terminate_worker_database_connections():
    """What a database restart does to the worker: every other session on our database ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_lost_database_connection_mid_batch_loses_nothing(worker_factory, smtp, settings):
    from reminders.tasks import send_due

    _due_rows(DUE)
    smtp.handler.delay = 0.003
    worker_factory(env={"REMINDERS_STALE_AFTER": "2"})
    worker_factory.send(send_due, dispatch.batches_due())
    assert _wait_until(lambda: Reminder.objects.filter(status=Status.SENT).count() >= 200)
    assert _terminate_worker_database_connections() > 0

    def progressed():
        # The tick: expired leases back, a task for whatever is due again.
        dispatch.sweep_stale()
        if not Reminder.objects.filter(status=Status.SENDING).exists():
            worker_factory.send(send_due, dispatch.batches_due())
        return _left() == 0

    assert _wait_until(progressed, timeout=90), f"{_left()} reminders never went out"
    delivered, lost, duplicated = _report("database connections terminated", smtp)
    assert delivered == DUE and lost == 0


def test_a_real_beat_ticks_and_the_worker_sends_everything_due_once(smtp, settings, tmp_path):
    """The production path with nothing sent by hand: beat puts the tick on its own queue, a
    worker consuming both queues scans, fans out the send tasks and delivers each row once."""
    from partnership.celery import app

    _due_rows(DUE)
    worker = Worker(smtp.port, settings.REMINDERS_TICK_QUEUE, concurrency=2)
    beat = Worker(smtp.port, settings.REMINDERS_TICK_QUEUE, concurrency=1)
    beat.env["REMINDERS_TICK_SECONDS"] = "1"  # a tick a second instead of a minute
    beat.args = [sys.executable, "-m", "celery", "-A", "partnership", "beat"]
    beat.args += ["-s", str(tmp_path / "schedule"), "--loglevel=WARNING"]
    try:
        worker.start()
        beat.start()
        assert _wait_until(lambda: _left() == 0, timeout=90), f"{_left()} never went out"
    finally:
        beat.stop()
        worker.stop()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(settings.REMINDERS_TICK_QUEUE)
    delivered, lost, duplicated = _report("beat and worker", smtp)
    assert (delivered, lost, duplicated) == (DUE, 0, 0)
