"""A small school for the absence tests: a group with a teacher, a pupil whose mother reads
Arabic, the director and the IB'er who is the fixed contact person."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from schools.models import SchoolYear
from tests import factories as f

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


@dataclass
class AbsenceSchool:
    school: object
    group: object
    pupil: object
    guardian: object
    teacher: object
    director: object
    ib: object


@pytest.fixture(autouse=True)
def _dutch():
    """Services answer in the active language; another test's request may have left one on."""
    with translation.override("nl"):
        yield


@pytest.fixture
def travel():
    """Freeze time at a moment: ``travel(at(day, 7, 50))``."""
    machines = []

    def go(moment):
        machine = time_machine.travel(moment, tick=False)
        machine.start()
        machines.append(machine)

    yield go
    for machine in reversed(machines):
        machine.stop()


@pytest.fixture
def place(db):
    year = SchoolYear.objects.get_or_create(
        label="2026-2027",
        defaults={"start": datetime.date(2026, 8, 1), "end": datetime.date(2027, 7, 31)},
    )[0]
    school = f.SchoolFactory(name="De Linde")
    group = f.GroupFactory(school=school, school_year=year, name="5")
    pupil = f.PupilFactory(school=school, first_name="Yasmina", last_name="Bouzid")
    f.EnrolmentFactory(pupil=pupil, group=group)
    guardian = f.GuardianFactory(
        first_name="Samira", last_name="Bouzid", language="ar", user=f.UserFactory()
    )
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    teacher = f.StaffMembershipFactory(school=school, role="teacher").user
    group.teachers.add(teacher)
    director = f.StaffMembershipFactory(school=school, role="director").user
    ib = f.StaffMembershipFactory(
        school=school, role="intern_begeleider", phone="070 123 45 67"
    ).user
    return AbsenceSchool(school, group, pupil, guardian, teacher, director, ib)
