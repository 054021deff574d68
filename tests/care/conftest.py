import datetime
from dataclasses import dataclass

import pytest
import time_machine

from tests import factories as f

NOW = datetime.datetime(2026, 10, 6, 10, 0)  # a Tuesday in the first term of 2026-2027


@dataclass
class CareWorld:
    school: object
    other_school: object
    group: object
    pupil: object
    family: object
    guardian: object
    director: object
    teacher: object  # the teacher of the child's group, to whom the incident happens
    colleague: object  # another teacher of the school
    intern_begeleider: object
    board: object


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def care(db, now):
    school = f.SchoolFactory(holiday_region="midden", name="De Regenboog")
    other_school = f.SchoolFactory(board=school.board, name="De Linde")
    group = f.GroupFactory(school=school, name="5")
    pupil = f.PupilFactory(school=school, first_name="Yasmina")
    f.EnrolmentFactory(pupil=pupil, group=group)
    family = f.FamilyFactory(board=school.board, name="Gezin Bouzid")
    guardian = f.GuardianFactory(
        family=family, first_name="Karim", last_name="Bouzid", email="ouder@example.test"
    )
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    staff = {
        role: f.StaffMembershipFactory(school=school, role=role.rstrip("2")).user
        for role in ("director", "teacher", "teacher2", "intern_begeleider")
    }
    group.teachers.add(staff["teacher"], staff["teacher2"])
    board = f.StaffMembershipFactory(
        school=None, board=school.board, role="board", user=f.UserFactory()
    ).user
    return CareWorld(
        school,
        other_school,
        group,
        pupil,
        family,
        guardian,
        staff["director"],
        staff["teacher"],
        staff["teacher2"],
        staff["intern_begeleider"],
        board,
    )
