"""The start conversation reminders through the real scan and send (locmem mail, frozen time)."""

import datetime

import pytest
import time_machine
from django.core import mail

from conversations import services
from conversations.models import Slot
from conversations.reminder_rules import BookingTomorrowRule, InvitationRule, PupilsToPlanRule
from reminders import dispatch
from reminders.models import Reminder, Status
from tests import factories as f
from tests.conversations.conftest import Setup
from tests.conversations.factories import WINDOW_START, at

OPENS = WINDOW_START - datetime.timedelta(days=14)  # Monday 17 August 2026, booking opens


@pytest.fixture
def setup(db, rules):
    rules.register(InvitationRule())
    rules.register(BookingTomorrowRule())
    rules.register(PupilsToPlanRule())
    with time_machine.travel(at(OPENS, 8), tick=False):
        return Setup()


def run(moment):
    """One scan and one send at ``moment``; returns the mails sent by this run."""
    before = len(mail.outbox)
    with time_machine.travel(moment, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    return mail.outbox[before:]


def rows(rule):
    return list(Reminder.objects.filter(rule=rule).order_by("id"))


def book_both(setup, day=WINDOW_START, hour=8):
    slots = setup.slots(day=day, hour=hour, until=hour + 1)
    slots6 = setup.slots(staff=setup.teacher6, day=day, hour=hour, until=hour + 1)
    return services.book_slots(
        choices=[(slots[0], setup.conversation), (slots6[1], setup.sibling_conversation)],
        family=setup.family,
        by=setup.mother.user,
    )


# --- the invitation and its reminders -----------------------------------------------------------


def test_invitation_goes_once_in_the_guardians_language_then_after_3_and_7_days(setup):
    father = f.GuardianFactory(family=setup.family, language="tr", wants_reminders=False)
    f.PupilGuardianFactory(pupil=setup.child, guardian=father)
    other = f.GuardianFactory(family=setup.family, language="pl")  # no information right
    f.PupilGuardianFactory(
        pupil=setup.child, guardian=other, has_parental_authority=False, information_right="none"
    )
    single = f.GuardianFactory(language="en")  # a household with one child in the round
    pupil = f.PupilFactory(school=setup.school)
    f.EnrolmentFactory(pupil=pupil, group=setup.group)
    f.PupilGuardianFactory(pupil=pupil, guardian=single)
    with time_machine.travel(at(OPENS, 8, 10), tick=False):
        services.invite_families(round=setup.round, by=setup.ib)

    # Two children: the household may book a day early, so it hears as soon as the round opens.
    early = run(at(OPENS, 8, 30))
    assert [m.to for m in early] == [[setup.mother.email]]  # not the father, not the other one
    assert "محادثة البداية" in early[0].subject and "De Regenboog" in early[0].subject
    assert "/ouders/startgesprekken/" in early[0].body
    later = run(at(OPENS, 10))  # one child: on the booking day, at 09:00
    assert [m.to for m in later] == [[single.email]]
    assert later[0].subject.startswith("Choose a time for the start conversation")
    assert run(at(OPENS, 11)) == []  # a second scan sends nothing new

    # The next scan notes on the invitation when it went out.
    run(at(OPENS, 12))
    invitation = setup.round.invitations.get(family=setup.family)
    mother_key = f"parents.guardian:{setup.mother.pk}"
    mothers = [r for r in rows("conversations.invitation") if r.recipient_key == mother_key]
    assert invitation.sent_at == mothers[0].sent_at

    assert run(at(OPENS + datetime.timedelta(days=1), 10)) == []
    second = run(at(OPENS + datetime.timedelta(days=2), 10))  # 3 days after her first day
    assert [m.to for m in second] == [[setup.mother.email]] and "لم تختاروا" in second[0].subject
    assert [m.to for m in run(at(OPENS + datetime.timedelta(days=3), 10))] == [[single.email]]
    assert run(at(OPENS + datetime.timedelta(days=6), 10)) == []  # a Sunday: quiet
    monday = run(at(OPENS + datetime.timedelta(days=7), 10))
    assert sorted(m.to[0] for m in monday) == sorted([setup.mother.email, single.email])
    mothers = [r for r in rows("conversations.invitation") if r.recipient_key == mother_key]
    assert [r.occurrence for r in mothers] == ["open", "3-days", "7-days"]


def test_a_booking_cancels_the_reminder_that_was_waiting(setup):
    run(at(OPENS, 10))
    day3 = at(OPENS + datetime.timedelta(days=3), 10)
    with time_machine.travel(day3, tick=False):
        dispatch.scan()
        book_both(setup)
        dispatch.send_batch()
        assert dispatch.scan().created == 0  # booked: nothing is due any more
    waiting = rows("conversations.invitation")[-1]
    assert waiting.occurrence == "3-days" and waiting.status == Status.CANCELLED
    assert "geboekt" in waiting.last_error
    assert run(at(OPENS + datetime.timedelta(days=7), 10)) == []


def test_one_child_still_to_book_keeps_the_reminders_going(setup):
    run(at(OPENS, 10))
    with time_machine.travel(at(OPENS + datetime.timedelta(days=1), 10), tick=False):
        slot = setup.slots()[0]
        services.book_slot(
            slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
        )
    assert len(run(at(OPENS + datetime.timedelta(days=3), 10))) == 1


def test_blocking_access_before_sending_cancels(setup):
    with time_machine.travel(at(OPENS, 10), tick=False):
        dispatch.scan()
        setup.mother.pupil_links.update(access_blocked_reason="Besluit van de rechter")
        dispatch.send_batch()
    assert mail.outbox == []
    assert rows("conversations.invitation")[0].status == Status.CANCELLED


# --- the day before -----------------------------------------------------------------------------

TUESDAY = WINDOW_START + datetime.timedelta(days=1)  # 1 September 2026


def test_day_before_reminder_names_time_place_and_teacher(setup):
    setup.teacher.first_name, setup.teacher.last_name = "Anna", "de Vries"
    setup.teacher.save()
    with time_machine.travel(at(OPENS, 10), tick=False):
        slot = setup.slots(day=TUESDAY, hour=14, until=15)[0]
        Slot.objects.filter(pk=slot.pk).update(place="lokaal 5")
        services.book_slot(
            slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
        )
    setup.mother.language = "en"
    setup.mother.save()
    assert run(at(TUESDAY - datetime.timedelta(days=2), 10)) == []
    sent = [m for m in run(at(WINDOW_START, 10)) if "Tomorrow" in m.subject]
    assert len(sent) == 1 and sent[0].to == [setup.mother.email]
    assert "14:00" in sent[0].body and "Anna de Vries" in sent[0].body
    assert "at school (lokaal 5)" in sent[0].body and "Ilyas" in sent[0].subject
    assert [m for m in run(at(WINDOW_START, 11)) if "Tomorrow" in m.subject] == []
    assert len(rows("conversations.booking_tomorrow")) == 1


def test_a_moved_booking_cancels_the_old_reminder_and_gets_a_new_one(setup):
    with time_machine.travel(at(OPENS, 10), tick=False):
        first, later = setup.slots(day=TUESDAY, hour=14, until=15)[:2]
        booking = services.book_slot(
            slot=first, conversation=setup.conversation, family=setup.family, by=setup.mother.user
        )
    with time_machine.travel(at(WINDOW_START, 10), tick=False):
        dispatch.scan()
        services.move_booking(booking=booking, slot=later, by=setup.ib)
        dispatch.send_batch()
    old = rows("conversations.booking_tomorrow")[0]
    assert old.status == Status.CANCELLED and "verzet" in old.last_error
    sent = [m for m in run(at(WINDOW_START, 11)) if "غدًا" in m.subject]
    assert len(sent) == 1 and "14:20" in sent[0].body
    new = rows("conversations.booking_tomorrow")[1]
    assert new.status == Status.SENT and new.occurrence != old.occurrence


def test_a_cancelled_booking_cancels_the_reminder(setup):
    with time_machine.travel(at(OPENS, 10), tick=False):
        slot = setup.slots(day=TUESDAY, hour=14, until=15)[0]
        booking = services.book_slot(
            slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
        )
    with time_machine.travel(at(WINDOW_START, 10), tick=False):
        dispatch.scan()
        services.cancel_booking(booking=booking, by=setup.ib)
        dispatch.send_batch()
    assert rows("conversations.booking_tomorrow")[0].status == Status.CANCELLED


def test_the_day_before_reminder_follows_a_changed_e_mail_address(setup):
    with time_machine.travel(at(OPENS, 10), tick=False):
        slot = setup.slots(day=TUESDAY, hour=14, until=15)[0]
        services.book_slot(
            slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
        )
    with time_machine.travel(at(WINDOW_START, 10), tick=False):
        dispatch.scan()
        setup.mother.email = "nieuw.adres@example.test"
        setup.mother.save()
        dispatch.send_batch()
    (reminder,) = rows("conversations.booking_tomorrow")
    assert reminder.status == Status.SENT and reminder.address == "nieuw.adres@example.test"


# --- staff: pupils to plan ----------------------------------------------------------------------


def test_each_teacher_hears_weekly_how_many_pupils_have_no_conversation(setup):
    extra = f.PupilFactory(school=setup.school)
    f.EnrolmentFactory(pupil=extra, group=setup.group)
    with time_machine.travel(at(OPENS, 10), tick=False):
        services.invite_families(round=setup.round, by=setup.ib)
    assert [m for m in run(at(OPENS, 10)) if m.to == [setup.teacher.email]] == []  # not yet
    sent = run(at(TUESDAY, 10))
    staff = {m.to[0]: m for m in sent if "zonder startgesprek" in m.subject}
    assert set(staff) == {setup.teacher.email, setup.teacher6.email}
    assert staff[setup.teacher.email].subject.startswith("2 leerlingen")
    assert staff[setup.teacher6.email].subject.startswith("1 leerlingen")
    assert f"/startgesprekken/rondes/{setup.round.pk}/" in staff[setup.teacher.email].body
    assert [m for m in run(at(TUESDAY, 11)) if "zonder startgesprek" in m.subject] == []
    assert {r.occurrence for r in rows("conversations.to_plan")} == {"2026-W36"}


def test_planning_every_pupil_cancels_the_weekly_message(setup):
    next_monday = WINDOW_START + datetime.timedelta(days=7)
    with time_machine.travel(at(next_monday, 9), tick=False):
        dispatch.scan()
        book_both(setup, day=next_monday + datetime.timedelta(days=2))
        dispatch.send_batch()
    staff = rows("conversations.to_plan")
    assert len(staff) == 2 and {r.status for r in staff} == {Status.CANCELLED}
    assert not [m for m in mail.outbox if "zonder startgesprek" in m.subject]


# --- queries --------------------------------------------------------------------------------------


def _scan_queries(moment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, time_machine.travel(moment, tick=False):
        result = dispatch.scan(dry_run=True)
    return len(queries), result.due


def _book_tomorrow(setup, conversation, family, minute):
    from conversations.models import Booking

    slot = Slot.objects.create(
        round=setup.round,
        staff=setup.teacher,
        starts_at=at(TUESDAY, 14, minute),
        ends_at=at(TUESDAY, 14, minute + 10),
    )
    Booking.objects.create(slot=slot, conversation=conversation, family=family, booked_by=setup.ib)


def test_the_scan_runs_the_same_queries_for_one_family_or_many(setup):
    """Invitations, the day before and the staff count, all due on Monday 31 August."""
    _book_tomorrow(setup, setup.conversation, setup.family, 0)
    small = _scan_queries(at(WINDOW_START, 10))
    with time_machine.travel(at(OPENS, 9), tick=False):
        for n in range(3):
            family = f.FamilyFactory(board=setup.school.board)
            guardian = f.GuardianFactory(family=family, language=["tr", "pl", "uk"][n])
            pupil = f.PupilFactory(school=setup.school)
            f.EnrolmentFactory(pupil=pupil, group=setup.group6)
            f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
        services.invite_families(round=setup.round, by=setup.ib)
    for n, conversation in enumerate(setup.round.conversations.filter(group=setup.group6)[:2]):
        family = conversation.pupil.guardian_links.first().guardian.family
        _book_tomorrow(setup, conversation, family, 20 * (n + 1))
    large = _scan_queries(at(WINDOW_START, 10))
    assert large[1] > small[1]  # more items due ...
    assert large[0] == small[0]  # ... with the same number of queries
