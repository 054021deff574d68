"""Care and safety. An incident is seen by the director, the staff member it happened to (here
the world's teacher) and whom the director adds: a 404 for every other colleague and for the
board, which reads only the counts."""

from tests.access.matrix import STAFF_ONLY, Case, expect
from tests.care.factories import IncidentFactory


def _incident(school_world, staff_member):
    return IncidentFactory(
        school=school_world.school, guardian=school_world.guardian, staff_member=staff_member
    )


def _own_incident(w):
    return {"pk": _incident(w.s1, w.users["teacher"]).pk}


def _foreign_incident(w):
    return {"pk": _incident(w.s3, w.s3.director).pk}


THE_INCIDENT = expect(anonymous=302, teacher=200, director=200)
DIRECTOR_ONLY = expect(anonymous=302, director=200)

CASES = [
    Case(
        "care:incident-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "care:incident-create",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "care:incident-detail",
        own=_own_incident,
        foreign=_foreign_incident,
        expect=THE_INCIDENT,
    ),
    *(
        Case(
            name,
            own=_own_incident,
            foreign=_foreign_incident,
            expect=DIRECTOR_ONLY,
            methods=("post",),
        )
        for name in (
            "care:incident-follow-up",
            "care:incident-reader-add",
            "care:incident-withhold",
            "care:incident-arrangement",
        )
    ),
    Case(
        "care:incident-figures",
        own=lambda w: {"pk": w.b1.pk},
        foreign=lambda w: {"pk": w.b2.pk},
        expect=expect(anonymous=302, director=200, board=200),
    ),
    Case(
        "care:protocol-detail",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "care:protocol-edit",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=DIRECTOR_ONLY,
        methods=("get", "post"),
    ),
]
