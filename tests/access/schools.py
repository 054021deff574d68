"""Who may open the pages of the schools app. Statuses for S1's own objects; every S1 principal gets
404 for the same page with S3's objects (see test_url_access)."""

from tests.access.matrix import SCHOOL_AND_BOARD, STAFF_ONLY, WHOLE_SCHOOL_ONLY, Case, expect

CASES = [
    Case(
        "schools:my-messages-edit",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "home",
        own=lambda w: {},
        expect=expect(
            anonymous=302,
            guardian=302,
            blocked_guardian=302,
            # Staff of a school: their home with what to do now.
            director=200,
            teacher=200,
            intern_begeleider=200,
            ouder_coordinator=200,
            board=200,
            foreign_director=200,
        ),
    ),
    Case("healthz", own=lambda w: {}, expect=expect(default=200)),
    Case(
        "schools:school-detail",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=SCHOOL_AND_BOARD,
    ),
    Case(
        "schools:pupil-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "schools:group-detail",
        own=lambda w: {"pk": w.s1.group.pk},
        foreign=lambda w: {"pk": w.s3.group.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "schools:group-detail",
        label="a group the teacher does not teach",
        own=lambda w: {"pk": w.s1.other_group.pk},
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "schools:pupil-detail",
        own=lambda w: {"pk": w.s1.pupil.pk},
        foreign=lambda w: {"pk": w.s3.pupil.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "schools:who-does-what",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=expect(default=200, anonymous=302, blocked_guardian=404, foreign_director=404),
    ),
    Case(
        "schools:who-does-what-edit",
        own=lambda w: {"pk": w.s1.school.pk, "membership_pk": w.s1.director_membership.pk},
        foreign=lambda w: {"pk": w.s3.school.pk, "membership_pk": w.s3.director_membership.pk},
        expect=expect(default=404, anonymous=302, director=200, board=200),
        methods=("get", "post"),
    ),
]
