"""The reminders of a pupil-led round (kindgesprekken): the same rules as for the start
conversation, in their own words (the child leads and shows the portfolio, parents come with the
child), in the parent's language, sent once, and never mixed up with the start round's."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations import pupil_led, services
from conversations.models import Round, RoundKind
from conversations.reminder_rules import BookingTomorrowRule, InvitationRule, PupilsToPlanRule
from reminders import dispatch, registry
from reminders.models import Reminder
from tests import factories as f
from tests.conversations.factories import WINDOW_START, RoundFactory, at

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2026, 11, 16)  # a Monday: parents may book the first pupil-led round
ROUND_MONDAY = datetime.date(2026, 11, 30)  # the first day of its window
ROUND_TUESDAY = ROUND_MONDAY + datetime.timedelta(days=1)
CONVERSATION_RULES = (InvitationRule, BookingTomorrowRule, PupilsToPlanRule)


@pytest.fixture(autouse=True)
def only_conversation_rules():
    """The conversation rules alone, so that every message a test sees is one of theirs."""
    saved = registry.rules()
    for name in saved:
        registry.unregister(name)
    for rule in CONVERSATION_RULES:
        registry.register(rule())
    yield
    for name in registry.rules():
        registry.unregister(name)
    for rule in saved.values():
        registry.register(rule)


def run(moment):
    """One scan and one send at ``moment``; the mails sent by this run."""
    before = len(mail.outbox)
    with time_machine.travel(moment, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    return mail.outbox[before:]


def open_first_pupil_led_round(setup) -> Round:
    """The year's first pupil-led round (30 November - 18 December), bookable from OPENS; the
    start round closed long before."""
    services.close_round(round=setup.round, by=setup.ib)
    first = pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )[0]
    with time_machine.travel(at(OPENS, 8), tick=False):
        services.open_round(round=first, by=setup.ib)
        services.invite_families(round=first, by=setup.ib)
    return first


def book(setup, round_, conversation, day, hour):
    slot = services.generate_slots(
        round=round_,
        staff=setup.teacher,
        day=day,
        start=datetime.time(hour),
        end=datetime.time(hour + 1),
        by=setup.ib,
    )[0]
    return services.book_slot(
        slot=slot, conversation=conversation, family=setup.family, by=setup.mother.user
    )


def test_parents_are_invited_to_the_kindgesprek_in_their_own_language_once(setup):
    single = f.GuardianFactory(language="tr")  # a household with one child in the round
    pupil = f.PupilFactory(school=setup.school)
    f.EnrolmentFactory(pupil=pupil, group=setup.group)
    f.PupilGuardianFactory(pupil=pupil, guardian=single)
    open_first_pupil_led_round(setup)

    sent = {m.to[0]: m for m in run(at(OPENS, 10))}

    mother = sent[setup.mother.email]  # Arabic: the child leads, come with your child
    assert "يقوده الطفل" in mother.subject and "De Regenboog" in mother.subject
    assert "تعالوا مع طفلكم" in mother.body and "ملف الإنجاز" in mother.body
    assert "محادثة البداية" not in mother.subject + mother.body
    turkish = sent[single.email]
    assert turkish.subject.startswith("Çocuğun yönettiği görüşme için bir saat seçin")
    assert (
        "çocuğunuzla birlikte gelin" in turkish.body and "/ouders/startgesprekken/" in turkish.body
    )
    assert run(at(OPENS, 11)) == []  # a second scan sends nothing again
    three_days = run(at(OPENS + datetime.timedelta(days=3), 10))
    assert sorted(m.subject for m in three_days) == [
        "Çocuğun yönettiği görüşme için henüz saat seçmediniz – De Regenboog",
        "لم تختاروا بعد موعدًا للقاء الذي يقوده الطفل – De Regenboog",
    ]


def test_the_day_before_the_kindgesprek_the_parent_hears_that_the_child_leads(setup):
    round_ = open_first_pupil_led_round(setup)
    setup.teacher.first_name, setup.teacher.last_name = "Anna", "de Vries"
    setup.teacher.save()
    setup.mother.language = "en"
    setup.mother.save()
    with time_machine.travel(at(OPENS, 10), tick=False):
        book(setup, round_, round_.conversations.get(pupil=setup.child), ROUND_TUESDAY, 14)

    tomorrow = [m for m in run(at(ROUND_MONDAY, 10)) if m.subject.startswith("Tomorrow")]

    assert [m.subject for m in tomorrow] == [
        "Tomorrow: pupil-led conversation of Ilyas – De Regenboog"
    ]
    body = tomorrow[0].body
    assert "14:00" in body and "Anna de Vries" in body
    assert "Your child leads the conversation and shows the portfolio" in body
    assert "Will you come together with your child?" in body
    assert run(at(ROUND_MONDAY, 11)) == []
    assert Reminder.objects.filter(rule="conversations.booking_tomorrow").count() == 1


def test_a_start_round_and_a_kindgesprek_round_of_the_same_child_each_send_their_own(setup):
    """Both rounds at once (a school that holds its first kindgesprekken in September): the
    household gets both invitations and both reminders, each under its own outbox key."""
    kindgesprek = RoundFactory(
        school=setup.school,
        school_year=setup.year,
        created_by=setup.ib,
        kind=RoundKind.PUPIL_LED,
        number=1,
    )
    services.invite_families(round=kindgesprek, by=setup.ib)
    opens = WINDOW_START - datetime.timedelta(days=14)

    invited = run(at(opens, 10))

    assert sorted(m.subject.split(" – ")[0] for m in invited) == sorted(
        ["اختاروا موعدًا لمحادثة البداية", "اختاروا موعدًا للقاء الذي يقوده الطفل"]
    )
    with time_machine.travel(at(opens, 11), tick=False):
        book(setup, setup.round, setup.conversation, WINDOW_START + datetime.timedelta(days=1), 14)
        book(
            setup,
            kindgesprek,
            kindgesprek.conversations.get(pupil=setup.child),
            WINDOW_START + datetime.timedelta(days=1),
            15,
        )
    tomorrow = [m.subject for m in run(at(WINDOW_START, 10)) if m.subject.startswith("غدًا")]
    assert sorted(tomorrow) == sorted(
        [
            "غدًا: محادثة البداية عن Ilyas – De Regenboog",
            "غدًا: اللقاء الذي يقوده الطفل (Ilyas) – De Regenboog",
        ]
    )
    assert run(at(WINDOW_START, 11)) == []
    keys = list(
        Reminder.objects.filter(recipient_key=f"parents.guardian:{setup.mother.pk}").values_list(
            "rule", "object_ref", "occurrence"
        )
    )
    assert len(keys) == len(set(keys))
    refs = {ref.split(":")[0] for _rule, ref, _o in keys}
    assert refs == {"conversations.invitation", "conversations.booking"}
    assert len({ref for _rule, ref, _o in keys}) == 4  # two invitations, two bookings


def test_the_teacher_hears_weekly_how_many_children_have_no_kindgesprek_yet(setup):
    round_ = open_first_pupil_led_round(setup)

    sent = [m for m in run(at(ROUND_MONDAY, 10)) if m.to == [setup.teacher.email]]

    assert [m.subject for m in sent] == ["1 leerlingen nog zonder kindgesprek – De Regenboog"]
    assert "De kindgesprekken op De Regenboog lopen tot en met 18-12-2026" in sent[0].body
    assert f"/startgesprekken/rondes/{round_.pk}/" in sent[0].body


def _scan_queries(moment):
    with CaptureQueriesContext(connection) as queries, time_machine.travel(moment, tick=False):
        result = dispatch.scan(dry_run=True)
    return len(queries), result.due


def test_the_scan_of_a_kindgesprek_round_reads_as_many_queries_for_one_family_as_for_many(setup):
    round_ = open_first_pupil_led_round(setup)
    with time_machine.travel(at(OPENS, 10), tick=False):
        book(setup, round_, round_.conversations.get(pupil=setup.child), ROUND_TUESDAY, 14)
    small = _scan_queries(at(ROUND_MONDAY, 10))
    for language in ("tr", "pl", "uk"):
        guardian = f.GuardianFactory(language=language)
        pupil = f.PupilFactory(school=setup.school)
        f.EnrolmentFactory(pupil=pupil, group=setup.group6)
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    with time_machine.travel(at(OPENS, 10), tick=False):
        services.invite_families(round=round_, by=setup.ib)

    large = _scan_queries(at(ROUND_MONDAY, 10))

    assert large[1] > small[1]  # more messages due ...
    assert large[0] == small[0]  # ... with the same number of queries


def test_a_moved_or_cancelled_kindgesprek_is_told_as_a_kindgesprek(
    setup, django_capture_on_commit_callbacks
):
    round_ = open_first_pupil_led_round(setup)
    setup.mother.language = "en"
    setup.mother.save()
    with time_machine.travel(at(OPENS, 10), tick=False):
        conversation = round_.conversations.get(pupil=setup.child)
        first, later = services.generate_slots(
            round=round_,
            staff=setup.teacher,
            day=ROUND_TUESDAY,
            start=datetime.time(14),
            end=datetime.time(15),
            by=setup.ib,
        )[:2]
        booking = services.book_slot(
            slot=first, conversation=conversation, family=setup.family, by=setup.ib
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.move_booking(booking=booking, slot=later, by=setup.ib)
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_booking(booking=booking, by=setup.ib)

    moved, cancelled = mail.outbox
    assert moved.subject == cancelled.subject == "Pupil-led conversation of Ilyas"
    assert moved.body == (
        "The pupil-led conversation of Ilyas has been moved from 01-12-2026 14:00 to "
        "01-12-2026 14:20."
    )
    assert cancelled.body.startswith("The pupil-led conversation of Ilyas on 01-12-2026 14:20")


def test_a_booked_kindgesprek_is_named_so_in_the_parents_and_the_teachers_calendar(setup):
    from django.utils import translation

    from conversations.calendar_source import booking_entries
    from parents.calendar import CalendarScope

    round_ = open_first_pupil_led_round(setup)
    setup.teacher.first_name, setup.teacher.last_name = "Anna", "de Vries"
    setup.teacher.save()
    with time_machine.travel(at(OPENS, 10), tick=False):
        book(setup, round_, round_.conversations.get(pupil=setup.child), ROUND_TUESDAY, 14)
    december = (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))

    with translation.override("ar"):
        (parents_entry,) = booking_entries(CalendarScope.of_guardian(setup.mother, *december))
    with translation.override("nl"):
        (teachers_entry,) = booking_entries(CalendarScope.of_staff(setup.teacher, *december))

    assert parents_entry.title == "اللقاء الذي يقوده الطفل (Ilyas) مع Anna de Vries"
    assert teachers_entry.title == "Kindgesprek Gezin Bouzid (Ilyas)"
