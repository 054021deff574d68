"""Privacy pages: the audit log for the director, blocking access and the family export for those
who keep the records (director, IB'er; not the board), a guardian's own data, security.txt."""

from tests.access.matrix import Case, expect


def _link(school_world):
    link = school_world.pupil.guardian_links.get(guardian=school_world.guardian)
    return {"pk": school_world.pupil.pk, "link_pk": link.pk}


CASES = [
    Case(
        "privacy:pupil-log",
        own=lambda w: {"pk": w.s1.pupil.pk},
        foreign=lambda w: {"pk": w.s3.pupil.pk},
        expect=expect(anonymous=302, director=200, board=404),
    ),
    Case(
        "privacy:guardian-access",
        own=lambda w: _link(w.s1),
        foreign=lambda w: _link(w.s3),
        expect=expect(anonymous=302, intern_begeleider=200, director=200, board=404),
        methods=("get", "post"),
    ),
    Case(
        "privacy:family-export",
        own=lambda w: {"pk": w.s1.family.pk},
        foreign=lambda w: {"pk": w.s3.family.pk},
        expect=expect(anonymous=302, intern_begeleider=200, director=200, board=404),
    ),
    Case(
        "privacy:my-data",
        own=lambda w: {},
        expect=expect(anonymous=302, guardian=200, blocked_guardian=200),
    ),
    Case("privacy:security-txt", own=lambda w: {}, expect=expect(default=200)),
]
