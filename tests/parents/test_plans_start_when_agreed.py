"""Plans start when they are agreed: a rule made on a day plans from that day on, never before;
a one-off date gone by is a contact to log, not an overdue moment; moments planned too early by
older versions are repaired by a command."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from parents import services
from parents.models import ContactMoment, MomentStatus
from tests.parents.factories import CommunicationPlanFactory, ReportDateFactory

D = datetime.date
OCTOBER = datetime.datetime(2026, 10, 14, 10, 0)  # a Wednesday in the first term


def _values(home, **values):
    return {
        "what": "Bellen over hoe het gaat",
        "pupil": home.pupil,
        "channel": "phone",
        "with_child": False,
        "responsible": home.teacher,
        **values,
    }


@pytest.mark.parametrize(
    "rule",
    [
        {"schedule": "weekly"},
        {"schedule": "every_n_weeks", "interval_weeks": 2},
        {"schedule": "monthly"},
        {"schedule": "after_report"},
        {"schedule": "term_start"},
        {"schedule": "once", "on_date": D(2026, 10, 20)},
    ],
    ids=lambda rule: rule["schedule"],
)
def test_an_agreement_made_today_has_no_moment_before_today(home, rule):
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2026, 9, 25))
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 2, 12))
    # The plan was agreed on the first school day; the agreement is added in October.
    plan = CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 8, 31)
    )
    with time_machine.travel(OCTOBER, tick=False):
        agreement = services.add_agreement(plan=plan, by=home.teacher, **_values(home, **rule))
    days = list(agreement.moments.values_list("due_on", flat=True))
    assert days
    assert min(days) >= D(2026, 10, 14)


def test_a_fortnightly_agreement_from_a_conversation_gives_nothing_overdue(home):
    plan = CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 8, 31)
    )
    with time_machine.travel(OCTOBER, tick=False):
        services.agree_plan(
            family=home.family,
            school_year=home.year,
            agreed_on=D(2026, 10, 13),
            by=home.teacher,
            agreements=[_values(home, schedule="every_n_weeks", interval_weeks=2)],
        )
    moments = ContactMoment.objects.filter(agreement__plan=plan)
    assert moments.filter(due_on__lt=D(2026, 10, 14)).count() == 0
    assert moments.first().due_on == D(2026, 10, 14)


def test_a_one_off_date_gone_by_is_refused_with_a_pointer_to_logging_the_contact(home):
    plan = CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 8, 31)
    )
    with (
        time_machine.travel(OCTOBER, tick=False),
        pytest.raises(services.PlanError, match="al voorbij.*Leg het vast als contact"),
    ):
        services.add_agreement(
            plan=plan, by=home.teacher, **_values(home, schedule="once", on_date=D(2026, 9, 2))
        )
    assert not plan.agreements.exists()


def test_changing_another_field_of_a_one_off_agreement_gone_by_keeps_it(home):
    plan = CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 8, 31)
    )
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10), tick=False):
        agreement = services.add_agreement(
            plan=plan, by=home.teacher, **_values(home, schedule="once", on_date=D(2026, 9, 8))
        )
    with time_machine.travel(OCTOBER, tick=False):
        services.change_agreement(agreement=agreement, by=home.teacher, with_child=True)
    assert list(agreement.moments.values_list("due_on", "status")) == [
        (D(2026, 9, 8), MomentStatus.PLANNED)
    ]


def test_the_repair_command_unplans_moments_before_the_conversation_dry_run_first(home):
    from conversations.models import ConversationAgreement, ConversationStatus
    from tests.conversations.factories import StartConversationFactory

    plan = CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 8, 31)
    )
    conversation = StartConversationFactory(
        round__school=home.school,
        group=home.group,
        pupil=home.pupil,
        school_year=home.year,
        status=ConversationStatus.HELD,
        held_at=datetime.datetime(2026, 10, 13, 15, tzinfo=datetime.UTC),
        child_present=True,
    )
    ConversationAgreement.objects.create(
        conversation=conversation,
        what="Bellen over hoe het gaat",
        channel="phone",
        responsible=home.teacher,
        schedule="every_n_weeks",
        interval_weeks=2,
    )
    with time_machine.travel(OCTOBER, tick=False):
        agreement = services.add_agreement(
            plan=plan,
            by=home.teacher,
            **_values(home, schedule="every_n_weeks", interval_weeks=2),
        )
    # What older versions did: the rule planned from the plan's first day.
    early = [D(2026, 8, 31), D(2026, 9, 14), D(2026, 9, 28)]
    held = agreement.moments.create(due_on=D(2026, 9, 1), status=MomentStatus.HELD)
    for day in early:
        agreement.moments.create(due_on=day)

    out = StringIO()
    call_command("unplan_early_moments", "--dry-run", stdout=out)
    assert f"{home.school.name}: 3 contactmomenten zou vervallen" in out.getvalue()
    assert agreement.moments.filter(status=MomentStatus.UNPLANNED).count() == 0

    out = StringIO()
    call_command("unplan_early_moments", stdout=out)
    assert "Totaal: 3 contactmomenten vervallen" in out.getvalue()
    statuses = dict(agreement.moments.values_list("due_on", "status"))
    assert all(statuses[day] == MomentStatus.UNPLANNED for day in early)
    assert statuses[held.due_on] == MomentStatus.HELD
    assert statuses[D(2026, 10, 14)] == MomentStatus.PLANNED
