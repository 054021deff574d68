"""Who may open the reminder pages: the school's whole-school staff (a teacher sees only their own
groups' families, so not a page with every family's messages; the board sees no names)."""

from tests.access.matrix import WHOLE_SCHOOL_ONLY, Case, expect


def _row(school):
    from tests.reminders.factories import ReminderFactory

    return ReminderFactory(school_id=school.pk, status="failed", recipient_name=school.name)


def _stop_token(w):
    from reminders.dispatch import stop_url

    return {"token": stop_url(_row(w.s1.school)).rstrip("/").rsplit("/", 1)[-1]}


CASES = [
    Case(
        "reminders:outbox-list",
        own=lambda w: {"school_id": w.s1.school.pk},
        foreign=lambda w: {"school_id": _row(w.s3.school).school_id},
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "reminders:reminder-resend",
        own=lambda w: {"school_id": w.s1.school.pk, "pk": _row(w.s1.school).pk},
        foreign=lambda w: {"school_id": w.s3.school.pk, "pk": _row(w.s3.school).pk},
        expect=expect(
            anonymous=302, intern_begeleider=302, ouder_coordinator=302, director=302, board=404
        ),
        methods=("post",),
    ),
    Case(
        "reminders:reminder-resend",
        label="another school's row under the own school's address",
        own=lambda w: {"school_id": w.s1.school.pk, "pk": _row(w.s3.school).pk},
        expect=expect(anonymous=302),
        methods=("post",),
    ),
    Case(
        "reminders:failed-resend",
        own=lambda w: {"school_id": _row(w.s1.school).school_id},
        foreign=lambda w: {"school_id": _row(w.s3.school).school_id},
        expect=expect(
            anonymous=302, intern_begeleider=302, ouder_coordinator=302, director=302, board=404
        ),
        methods=("post",),
    ),
    Case(
        "reminders:rule-switch",
        own=lambda w: {"school_id": w.s1.school.pk, "rule": "parents.welcome"},
        foreign=lambda w: {"school_id": w.s3.school.pk, "rule": "parents.welcome"},
        expect=expect(anonymous=302, director=302, board=404),
        methods=("post",),
    ),
    Case("reminders:stop", own=_stop_token, expect=expect(default=200)),
]
