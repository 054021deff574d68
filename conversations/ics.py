"""iCalendar files: one per booking (for staff and guardian) and a private feed per staff member.
UIDs are stable (the booking's own uid), so a calendar updates a moved booking instead of doubling it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from schools import audit

PRODID = "-//Schouder//Startgesprekken//NL"


def _event(booking):
    slot = booking.slot
    pupil = booking.conversation.pupil
    event = Event()
    event.add("uid", f"{booking.uid}@schouder")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", _("Startgesprek %(child)s") % {"child": pupil.first_name})
    location = slot.place or slot.get_mode_display()
    event.add("location", f"{booking.conversation.round.school.name} – {location}")
    return event


def calendar_for(bookings, name, *, by, what):
    """The bookings as an iCalendar file for ``by``. The file names children: each download is
    written to the audit log as ``what`` (with the child, when the file holds one booking)."""
    bookings = list(bookings)
    pupil = bookings[0].conversation.pupil if len(bookings) == 1 else None
    audit.record(by, audit.AuditAction.DOWNLOAD, pupil=pupil, what=what)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(_event(booking))
    return calendar.to_ical()
