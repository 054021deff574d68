"""Absence: the group's reports for the staff who see the group, leave and the school's settings
for the director (who decides, Leerplichtwet art. 11 and 14), and the guardian's own pages. The
board sees none of it: every page names children."""

import datetime

from django.core.files.base import ContentFile

from absence.models import AttendanceCase, InfoCard, LeaveRequest
from schools.models import SchoolYear
from tests.access.matrix import GUARDIAN_ONLY, STAFF_ONLY, Case, expect

DIRECTOR_ONLY = expect(anonymous=302, director=200)
# A guardian whose access to a child was blocked still has their own (empty) pages.
OWN_PAGES = expect(anonymous=302, guardian=200, blocked_guardian=200)


def _leave(school_world, statement=False):
    first = datetime.date.today() + datetime.timedelta(days=60)
    leave = LeaveRequest(
        pupil=school_world.pupil,
        guardian=school_world.guardian,
        school_year=SchoolYear.for_date(first),
        kind="important",
        first_day=first,
        last_day=first,
        school_days=1,
        reason="Bruiloft",
    )
    if statement:
        leave.kind = "holiday"
        leave.employer_statement.save("verklaring.pdf", ContentFile(b"%PDF-1.4"), save=False)
    leave.save()
    return leave


def _case(school_world):
    return AttendanceCase.objects.create(
        pupil=school_world.pupil,
        absent_on=datetime.date.today(),
        opened_by=school_world.director,
        contact_person=school_world.director,
    )


def _card(school_world):
    InfoCard.objects.get_or_create(
        school=school_world.school,
        school_year=SchoolYear.current(),
        defaults={"published_by": school_world.director},
    )
    return {"pk": school_world.school.pk}


CASES = [
    Case(
        "absence:group-reports",
        own=lambda w: {"pk": w.s1.group.pk},
        foreign=lambda w: {"pk": w.s3.group.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "absence:group-reports",
        label="a group the teacher does not teach",
        own=lambda w: {"pk": w.s1.other_group.pk},
        expect={**STAFF_ONLY, "teacher": 404},
    ),
    Case(
        "absence:pupil-mark-absent",
        own=lambda w: {"pk": w.s1.pupil.pk},
        foreign=lambda w: {"pk": w.s3.pupil.pk},
        expect=expect(
            anonymous=302, teacher=302, intern_begeleider=302, ouder_coordinator=302, director=302
        ),
        methods=("post",),
    ),
    Case(
        "absence:case-close",
        own=lambda w: {"pk": _case(w.s1).pk},
        foreign=lambda w: {"pk": _case(w.s3).pk},
        expect=expect(
            anonymous=302, teacher=302, intern_begeleider=302, ouder_coordinator=302, director=302
        ),
        methods=("post",),
    ),
    Case(
        "absence:settings-edit",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=DIRECTOR_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "absence:leave-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=DIRECTOR_ONLY,
    ),
    Case(
        "absence:leave-detail",
        own=lambda w: {"pk": _leave(w.s1).pk},
        foreign=lambda w: {"pk": _leave(w.s3).pk},
        expect=DIRECTOR_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "absence:leave-statement",
        own=lambda w: {"pk": _leave(w.s1, statement=True).pk},
        foreign=lambda w: {"pk": _leave(w.s3, statement=True).pk},
        expect=DIRECTOR_ONLY,
    ),
    Case(
        "absence:info-card-edit",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=DIRECTOR_ONLY,
        methods=("get", "post"),
    ),
    Case("absence:portal-overview", own=lambda w: {}, expect=OWN_PAGES),
    Case("absence:portal-report", own=lambda w: {}, expect=OWN_PAGES, methods=("get", "post")),
    Case("absence:portal-leave", own=lambda w: {}, expect=OWN_PAGES, methods=("get", "post")),
    Case(
        "absence:portal-info-card",
        own=lambda w: _card(w.s1),
        foreign=lambda w: _card(w.s3),
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
]
