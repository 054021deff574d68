"""The outbox: scan once, claim once, send once, retry what may succeed later, and never lose a row
(RELIABILITY D3, D4, D6)."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from reminders import dispatch, services
from reminders.models import OptOut, Reminder, SchoolSwitch, Status
from reminders.registry import Item, Rule, Verdict
from tests.reminders.factories import ReminderFactory

pytestmark = pytest.mark.django_db

TUESDAY_NOON = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


class ListRule(Rule):
    """A rule that yields what the test tells it, and cancels what the test says is gone."""

    name = "test.list"
    label = "Test"

    def __init__(self, items=(), gone=()):
        self.items = list(items)
        self.gone = set(gone)

    def due(self, now):
        return iter(self.items)

    def recheck(self, reminders):
        return {
            r.pk: Verdict.cancel("Al geregeld.") for r in reminders if r.object_ref in self.gone
        }


def item(n, **changes):
    values = {
        "object_ref": f"tests.thing:{n}",
        "recipient_key": f"tests.person:{n}",
        "occurrence": "1",
        "school_id": 7,
        "recipient_name": f"Ouder {n}",
        "address": f"ouder{n}@example.test",
        "channel": "email",
        "language": "nl",
        "subject": "Boek een gesprek",
        "body": "Kies een tijd.",
        "due_at": TUESDAY_NOON - datetime.timedelta(minutes=5),
        "sender_name": "Basisschool De Regenboog",
        "reply_to": "ib@example.test",
    }
    values.update(changes)
    return Item(**values)


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_scan_inserts_each_due_item_once(rules):
    rules.register(ListRule([item(n) for n in range(5)]))
    assert dispatch.scan().created == 5
    assert dispatch.scan().created == 0
    assert Reminder.objects.count() == 5


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_two_scans_racing_keep_one_row_per_item(rules):
    """The unique key, not the scan's own check, is what holds: insert the same rows twice."""
    rule = rules.register(ListRule([item(n) for n in range(3)]))
    rows = dispatch.scan(dry_run=True).rows
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    duplicates = [dispatch._row(rule, item(n), False) for n in range(3)]
    Reminder.objects.bulk_create(duplicates, ignore_conflicts=True)
    assert Reminder.objects.count() == 3


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_a_broken_rule_does_not_stop_the_others(rules):
    class Broken(ListRule):
        name = "test.broken"

        def due(self, now):
            raise RuntimeError("a bug in another app")

    rules.register(Broken())
    rules.register(ListRule([item(1)]))
    result = dispatch.scan()
    assert result.created == 1 and result.failed_rules == ["test.broken"]


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_dry_run_writes_nothing(rules):
    rules.register(ListRule([item(1)]))
    assert len(dispatch.scan(dry_run=True).rows) == 1
    assert Reminder.objects.count() == 0


def test_dry_run_rolls_back_what_a_rule_notes_while_it_looks(rules):
    """The start-conversation invitations note when they were sent while they look for what is
    due; `send_reminders --dry-run` promises to write nothing, so that is rolled back too."""
    from reminders.models import OptOut

    class NotingRule(ListRule):
        def due(self, now):
            OptOut.objects.create(recipient_key="parents.guardian:1", rule="test.note")
            return super().due(now)

    rules.register(NotingRule([item(1)]))
    assert len(dispatch.scan(dry_run=True).rows) == 1
    assert not OptOut.objects.exists() and not Reminder.objects.exists()
    dispatch.scan()
    assert OptOut.objects.count() == 1 and Reminder.objects.count() == 1


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_send_builds_the_mail_the_family_expects(rules):
    rules.register(ListRule([item(1)]))
    dispatch.scan()
    outcome = dispatch.send_batch()
    assert outcome["sent"] == 1
    [message] = mail.outbox
    row = Reminder.objects.get()
    assert row.status == Status.SENT and row.sent_at == TUESDAY_NOON and row.attempts == 1
    assert message.to == ["ouder1@example.test"]
    assert message.from_email.startswith("Basisschool De Regenboog <")
    assert message.reply_to == ["ib@example.test"]
    assert message.extra_headers["Message-ID"].startswith(f"<reminder-{row.pk}@")
    assert "/herinneringen/stoppen/" in message.body
    assert dispatch.send_batch() == {}  # nothing left: a second pass sends nothing


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_two_claims_never_share_a_row():
    ReminderFactory.create_batch(10)
    first = dispatch.claim(now=timezone.now(), limit=6)
    second = dispatch.claim(now=timezone.now(), limit=6)
    assert len(first) == 6 and len(second) == 4
    assert not {r.pk for r in first} & {r.pk for r in second}


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_rows_not_yet_due_wait():
    ReminderFactory(next_attempt_at=TUESDAY_NOON + datetime.timedelta(minutes=1))
    assert dispatch.send_batch() == {}


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_recheck_cancels_when_the_cause_is_gone(rules):
    rules.register(ListRule([item(1), item(2)], gone={"tests.thing:2"}))
    dispatch.scan()
    outcome = dispatch.send_batch()
    assert outcome == {"sent": 1, "cancelled": 1}
    gone = Reminder.objects.get(object_ref="tests.thing:2")
    assert gone.status == Status.CANCELLED and gone.last_error == "Al geregeld."
    assert [m.to for m in mail.outbox] == [["ouder1@example.test"]]


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_recheck_sends_to_a_changed_address(rules):
    class Moved(ListRule):
        def recheck(self, reminders):
            return {r.pk: Verdict.send_to("nieuw@example.test") for r in reminders}

    rules.register(Moved([item(1)]))
    dispatch.scan()
    dispatch.send_batch()
    assert mail.outbox[0].to == ["nieuw@example.test"]
    assert Reminder.objects.get().address == "nieuw@example.test"


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_a_rule_that_fails_its_recheck_sends_nothing_and_retries(rules):
    class Broken(ListRule):
        def recheck(self, reminders):
            raise RuntimeError("database of the other app is gone")

    rules.register(Broken([item(1)]))
    dispatch.scan()
    assert dispatch.send_batch() == {"retry": 1}
    assert mail.outbox == []
    assert Reminder.objects.get().status == Status.PENDING


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_opt_out_and_school_switch_hold_at_scan_and_at_send(rules):
    rules.register(ListRule([item(1), item(2), item(3)]))
    OptOut.objects.create(recipient_key="tests.person:1", rule="test.list")
    assert dispatch.scan().created == 2
    # Switched off after the scan, before the send: cancelled at send time.
    SchoolSwitch.objects.create(school_id=7, rule="test.list")
    assert dispatch.send_batch() == {"cancelled": 2}
    assert mail.outbox == []


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_stop_link_records_an_opt_out_and_cancels_what_waits(rules, client):
    rules.register(ListRule([item(1, occurrence="a"), item(1, occurrence="b")]))
    dispatch.scan()
    first = Reminder.objects.get(occurrence="a")
    Reminder.objects.filter(occurrence="b").update(next_attempt_at=TUESDAY_NOON.replace(hour=23))
    dispatch.send_batch()
    url = dispatch.stop_url(first).split("8000", 1)[-1]
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert OptOut.objects.filter(recipient_key="tests.person:1", rule="test.list").exists()
    assert Reminder.objects.get(occurrence="b").status == Status.CANCELLED
    assert client.get(url[:-5] + "xxxx/").status_code == 404


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_guardian_without_address_is_visible_as_failed(rules):
    rules.register(ListRule([item(1, address="")]))
    dispatch.scan()
    row = Reminder.objects.get()
    assert row.status == Status.FAILED and "Geen e-mailadres" in row.last_error
    assert dispatch.send_batch() == {}


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_sms_goes_through_the_sms_backend(rules, capsys):
    rules.register(ListRule([item(1, channel="sms", address="0612345678")]))
    dispatch.scan()
    assert dispatch.send_batch() == {"sent": 1}
    assert "SMS to 0612345678" in capsys.readouterr().out
    assert mail.outbox == []


# --- Quiet hours ---------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 24, 21, 30, tzinfo=datetime.UTC), tick=False)
def test_item_due_in_quiet_hours_waits_for_the_morning(rules):
    rules.register(ListRule([item(1, due_at=timezone.now())]))  # 22:30 in Amsterdam
    dispatch.scan()
    row = Reminder.objects.get()
    assert row.next_attempt_at == datetime.datetime(2026, 11, 25, 6, 30, tzinfo=datetime.UTC)
    assert dispatch.send_batch() == {}


def test_stalled_queue_never_sends_in_quiet_hours(rules):
    """A row that became due at 20:55 but is claimed at 21:10 still waits for 07:30."""
    rules.register(ListRule())
    with time_machine.travel(datetime.datetime(2026, 11, 24, 20, 10, tzinfo=datetime.UTC)):
        row = ReminderFactory(next_attempt_at=timezone.now() - datetime.timedelta(minutes=15))
        assert dispatch.send_batch() == {"held": 1}
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 0
    assert row.next_attempt_at == datetime.datetime(2026, 11, 25, 6, 30, tzinfo=datetime.UTC)
    assert mail.outbox == []


# --- Faults -------------------------------------------------------------------------------------


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_sending_rows_of_a_dead_sender_are_swept_back(rules):
    rules.register(ListRule([item(1)]))
    dispatch.scan()
    dispatch.claim(now=timezone.now(), limit=10)  # the sender dies right after claiming
    assert dispatch.sweep_stale() == 0  # not stale yet
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert dispatch.sweep_stale(now=later) == 1
    with time_machine.travel(later, tick=False):
        assert dispatch.send_batch() == {"sent": 1}
    assert Reminder.objects.get().attempts == 2


class SlowServerBackend(locmem.EmailBackend):
    """A mail server that takes a minute per message, while the per-minute tick keeps sweeping:
    a batch that outlives the lease length many times over."""

    traveller = None

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        self.traveller.shift(datetime.timedelta(minutes=1))
        dispatch.sweep_stale()  # the tick, running beside the sender
        dispatch.send_batch()  # and a second sender taking whatever the sweeper gave back
        return sent


def test_a_slow_batch_renews_its_lease_and_nothing_goes_twice(rules, settings):
    rules.register(ListRule([item(n) for n in range(12)]))
    settings.EMAIL_BACKEND = "tests.reminders.test_dispatch.SlowServerBackend"
    with time_machine.travel(TUESDAY_NOON, tick=False) as traveller:
        SlowServerBackend.traveller = traveller
        dispatch.scan()
        outcome = dispatch.send_batch()  # 12 minutes of sending, a lease of 5 minutes
    assert outcome["sent"] == 12
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted({f"ouder{n}@example.test" for n in range(12)})  # none twice
    assert set(Reminder.objects.values_list("status", flat=True)) == {Status.SENT}


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_a_sender_that_lost_its_lease_records_nothing_over_the_next_claim(rules):
    rules.register(ListRule([item(1)]))
    dispatch.scan()
    [first] = dispatch.claim(now=timezone.now(), limit=10)  # and then the process hangs
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert dispatch.sweep_stale(now=later) == 1
    with time_machine.travel(later, tick=False):
        [second] = dispatch.claim(now=later, limit=10)
        outcome = Counter()
        dispatch._record_sent([first.pk], first.claim_token, outcome)  # the first one wakes up
    row = Reminder.objects.get()
    assert outcome["sent"] == 0
    assert (row.status, row.claim_token) == (Status.SENDING, second.claim_token)


def test_transient_smtp_errors_retry_with_backoff_then_deliver(rules, smtp):
    smtp.handler.transient["ouder1@example.test"] = 2
    smtp.handler.bad_addresses.add("ouder2@example.test")
    rules.register(ListRule([item(1), item(2), item(3)]))
    moment = TUESDAY_NOON
    with time_machine.travel(moment, tick=False):
        dispatch.scan()
        assert dispatch.send_batch() == {"sent": 1, "retry": 1, "failed": 1}
    bad = Reminder.objects.get(object_ref="tests.thing:2")
    assert bad.status == Status.FAILED and bad.attempts == 1 and "550" in bad.last_error
    waits = []
    for _ in range(2):
        row = Reminder.objects.get(object_ref="tests.thing:1")
        waits.append((row.next_attempt_at - moment).total_seconds())
        moment = row.next_attempt_at
        with time_machine.travel(moment, tick=False):
            dispatch.send_batch()
    row = Reminder.objects.get(object_ref="tests.thing:1")
    assert row.status == Status.SENT and row.attempts == 3
    assert 45 <= waits[0] <= 75 and 90 <= waits[1] <= 150  # doubling, with jitter
    assert sorted(smtp.handler.counts().values()) == [1, 1]


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_malformed_address_fails_at_once_and_the_rest_goes_out(rules, smtp):
    rules.register(ListRule([item(1, address="geen adres@@"), item(2)]))
    dispatch.scan()
    assert dispatch.send_batch() == {"failed": 1, "sent": 1}
    bad = Reminder.objects.get(object_ref="tests.thing:1")
    assert bad.status == Status.FAILED and bad.attempts == 1
    assert list(smtp.handler.counts().values()) == [1]


def test_server_refusing_for_an_hour_then_accepting_delivers_everything(rules, smtp, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 8
    smtp.handler.refuse_all = True
    rules.register(ListRule([item(n) for n in range(20)]))
    moment = TUESDAY_NOON
    with time_machine.travel(moment, tick=False):
        dispatch.scan()
    while moment < TUESDAY_NOON + datetime.timedelta(hours=1):
        with time_machine.travel(moment, tick=False):
            dispatch.send_batch(limit=100)
        moment += datetime.timedelta(minutes=1)
    assert Reminder.objects.filter(status=Status.PENDING).count() == 20
    assert smtp.handler.counts() == {}
    # No storm: the batch stops at the first 421 and waits, with backoff, for one next try.
    assert smtp.handler.refused <= 8
    smtp.handler.refuse_all = False
    for _ in range(8 * 60):  # at most the longest backoff later
        with time_machine.travel(moment, tick=False):
            dispatch.send_batch(limit=100)
        if not Reminder.objects.exclude(status=Status.SENT).exists():
            break
        moment += datetime.timedelta(minutes=1)
    counts = smtp.handler.counts()
    assert len(counts) == 20 and set(counts.values()) == {1}
    assert max(Reminder.objects.values_list("attempts", flat=True)) <= 8


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_connection_dropped_before_acceptance_is_retried_not_lost(rules, smtp):
    smtp.handler.drop["ouder2@example.test"] = 1
    rules.register(ListRule([item(n) for n in range(1, 5)]))
    dispatch.scan()
    # The connection is lost: the batch stops, what was not tried yet waits with the lost row.
    assert dispatch.send_batch() == {"sent": 1, "retry": 1, "postponed": 2}
    row = Reminder.objects.get(object_ref="tests.thing:2")
    with time_machine.travel(row.next_attempt_at, tick=False):
        assert dispatch.send_batch() == {"sent": 3}
    assert sorted(smtp.handler.counts().values()) == [1, 1, 1, 1]


def test_after_max_attempts_the_row_is_failed_and_visible(rules, smtp, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 3
    smtp.handler.transient["ouder1@example.test"] = 99
    rules.register(ListRule([item(1)]))
    moment = TUESDAY_NOON
    with time_machine.travel(moment, tick=False):
        dispatch.scan()
    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            dispatch.send_batch()
        moment = Reminder.objects.get().next_attempt_at
    row = Reminder.objects.get()
    assert row.status == Status.FAILED and row.attempts == 3 and "451" in row.last_error


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_mail_server_down_keeps_the_batch_for_later(rules, settings):
    from tests.reminders.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    rules.register(ListRule([item(n) for n in range(3)]))
    dispatch.scan()
    assert dispatch.send_batch() == {"retry": 1, "postponed": 2}
    assert set(Reminder.objects.values_list("status", flat=True)) == {Status.PENDING}
    # Only the row that was tried counts an attempt; the others wait with it.
    assert sorted(Reminder.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    assert len(set(Reminder.objects.values_list("next_attempt_at", flat=True))) == 1


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_resend_puts_a_failed_reminder_back(django_capture_on_commit_callbacks):
    row = ReminderFactory(status=Status.FAILED, attempts=8, last_error="SMTP 550")
    with django_capture_on_commit_callbacks() as callbacks:
        services.resend(reminder=row)
    assert len(callbacks) == 1  # one "go and look" task, after the commit
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 0
    sent = ReminderFactory(status=Status.SENT, sent_at=timezone.now())
    with pytest.raises(services.RemindersError):
        services.resend(reminder=sent)


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_tick_inside_a_rolled_back_transaction_queues_nothing(
    rules, django_capture_on_commit_callbacks
):
    """RELIABILITY D5: tasks leave only after the commit."""
    from django.db import transaction

    from reminders.tasks import tick

    rules.register(ListRule([item(n) for n in range(3)]))
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tick()
        raise RuntimeError("rolled back")
    assert callbacks == [] and Reminder.objects.count() == 0
    with django_capture_on_commit_callbacks() as callbacks:
        tick()
    assert len(callbacks) == 1 and Reminder.objects.count() == 3


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_batches_are_fanned_out_per_500_rows(settings):
    ReminderFactory.create_batch(3)
    settings.REMINDERS_BATCH_SIZE = 2
    assert dispatch.batches_due() == 2
    settings.REMINDERS_BATCH_SIZE = 500
    assert dispatch.batches_due() == 1


def test_no_task_is_scheduled_with_an_eta_or_countdown():
    """RELIABILITY D5 / pitfall 11: the outbox is the schedule, the broker never holds one."""
    import pathlib

    import reminders

    sources = pathlib.Path(reminders.__file__).parent.rglob("*.py")
    offenders = [
        str(path)
        for path in sources
        if any(word in path.read_text() for word in ("countdown=", "eta=", ".retry("))
    ]
    assert offenders == []


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_digest_collects_a_staff_members_items_in_one_mail(rules):
    from reminders.models import Preference

    Preference.objects.create(recipient_key="auth.user:5", daily_digest=True)
    rules.register(
        ListRule(
            [item(n, recipient_key="auth.user:5", address="juf@example.test") for n in range(1, 4)]
        )
    )
    dispatch.scan()
    assert dispatch.send_batch() == {}  # the digest goes out tomorrow morning
    row = Reminder.objects.first()
    assert row.next_attempt_at == datetime.datetime(2026, 11, 25, 6, 30, tzinfo=datetime.UTC)
    with time_machine.travel(row.next_attempt_at, tick=False):
        assert dispatch.send_batch() == {"sent": 3}
    [message] = mail.outbox
    assert "(3)" in message.subject and message.body.count("Kies een tijd.") == 3


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_a_tick_while_the_previous_pass_runs_skips_its_turn(rules):
    from django.core.cache import cache

    from reminders.tasks import TICK_LOCK, tick

    rules.register(ListRule([item(1)]))
    cache.add(TICK_LOCK, "the pass that is still running", timeout=600)
    try:
        assert tick() is False
        assert not Reminder.objects.exists()
    finally:
        cache.delete(TICK_LOCK)
    assert tick() is True
    assert Reminder.objects.count() == 1
    assert cache.get(TICK_LOCK) is None  # released for the next minute


def test_healthz_names_mail_during_an_outage_and_is_fine_after(rules, smtp, client):
    smtp.handler.refuse_all = True
    rules.register(ListRule([item(n) for n in range(3)]))
    with time_machine.travel(TUESDAY_NOON, tick=False):
        dispatch.scan()
        dispatch.send_batch()
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["mail"].startswith("error: SMTP 421")
    smtp.handler.refuse_all = False
    later = Reminder.objects.order_by("next_attempt_at").first().next_attempt_at
    with time_machine.travel(later, tick=False):
        assert dispatch.send_batch() == {"sent": 3}
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["mail"] == "ok"


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_healthz_answers_503_for_rows_stuck_beyond_their_lease(rules, client):
    rules.register(ListRule([item(1)]))
    dispatch.scan()
    dispatch.claim(now=timezone.now(), limit=10)  # and the worker dies; no tick sweeps
    assert client.get("/healthz").status_code == 200  # the lease still runs
    with time_machine.travel(TUESDAY_NOON + datetime.timedelta(minutes=7), tick=False):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["reminders"] == "stuck"
        assert response.json()["reminders_stuck"] == 1
        dispatch.sweep_stale()
        assert client.get("/healthz").json()["reminders_stuck"] == 0
