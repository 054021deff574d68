"""Conversations and messages from school, through their services and the real outbox (frozen
time, locmem mail). Monday 7 December 2026; the Christmas holiday (region midden) runs from
19 December to 3 January."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from messaging import queries, services
from messaging.models import Announcement, Post, PostKind, Recipient, SchoolMessaging, Thread
from parents import portal_services
from parents.models import ContactLog, Tone
from parents.queries import families_without_positive_contact
from reminders import dispatch
from reminders.models import Reminder, Status
from tests import factories as f
from tests.parents.factories import CommunicationPlanFactory

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def at(day, hour=10, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMS)


MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture
def frozen():
    with time_machine.travel(at(MONDAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def s1(world):
    return world.s1


def to(guardian):
    """The mails of messaging sent to this guardian alone (the staff rules of the scan send
    their own, and a new family is also asked about photos: tests/parents/test_consent.py)."""
    from reminders.models import Reminder

    ours = set(
        Reminder.objects.filter(rule__startswith="messaging.").values_list("subject", flat=True)
    )
    return [m for m in mail.outbox if m.to == [guardian.email] and m.subject in ours]


def write(s1, text="Kunt u mij bellen over de verjaardag?", kind="call_request"):
    return portal_services.send_guardian_message(
        guardian=s1.guardian, pupil=s1.pupil, kind=kind, text=text
    )


def test_a_message_opens_a_thread_answered_by_the_group_teacher_in_two_school_days(
    s1, world, frozen
):
    thread = write(s1).thread
    assert thread.responsible == world.users["teacher"]
    assert thread.group == s1.group
    assert thread.answer_by == datetime.date(2026, 12, 9)  # Wednesday


def test_the_plan_contact_person_answers_before_the_teacher(s1, world, frozen):
    CommunicationPlanFactory(family=s1.family, contact_person=world.users["intern_begeleider"])
    assert write(s1).thread.responsible == world.users["intern_begeleider"]


@pytest.mark.parametrize(
    ("arrived", "answer_by", "term"),
    [
        (datetime.date(2026, 12, 11), datetime.date(2026, 12, 15), 2),  # Friday → Tuesday
        (datetime.date(2026, 12, 18), datetime.date(2027, 1, 5), 2),  # over the Christmas holiday
        (datetime.date(2026, 12, 7), datetime.date(2026, 12, 8), 1),  # the school's own term
    ],
)
def test_the_answer_term_counts_school_days_of_the_schools_calendar(s1, arrived, answer_by, term):
    SchoolMessaging.objects.create(school=s1.school, answer_term_days=term)
    with time_machine.travel(at(arrived), tick=False):
        assert write(s1).thread.answer_by == answer_by


def test_the_acknowledgement_is_in_the_parents_language_and_goes_out_on_their_channel(
    s1, world, frozen
):
    s1.guardian.language = "tr"
    s1.guardian.save()
    thread = write(s1).thread
    teacher = world.users["teacher"]
    (ack,) = thread.posts.all()
    assert ack.kind == PostKind.ACKNOWLEDGEMENT
    assert teacher.get_full_name() in ack.text and "9 Aralık" in ack.text
    assert "Mesajınız için teşekkür ederiz" in ack.text

    dispatch.scan()
    dispatch.send_batch()
    (sent,) = to(s1.guardian)
    assert ack.text in sent.body
    assert f"/ouders/berichten/gesprekken/{thread.pk}/" in sent.body


def test_an_information_request_opens_no_thread(s1, world, frozen):
    s1.guardian.pupil_links.update(information_right="on_request", has_parental_authority=False)
    portal_services.request_information(guardian=s1.guardian)
    assert not Thread.objects.exists()


def test_a_staff_answer_counts_once_and_is_logged_as_a_contact(s1, world, frozen):
    thread = write(s1).thread
    teacher = world.users["teacher"]
    services.answer_thread(thread=thread, by=teacher, text="Ik bel u morgen om 17 uur.")
    services.answer_thread(thread=thread, by=teacher, text="Of liever donderdag?")
    thread.refresh_from_db()
    assert thread.answered_at == at(MONDAY)
    (log,) = ContactLog.objects.filter(family=s1.family)
    assert (log.channel, log.tone, log.by, log.pupil) == ("message", "neutral", teacher, s1.pupil)

    dispatch.scan()
    dispatch.send_batch()
    answers = [m for m in mail.outbox if "beantwoord" in m.body]
    assert len(answers) == 2
    assert teacher.get_full_name() in answers[0].body


def test_staff_of_another_school_cannot_answer(s1, world, frozen):
    thread = write(s1).thread
    with pytest.raises(services.MessagingError):
        services.answer_thread(thread=thread, by=world.s3.director, text="Hallo")
    with pytest.raises(services.MessagingError, match="Schrijf een bericht"):
        services.answer_thread(thread=thread, by=world.users["teacher"], text="   ")
    assert not Post.objects.filter(kind=PostKind.STAFF).exists()


def test_the_parent_answers_in_their_own_thread_only(s1, world, frozen):
    thread = write(s1).thread
    services.reply_as_guardian(thread=thread, guardian=s1.guardian, text="Donderdag is goed.")
    other = f.GuardianFactory(family=s1.family)
    with pytest.raises(services.MessagingError):
        services.reply_as_guardian(thread=thread, guardian=other, text="Ik ook")
    assert list(thread.posts.values_list("kind", flat=True)) == ["ack", "guardian"]


def test_an_unanswered_message_signals_the_responsible_and_the_ib_after_the_term(s1, world, frozen):
    thread = write(s1).thread
    mail.outbox.clear()
    with time_machine.travel(at(datetime.date(2026, 12, 9), 16), tick=False):
        assert not [i for i in dispatch.scan().rows if i.rule == "messaging.unanswered"]
    with time_machine.travel(at(datetime.date(2026, 12, 10), 8, 5), tick=False):
        rows = [r for r in dispatch.scan().rows if r.rule == "messaging.unanswered"]
        assert {r.recipient_key for r in rows} == {
            f"auth.user:{world.users['teacher'].pk}",
            f"auth.user:{world.users['intern_begeleider'].pk}",
        }
        services.answer_thread(thread=thread, by=world.users["teacher"], text="Sorry, ik bel.")
        dispatch.send_batch()
    cancelled = Reminder.objects.filter(rule="messaging.unanswered")
    assert set(cancelled.values_list("status", flat=True)) == {Status.CANCELLED}


def test_marking_handled_is_the_first_response(s1, world, frozen):
    thread = write(s1, kind="file_information", text="Hij draagt nu een bril.").thread
    assert services.close_thread(thread=thread, by=world.users["teacher"])
    thread.refresh_from_db()
    assert thread.answered_at is not None and thread.opening.handled_by == world.users["teacher"]


def test_response_times_per_group_and_per_school(s1, world, frozen):
    on_time = write(s1).thread
    with time_machine.travel(at(MONDAY, 14), tick=False):
        services.answer_thread(thread=on_time, by=world.users["teacher"], text="Prima.")
    late = write(s1, text="Nog een vraag").thread
    year = s1.group.school_year
    with time_machine.travel(at(datetime.date(2026, 12, 14)), tick=False):
        figures = queries.response_times_by_group(s1.school, year)
        board = dict(queries.response_times_by_school(world.b1, year, [s1.school]))
    ((name, row),) = figures["rows"]
    assert name == "5"
    assert (row.messages, row.within_term, row.open_overdue, row.median_hours) == (2, 1, 1, 4.0)
    assert row.within_share == 50
    assert board[s1.school].within_share == 50
    assert late.answered_at is None


# --- messages from school ------------------------------------------------------------------------


def test_a_message_to_a_group_reaches_each_guardian_separately(s1, world, frozen):
    second = f.GuardianFactory(family=f.FamilyFactory(board=world.b1), language="ar")
    f.PupilGuardianFactory(pupil=s1.pupil, guardian=second)
    announcement = services.send_announcement(
        school=s1.school,
        by=world.users["teacher"],
        audience="groups",
        groups=[s1.group],
        subject="Studiedag vrijdag",
        body="Vrijdag zijn alle kinderen vrij.",
    )
    # The blocked guardian of the world gets nothing.
    assert set(announcement.recipients.values_list("guardian", flat=True)) == {
        s1.guardian.pk,
        second.pk,
    }
    dispatch.scan()
    dispatch.send_batch()
    (first,), (arabic,) = to(s1.guardian), to(second)
    assert not first.cc and not arabic.cc
    assert "Vrijdag zijn alle kinderen vrij." in arabic.body
    recipient = Recipient.objects.get(guardian=second)
    assert f"/bericht/{recipient.token}/" in arabic.body


def test_a_teacher_writes_only_to_their_own_groups_and_not_to_the_school(s1, world, frozen):
    teacher = world.users["teacher"]
    with pytest.raises(services.MessagingError, match="groepen"):
        services.send_announcement(
            school=s1.school,
            by=teacher,
            audience="groups",
            groups=[s1.other_group],
            subject="x",
            body="y",
        )
    with pytest.raises(services.MessagingError, match="hele school"):
        services.send_announcement(
            school=s1.school, by=teacher, audience="school", subject="x", body="y"
        )
    assert not Announcement.objects.exists()


def test_a_planned_message_waits_and_must_lie_in_the_sending_hours(s1, world, frozen):
    director = world.users["director"]
    with pytest.raises(services.MessagingError, match="tussen 07:30 en 21:00"):
        services.send_announcement(
            school=s1.school,
            by=director,
            audience="school",
            subject="Kerstviering",
            body="Donderdag vieren we kerst.",
            send_at=at(datetime.date(2026, 12, 8), 22),
        )
    services.send_announcement(
        school=s1.school,
        by=director,
        audience="school",
        subject="Kerstviering",
        body="Donderdag vieren we kerst.",
        send_at=at(datetime.date(2026, 12, 8), 9),
    )
    assert not [r for r in dispatch.scan().rows if r.rule == "messaging.announcement"]
    with time_machine.travel(at(datetime.date(2026, 12, 8), 9, 1), tick=False):
        assert [r for r in dispatch.scan().rows if r.rule == "messaging.announcement"]


def test_good_news_clears_no_positive_contact(s1, world, frozen):
    today = MONDAY
    assert s1.family in families_without_positive_contact(s1.school, today)
    services.send_announcement(
        school=s1.school,
        by=world.users["teacher"],
        audience="family",
        family=s1.family,
        kind="good_news",
        subject="Sem las vandaag voor",
        body="Sem las vandaag voor aan de hele klas. Knap!",
    )
    assert s1.family not in families_without_positive_contact(s1.school, today)
    log = ContactLog.objects.get(family=s1.family)
    assert log.tone == Tone.POSITIVE


def test_good_news_goes_to_one_family_and_now(s1, world, frozen):
    with pytest.raises(services.MessagingError, match="één gezin"):
        services.send_announcement(
            school=s1.school,
            by=world.users["director"],
            audience="school",
            kind="good_news",
            subject="x",
            body="y",
        )


def test_delivered_and_read_per_family_and_who_to_call(s1, world, frozen):
    other_family = f.FamilyFactory(board=world.b1, name="Gezin Yılmaz")
    quiet = f.GuardianFactory(family=other_family, language="tr", phone="0611122233")
    pupil = f.PupilFactory(school=s1.school)
    f.EnrolmentFactory(pupil=pupil, group=s1.group)
    f.PupilGuardianFactory(pupil=pupil, guardian=quiet)
    announcement = services.send_announcement(
        school=s1.school,
        by=world.users["teacher"],
        audience="groups",
        groups=[s1.group],
        subject="Schoolreis",
        body="Donderdag gaan we naar het strand.",
    )
    dispatch.scan()
    dispatch.send_batch()
    services.mark_opened(recipient=Recipient.objects.get(guardian=s1.guardian))
    teacher = world.users["teacher"]
    reads = queries.announcement_reads(announcement, teacher, days=3)
    assert (reads["delivered"], reads["read"], reads["not_reached"]) == (2, 1, [])
    with time_machine.travel(at(datetime.date(2026, 12, 10), 11), tick=False):
        reads = queries.announcement_reads(announcement, teacher, days=3)
    (row,) = reads["not_reached"]
    assert row.family == other_family and row.guardians == [quiet]
    assert row.languages == ["Türkçe"]


def test_the_composer_preview_names_who_gets_dutch_and_who_needs_an_interpreter(s1, world):
    s1.guardian.language = "ar"
    s1.guardian.needs_interpreter = True
    s1.guardian.save()
    dutch = f.GuardianFactory(family=f.FamilyFactory(board=world.b1), language="nl")
    polish = f.GuardianFactory(family=f.FamilyFactory(board=world.b1), language="pl")
    for guardian in (dutch, polish):
        pupil = f.PupilFactory(school=s1.school)
        f.EnrolmentFactory(pupil=pupil, group=s1.group)
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    links = services.audience_guardians(school=s1.school, audience="groups", groups=[s1.group])
    preview = queries.language_preview(links)
    assert (preview.dutch, preview.other_language, preview.interpreter) == (
        [dutch],
        [polish],
        [s1.guardian],
    )
