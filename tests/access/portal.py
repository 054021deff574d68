"""The parent portal and the staff list of what guardians told the school."""

from tests.access.matrix import GUARDIAN_ONLY, STAFF_ONLY, Case, expect
from tests.portal.factories import GuardianMessageFactory

# Pages about the guardian themself: a guardian whose access to a child was blocked still has
# their own preferences and data.
OWN_PAGES = expect(anonymous=302, guardian=200, blocked_guardian=200)


def _message(school_world):
    return GuardianMessageFactory(guardian=school_world.guardian, pupil=school_world.pupil)


CASES = [
    Case(
        "parents:portal-child-detail",
        own=lambda w: {"pk": w.s1.pupil.pk},
        foreign=lambda w: {"pk": w.s3.pupil.pk},
        expect=GUARDIAN_ONLY,
    ),
    Case(
        "parents:portal-child-detail",
        label="a child of another family at the same board",
        own=lambda w: {"pk": w.s2.pupil.pk},
        expect=expect(anonymous=302),
    ),
    Case(
        "parents:portal-message-create",
        own=lambda w: {"pk": w.s1.pupil.pk},
        foreign=lambda w: {"pk": w.s3.pupil.pk},
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
    Case("parents:portal-preferences", own=lambda w: {}, expect=OWN_PAGES, methods=("get",)),
    # Issue 19: a guardian's own contact details, and the photo consent of their children (a
    # guardian whose access was blocked sees no child there, and answers for none).
    Case(
        "parents:portal-contact-details",
        own=lambda w: {},
        expect=OWN_PAGES,
        methods=("get", "post"),
    ),
    Case("parents:portal-photo-consent", own=lambda w: {}, expect=OWN_PAGES),
    # Children by name, per group: every staff member of the school (a teacher their own
    # groups), never the board.
    Case(
        "parents:photo-consent-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "parents:portal-information-request",
        own=lambda w: {},
        expect=OWN_PAGES,
        methods=("post",),
    ),
    # The language switch is open to everyone (also on the login page) and takes only POST.
    Case("parents:portal-language-set", own=lambda w: {}, expect=expect(default=405)),
    Case(
        "parents:guardian-message-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "parents:guardian-message-handle",
        own=lambda w: {"pk": _message(w.s1).pk},
        foreign=lambda w: {"pk": _message(w.s3).pk},
        # Staff are sent back to the list after marking it handled.
        expect=expect(
            anonymous=302,
            teacher=302,
            intern_begeleider=302,
            ouder_coordinator=302,
            director=302,
            board=404,
        ),
        methods=("post",),
    ),
]
