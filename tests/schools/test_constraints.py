"""Bad input in the organisation data: a Dutch message on the form, a database constraint behind it,
and nothing half-saved."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from parents.models import Guardian
from schools.models import Enrolment, Pupil, SchoolYear, StaffMembership
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_database_refuses_duplicate_pupil_number_in_one_school():
    pupil = f.PupilFactory(pupil_number="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PupilFactory(school=pupil.school, pupil_number="123")
    f.PupilFactory(pupil_number="123")  # another school may use the same number
    assert Pupil.objects.filter(pupil_number="123").count() == 2


def test_database_refuses_guardian_without_email_or_phone():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.GuardianFactory(email="", phone="")
    assert not Guardian.objects.exists()


def test_database_refuses_enrolment_in_group_of_another_school():
    pupil = f.PupilFactory()
    foreign_group = f.GroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            pupil=pupil, group=foreign_group, school_year=foreign_group.school_year
        )
    assert not Enrolment.objects.exists()


def test_database_refuses_school_year_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolYear.objects.create(
            label="2030-2031", start=datetime.date(2031, 7, 31), end=datetime.date(2030, 8, 1)
        )


def test_board_role_has_no_school_and_school_roles_need_one():
    school = f.SchoolFactory()
    user = f.UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(user=user, board=school.board, school=None, role="teacher")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(user=user, board=school.board, school=school, role="board")


@pytest.fixture
def admin_client_logged_in(client, db):
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_form_explains_duplicate_pupil_number_in_dutch(admin_client_logged_in):
    pupil = f.PupilFactory(pupil_number="555")
    response = admin_client_logged_in.post(
        "/beheer/schools/pupil/add/",
        {
            "school": pupil.school.pk,
            "pupil_number": "555",
            "first_name": "Noah",
            "last_name": "Jansen",
            "date_of_birth": "2018-03-01",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Dit leerlingnummer bestaat al op deze school." in response.content.decode()
    assert Pupil.objects.filter(pupil_number="555").count() == 1


def test_admin_form_refuses_group_of_another_school_and_saves_nothing(admin_client_logged_in):
    pupil_school = f.SchoolFactory()
    foreign_group = f.GroupFactory()
    response = admin_client_logged_in.post(
        "/beheer/schools/pupil/add/",
        {
            "school": pupil_school.pk,
            "pupil_number": "777",
            "first_name": "Lina",
            "last_name": "Kaya",
            "date_of_birth": "2017-09-01",
            "enrolments-TOTAL_FORMS": "1",
            "enrolments-INITIAL_FORMS": "0",
            "enrolments-0-group": foreign_group.pk,
            "enrolments-0-school_year": foreign_group.school_year.pk,
        },
    )
    assert response.status_code == 200
    assert "Deze groep hoort bij een andere school dan de leerling." in response.content.decode()
    assert not Pupil.objects.filter(pupil_number="777").exists()


def test_admin_form_explains_unreachable_guardian_in_dutch(admin_client_logged_in):
    family = f.FamilyFactory()
    response = admin_client_logged_in.post(
        "/beheer/parents/guardian/add/",
        {
            "family": family.pk,
            "first_name": "Ayşe",
            "last_name": "Yılmaz",
            "email": "",
            "phone": "",
            "language": "tr",
            "preferred_channels": "[]",
            "pupil_links-TOTAL_FORMS": "0",
            "pupil_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Vul een e-mailadres of een telefoonnummer in" in response.content.decode()
    assert not Guardian.objects.exists()
