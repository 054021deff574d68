"""The rules of this issue on the real models, and daylight saving (RELIABILITY D6, D7)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reminders import dispatch
from reminders.models import Reminder, Status
from reminders.quiet import QuietHours
from reminders.registry import Item, Rule

AMS = ZoneInfo("Europe/Amsterdam")
# In the first weeks of the school year, when the welcome goes out.
TUESDAY_MORNING = datetime.datetime(2026, 9, 8, 10, 0, tzinfo=AMS)
NOVEMBER = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=AMS)


def _welcomes():
    return {
        r.recipient_key: r for r in Reminder.objects.filter(rule="parents.welcome").order_by("id")
    }


def test_every_guardian_gets_one_welcome_in_their_language(world_today):
    world = world_today
    world.s2.guardian.language = "ar"
    world.s2.guardian.save()
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
        dispatch.scan()
        welcomes = _welcomes()
        assert f"parents.guardian:{world.s1.guardian.pk}" in welcomes
        blocked = world.users["blocked_guardian"].guardian
        assert f"parents.guardian:{blocked.pk}" not in welcomes  # access blocked by the school
        arabic = welcomes[f"parents.guardian:{world.s2.guardian.pk}"]
        assert arabic.language == "ar" and world.s2.school.name in arabic.body
        assert "مرحبًا" in arabic.subject
        dispatch.send_batch()
    assert (
        len(mail.outbox) == len(welcomes) + Reminder.objects.exclude(rule="parents.welcome").count()
    )
    assert Reminder.objects.filter(rule="parents.welcome", status=Status.SENT).count() == len(
        welcomes
    )


def test_a_language_without_texts_gets_dutch_and_the_row_says_so(world_today):
    world = world_today
    world.s1.guardian.language = "ti"  # Tigrinya: in the family's file, no texts of ours yet
    world.s1.guardian.save()
    world.s2.guardian.language = "uk"
    world.s2.guardian.save()
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
    welcomes = _welcomes()
    tigrinya = welcomes[f"parents.guardian:{world.s1.guardian.pk}"]
    assert tigrinya.language == "nl" and tigrinya.subject.startswith("Welkom op")
    ukrainian = welcomes[f"parents.guardian:{world.s2.guardian.pk}"]
    assert ukrainian.language == "uk" and ukrainian.subject.startswith("Ласкаво просимо")
    assert "Натисніть тут" in dispatch._with_stop_link(ukrainian, ukrainian.body)


def test_the_welcome_keeps_to_the_quiet_hours_a_parent_set(world_today):
    """A mother who works nights set 08:00-14:00 as her quiet hours in the portal: the welcome,
    due at 10:00 on a Tuesday, waits until 14:00."""
    world = world_today
    world.s1.guardian.quiet_hours_start = datetime.time(8)
    world.s1.guardian.quiet_hours_end = datetime.time(14)
    world.s1.guardian.save()
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    welcomes = _welcomes()
    hers = welcomes[f"parents.guardian:{world.s1.guardian.pk}"]
    others = welcomes[f"parents.guardian:{world.s2.guardian.pk}"]
    assert others.status == Status.SENT
    assert hers.status != Status.SENT
    assert hers.next_attempt_at.astimezone(AMS).time() >= datetime.time(14)


def test_guardian_without_email_gets_an_sms(world_today, capsys):
    """(A guardian with neither address cannot exist: the parents app's constraint; a rule that
    yields no address is stored as failed, see test_dispatch.)"""
    world = world_today
    world.s1.guardian.email = ""
    world.s1.guardian.save()
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    by_sms = _welcomes()[f"parents.guardian:{world.s1.guardian.pk}"]
    assert by_sms.channel == "sms" and by_sms.address == world.s1.guardian.phone
    assert by_sms.status == Status.SENT
    assert f"SMS to {world.s1.guardian.phone}" in capsys.readouterr().out


def test_welcome_is_cancelled_when_access_is_blocked_before_sending(world_today):
    world = world_today
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
        world.s1.pupil.guardian_links.filter(guardian=world.s1.guardian).update(
            access_blocked_reason="Besluit van de rechter"
        )
        dispatch.send_batch()
    row = _welcomes()[f"parents.guardian:{world.s1.guardian.pk}"]
    assert row.status == Status.CANCELLED and "recht op informatie" in row.last_error
    assert world.s1.guardian.email not in {m.to[0] for m in mail.outbox}


def test_welcome_goes_to_the_new_address_and_not_to_a_pupil_who_left(world_today):
    """RELIABILITY D6: the guardian changed e-mail; the pupil of S2 left the school."""
    world = world_today
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
        world.s1.guardian.email = "nieuw@example.test"
        world.s1.guardian.save()
        world.s2.pupil.left_on = TUESDAY_MORNING.date()
        world.s2.pupil.save()
        dispatch.send_batch()
    welcomes = _welcomes()
    moved = welcomes[f"parents.guardian:{world.s1.guardian.pk}"]
    assert moved.status == Status.SENT and moved.address == "nieuw@example.test"
    assert "nieuw@example.test" in {m.to[0] for m in mail.outbox}
    left = welcomes[f"parents.guardian:{world.s2.guardian.pk}"]
    assert left.status == Status.CANCELLED and "Geen kind meer" in left.last_error


def test_welcome_is_repeated_a_week_after_it_went_out(world_today):
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    with time_machine.travel(TUESDAY_MORNING + datetime.timedelta(days=6), tick=False):
        dispatch.scan()
        assert not Reminder.objects.filter(rule="parents.welcome_repeat").exists()
    with time_machine.travel(TUESDAY_MORNING + datetime.timedelta(days=7), tick=False):
        dispatch.scan()
        dispatch.scan()
    repeats = Reminder.objects.filter(rule="parents.welcome_repeat")
    assert repeats.count() == Reminder.objects.filter(rule="parents.welcome").count()


def test_teacher_gets_the_information_card_reminder_for_their_group(world_today):
    world = world_today
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        dispatch.scan()
    [card] = Reminder.objects.filter(rule="schools.information_card")
    assert card.recipient_key == f"auth.user:{world.users['teacher'].pk}"
    assert f"groep {world.s1.group.name}" in card.subject
    assert card.school_id == world.s1.school.pk


# --- Daylight saving ----------------------------------------------------------------------------


class DailyAtEight(Rule):
    """Every day at 08:00 Amsterdam time, computed in local time the way rules should."""

    name = "test.daily"
    label = "Dagelijks"

    def __init__(self, first_day, days):
        self.days = [first_day + datetime.timedelta(days=n) for n in range(days)]

    def due(self, now):
        for day in self.days:
            due_at = datetime.datetime.combine(day, datetime.time(8), tzinfo=AMS)
            if due_at <= now:
                yield Item(
                    object_ref="tests.daily:1",
                    recipient_key="tests.person:1",
                    occurrence=day.isoformat(),
                    school_id=None,
                    recipient_name="Ouder",
                    address="ouder@example.test",
                    channel="email",
                    language="nl",
                    subject=f"Dag {day}",
                    body="Goedemorgen.",
                    due_at=due_at,
                )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "saturday",
    [datetime.date(2026, 3, 28), datetime.date(2026, 10, 24)],
    ids=["spring-forward", "fall-back"],
)
def test_daily_reminder_across_a_dst_change_goes_out_once_at_the_right_local_time(rules, saturday):
    rules.register(DailyAtEight(saturday, 4))  # Saturday to Tuesday, the switch on Sunday
    start = datetime.datetime.combine(saturday, datetime.time(0), tzinfo=AMS)
    end = start + datetime.timedelta(days=4)
    moment = start.astimezone(datetime.UTC)
    quiet_violations = 0
    while moment < end:  # a beat tick every 15 minutes in UTC
        with time_machine.travel(moment, tick=False):
            dispatch.scan()
            sent = dispatch.send_batch()
            if sent and QuietHours().is_quiet(timezone.now()):
                quiet_violations += 1
        moment += datetime.timedelta(minutes=15)
    rows = Reminder.objects.order_by("occurrence")
    local_sent = [r.sent_at.astimezone(AMS).strftime("%a %H:%M") for r in rows]
    # Sunday is quiet: its reminder waits for Monday 07:30.
    assert local_sent == ["Sat 08:00", "Mon 07:30", "Mon 08:00", "Tue 08:00"]
    assert len(mail.outbox) == 4 and quiet_violations == 0


def test_no_welcome_for_a_family_that_arrives_in_november(world_today):
    with time_machine.travel(NOVEMBER, tick=False):
        dispatch.scan()
    assert not Reminder.objects.filter(rule="parents.welcome").exists()
