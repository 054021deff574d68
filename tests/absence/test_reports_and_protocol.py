"""A guardian reports a child sick or late; the teacher sees the group's reports of today; a pupil
absent without a report starts the school's protocol, and the parents hear of each step before it
happens, in their language, with who does it and who their contact person is."""

import datetime

import pytest
from django.urls import reverse

from absence import services
from absence.models import AbsenceReport, AttendanceCase, CaseStep, StepKind
from parents.models import ContactMoment
from reminders import registry
from reminders.dispatch import scan
from reminders.models import Reminder
from schools.models import AuditEvent
from tests import factories as f
from tests.absence.conftest import at

pytestmark = pytest.mark.django_db

# A Tuesday in a school week.
TUESDAY = datetime.date(2027, 1, 19)


def report(place, **values):
    return services.report_absence(
        guardian=place.guardian,
        pupil=place.pupil,
        **{"kind": "sick", "first_day": TUESDAY, **values},
    )


def test_report_before_school_is_on_time_and_after_the_schools_time_late(place, travel):
    travel(at(TUESDAY, 7, 50))
    assert report(place).reported_late is False
    travel(at(TUESDAY, 8, 20))  # the default: a report for today after 08:15 is late
    assert report(place, note="Koorts").reported_late is True


def test_school_sets_from_when_a_report_is_late(place, travel):
    services.save_settings(
        school=place.school,
        by=place.director,
        late_after=datetime.time(8, 30),
        wants_phone_call=True,
        phone="070 1234567",
        contact_person=place.ib,
        steps=[],
    )
    travel(at(TUESDAY, 8, 20))
    assert report(place).reported_late is False


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"first_day": TUESDAY - datetime.timedelta(days=1)}, "al voorbij"),
        ({"first_day": datetime.date(2027, 1, 23)}, "school dicht"),  # a Saturday
        ({"first_day": TUESDAY + datetime.timedelta(days=15)}, "twee weken vooruit"),
        ({"kind": "late", "last_day": TUESDAY + datetime.timedelta(days=1)}, "per dag"),
    ],
)
def test_reports_the_school_cannot_take_get_a_clear_message(place, travel, values, message):
    travel(at(TUESDAY, 7, 0))
    with pytest.raises(services.AbsenceError, match=message):
        report(place, **values)
    assert not AbsenceReport.objects.exists()


def test_the_parent_gets_a_confirmation_in_their_language(place, travel):
    services.save_settings(
        school=place.school,
        by=place.director,
        late_after=datetime.time(8, 15),
        wants_phone_call=True,
        phone="070 1234567",
        contact_person=place.ib,
        steps=[],
    )
    travel(at(TUESDAY, 7, 50))
    report(place, kind="late", arrives_at=datetime.time(10, 0))
    scan(now=at(TUESDAY, 7, 51))
    message = Reminder.objects.get(rule="absence.report_confirmation")
    assert message.language == "ar"
    assert message.address == place.guardian.email
    assert "Yasmina" in message.body and "19-01-2027, 10:00" in message.body
    assert "070 1234567" in message.body  # the school wants a call too
    assert "سيأتي متأخرًا" in message.body  # "komt later"


def test_a_guardian_cannot_report_a_child_of_another_family(place, travel):
    travel(at(TUESDAY, 7, 0))
    stranger = f.GuardianFactory(user=f.UserFactory())
    with pytest.raises(services.AbsenceError):
        services.report_absence(
            guardian=stranger, pupil=place.pupil, kind="sick", first_day=TUESDAY
        )


def test_marking_absent_plans_the_protocol_and_tells_the_parents_first(place, travel):
    travel(at(TUESDAY, 8, 45))
    case = services.mark_absent(pupil=place.pupil, by=place.teacher)

    steps = {step.kind: step for step in case.steps.all()}
    assert [steps[kind].planned_on for kind in StepKind.values] == [
        TUESDAY,
        datetime.date(2027, 1, 21),  # two school days later
        datetime.date(2027, 1, 26),  # five school days, over the weekend
        datetime.date(2027, 2, 2),  # ten school days
    ]
    assert steps[StepKind.TEACHER_CALLS].responsible == place.teacher

    # Every step is a contact moment of the family's plan, on the responsible's list.
    moments = ContactMoment.objects.filter(agreement__pupil=place.pupil).order_by("due_on")
    assert [m.due_on for m in moments] == sorted(s.planned_on for s in steps.values())
    assert moments[0].agreement.responsible == place.teacher
    assert moments[0].agreement.what.startswith("Verzuim 19-01, stap 1")

    # The first step is told at once, before the teacher calls; the second not yet.
    scan(now=at(TUESDAY, 8, 46))
    notices = Reminder.objects.filter(rule="absence.protocol_step")
    assert [n.object_ref for n in notices] == [f"absence.casestep:{steps['teacher_calls'].pk}"]
    notice = notices.get()
    assert notice.language == "ar"
    assert "19-01-2027" in notice.body
    assert place.teacher.get_full_name() in notice.body  # who
    assert "المعلم" in notice.body  # what, in Arabic: the teacher calls you

    # The afternoon before the second step, the parents hear of it.
    scan(now=at(datetime.date(2027, 1, 20), 15, 1))
    assert Reminder.objects.filter(rule="absence.protocol_step").count() == 2


def test_the_contact_person_is_named_in_each_message(place, travel):
    services.save_settings(
        school=place.school,
        by=place.director,
        late_after=datetime.time(8, 15),
        wants_phone_call=False,
        phone="",
        contact_person=place.ib,
        steps=[services.StepChoice("teacher_calls", 0), services.StepChoice("contact_person", 1)],
    )
    travel(at(TUESDAY, 8, 45))
    case = services.mark_absent(pupil=place.pupil, by=place.teacher)
    assert case.steps.count() == 2
    scan(now=at(TUESDAY, 8, 46))
    body = Reminder.objects.get(rule="absence.protocol_step").body
    assert f"{place.ib.get_full_name()} (070 123 45 67)" in body


def test_no_protocol_for_a_reported_child_nor_twice(place, travel):
    travel(at(TUESDAY, 7, 50))
    other = f.PupilFactory(school=place.school, first_name="Noor")
    f.EnrolmentFactory(pupil=other, group=place.group)
    f.PupilGuardianFactory(pupil=other)
    report(place)
    travel(at(TUESDAY, 8, 45))
    with pytest.raises(services.AbsenceError, match="melding van de ouders"):
        services.mark_absent(pupil=place.pupil, by=place.teacher)
    services.mark_absent(pupil=other, by=place.teacher)
    with pytest.raises(services.AbsenceError, match="loopt het verzuimprotocol al"):
        services.mark_absent(pupil=other, by=place.teacher)
    assert AttendanceCase.objects.count() == 1


def test_a_late_report_means_no_protocol_for_that_day(place, travel):
    travel(at(TUESDAY, 7, 50))
    report(place, kind="late", arrives_at=datetime.time(10, 30))
    travel(at(TUESDAY, 8, 45))
    with pytest.raises(services.AbsenceError, match="melding van de ouders"):
        services.mark_absent(pupil=place.pupil, by=place.teacher)
    assert not AttendanceCase.objects.exists()


def test_a_late_report_after_the_teacher_marked_absent_stops_that_days_protocol(place, travel):
    travel(at(TUESDAY, 8, 45))
    case = services.mark_absent(pupil=place.pupil, by=place.teacher)
    scan(now=at(TUESDAY, 8, 46))  # the parents were told of the teacher's call
    travel(at(TUESDAY, 9, 10))
    late = report(place, kind="late", arrives_at=datetime.time(10, 30))
    assert late.reported_late
    case.refresh_from_db()
    assert case.closed_at is not None
    # No notice of a later step goes out any more.
    scan(now=at(datetime.date(2027, 1, 20), 15, 1))
    assert Reminder.objects.filter(rule="absence.protocol_step").count() == 1


def test_a_late_report_does_not_stop_the_protocol_of_an_earlier_day(place, travel):
    monday = TUESDAY - datetime.timedelta(days=1)
    travel(at(monday, 8, 45))
    case = services.mark_absent(pupil=place.pupil, by=place.teacher)
    travel(at(TUESDAY, 7, 50))
    report(place, kind="late", arrives_at=datetime.time(9, 0))
    case.refresh_from_db()
    assert case.closed_at is None


def test_teacher_sees_the_groups_reports_of_today(place, client, travel):
    travel(at(TUESDAY, 7, 50))
    report(place, note="Koorts")
    travel(at(TUESDAY, 8, 30))
    client.force_login(place.teacher)
    page = client.get(reverse("absence:group-reports", args=[place.group.pk])).content.decode()
    assert "Yasmina Bouzid" in page and "Koorts" in page and "07:50" in page
    assert AuditEvent.objects.filter(action="view_absence", what=f"group:{place.group.pk}")
    week = client.get(reverse("parents:this-week")).content.decode()
    assert "Groep 5: 1 kind vandaag ziek of later gemeld" in week


def test_teacher_marks_absent_from_the_group_page(place, client, travel):
    travel(at(TUESDAY, 8, 45))
    client.force_login(place.teacher)
    response = client.post(reverse("absence:pupil-mark-absent", args=[place.pupil.pk]))
    assert response.url == reverse("absence:group-reports", args=[place.group.pk])
    assert CaseStep.objects.filter(case__pupil=place.pupil).count() == 4


def _group_of(size, place):
    for n in range(size):
        pupil = f.PupilFactory(school=place.school, first_name=f"Kind{n}")
        f.EnrolmentFactory(pupil=pupil, group=place.group)
        guardian = f.PupilGuardianFactory(pupil=pupil).guardian
        services.report_absence(guardian=guardian, pupil=pupil, kind="sick", first_day=TUESDAY)


@pytest.mark.parametrize("size", [3, 30])
def test_group_reports_page_queries_do_not_grow_with_the_group(
    size, place, client, travel, django_assert_num_queries
):
    travel(at(TUESDAY, 7, 50))
    _group_of(size, place)
    services.mark_absent(pupil=place.pupil, by=place.teacher)
    client.force_login(place.teacher)
    url = reverse("absence:group-reports", args=[place.group.pk])
    # session, user, memberships, group, pupils, their reports, cases and steps, the audit line
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["reported"] == size


def test_a_stopped_protocol_tells_the_parents_nothing_more(place, client, travel):
    travel(at(TUESDAY, 8, 45))
    case = services.mark_absent(pupil=place.pupil, by=place.teacher)
    scan(now=at(TUESDAY, 8, 46))
    # The second step's notice is already waiting when the teacher stops the protocol.
    scan(now=at(datetime.date(2027, 1, 20), 15, 1))
    waiting = Reminder.objects.get(
        rule="absence.protocol_step",
        occurrence="announce",
        object_ref__endswith=f":{case.steps.get(kind='contact_person').pk}",
    )
    client.force_login(place.teacher)
    response = client.post(reverse("absence:case-close", args=[case.pk]))
    assert response.url == reverse("absence:group-reports", args=[place.group.pk])
    case.refresh_from_db()
    assert case.closed_at is not None

    rule = registry.get("absence.protocol_step")
    assert rule.recheck([waiting])[waiting.pk].cancel_reason == "Het verzuimprotocol is gestopt."
    scan(now=at(datetime.date(2027, 1, 25), 15, 1))  # the third step's afternoon
    assert Reminder.objects.filter(rule="absence.protocol_step").count() == 2
    with pytest.raises(services.AbsenceError, match="al gestopt"):
        services.close_case(case=case, by=place.teacher)
