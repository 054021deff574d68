"""Booked conversations (start and pupil-led) in the calendars of ``parents.calendar``: in a staff member's own
feed the conversations they hold, in a guardian's feed their household's. Registered from
ConversationsConfig.ready(), so that parents never imports this app."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Booking, BookingStatus, RoundKind
from parents.calendar import CalendarEntry

# (in a guardian's feed, in the staff member's own) per kind of round.
TITLES = {
    RoundKind.START: (
        gettext_noop("Startgesprek over %(child)s met %(staff)s"),
        # The child's first name tells two families with the same surname apart.
        gettext_noop("Startgesprek %(family)s (%(child)s)"),
    ),
    RoundKind.PUPIL_LED: (
        gettext_noop("Kindgesprek van %(child)s met %(staff)s"),
        gettext_noop("Kindgesprek %(family)s (%(child)s)"),
    ),
}


def booking_entries(scope):
    if not scope.personal:
        return []  # the school's year calendar shows the round on its own pages
    tz = timezone.get_current_timezone()
    bookings = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        slot__round__school__in=scope.schools,
        slot__starts_at__gte=datetime.datetime.combine(scope.start, datetime.time(), tzinfo=tz),
        slot__starts_at__lt=datetime.datetime.combine(
            scope.end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
        ),
    )
    if scope.guardian is not None:
        bookings = bookings.filter(
            family_id=scope.guardian.family_id, conversation__pupil__in=scope.child_ids
        )
    else:
        bookings = bookings.filter(slot__staff=scope.user)
    bookings = bookings.select_related(
        "slot__staff", "slot__round__school", "conversation__pupil", "family"
    )
    entries = []
    for booking in bookings:
        slot, pupil = booking.slot, booking.conversation.pupil
        for_guardian, for_staff = TITLES[RoundKind(slot.round.kind)]
        if scope.guardian is not None:
            title = _(for_guardian) % {
                "child": pupil.first_name,
                "staff": slot.staff.get_full_name(),
            }
        else:
            title = _(for_staff) % {"family": booking.family.name, "child": pupil.first_name}
        entries.append(
            CalendarEntry(
                day=timezone.localdate(slot.starts_at),
                title=title,
                kind="conversation",
                uid=f"{booking.uid}@schouder",
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                location=f"{slot.round.school.name} – {slot.place or slot.get_mode_display()}",
            )
        )
    return entries
