"""Leave (verlof) by the Leerplichtwet: every rule refuses with its legal reason, a valid request
is decided by the director, and the parent sees the decision in their language with the way to
object."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from absence import services
from absence.models import LeaveRequest, LeaveStatus
from partnership import tasks
from reminders.dispatch import scan
from reminders.models import Reminder
from schools.models import AuditEvent
from tests import factories as f
from tests.absence.conftest import at

pytestmark = pytest.mark.django_db

WINTER = datetime.date(2027, 1, 20)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def statement():
    return SimpleUploadedFile("werkgever.pdf", b"%PDF-1.4 verklaring", "application/pdf")


def ask(place, first, last, *, kind="holiday", with_statement=True, work=True, today=WINTER):
    return services.request_leave(
        guardian=place.guardian,
        pupil=place.pupil,
        kind=kind,
        first_day=first,
        last_day=last,
        reason="Mijn werkgever geeft mij alleen in maart vrij.",
        employer_statement=statement() if with_statement else None,
        work_prevents_holiday=work,
        today=today,
    )


def refusals(call):
    with pytest.raises(services.LeaveRefused) as refused:
        call()
    return refused.value.reasons


def test_eleven_school_days_of_holiday_leave_are_refused_with_article_13a(place):
    # Monday 1 to Monday 15 March 2027: eleven school days by the school calendar.
    reasons = refusals(lambda: ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 15)))
    assert reasons == [
        "Vakantieverlof is ten hoogste 10 schooldagen. U vraagt 11 schooldagen "
        "(Leerplichtwet, artikel 13a, eerste lid)."
    ]
    assert not LeaveRequest.objects.exists()


def test_ten_school_days_around_a_weekend_are_allowed(place):
    leave = ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 12))
    assert leave.school_days == 10
    assert leave.status == LeaveStatus.REQUESTED


def test_holiday_leave_in_the_first_two_weeks_of_the_school_year_is_refused(place):
    # The summer holiday of region midden ends on 30 August 2026: the year starts on the 31st.
    reasons = refusals(
        lambda: ask(
            place,
            datetime.date(2026, 9, 7),
            datetime.date(2026, 9, 9),
            today=datetime.date(2026, 8, 10),
        )
    )
    assert reasons == [
        "Vakantieverlof mag niet in de eerste twee weken van het schooljaar vallen. Dit "
        "schooljaar zijn dat de dagen tot en met 13-09-2026 (Leerplichtwet, artikel 13a, "
        "eerste lid)."
    ]


def test_a_second_holiday_leave_in_one_school_year_is_refused(place):
    ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 5))
    reasons = refusals(lambda: ask(place, datetime.date(2027, 6, 7), datetime.date(2027, 6, 8)))
    assert reasons == [
        "Vakantieverlof krijgt een kind één keer per schooljaar. Dit schooljaar is er al "
        "vakantieverlof gevraagd (Leerplichtwet, artikel 13a, eerste lid)."
    ]


def test_a_refused_request_does_not_use_up_the_year(place):
    first = ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 5))
    services.decide_leave(leave=first, by=place.director, granted=False, note="Geen reden.")
    assert ask(place, datetime.date(2027, 6, 7), datetime.date(2027, 6, 8)).school_days == 2


def test_holiday_leave_needs_work_as_the_reason_and_the_employers_statement(place):
    reasons = refusals(
        lambda: ask(
            place,
            datetime.date(2027, 3, 1),
            datetime.date(2027, 3, 2),
            with_statement=False,
            work=False,
        )
    )
    assert [reason.split(" (")[-1] for reason in reasons] == [
        "Leerplichtwet, artikel 11 onder f en artikel 13a).",
        "Leerplichtwet, artikel 13a).",
    ]


def test_more_than_ten_days_for_important_reasons_go_to_the_attendance_officer(place):
    leave = ask(
        place,
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 15),
        kind="important",
        with_statement=False,
        work=False,
    )
    assert leave.status == LeaveStatus.FORWARDED
    with pytest.raises(services.AbsenceError):
        services.decide_leave(leave=leave, by=place.director, granted=True)


def test_only_a_guardian_with_parental_authority_asks_leave(place):
    other = f.GuardianFactory(user=f.UserFactory())
    f.PupilGuardianFactory(
        pupil=place.pupil,
        guardian=other,
        has_parental_authority=False,
        information_right="granted",
    )
    with pytest.raises(services.AbsenceError, match="ouder met gezag"):
        services.request_leave(
            guardian=other,
            pupil=place.pupil,
            kind="important",
            first_day=datetime.date(2027, 3, 1),
            last_day=datetime.date(2027, 3, 1),
            reason="Bruiloft",
            today=WINTER,
        )


def test_refusal_shows_the_legal_reason_in_the_parents_language(place, client, travel):
    travel(at(WINTER, 10))
    client.force_login(place.guardian.user)
    client.cookies["django_language"] = "ar"
    response = client.post(
        reverse("absence:portal-leave"),
        {
            "child": place.pupil.pk,
            "kind": "holiday",
            "first_day": "2027-03-01",
            "last_day": "2027-03-15",
            "reason": "عمل",
            "work_prevents_holiday": "on",
            "employer_statement": statement(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "13a" in page
    assert "10 أيام دراسية" in page  # the reason itself, in Arabic
    assert not LeaveRequest.objects.exists()


def test_director_decides_and_the_parent_sees_the_decision_with_the_way_to_object(
    place, client, travel
):
    travel(at(WINTER, 10))
    leave = ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 5))
    client.force_login(place.director)
    response = client.post(
        reverse("absence:leave-detail", args=[leave.pk]), {"granted": "yes", "note": ""}
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.GRANTED and leave.decided_by == place.director
    assert AuditEvent.objects.filter(
        action="decide_leave", pupil_id=place.pupil.pk, what=f"leave:{leave.pk}"
    ).exists()

    # In the portal, in Dutch here; the message goes out in Arabic.
    client.force_login(place.guardian.user)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("absence:portal-overview")).content.decode()
    assert "toegestaan" in page
    assert "binnen zes weken bezwaar" in page

    scan(now=at(WINTER, 10, 5))
    message = Reminder.objects.get(rule="absence.leave_decision")
    assert message.language == "ar"
    assert message.recipient_key == f"parents.guardian:{place.guardian.pk}"
    assert "ستة أسابيع" in message.body  # six weeks to object
    assert "01-03-2027" in message.body

    # On the pupil page for staff.
    client.force_login(place.director)
    page = client.get(reverse("schools:pupil-detail", args=[place.pupil.pk])).content.decode()
    assert "vakantieverlof 01-03-2027 t/m 05-03-2027 (5 schooldagen): toegestaan" in page


def test_only_the_director_decides(place):
    leave = ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 5))
    from django.http import Http404

    with pytest.raises(Http404):
        services.decide_leave(leave=leave, by=place.ib, granted=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED


def _leave_of_a_pupil_who_left_long_ago(place):
    leave = ask(place, datetime.date(2027, 3, 1), datetime.date(2027, 3, 5))
    place.pupil.left_on = datetime.date(2020, 7, 1)  # past the retention term
    place.pupil.save()
    return leave


def test_the_retention_run_removes_the_employers_statement_with_the_pupils_data(
    place, django_capture_on_commit_callbacks
):
    # A younger sister is still at school: the mother, and the leave request, stay.
    sister = f.PupilFactory(school=place.school, first_name="Lina", last_name="Bouzid")
    f.PupilGuardianFactory(pupil=sister, guardian=place.guardian)
    leave = _leave_of_a_pupil_who_left_long_ago(place)
    storage, name = leave.employer_statement.storage, leave.employer_statement.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.anonymise_left_pupils()

    assert not storage.exists(name)
    leave.refresh_from_db()
    assert not leave.employer_statement
    assert leave.statement_removed_at is not None
    with django_capture_on_commit_callbacks(execute=True):  # a second run finds nothing
        tasks.anonymise_left_pupils()


def test_the_statement_leaves_storage_also_when_the_request_goes_with_the_parent(
    place, django_capture_on_commit_callbacks
):
    leave = _leave_of_a_pupil_who_left_long_ago(place)
    storage, name = leave.employer_statement.storage, leave.employer_statement.name

    with django_capture_on_commit_callbacks(execute=True):
        tasks.anonymise_left_pupils()

    assert not LeaveRequest.objects.filter(pk=leave.pk).exists()  # the mother was removed
    assert not storage.exists(name)
    assert storage.listdir(os.path.dirname(name))[1] == []  # no file left in the year's folder
