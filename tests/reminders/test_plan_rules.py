"""The communication plan reminders for staff, through the real scan and send (locmem mail,
frozen time). Region midden: the autumn holiday ends 25 October 2026, so a term starts on
Monday 26 October."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from parents import reminder_rules as plan_rules
from parents.models import ContactLog, ContactMoment, MomentStatus
from reminders import dispatch
from reminders.models import Reminder, Status
from tests import factories as f
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory, ContactLogFactory

AMS = ZoneInfo("Europe/Amsterdam")
MOMENT_DAY = datetime.date(2026, 11, 26)  # a Thursday


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS)


def day(month, dom):
    return datetime.date(2026, month, dom)


@dataclass
class Plan:
    school: object
    family: object
    pupil: object
    teacher: object
    ib: object
    coordinator: object
    plan: object


@pytest.fixture
def plan(db):
    with time_machine.travel(at(day(11, 16)), tick=False):
        school = f.SchoolFactory(name="De Regenboog", holiday_region="midden")
        group = f.GroupFactory(school=school, name="5")
        pupil = f.PupilFactory(school=school, first_name="Yasmina")
        f.EnrolmentFactory(pupil=pupil, group=group)
        family = f.FamilyFactory(board=school.board, name="Gezin Bouzid")
        guardian = f.GuardianFactory(family=family, language="ar")
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
        teacher = f.StaffMembershipFactory(school=school, role="teacher").user
        group.teachers.add(teacher)
        ib = f.StaffMembershipFactory(school=school, role="intern_begeleider").user
        coordinator = f.StaffMembershipFactory(school=school, role="ouder_coordinator").user
        f.StaffMembershipFactory(school=school, role="director")  # hears none of these
        return Plan(
            school,
            family,
            pupil,
            teacher,
            ib,
            coordinator,
            CommunicationPlanFactory(family=family),
        )


def only(rules, *rule_classes):
    for rule_class in rule_classes:
        rules.register(rule_class())


def run(moment):
    before = len(mail.outbox)
    with time_machine.travel(moment, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    return mail.outbox[before:]


def rows(rule):
    return list(Reminder.objects.filter(rule=rule).order_by("id"))


# --- contact moments ----------------------------------------------------------------------------


@pytest.fixture
def moment(plan):
    agreement = AgreementFactory(
        plan=plan.plan,
        pupil=plan.pupil,
        responsible=plan.teacher,
        on_date=MOMENT_DAY,
        what="Bellen over de eerste weken",
    )
    return ContactMoment.objects.create(agreement=agreement, due_on=MOMENT_DAY)


def test_moment_two_days_before_on_the_day_and_weekly_when_overdue(rules, plan, moment):
    only(rules, plan_rules.ContactMomentRule)
    assert run(at(day(11, 24), 7)) == []  # before 08:00
    before = run(at(day(11, 24)))
    assert [m.to for m in before] == [[plan.teacher.email]]
    assert before[0].subject == "Over twee dagen: contact met Gezin Bouzid – De Regenboog"
    assert "Yasmina" in before[0].body and "/deze-week/" in before[0].body
    assert run(at(day(11, 24), 11)) == []  # a second scan sends nothing new
    assert run(at(day(11, 25))) == []
    assert run(at(MOMENT_DAY))[0].subject.startswith("Vandaag: contact met Gezin Bouzid")
    assert run(at(day(12, 2))) == []  # overdue, but the weekly reminder comes after a week
    overdue = run(at(day(12, 3)))
    assert len(overdue) == 1 and "sinds 26-11-2026" in overdue[0].subject
    assert run(at(day(12, 4))) == []
    assert [r.occurrence for r in rows("parents.contact_moment")] == [
        "2-days-before:2026-11-26",
        "on-the-day:2026-11-26",
        "overdue-1:2026-11-26",
    ]


def test_overdue_reminders_end_after_three_weeks_then_the_ib_hears_once(rules, plan, moment):
    only(rules, plan_rules.ContactMomentRule, plan_rules.ContactMomentEscalationRule)
    weekly = [run(at(MOMENT_DAY + datetime.timedelta(weeks=w))) for w in (1, 2, 3)]
    assert [[m.to for m in sent] for sent in weekly] == [[[plan.teacher.email]]] * 3
    fourth = run(at(MOMENT_DAY + datetime.timedelta(weeks=4)))
    assert [m.to for m in fourth] == [[plan.ib.email]]  # not the teacher a fourth time
    assert "Al 3 weken te laat: contact met Gezin Bouzid" in fourth[0].subject
    assert plan.teacher.first_name in fourth[0].body
    assert run(at(MOMENT_DAY + datetime.timedelta(weeks=5))) == []
    assert run(at(MOMENT_DAY + datetime.timedelta(weeks=9))) == []


def test_last_years_open_moments_are_not_reminded_of(rules, plan, moment):
    only(rules, plan_rules.ContactMomentRule, plan_rules.ContactMomentEscalationRule)
    # Still "planned" from last school year: history, not this year's work.
    ContactMoment.objects.filter(pk=moment.pk).update(due_on=datetime.date(2026, 7, 1))
    assert run(at(day(11, 24))) == []
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("change", ["held", "moved"])
def test_a_held_or_moved_moment_cancels_its_reminder(rules, plan, moment, change):
    only(rules, plan_rules.ContactMomentRule)
    with time_machine.travel(at(MOMENT_DAY), tick=False):
        dispatch.scan()
        if change == "held":
            ContactMoment.objects.filter(pk=moment.pk).update(status=MomentStatus.HELD)
        else:
            ContactMoment.objects.filter(pk=moment.pk).update(due_on=day(12, 1))
        dispatch.send_batch()
    assert mail.outbox == []
    row = rows("parents.contact_moment")[0]
    assert row.status == Status.CANCELLED and "verzet" in row.last_error
    if change == "moved":  # reminded of again on the new day
        assert len(run(at(day(11, 27)))) == 0
        assert len(run(at(day(12, 1)))) == 1


# --- concerns -----------------------------------------------------------------------------------


def test_concern_without_follow_up_reminds_who_noted_it_until_there_is_contact(rules, plan):
    only(rules, plan_rules.ConcernFollowUpRule)
    ContactLogFactory(
        family=plan.family,
        pupil=plan.pupil,
        by=plan.teacher,
        happened_on=day(11, 16),
        tone="concern",
        follow_up_on=day(11, 23),
    )
    assert run(at(day(11, 20))) == []
    sent = run(at(day(11, 24)))
    assert [m.to for m in sent] == [[plan.teacher.email]]
    assert "Zorg over Gezin Bouzid" in sent[0].subject and "23-11-2026" in sent[0].body
    assert run(at(day(11, 24), 11)) == []
    assert len(run(at(day(11, 30)))) == 1  # a week later, still nothing happened
    with time_machine.travel(at(day(12, 7)), tick=False):
        dispatch.scan()
        ContactLogFactory(family=plan.family, by=plan.ib, happened_on=day(12, 7))
        dispatch.send_batch()
    last = rows("parents.concern_follow_up")[-1]
    assert last.status == Status.CANCELLED and "contact" in last.last_error
    assert len(mail.outbox) == 2


# --- families not reached, no positive contact ------------------------------------------------


def test_families_not_reached_go_weekly_to_the_ib_and_the_ouder_coordinator(rules, plan):
    only(rules, plan_rules.NotReachedRule)
    sent = run(at(day(11, 23)))
    assert sorted(m.to[0] for m in sent) == sorted([plan.ib.email, plan.coordinator.email])
    assert sent[0].subject == "1 gezinnen al 6 weken niet bereikt – De Regenboog"
    assert "- Gezin Bouzid" in sent[0].body
    assert run(at(day(11, 24))) == []  # the same week: nothing new
    with time_machine.travel(at(day(11, 30)), tick=False):
        dispatch.scan()
        ContactLogFactory(family=plan.family, by=plan.teacher, happened_on=day(11, 30))
        dispatch.send_batch()
    next_week = [r for r in rows("parents.not_reached") if r.occurrence == "2026-W49"]
    assert len(next_week) == 2 and {r.status for r in next_week} == {Status.CANCELLED}


def test_no_positive_contact_goes_to_the_contact_person_after_two_weeks_of_term(rules, plan):
    only(rules, plan_rules.NoPositiveContactRule)
    assert run(at(day(11, 2))) == []  # term started 26 October: two weeks' grace
    sent = run(at(day(11, 9)))
    assert [m.to for m in sent] == [[plan.teacher.email]]  # no contact person: the teacher
    plan.plan.contact_person = plan.coordinator
    plan.plan.save()
    sent = run(at(day(11, 16)))
    assert [m.to for m in sent] == [[plan.coordinator.email]]
    assert "positief contact" in sent[0].subject and "- Gezin Bouzid" in sent[0].body
    assert run(at(day(11, 17))) == []
    with time_machine.travel(at(day(11, 23)), tick=False):
        dispatch.scan()
        ContactLogFactory(
            family=plan.family, by=plan.teacher, happened_on=day(11, 23), tone="positive"
        )
        dispatch.send_batch()
    assert rows("parents.no_positive_contact")[-1].status == Status.CANCELLED
    assert ContactLog.objects.count() == 1


# --- the demo -----------------------------------------------------------------------------------


def test_todays_demo_has_due_reminders_of_every_kind(db):
    from django.core.management import call_command

    with time_machine.travel(at(day(11, 24)), tick=False):
        call_command("seed_demo")
    kinds = set(Reminder.objects.values_list("rule", flat=True))
    assert {
        "conversations.invitation",
        "conversations.booking_tomorrow",
        "conversations.to_plan",
        "parents.contact_moment",
        "parents.concern_follow_up",
        "parents.no_positive_contact",
        "parents.not_reached",
    } <= kinds
    occurrences = set(
        Reminder.objects.filter(rule="parents.contact_moment").values_list("occurrence", flat=True)
    )
    assert {o.split(":")[0].split("-")[0] for o in occurrences} >= {"2", "on", "overdue"}
    samira = Reminder.objects.get(rule="conversations.invitation", address="ouder@demo.test")
    assert samira.language == "ar"


def test_the_scan_runs_the_same_queries_for_one_family_or_many(rules, plan, moment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    only(
        rules,
        plan_rules.ContactMomentRule,
        plan_rules.ConcernFollowUpRule,
        plan_rules.NoPositiveContactRule,
        plan_rules.NotReachedRule,
    )

    def add_family(n):
        family = f.FamilyFactory(board=plan.school.board, name=f"Gezin {n}")
        guardian = f.GuardianFactory(family=family)
        pupil = f.PupilFactory(school=plan.school)
        f.EnrolmentFactory(pupil=pupil, group=plan.pupil.enrolments.get().group)
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
        agreement = AgreementFactory(
            plan=CommunicationPlanFactory(family=family), pupil=pupil, responsible=plan.ib
        )
        ContactMoment.objects.create(agreement=agreement, due_on=MOMENT_DAY)
        ContactLogFactory(
            family=family,
            by=plan.ib,
            pupil=pupil,
            happened_on=day(11, 2),
            tone="concern",
            follow_up_on=day(11, 20),
        )

    def scan_queries():
        with (
            CaptureQueriesContext(connection) as queries,
            time_machine.travel(at(MOMENT_DAY), tick=False),
        ):
            result = dispatch.scan(dry_run=True)
        return len(queries), result.due

    with time_machine.travel(at(day(11, 16)), tick=False):
        add_family(0)
    small = scan_queries()
    with time_machine.travel(at(day(11, 16)), tick=False):
        for n in range(1, 4):
            add_family(n)
    large = scan_queries()
    assert large[1] > small[1] and large[0] == small[0]
