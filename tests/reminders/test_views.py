"""The school's reminder page: what went out, what waits, what failed and why, with a resend
button; and /healthz telling when the queue stopped moving (RELIABILITY D7)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reminders.models import Reminder, SchoolSwitch, Status
from tests.reminders.factories import ReminderFactory

NOON = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


def _rows(school, n):
    ReminderFactory.create_batch(n, school_id=school.pk, status=Status.SENT, sent_at=NOON)
    ReminderFactory.create_batch(
        n, school_id=school.pk, status=Status.FAILED, last_error="SMTP 550"
    )


@pytest.mark.parametrize("n", [2, 20])
def test_outbox_page_query_count_does_not_grow(world, client_for, django_assert_num_queries, n):
    _rows(world.s1.school, n)
    client = client_for("director")
    url = reverse("reminders:outbox-list", kwargs={"school_id": world.s1.school.pk})
    # user with memberships (with the guardian check), schools overseen, counts, rows,
    # switches, failed per kind and per day, and two for the age of the oldest due row: the
    # same at both sizes
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("SMTP 550") == n


def test_outbox_page_shows_failures_and_resend_puts_them_back(world, client_for):
    row = ReminderFactory(school_id=world.s1.school.pk, status=Status.FAILED, last_error="SMTP 550")
    ReminderFactory(school_id=world.s3.school.pk, recipient_name=world.s3.guardian.first_name)
    client = client_for("intern_begeleider")
    url = reverse("reminders:outbox-list", kwargs={"school_id": world.s1.school.pk})
    page = client.get(url + "?status=failed").content.decode()
    assert "SMTP 550" in page and "Opnieuw versturen" in page
    assert "staat stil" not in page
    assert world.s3.guardian.first_name not in page
    assert "Uitzetten" not in page  # only the director switches kinds of reminders
    response = client.post(
        reverse("reminders:reminder-resend", kwargs={"school_id": world.s1.school.pk, "pk": row.pk})
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 0


def test_director_switches_a_kind_off_and_on(world, client_for):
    client = client_for("director")
    waiting = ReminderFactory(school_id=world.s1.school.pk, rule="parents.welcome")
    url = reverse(
        "reminders:rule-switch", kwargs={"school_id": world.s1.school.pk, "rule": "parents.welcome"}
    )
    client.post(url, {"on": "0"})
    assert SchoolSwitch.objects.filter(
        school_id=world.s1.school.pk, rule="parents.welcome"
    ).exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED
    client.post(url, {"on": "1"})
    assert not SchoolSwitch.objects.exists()


@pytest.mark.django_db
def test_healthz_shows_a_stalled_queue_within_ten_minutes(client):
    with time_machine.travel(NOON, tick=False):
        ReminderFactory(next_attempt_at=timezone.now())
        assert client.get("/healthz").json()["reminders"] == "ok"
    with time_machine.travel(NOON + datetime.timedelta(minutes=6), tick=False):
        body = client.get("/healthz").json()
    assert body["reminders"] == "stalled" and body["reminders_oldest_due_seconds"] == 360
    Reminder.objects.update(status=Status.SENT, sent_at=NOON)
    with time_machine.travel(NOON + datetime.timedelta(minutes=7), tick=False):
        assert client.get("/healthz").json()["reminders"] == "ok"


def test_school_page_links_to_reminders_only_for_those_who_may_open_them(world, client_for):
    url = reverse("schools:school-detail", kwargs={"pk": world.s1.school.pk})
    reminders_url = reverse("reminders:outbox-list", kwargs={"school_id": world.s1.school.pk})
    assert reminders_url in client_for("director").get(url).content.decode()
    assert reminders_url not in client_for("teacher").get(url).content.decode()


def test_outbox_page_names_the_kind_and_warns_when_the_queue_stalls(world, client_for):
    with time_machine.travel(NOON, tick=False):
        ReminderFactory(school_id=world.s1.school.pk, rule="parents.welcome")
    url = reverse("reminders:outbox-list", kwargs={"school_id": world.s1.school.pk})
    with time_machine.travel(NOON + datetime.timedelta(minutes=6), tick=False):
        page = client_for("director").get(url).content.decode()
    assert "Welkom aan het begin van het schooljaar" in page
    assert "Het versturen staat stil" in page


def test_failed_reminders_of_a_kind_or_a_day_go_again_at_once_each_exactly_once(
    world, client_for, rules, django_capture_on_commit_callbacks
):
    from django.core import mail

    from reminders import dispatch
    from tests.reminders.worker_rules import PassThrough

    rules.register(PassThrough())
    school = world.s1.school
    failed = ReminderFactory.create_batch(
        3,
        school_id=school.pk,
        rule="test.list",
        status=Status.FAILED,
        attempts=8,
        last_error="SMTP 421",
        due_at=NOON,
        quiet_hours="0000-0000-",
    )
    other = ReminderFactory(school_id=school.pk, rule="parents.not_reached", status=Status.FAILED)
    foreign = ReminderFactory(school_id=world.s3.school.pk, rule="test.list", status="failed")
    client = client_for("intern_begeleider")
    page = client.get(reverse("reminders:outbox-list", kwargs={"school_id": school.pk}))
    assert "Test: 3 opnieuw" in page.content.decode()
    url = reverse("reminders:failed-resend", kwargs={"school_id": school.pk})
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url, {"rule": "test.list"}, follow=True)
        second = client.post(url, {"rule": "test.list"}, follow=True)  # a double click
    assert "3 herinneringen gaan opnieuw de deur uit." in first.content.decode()
    assert "Er was niets meer opnieuw te versturen." in second.content.decode()
    assert {r.status for r in Reminder.objects.filter(pk__in=[r.pk for r in failed])} == {
        Status.PENDING
    }
    other.refresh_from_db()
    foreign.refresh_from_db()
    assert other.status == foreign.status == Status.FAILED
    dispatch.send_batch()
    dispatch.send_batch()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.address for r in failed)


def test_resending_a_day_that_does_not_exist_says_so(world, client_for):
    url = reverse("reminders:failed-resend", kwargs={"school_id": world.s1.school.pk})
    page = client_for("director").post(url, {"day": "2026-02-31"}, follow=True)
    assert "Deze dag bestaat niet." in page.content.decode()
    page = client_for("director").post(url, {}, follow=True)
    assert "Kies een soort herinnering of een dag." in page.content.decode()
