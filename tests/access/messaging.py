"""Who may open the translation pages: the school's whole-school staff (the texts include the
agreements of every family; a teacher sees only their own groups, the board no texts at all).

Conversations with parents and messages from school: staff pages, portal pages, the link in a
message.
"""

from messaging import services
from parents import portal_services
from tests.access.matrix import GUARDIAN_ONLY, STAFF_ONLY, WHOLE_SCHOOL_ONLY, Case, expect


def _text(school):
    from messaging.models import Translation

    return Translation.objects.create(
        school=school,
        source_hash=f"{school.pk:064d}",
        source_language="nl",
        language="tr",
        original=f"Koffieochtend van {school.name}",
    )


TRANSLATION_CASES = [
    Case(
        "messaging:translation-list",
        own=lambda w: {"school_id": w.s1.school.pk},
        foreign=lambda w: {"school_id": w.s3.school.pk},
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "messaging:translation-edit",
        own=lambda w: {"school_id": w.s1.school.pk, "pk": _text(w.s1.school).pk},
        foreign=lambda w: {"school_id": w.s3.school.pk, "pk": _text(w.s3.school).pk},
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "messaging:translation-edit",
        label="another school's text under the own school's address",
        own=lambda w: {"school_id": w.s1.school.pk, "pk": _text(w.s3.school).pk},
        expect=expect(anonymous=302),
    ),
    Case(
        "messaging:translation-edit",
        label="saving",
        own=lambda w: {"school_id": w.s1.school.pk, "pk": _text(w.s1.school).pk},
        foreign=lambda w: {"school_id": w.s3.school.pk, "pk": _text(w.s3.school).pk},
        expect=expect(
            anonymous=302, intern_begeleider=200, ouder_coordinator=200, director=200, board=404
        ),
        methods=("post",),
    ),
]


OWN_PAGES = expect(anonymous=302, guardian=200, blocked_guardian=200)


def _thread(school_world):
    return portal_services.send_guardian_message(
        guardian=school_world.guardian,
        pupil=school_world.pupil,
        kind="call_request",
        text="Bel mij na 17 uur.",
    ).thread


def _announcement(world, school_world):
    """S1: the group 5 teacher writes to group 5; S3: its director to the whole school."""
    if school_world is world.s1:
        return services.send_announcement(
            school=school_world.school,
            by=world.users["teacher"],
            audience="groups",
            groups=[school_world.group],
            subject="Schoolreis",
            body="Donderdag naar het strand.",
        )
    return services.send_announcement(
        school=school_world.school,
        by=school_world.director,
        audience="school",
        subject="Studiedag",
        body="Vrijdag vrij.",
    )


CASES = [
    Case(
        "messaging:message-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "messaging:announcement-create",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "messaging:school-terms-edit",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=expect(anonymous=302, director=200),
        methods=("get", "post"),
    ),
    Case(
        "messaging:family-messages",
        own=lambda w: {"pk": w.s1.family.pk},
        foreign=lambda w: {"pk": w.s3.family.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "messaging:thread-detail",
        own=lambda w: {"pk": _thread(w.s1).pk},
        foreign=lambda w: {"pk": _thread(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "messaging:thread-close",
        own=lambda w: {"pk": _thread(w.s1).pk},
        foreign=lambda w: {"pk": _thread(w.s3).pk},
        # Staff are sent back to the conversation.
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
    Case(
        "messaging:announcement-detail",
        own=lambda w: {"pk": _announcement(w, w.s1).pk},
        foreign=lambda w: {"pk": _announcement(w, w.s3).pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "messaging:announcement-detail",
        label="a message to the whole school: not for a teacher (it names every family)",
        own=lambda w: {
            "pk": services.send_announcement(
                school=w.s1.school,
                by=w.s1.director,
                audience="school",
                subject="Kerst",
                body="Donderdag kerstviering.",
            ).pk
        },
        expect=expect(anonymous=302, intern_begeleider=200, ouder_coordinator=200, director=200),
    ),
    Case("messaging:portal-inbox", own=lambda w: {}, expect=OWN_PAGES),
    Case(
        "messaging:portal-thread-detail",
        own=lambda w: {"pk": _thread(w.s1).pk},
        foreign=lambda w: {"pk": _thread(w.s3).pk},
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "messaging:portal-announcement-detail",
        own=lambda w: {"pk": _announcement(w, w.s1).pk},
        foreign=lambda w: {"pk": _announcement(w, w.s3).pk},
        expect=GUARDIAN_ONLY,
    ),
    # The link in a message is the key to that one message, whoever follows it.
    Case(
        "messaging:read-link",
        own=lambda w: {"token": _announcement(w, w.s1).recipients.first().token},
        expect=expect(default=200),
    ),
]

CASES += TRANSLATION_CASES
