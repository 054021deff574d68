import datetime

import pytest
import time_machine

from conversations import services
from tests import factories as f
from tests.conversations.factories import WINDOW_START, RoundFactory, at


@pytest.fixture
def frozen():
    """Two weeks before the window of 2026-2027: parents can book, slots lie ahead."""
    with time_machine.travel(at(WINDOW_START - datetime.timedelta(days=14), 9), tick=False) as t:
        yield t


class Setup:
    """One school with a round, an IB'er, a teacher of group 5, and the Bouzid family: two
    children (group 5 and group 6) whose mother has a portal account."""

    def __init__(self):
        self.school = f.SchoolFactory(name="De Regenboog")
        self.year = f.SchoolYearFactory()
        self.ib = f.StaffMembershipFactory(school=self.school, role="intern_begeleider").user
        self.teacher = f.StaffMembershipFactory(school=self.school, role="teacher").user
        self.teacher6 = f.StaffMembershipFactory(school=self.school, role="teacher").user
        self.group = f.GroupFactory(school=self.school, school_year=self.year, name="5")
        self.group6 = f.GroupFactory(school=self.school, school_year=self.year, name="6")
        self.group.teachers.add(self.teacher)
        self.group6.teachers.add(self.teacher6)
        self.family = f.FamilyFactory(board=self.school.board, name="Gezin Bouzid")
        self.mother = f.GuardianFactory(
            family=self.family, first_name="Samira", language="ar", user=f.UserFactory()
        )
        self.child = f.PupilFactory(school=self.school, first_name="Ilyas")
        self.sibling = f.PupilFactory(school=self.school, first_name="Yasmina")
        f.EnrolmentFactory(pupil=self.child, group=self.group)
        f.EnrolmentFactory(pupil=self.sibling, group=self.group6)
        for pupil in (self.child, self.sibling):
            f.PupilGuardianFactory(pupil=pupil, guardian=self.mother)
        self.round = RoundFactory(school=self.school, school_year=self.year, created_by=self.ib)
        services.invite_families(round=self.round, by=self.ib)
        self.conversation = self.round.conversations.get(pupil=self.child)
        self.sibling_conversation = self.round.conversations.get(pupil=self.sibling)

    def slots(self, staff=None, hour=8, until=10, day=WINDOW_START):
        return services.generate_slots(
            round=self.round,
            staff=staff or self.teacher,
            day=day,
            start=datetime.time(hour),
            end=datetime.time(until),
            by=self.ib,
        )


@pytest.fixture
def setup(db, frozen):
    return Setup()
