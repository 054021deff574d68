"""Who may open the translation pages: the school's whole-school staff (the texts include the
agreements of every family; a teacher sees only their own groups, the board no texts at all)."""

from tests.access.matrix import WHOLE_SCHOOL_ONLY, Case, expect


def _text(school):
    from messaging.models import Translation

    return Translation.objects.create(
        school=school,
        source_hash=f"{school.pk:064d}",
        source_language="nl",
        language="tr",
        original=f"Koffieochtend van {school.name}",
    )


CASES = [
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
