"""The reminders of care and safety, registered from CareConfig.ready().

An incident's follow-up (aftercare for the staff member, the repair conversation with the parent,
the evaluation) is reminded to the person who does it, at 08:00 on its day, like a contact
moment. The message names no parent: it links to the incident page, which only those who may see
the incident open.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_noop

from reminders import outbox
from reminders.registry import Item, Rule, Verdict
from reminders.texts import language_of_message

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MORNING = datetime.time(8, 0)

FOLLOW_UP_TEXTS = {
    "aftercare": (
        "Vandaag: nazorg na een incident – {school}",
        "Beste {name},\n\nVandaag staat de nazorg gepland voor de collega die een incident met "
        "een ouder meemaakte (incident van {day}). Vraag hoe het gaat en wat nodig is.\n\n"
        "Daarna: zet op de pagina van het incident dat de nazorg gedaan is:\n{link}\n",
    ),
    "repair": (
        "Vandaag: herstelgesprek met een ouder – {school}",
        "Beste {name},\n\nVandaag staat het herstelgesprek gepland met de ouder van het incident "
        "van {day}: hoe gaan we verder?\n\nDaarna: zet op de pagina van het incident dat het "
        "gesprek gehouden is:\n{link}\n",
    ),
    "evaluation": (
        "Vandaag: evaluatie van een incident – {school}",
        "Beste {name},\n\nVandaag staat de evaluatie gepland van het incident van {day}. Is het "
        "veilig, werkt de afspraak met de ouder?\n\nDaarna: zet op de pagina van het incident "
        "dat de evaluatie gedaan is:\n{link}\n",
    ),
}


def site_link(name: str, *args) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def staff_item(*, user, object_ref, occurrence, school_id, school, subject, body, due_at) -> Item:
    return Item(
        object_ref=object_ref,
        recipient_key=f"auth.user:{user.pk}",
        occurrence=occurrence,
        school_id=school_id,
        recipient_name=user.get_full_name() or user.email,
        address=user.email,
        channel="email",
        language="nl",
        subject=subject,
        body=body,
        due_at=due_at,
        sender_name=school,
    )


class IncidentFollowUpRule(Rule):
    """Each planned, not yet done step of an incident's follow-up, on its day. The day is part of
    the occurrence: a step moved to another day is reminded again on that day, and the re-check
    cancels a reminder whose step was done, moved or handed to someone else."""

    name = "care.incident_follow_up"
    label = "Opvolging van een incident met een ouder (nazorg, herstelgesprek, evaluatie)"
    audience = "staff"

    def _candidates(self, step, today):
        from care.models import Incident

        planned = Incident.objects.filter(
            **{
                f"{step}_on__lte": today,
                f"{step}_done_on__isnull": True,
                f"{step}_by__isnull": False,
                f"{step}_by__is_active": True,
            }
        ).select_related("school", f"{step}_by")
        return outbox.without_rows(
            planned,
            rule=self.name,
            object_ref=outbox.key("care.incident:", "pk"),
            occurrence=outbox.key(f"{step}:", f"{step}_on"),
        )

    def due(self, now):
        today = now.astimezone(AMSTERDAM).date()
        for step, (subject, body) in FOLLOW_UP_TEXTS.items():
            for incident in self._candidates(step, today):
                day = getattr(incident, f"{step}_on")
                user = getattr(incident, f"{step}_by")
                context = {
                    "name": user.first_name or user.email,
                    "school": incident.school.name,
                    "day": f"{incident.occurred_at.astimezone(AMSTERDAM):%d-%m-%Y}",
                    "link": site_link("care:incident-detail", incident.pk),
                }
                yield staff_item(
                    user=user,
                    object_ref=f"care.incident:{incident.pk}",
                    occurrence=f"{step}:{day}",
                    school_id=incident.school_id,
                    school=incident.school.name,
                    subject=subject.format(**context),
                    body=body.format(**context),
                    due_at=datetime.datetime.combine(day, MORNING, tzinfo=AMSTERDAM),
                )

    def recheck(self, reminders):
        from care.models import Incident

        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        incidents = Incident.objects.in_bulk(ids)
        verdicts = {}
        for reminder in reminders:
            incident = incidents.get(int(reminder.object_ref.split(":")[1]))
            step, day = reminder.occurrence.split(":", 1)
            if incident is None or getattr(incident, f"{step}_done_on") is not None:
                verdicts[reminder.pk] = Verdict.cancel("Al gedaan.")
            elif str(getattr(incident, f"{step}_on")) != day:
                verdicts[reminder.pk] = Verdict.cancel("De datum is verzet.")
            elif reminder.recipient_key != f"auth.user:{getattr(incident, f'{step}_by_id')}":
                verdicts[reminder.pk] = Verdict.cancel("Iemand anders doet dit nu.")
        return verdicts


# --- ideas and complaints: what the parent is told --------------------------------------------

FEEDBACK_TEXTS = {
    "received:idea": (
        gettext_noop("Wij hebben uw idee ontvangen – %(school)s"),
        gettext_noop(
            "Dank u voor uw idee. Wij hebben het goed ontvangen.\n\nWij antwoorden u uiterlijk "
            "op %(date)s. In het ouderportaal ziet u wat wij ermee doen:\n%(link)s\n"
        ),
    ),
    "received:complaint": (
        gettext_noop("Wij hebben uw klacht ontvangen – %(school)s"),
        gettext_noop(
            "Dank u dat u uw klacht met ons deelt. Wij hebben hem goed ontvangen en nemen hem "
            "serieus.\n\nWij antwoorden u uiterlijk op %(date)s. In het ouderportaal ziet u wat "
            "wij ermee doen:\n%(link)s\n"
        ),
    ),
    "answered": (
        gettext_noop("De school heeft u geantwoord – %(school)s"),
        gettext_noop(
            "De school heeft geantwoord op uw bericht van %(sent)s.\n\nLees het antwoord in het "
            "ouderportaal:\n%(link)s\n"
        ),
    ),
}


def guardian_item(*, feedback, occurrence, texts, due_at) -> Item:
    """A message to the guardian who sent ``feedback``, in their language."""
    guardian = feedback.guardian
    language = language_of_message(guardian.language)
    with translation.override(language):
        values = {
            "school": feedback.school.name,
            "date": formats.date_format(feedback.answer_due_on, "j F Y"),
            "sent": formats.date_format(timezone.localtime(feedback.created_at), "j F Y"),
            "link": site_link("care:feedback-portal-detail", feedback.pk),
        }
        subject, body = (gettext(text) % values for text in texts)
    return Item(
        object_ref=f"care.feedback:{feedback.pk}",
        recipient_key=f"parents.guardian:{guardian.pk}",
        occurrence=occurrence,
        school_id=feedback.school_id,
        recipient_name=guardian.full_name,
        address=guardian.email,
        channel="email",
        language=language,
        subject=subject,
        body=body,
        due_at=due_at,
        sender_name=feedback.school.name,
    )


class FeedbackReceivedRule(Rule):
    """The school acknowledges every idea and complaint at once, with the date by which it
    answers: the parent knows it arrived and what to expect."""

    name = "care.feedback_received"
    label = "Bevestiging van een idee of klacht van een ouder"
    audience = "parents"

    def due(self, now):
        from care.models import Feedback

        new = outbox.without_rows(
            Feedback.objects.filter(created_at__lte=now).select_related("school", "guardian"),
            rule=self.name,
            object_ref=outbox.key("care.feedback:", "pk"),
            occurrence="received",
        )
        for feedback in new:
            yield guardian_item(
                feedback=feedback,
                occurrence="received",
                texts=FEEDBACK_TEXTS[f"received:{feedback.kind}"],
                due_at=feedback.created_at,
            )


class FeedbackAnsweredRule(Rule):
    """The parent is told when the school answered; the answer itself is read in the portal."""

    name = "care.feedback_answered"
    label = "De school heeft een idee of klacht van een ouder beantwoord"
    audience = "parents"

    def due(self, now):
        from care.models import Feedback

        answered = outbox.without_rows(
            Feedback.objects.filter(answered_at__lte=now).select_related("school", "guardian"),
            rule=self.name,
            object_ref=outbox.key("care.feedback:", "pk"),
            occurrence="answered",
        )
        for feedback in answered:
            yield guardian_item(
                feedback=feedback,
                occurrence="answered",
                texts=FEEDBACK_TEXTS["answered"],
                due_at=feedback.answered_at,
            )
