"""The plan's rules as services: agreements and their moments, editing a rule, logging contacts,
concurrency and bad input (a clear Dutch message, nothing lost)."""

import datetime

import pytest
from django.db import IntegrityError

from parents import services
from parents.models import Agreement, CommunicationPlan, ContactLog, ContactMoment, MomentStatus
from tests import factories as f
from tests.parents.factories import CommunicationPlanFactory, ReportDateFactory

D = datetime.date


def _plan(home):
    return CommunicationPlanFactory(
        family=home.family, school_year=home.year, agreed_on=D(2026, 9, 1)
    )


def _values(home, **values):
    return {
        "what": "Bellen in de week na elk rapport",
        "pupil": home.pupil,
        "channel": "phone",
        "with_child": False,
        "responsible": home.teacher,
        "schedule": "after_report",
        **values,
    }


def test_an_agreement_plans_its_moments_in_the_school_calendar(home):
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 2, 12))
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 7, 2))
    agreement = services.add_agreement(plan=_plan(home), by=home.teacher, **_values(home))
    assert list(agreement.moments.values_list("due_on", flat=True)) == [
        D(2027, 2, 15),
        D(2027, 7, 5),
    ]


def test_changing_a_rule_changes_future_moments_and_leaves_the_past_alone(home, today):
    plan = _plan(home)
    agreement = services.add_agreement(
        plan=plan,
        by=home.teacher,
        made_on=D(2026, 9, 1),  # agreed then, changed today (15 September)
        **_values(home, schedule="weekly", what="Wekelijks bellen"),
    )
    first, second = agreement.moments.order_by("due_on")[:2]  # 1 and 8 September: past
    services.hold_moment(moment=first, by=home.teacher, tone="positive", happened_on=first.due_on)
    services.change_agreement(agreement=agreement, by=home.teacher, schedule="term_start")
    dates = list(agreement.moments.order_by("due_on").values_list("due_on", "status"))
    assert dates == [
        (D(2026, 9, 1), MomentStatus.HELD),
        (D(2026, 9, 8), MomentStatus.PLANNED),  # overdue, but before today: left alone
        (D(2026, 10, 26), MomentStatus.PLANNED),
        (D(2027, 1, 4), MomentStatus.PLANNED),
        (D(2027, 3, 1), MomentStatus.PLANNED),
        (D(2027, 5, 3), MomentStatus.PLANNED),
    ]
    assert ContactLog.objects.get().moment == first


def test_changing_a_rule_to_one_without_dates_keeps_everything(home, today):
    agreement = services.add_agreement(
        plan=_plan(home), by=home.teacher, **_values(home, schedule="term_start")
    )
    before = list(agreement.moments.values_list("due_on", flat=True))
    with pytest.raises(services.PlanError, match="geen enkele datum"):
        services.change_agreement(agreement=agreement, by=home.teacher, schedule="after_report")
    agreement.refresh_from_db()
    assert agreement.schedule == "term_start"
    assert list(agreement.moments.values_list("due_on", flat=True)) == before


def test_a_moment_before_the_plan_was_agreed_is_refused(home):
    with pytest.raises(services.PlanError, match="ligt voor"):
        services.add_agreement(
            plan=_plan(home),
            by=home.teacher,
            **_values(home, schedule="once", on_date=D(2026, 8, 25)),
        )
    assert not Agreement.objects.exists()


def test_whatsapp_without_a_phone_number_is_refused(home):
    home.guardian.phone = ""
    home.guardian.save()
    with pytest.raises(services.PlanError, match="telefoonnummer"):
        services.add_agreement(
            plan=_plan(home), by=home.teacher, **_values(home, channel="whatsapp")
        )
    assert not Agreement.objects.exists()


def test_staff_without_rights_on_the_family_cannot_change_the_plan(home):
    stranger = f.StaffMembershipFactory(role="director").user  # director of another school
    with pytest.raises(services.PlanError, match="geen rechten"):
        services.add_agreement(plan=_plan(home), by=stranger, **_values(home))
    with pytest.raises(services.PlanError, match="geen rechten"):
        services.log_contact(family=home.family, by=stranger, channel="phone", tone="positive")
    assert not ContactLog.objects.exists()


def test_the_responsible_colleague_must_see_the_child(home):
    """The sibling's teacher sees the family, but not this child: their list would never show
    the moment."""
    sibling = f.PupilFactory(school=home.school)
    f.PupilGuardianFactory(pupil=sibling, guardian=home.guardian)
    sibling_group = f.GroupFactory(school=home.school, name="7")
    f.EnrolmentFactory(pupil=sibling, group=sibling_group)
    sibling_teacher = f.StaffMembershipFactory(school=home.school, role="teacher").user
    sibling_group.teachers.add(sibling_teacher)
    with pytest.raises(services.PlanError, match="geen rechten op dit kind"):
        services.add_agreement(
            plan=_plan(home), by=home.teacher, **_values(home, responsible=sibling_teacher)
        )
    assert not Agreement.objects.exists()


def test_a_concern_asks_for_the_follow_up_date_right_away(home, today):
    with pytest.raises(services.PlanError, match="vervolg"):
        services.log_contact(
            family=home.family, by=home.teacher, channel="schoolyard", tone="concern"
        )
    log = services.log_contact(
        family=home.family,
        by=home.teacher,
        channel="schoolyard",
        tone="concern",
        summary="Yasmina slaapt slecht",
        follow_up_on=D(2026, 9, 22),
    )
    assert log.follow_up_on == D(2026, 9, 22)


def test_the_database_refuses_a_concern_without_follow_up(home):
    with pytest.raises(IntegrityError):
        ContactLog.objects.create(
            family=home.family,
            by=home.teacher,
            happened_on=D(2026, 9, 1),
            channel="phone",
            tone="concern",
        )


def test_holding_a_moment_twice_is_refused(home, today):
    agreement = services.add_agreement(
        plan=_plan(home), by=home.teacher, **_values(home, schedule="once", on_date=D(2026, 9, 15))
    )
    moment = agreement.moments.get()
    services.hold_moment(moment=moment, by=home.teacher, tone="neutral")
    with pytest.raises(services.PlanError, match="al afgehandeld"):
        services.hold_moment(moment=moment, by=home.teacher, tone="positive")
    assert ContactLog.objects.count() == 1


def test_moving_a_moment_keeps_the_old_one_as_moved(home, today):
    agreement = services.add_agreement(
        plan=_plan(home), by=home.teacher, **_values(home, schedule="once", on_date=D(2026, 9, 15))
    )
    moment = agreement.moments.get()
    new = services.move_moment(moment=moment, by=home.teacher, to=D(2026, 9, 17))
    moment.refresh_from_db()
    assert moment.status == MomentStatus.MOVED
    assert (new.due_on, new.status, new.from_rule) == (D(2026, 9, 17), MomentStatus.PLANNED, False)


def test_agree_plan_is_idempotent_for_the_same_agreements(home, today):
    ReportDateFactory(school=home.school, school_year=home.year, date=D(2027, 2, 12))
    kwargs = {
        "family": home.family,
        "school_year": home.year,
        "agreed_on": D(2026, 9, 10),
        "by": home.teacher,
        "agreements": [
            _values(home),
            _values(home, what="Evaluatie begin juni", schedule="once", on_date=D(2027, 6, 3)),
        ],
        "contact_person": home.teacher,
    }
    plan = services.agree_plan(**kwargs)
    services.agree_plan(**kwargs)
    assert CommunicationPlan.objects.count() == 1
    assert plan.agreements.count() == 2
    assert ContactMoment.objects.count() == 2
    plan.refresh_from_db()
    assert plan.contact_person == home.teacher
    assert plan.language == home.guardian.language


def test_agree_plan_with_a_bad_agreement_saves_nothing(home, today):
    with pytest.raises(services.PlanError, match="geen enkele datum"):
        services.agree_plan(
            family=home.family,
            school_year=home.year,
            agreed_on=D(2026, 9, 10),
            by=home.teacher,
            agreements=[_values(home)],  # after each report, but the school has no report dates
        )
    assert not CommunicationPlan.objects.exists()


def test_two_colleagues_saving_the_same_plan_the_second_gets_a_conflict(home):
    plan = _plan(home)
    read_version = plan.version
    services.save_plan(plan=plan, by=home.teacher, version=read_version, notes="Eerste")
    with pytest.raises(services.PlanError, match="collega heeft dit plan net ook aangepast"):
        services.save_plan(plan=plan, by=home.teacher, version=read_version, notes="Tweede")
    plan.refresh_from_db()
    assert plan.notes == "Eerste"
