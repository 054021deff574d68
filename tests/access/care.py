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


def _feedback(school_world):
    from care import services

    guardian = school_world.guardian
    return services.submit_feedback(
        guardian=guardian, school=school_world.school, kind="complaint", text="Het hek"
    )


def _own_feedback(w):
    return {"pk": _feedback(w.s1).pk}


def _foreign_feedback(w):
    return {"pk": _feedback(w.s3).pk}


# Ideas and complaints are handled by the director, the IB'er and the ouder-coördinator (and
# whom they assign one to); a teacher of the school does not see them unasked, the board reads
# the counts only.
FEEDBACK_HANDLERS = expect(
    anonymous=302, intern_begeleider=200, ouder_coordinator=200, director=200
)
A_GUARDIAN = expect(anonymous=302, guardian=200, blocked_guardian=200)

CASES += [
    Case("care:feedback-portal-list", own=lambda w: {}, expect=A_GUARDIAN),
    Case(
        "care:feedback-portal-create",
        own=lambda w: {},
        expect=A_GUARDIAN,
        methods=("get", "post"),
    ),
    Case(
        "care:feedback-portal-detail",
        own=_own_feedback,
        foreign=_foreign_feedback,
        expect=expect(anonymous=302, guardian=200),
    ),
    Case(
        "care:feedback-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=FEEDBACK_HANDLERS,
    ),
    Case(
        "care:feedback-detail",
        own=_own_feedback,
        foreign=_foreign_feedback,
        expect=FEEDBACK_HANDLERS,
    ),
    *(
        Case(
            name,
            own=_own_feedback,
            foreign=_foreign_feedback,
            expect=FEEDBACK_HANDLERS,
            methods=("post",),
        )
        for name in ("care:feedback-assign", "care:feedback-answer", "care:feedback-close")
    ),
    *(
        Case(
            name,
            own=lambda w: {"pk": w.s1.school.pk},
            foreign=lambda w: {"pk": w.s3.school.pk},
            expect=DIRECTOR_ONLY,
            methods=("get", "post"),
        )
        for name in ("care:complaints-procedure-edit", "care:changes-edit")
    ),
]


# The support plan (opp) and meetings about a child: the IB'er and the director record and plan;
# the teacher of the child's group reads; the ouder-coördinator, other teachers and the board do
# not see them; in the portal only a guardian with parental authority and access.


def _plan(school_world, document=False):
    import datetime

    from django.core.files.base import ContentFile

    from care import services

    return services.record_support_plan(
        pupil=school_world.pupil,
        by=school_world.director,
        goals="Lezen op niveau.",
        evaluation_on=datetime.date.today() + datetime.timedelta(days=90),
        document=ContentFile(b"%PDF-1.4\n%%EOF\n", name="opp.pdf") if document else None,
    )


def _meeting(school_world):
    from care import services

    return services.plan_meeting(
        pupil=school_world.pupil,
        kind="zorgoverleg",
        purpose="Hulp bij lezen",
        by=school_world.director,
    )


def _pk(make, **extra):
    return lambda side: lambda w: {"pk": make(getattr(w, side), **extra).pk}


PLAN_READERS = expect(anonymous=302, teacher=200, intern_begeleider=200, director=200)
SUPPORT_PLANNERS = expect(anonymous=302, intern_begeleider=200, director=200)
DECIDING_GUARDIAN = expect(anonymous=302, guardian=200)
_pupil_pk = {
    "own": lambda w: {"pk": w.s1.pupil.pk},
    "foreign": lambda w: {"pk": w.s3.pupil.pk},
}

CASES += [
    *(
        Case(name, **_pupil_pk, expect=SUPPORT_PLANNERS, methods=("get", "post"))
        for name in ("care:plan-create", "care:meeting-create", "care:involvement-create")
    ),
    Case(
        "care:plan-detail",
        own=_pk(_plan)("s1"),
        foreign=_pk(_plan)("s3"),
        expect=PLAN_READERS,
    ),
    Case(
        "care:plan-document",
        own=_pk(_plan, document=True)("s1"),
        foreign=_pk(_plan, document=True)("s3"),
        expect=expect(
            anonymous=302, guardian=200, teacher=200, intern_begeleider=200, director=200
        ),
    ),
    Case(
        "care:meeting-detail",
        own=_pk(_meeting)("s1"),
        foreign=_pk(_meeting)("s3"),
        expect=PLAN_READERS,
    ),
    *(
        Case(
            name,
            own=_pk(_meeting)("s1"),
            foreign=_pk(_meeting)("s3"),
            expect=SUPPORT_PLANNERS,
            methods=("post",),
        )
        for name in ("care:meeting-schedule", "care:meeting-attendee-add")
    ),
    Case(
        "care:plan-portal-detail",
        own=_pk(_plan)("s1"),
        foreign=_pk(_plan)("s3"),
        expect=DECIDING_GUARDIAN,
        methods=("get", "post"),
    ),
    Case(
        "care:meeting-portal-detail",
        own=_pk(_meeting)("s1"),
        foreign=_pk(_meeting)("s3"),
        expect=DECIDING_GUARDIAN,
        methods=("get", "post"),
    ),
]
