import datetime
from dataclasses import dataclass

import pytest
import time_machine

from tests import factories as f

TODAY = datetime.date(2026, 9, 15)  # a Tuesday in the first term of 2026-2027


@dataclass
class Home:
    school: object
    year: object
    group: object
    pupil: object
    family: object
    guardian: object
    teacher: object


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=False):
        yield TODAY


@pytest.fixture
def home(db, today):
    """One family with one child in group 5 of a school in region midden, and its teacher."""
    school = f.SchoolFactory(holiday_region="midden")
    group = f.GroupFactory(school=school, name="5")
    pupil = f.PupilFactory(school=school, first_name="Yasmina")
    f.EnrolmentFactory(pupil=pupil, group=group)
    family = f.FamilyFactory(board=school.board, name="Gezin Bouzid")
    guardian = f.GuardianFactory(family=family, phone="0612345678", email="ouder@example.test")
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    teacher = f.StaffMembershipFactory(school=school, role="teacher").user
    group.teachers.add(teacher)
    return Home(school, group.school_year, group, pupil, family, guardian, teacher)
