"""Who may open the pages of the start conversations. Objects are made on first use for the
school the case asks about (S1 own, S3 foreign)."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from conversations.models import (
    Booking,
    CalendarFeed,
    ConversationAgreement,
    Invitation,
    PortfolioItem,
    Round,
    Slot,
    StartConversation,
)
from schools.models import Enrolment, Pupil
from tests.access.matrix import GUARDIAN_ONLY, STAFF_ONLY, WHOLE_SCHOOL_ONLY, Case, expect

PLANNERS = expect(anonymous=302, intern_begeleider=200, director=200, board=404)
NO_OBJECT_STAFF = expect(
    anonymous=302,
    teacher=200,
    intern_begeleider=200,
    ouder_coordinator=200,
    director=200,
    board=404,
    foreign_director=200,
)


def _round(s):
    year = s.group.school_year
    round_, _created = Round.objects.get_or_create(
        school=s.school,
        school_year=year,
        kind="start",
        defaults={
            "window_start": year.start,
            "window_end": year.end,
            "created_by": s.director,
            "modes": ["school", "phone"],
            "opened_at": timezone.now(),
            "booking_opens_on": year.start,
        },
    )
    return round_


def _conversation(s):
    round_ = _round(s)
    conversation, _created = StartConversation.objects.get_or_create(
        pupil=s.pupil,
        round=round_,
        defaults={"school_year": round_.school_year, "group": s.group},
    )
    return conversation


def _slot(s, offset):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2, hours=offset)
    return Slot.objects.create(
        round=_round(s),
        staff=s.director,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20),
    )


def _free_slot(s):
    """A free slot, made again after a case took it away."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=3)
    slot, _created = Slot.objects.get_or_create(
        round=_round(s),
        staff=s.director,
        starts_at=start,
        defaults={"ends_at": start + datetime.timedelta(minutes=20)},
    )
    return slot


def _booking(s):
    conversation = _conversation(s)
    booking = conversation.bookings.first()
    if booking is None:
        booking = Booking.objects.create(
            slot=_slot(s, 0), conversation=conversation, family=s.family, booked_by=s.director
        )
    return booking


def _agreement(s):
    return ConversationAgreement.objects.create(
        conversation=_conversation(s),
        what="Bellen",
        channel="phone",
        responsible=s.director,
        schedule="monthly",
    )


def _invitation(s):
    invitation, _created = Invitation.objects.get_or_create(
        round=_round(s), family=s.family, defaults={"language": "nl"}
    )
    return invitation


def _feed(w):
    feed, _created = CalendarFeed.objects.get_or_create(user=w.users["teacher"])
    return feed.token


CASES = [
    Case(
        "conversations:round-list",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "conversations:round-detail",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "conversations:round-edit",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "conversations:round-open",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=PLANNERS,
        methods=("post",),
    ),
    Case(
        "conversations:round-close",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=PLANNERS,
        methods=("post",),
    ),
    Case(
        "conversations:slot-remove",
        own=lambda w: {"pk": _free_slot(w.s1).pk},
        foreign=lambda w: {"pk": _free_slot(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:assignment-create",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=PLANNERS,
        methods=("post",),
    ),
    Case(
        "conversations:slot-create",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "conversations:group-detail",
        own=lambda w: {"pk": _round(w.s1).pk, "group_pk": w.s1.group.pk},
        foreign=lambda w: {"pk": _round(w.s3).pk, "group_pk": w.s3.group.pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "conversations:group-detail",
        label="a group the teacher does not teach",
        own=lambda w: {"pk": _round(w.s1).pk, "group_pk": w.s1.other_group.pk},
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "conversations:day-schedule",
        own=lambda w: {"pk": _round(w.s1).pk},
        foreign=lambda w: {"pk": _round(w.s3).pk},
        expect=STAFF_ONLY,
    ),
    Case(
        "conversations:conversation-book",
        own=lambda w: {"pk": _conversation(w.s1).pk},
        foreign=lambda w: {"pk": _conversation(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "conversations:conversation-log",
        own=lambda w: {"pk": _conversation(w.s1).pk},
        foreign=lambda w: {"pk": _conversation(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "conversations:agreement-create",
        own=lambda w: {"pk": _conversation(w.s1).pk},
        foreign=lambda w: {"pk": _conversation(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:agreement-delete",
        own=lambda w: {"pk": _agreement(w.s1).pk},
        foreign=lambda w: {"pk": _agreement(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:booking-move",
        own=lambda w: {"pk": _booking(w.s1).pk},
        foreign=lambda w: {"pk": _booking(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "conversations:conversation-not-reached",
        own=lambda w: {"pk": _conversation(w.s1).pk},
        foreign=lambda w: {"pk": _conversation(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:booking-cancel",
        own=lambda w: {"pk": _booking(w.s1).pk},
        foreign=lambda w: {"pk": _booking(w.s3).pk},
        expect=STAFF_ONLY,
        label="the question before cancelling",
    ),
    Case(
        "conversations:booking-cancel",
        own=lambda w: {"pk": _booking(w.s1).pk},
        foreign=lambda w: {"pk": _booking(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:booking-no-show",
        own=lambda w: {"pk": _booking(w.s1).pk},
        foreign=lambda w: {"pk": _booking(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:booking-ics",
        own=lambda w: {"pk": _booking(w.s1).pk},
        foreign=lambda w: {"pk": _booking(w.s3).pk},
        expect={**STAFF_ONLY, "guardian": 200},
    ),
    Case("conversations:my-week", own=lambda w: {}, expect=NO_OBJECT_STAFF),
    Case("conversations:my-calendar", own=lambda w: {}, expect=NO_OBJECT_STAFF),
    Case(
        "conversations:staff-feed",
        own=lambda w: {"token": _feed(w)},
        expect=expect(default=200),
    ),
    Case(
        "conversations:portal-booking",
        own=lambda w: {},
        expect={**GUARDIAN_ONLY, "blocked_guardian": 200},
        methods=("get", "post"),
    ),
    Case(
        "conversations:portal-wish",
        own=lambda w: {"pk": (_conversation(w.s1), _invitation(w.s1))[1].pk},
        foreign=lambda w: {"pk": (_conversation(w.s3), _invitation(w.s3))[1].pk},
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
]


# --- Pupil-led conversations: the portfolio is for the child's own parents and the staff who
# see the child; never for the board, another group's teacher or another family.


def _pupil_led_conversation(s, other_group=False):
    year = s.group.school_year
    round_, _created = Round.objects.get_or_create(
        school=s.school,
        school_year=year,
        kind="pupil_led",
        number=1,
        defaults={
            "window_start": year.start,
            "window_end": year.end,
            "created_by": s.director,
            "opened_at": timezone.now(),
            "booking_opens_on": year.start,
        },
    )
    group = s.other_group if other_group else s.group
    pupil = s.pupil
    if other_group:
        pupil = Pupil.objects.filter(enrolments__group=group).first()
        if pupil is None:
            pupil = Pupil.objects.create(
                school=s.school, first_name="Noor", last_name="Anderegroep", pupil_number="A-6"
            )
            Enrolment.objects.create(pupil=pupil, group=group, school_year=year)
    conversation, _created = StartConversation.objects.get_or_create(
        pupil=pupil, round=round_, defaults={"school_year": year, "group": group}
    )
    return conversation


def _portfolio_item(s):
    """An item with a photo of the work, made again after a case removed it."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="PNG")
    return PortfolioItem.objects.create(
        conversation=_pupil_led_conversation(s),
        text="Mijn werkstuk",
        photo=ContentFile(out.getvalue(), name="werk.png"),
        added_by=s.director,
    )


CASES += [
    Case(
        "conversations:pupil-led-rounds-create",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=PLANNERS,
        methods=("post",),
    ),
    Case(
        "conversations:portfolio-detail",
        own=lambda w: {"pk": _pupil_led_conversation(w.s1).pk},
        foreign=lambda w: {"pk": _pupil_led_conversation(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "conversations:portfolio-detail",
        label="a child of a group the teacher does not teach",
        own=lambda w: {"pk": _pupil_led_conversation(w.s1, other_group=True).pk},
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "conversations:portfolio-item-create",
        own=lambda w: {"pk": _pupil_led_conversation(w.s1).pk},
        foreign=lambda w: {"pk": _pupil_led_conversation(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:portfolio-item-delete",
        own=lambda w: {"pk": _portfolio_item(w.s1).pk},
        foreign=lambda w: {"pk": _portfolio_item(w.s3).pk},
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "conversations:portfolio-photo",
        own=lambda w: {"pk": _portfolio_item(w.s1).pk},
        foreign=lambda w: {"pk": _portfolio_item(w.s3).pk},
        expect={**STAFF_ONLY, "guardian": 200},
    ),
    Case(
        "conversations:portal-portfolio",
        own=lambda w: {},
        expect={**GUARDIAN_ONLY, "blocked_guardian": 200},
    ),
]
