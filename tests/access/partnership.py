"""Who may open the partnership pages. The ouder-coördinator and the director plan; every staff
member of the school reads; the board reads the plan, the evaluations and the list of activities
(no family named); a guardian sees only their own invitations."""

from tests.access.matrix import GUARDIAN_ONLY, SCHOOL_AND_BOARD, STAFF_ONLY, Case, expect
from tests.world import CANARY

PLANNERS = expect(anonymous=302, ouder_coordinator=200, director=200, board=404)


def _activity(school):
    from tests.partnership.factories import ActivityFactory

    return ActivityFactory(school=school, title=f"Koffieochtend {school.name}")


def _invitation(side):
    from tests.partnership.factories import InvitationFactory

    return InvitationFactory(activity=_activity(side.school), family=side.family)


def _topic(school):
    from tests.partnership.factories import TopicFactory

    return TopicFactory(school=school, text=f"Onderwerp {CANARY if CANARY in school.name else ''}")


def activity_pk(side):
    return lambda w: {"pk": _activity(getattr(w, side).school).pk}


def school_pk(side):
    return lambda w: {"pk": getattr(w, side).school.pk}


def door(side):
    def kwargs(w):
        invitation = _invitation(getattr(w, side))
        return {"pk": invitation.activity_id, "family_pk": invitation.family_id}

    return kwargs


CASES = [
    Case(
        "partnership:activity-list",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=SCHOOL_AND_BOARD,
    ),
    Case(
        "partnership:activity-create",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:activity-detail",
        own=activity_pk("s1"),
        foreign=activity_pk("s3"),
        expect=STAFF_ONLY,
    ),
    Case(
        "partnership:activity-move",
        own=activity_pk("s1"),
        foreign=activity_pk("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:door-list",
        own=activity_pk("s1"),
        foreign=activity_pk("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:attendance-toggle",
        own=door("s1"),
        foreign=door("s3"),
        expect=PLANNERS,
        methods=("post",),
    ),
    Case(
        "partnership:attendance-add",
        own=activity_pk("s1"),
        foreign=activity_pk("s3"),
        expect=PLANNERS,
        methods=("post",),
    ),
    Case(
        "partnership:topic-list",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:topic-edit",
        own=lambda w: {"pk": _topic(w.s1.school).pk},
        foreign=lambda w: {"pk": _topic(w.s3.school).pk},
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:plan-detail",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=SCHOOL_AND_BOARD,
    ),
    Case(
        "partnership:plan-edit",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:area-edit",
        own=lambda w: {"pk": w.s1.school.pk, "partnership": "informal"},
        foreign=lambda w: {"pk": w.s3.school.pk, "partnership": "informal"},
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:evaluation-list",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=SCHOOL_AND_BOARD,
    ),
    Case(
        "partnership:evaluation-create",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:self-assessment-edit",
        own=lambda w: {"pk": w.s1.school.pk, "framework": "checklist"},
        foreign=lambda w: {"pk": w.s3.school.pk, "framework": "ob30"},
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:buddy-list",
        own=school_pk("s1"),
        foreign=school_pk("s3"),
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "partnership:invitation-list",
        own=lambda w: {},
        expect=expect(anonymous=302, guardian=200, blocked_guardian=200),
    ),
    Case(
        "partnership:topic-suggest", own=lambda w: {}, expect=GUARDIAN_ONLY, methods=("get", "post")
    ),
    Case(
        "partnership:invitation-respond",
        own=lambda w: {"pk": _invitation(w.s1).pk},
        foreign=lambda w: {"pk": _invitation(w.s3).pk},
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
]
