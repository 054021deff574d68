from schools.models import SchoolYear
from tests.access.matrix import STAFF_ONLY, Case, expect
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory


def _plan(school_world):
    return CommunicationPlanFactory(
        family=school_world.family,
        school_year=SchoolYear.current(),
        agreed_on=SchoolYear.current().start,
    )


def _agreement(school_world):
    return AgreementFactory(
        plan=_plan(school_world),
        pupil=school_world.pupil,
        responsible=school_world.director,
        schedule="weekly",
        on_date=None,
    )


def _moment(school_world):
    agreement = _agreement(school_world)
    return agreement.moments.create(due_on=agreement.plan.agreed_on)


EVERY_STAFF_MEMBER = expect(
    anonymous=302,
    teacher=200,
    intern_begeleider=200,
    ouder_coordinator=200,
    director=200,
    board=404,
    foreign_director=200,
)

CASES = [
    Case(
        "parents:portal-home",
        own=lambda w: {},
        expect=expect(anonymous=302, guardian=200, blocked_guardian=200),
    ),
    Case(
        "parents:portal-plan",
        own=lambda w: _plan(w.s1) and {},
        expect=expect(anonymous=302, guardian=200, blocked_guardian=200),
    ),
    Case(
        "parents:family-detail",
        own=lambda w: {"pk": w.s1.family.pk},
        foreign=lambda w: {"pk": w.s3.family.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "parents:contact-log-create",
        own=lambda w: {"pk": w.s1.family.pk},
        foreign=lambda w: {"pk": w.s3.family.pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "parents:plan-edit",
        own=lambda w: {"pk": w.s1.family.pk},
        foreign=lambda w: {"pk": _plan(w.s3).family_id},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "parents:agreement-create",
        own=lambda w: {"pk": _plan(w.s1).family_id},
        foreign=lambda w: {"pk": _plan(w.s3).family_id},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "parents:agreement-edit",
        own=lambda w: {"pk": _agreement(w.s1).pk},
        foreign=lambda w: {"pk": _agreement(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case("parents:this-week", own=lambda w: {}, expect=EVERY_STAFF_MEMBER),
    Case(
        "parents:moment-hold",
        own=lambda w: {"pk": _moment(w.s1).pk},
        foreign=lambda w: {"pk": _moment(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "parents:year-calendar",
        own=lambda w: _moment(w.s1) and {"pk": w.s1.school.pk},
        foreign=lambda w: _moment(w.s3) and {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "parents:year-calendar-ics",
        own=lambda w: _moment(w.s1) and {"pk": w.s1.school.pk},
        foreign=lambda w: _moment(w.s3) and {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "parents:moment-miss",
        own=lambda w: {"pk": _moment(w.s1).pk},
        foreign=lambda w: {"pk": _moment(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "parents:moment-move",
        own=lambda w: {"pk": _moment(w.s1).pk},
        foreign=lambda w: {"pk": _moment(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "parents:family-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
]


# --- private calendar feeds ----------------------------------------------------------------------


def _calendar_feed(w):
    from parents.models import CalendarFeed

    feed, _created = CalendarFeed.objects.get_or_create(user=w.users["teacher"])
    return feed.token


CASES += [
    Case(
        "parents:my-calendar-feed",
        own=lambda w: {},
        expect=expect(
            anonymous=302,
            teacher=200,
            intern_begeleider=200,
            ouder_coordinator=200,
            director=200,
            board=200,
            foreign_director=200,
        ),
    ),
    Case(
        "parents:portal-calendar-feed",
        own=lambda w: {},
        expect=expect(anonymous=302, guardian=200, blocked_guardian=200),
    ),
    # No session: the long token is the key, for whoever asks (a calendar app).
    Case("parents:calendar-feed", own=lambda w: {"token": _calendar_feed(w)}, expect=expect(200)),
]
