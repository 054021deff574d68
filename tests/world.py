"""The fixture world of the isolation tests (see the reliability plan):

board B1 with schools S1 and S2, board B2 with school S3; in each school two groups, pupils and
families; in S1 one user per role, a board member of B1, a guardian, and a guardian whose access the
school blocked. Objects of S3 carry a canary name that must never appear in an S1 user's page.
"""

from dataclasses import dataclass

from tests import factories as f

CANARY = "Kanarievogel"


@dataclass
class SchoolWorld:
    school: object
    group: object
    other_group: object
    pupil: object
    guardian: object
    family: object
    director: object
    director_membership: object


@dataclass
class World:
    b1: object
    b2: object
    s1: SchoolWorld
    s2: SchoolWorld
    s3: SchoolWorld
    users: dict  # principal name -> user (None for anonymous)

    def school(self, name):
        return getattr(self, name)


PRINCIPALS = [
    "anonymous",
    "guardian",
    "blocked_guardian",
    "teacher",
    "intern_begeleider",
    "ouder_coordinator",
    "director",
    "board",
    "foreign_director",
]


def _school_world(board, name, canary=""):
    school = f.SchoolFactory(board=board, name=f"{name} {canary}".strip())
    group = f.GroupFactory(school=school, name="5")
    other_group = f.GroupFactory(school=school, name="6")
    pupil = f.PupilFactory(school=school, first_name=canary or "Sem", last_name=f"{name}kind")
    f.EnrolmentFactory(pupil=pupil, group=group)
    family = f.FamilyFactory(board=board, name=f"Gezin {canary or name}")
    guardian = f.GuardianFactory(family=family, first_name=canary or "Ouder")
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    membership = f.StaffMembershipFactory(school=school, role="director")
    return SchoolWorld(
        school, group, other_group, pupil, guardian, family, membership.user, membership
    )


def build_world():
    b1, b2 = f.BoardFactory(name="Bestuur Een"), f.BoardFactory(name="Bestuur Twee")
    s1 = _school_world(b1, "S1")
    s2 = _school_world(b1, "S2", canary="Zusje")
    s3 = _school_world(b2, "S3", canary=CANARY)
    users = {"anonymous": None, "director": s1.director, "foreign_director": s3.director}
    for role in ("teacher", "intern_begeleider", "ouder_coordinator"):
        users[role] = f.StaffMembershipFactory(school=s1.school, role=role).user
    s1.group.teachers.add(users["teacher"])
    users["board"] = f.StaffMembershipFactory(
        school=None, board=b1, role="board", user=f.UserFactory()
    ).user
    guardian_user = f.UserFactory()
    s1.guardian.user = guardian_user
    s1.guardian.save()
    users["guardian"] = guardian_user
    blocked = f.GuardianFactory(family=s1.family, user=f.UserFactory())
    f.PupilGuardianFactory(
        pupil=s1.pupil, guardian=blocked, access_blocked_reason="Besluit van de rechter"
    )
    users["blocked_guardian"] = blocked.user
    return World(b1, b2, s1, s2, s3, users)
