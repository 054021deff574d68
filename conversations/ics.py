"""iCalendar files: one per booking (for staff and guardian) and a private feed per staff member.
UIDs are stable (the booking's own uid), so a calendar updates a moved booking instead of doubling it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

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


def calendar_for(bookings, name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(_event(booking))
    return calendar.to_ical()
