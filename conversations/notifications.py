"""The one place where the conversation rounds tell a family something themselves: a booking that
staff moved or cancelled. Everything else (invitations, reminders) is sent by the reminders app.

Kept in one function so that it can later be routed through the outbox."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import RoundKind
from parents.models import Guardian
from reminders.texts import language_of_message
from schools import permissions

# (subject, cancelled, moved) per kind of round: a kindgesprek is never called a startgesprek.
CHANGE_TEXTS = {
    RoundKind.START: (
        gettext_noop("Startgesprek over %(child)s"),
        gettext_noop(
            "Het startgesprek over %(child)s op %(old)s gaat niet door. "
            "U kunt een nieuw tijdstip kiezen in het ouderportaal van %(school)s."
        ),
        gettext_noop("Het startgesprek over %(child)s is verzet van %(old)s naar %(new)s."),
    ),
    RoundKind.PUPIL_LED: (
        gettext_noop("Kindgesprek van %(child)s"),
        gettext_noop(
            "Het kindgesprek van %(child)s op %(old)s gaat niet door. "
            "U kunt een nieuw tijdstip kiezen in het ouderportaal van %(school)s."
        ),
        gettext_noop("Het kindgesprek van %(child)s is verzet van %(old)s naar %(new)s."),
    ),
}


def tell_family_about_change(*, booking, old_slot, cancelled):
    """E-mail the household's guardians (who have an address and see the child) after commit,
    each in their own language where the interface has a translation."""
    pupil = booking.conversation.pupil
    guardians = list(
        Guardian.objects.filter(
            family_id=booking.family_id,
            pupil_links__pupil=pupil,
            pupil_links__access_blocked_reason="",
            pupil_links__information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        ).exclude(email="")
    )
    old_start = timezone.localtime(old_slot.starts_at)
    new_start = None if cancelled else timezone.localtime(booking.slot.starts_at)
    school_name = booking.conversation.round.school.name
    subject_text, cancelled_text, moved_text = CHANGE_TEXTS[
        RoundKind(booking.conversation.round.kind)
    ]

    def send():
        for guardian in guardians:
            with translation.override(language_of_message(guardian.language)):
                subject = _(subject_text) % {"child": pupil.first_name}
                body = _(cancelled_text if cancelled else moved_text) % {
                    "child": pupil.first_name,
                    "old": f"{old_start:%d-%m-%Y %H:%M}",
                    "new": f"{new_start:%d-%m-%Y %H:%M}" if new_start else "",
                    "school": school_name,
                }
            send_mail(subject, body, None, [guardian.email])

    transaction.on_commit(send)
