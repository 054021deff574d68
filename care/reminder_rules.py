"""The reminders of care and safety, registered from CareConfig.ready().

An incident's follow-up (aftercare for the staff member, the repair conversation with the parent,
the evaluation) is reminded to the person who does it, at 08:00 on its day, like a contact
moment. The message names no parent: it links to the incident page, which only those who may see
the incident open.
"""

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
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


def message_to_guardian(
    *, guardian, school, object_ref, occurrence, texts, values, due_at, note=""
) -> Item:
    """A message to ``guardian`` in their language: ``texts`` are the Dutch (subject, body),
    filled with ``values()``, which is called in that language (dates, labels)."""
    language = language_of_message(guardian.language)
    with translation.override(language):
        filled = values()
        subject, body = (gettext(text) % filled for text in texts)
    return Item(
        object_ref=object_ref,
        recipient_key=f"parents.guardian:{guardian.pk}",
        occurrence=occurrence,
        school_id=school.pk,
        recipient_name=guardian.full_name,
        address=guardian.email,
        channel="email",
        language=language,
        subject=subject,
        body=body,
        due_at=due_at,
        sender_name=school.name,
        note=note,
    )


def guardian_item(*, feedback, occurrence, texts, due_at) -> Item:
    """A message to the guardian who sent ``feedback``, in their language."""
    return message_to_guardian(
        guardian=feedback.guardian,
        school=feedback.school,
        object_ref=f"care.feedback:{feedback.pk}",
        occurrence=occurrence,
        texts=texts,
        values=lambda: {
            "school": feedback.school.name,
            "date": formats.date_format(feedback.answer_due_on, "j F Y"),
            "sent": formats.date_format(timezone.localtime(feedback.created_at), "j F Y"),
            "link": site_link("care:feedback-portal-detail", feedback.pk),
        },
        due_at=due_at,
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


# --- the support plan and meetings about a child ----------------------------------------------


def _deciding_links() -> QuerySet[Any]:
    """The links of the guardians who decide about a child: parental authority, access not
    blocked."""
    from parents.models import PupilGuardian

    return PupilGuardian.objects.filter(has_parental_authority=True, access_blocked_reason="")


def _with_authority_guardians(queryset):
    """The objects with their pupil's guardians who decide (``_deciding_links``) as
    ``pupil.deciders``, in one more query."""
    from django.db.models import Prefetch

    links = _deciding_links().select_related("guardian")
    return queryset.select_related("school", "pupil").prefetch_related(
        Prefetch("pupil__guardian_links", queryset=links, to_attr="deciders")
    )


def to_deciders(about, *, object_ref, occurrence, texts, values, due_at) -> Iterator[Item]:
    """The message ``texts`` to each guardian who decides about ``about``'s pupil (loaded by
    ``_with_authority_guardians``), each in their own language, from ``about``'s school."""
    for link in about.pupil.deciders:
        yield message_to_guardian(
            guardian=link.guardian,
            school=about.school,
            object_ref=object_ref,
            occurrence=occurrence,
            texts=texts,
            values=values,
            due_at=due_at,
        )


class SupportPlanEvaluationRule(Rule):
    """On the evaluation day of a pupil's current plan, its author is reminded to evaluate it
    with the parents. A newer version replaces the reminder of the older one."""

    name = "care.support_plan_evaluation"
    label = "Evaluatie van een ontwikkelingsperspectiefplan (opp)"
    audience = "staff"

    def due(self, now):
        from django.db.models import Exists, OuterRef

        from care.models import SupportPlan

        today = now.astimezone(AMSTERDAM).date()
        newer = SupportPlan.objects.filter(
            pupil_id=OuterRef("pupil_id"), recorded_at__gt=OuterRef("recorded_at")
        )
        plans = outbox.without_rows(
            SupportPlan.objects.filter(evaluation_on__lte=today, recorded_by__is_active=True)
            .filter(~Exists(newer))
            .select_related("school", "recorded_by"),
            rule=self.name,
            object_ref=outbox.key("care.supportplan:", "pk"),
            occurrence=outbox.key("evaluation:", "evaluation_on"),
        )
        for plan in plans:
            user = plan.recorded_by
            yield staff_item(
                user=user,
                object_ref=f"care.supportplan:{plan.pk}",
                occurrence=f"evaluation:{plan.evaluation_on}",
                school_id=plan.school_id,
                school=plan.school.name,
                subject=f"Vandaag: evaluatie van een opp – {plan.school.name}",
                body=(
                    f"Beste {user.first_name or user.email},\n\nVandaag staat de evaluatie "
                    "gepland van een ontwikkelingsperspectiefplan dat u vastlegde. Bespreek "
                    "met de ouders wat werkte en leg zo nodig een nieuwe versie vast:\n"
                    f"{site_link('care:plan-detail', plan.pk)}\n"
                ),
                due_at=datetime.datetime.combine(plan.evaluation_on, MORNING, tzinfo=AMSTERDAM),
            )


PLAN_READY = (
    gettext_noop("Het plan voor %(child)s staat klaar – %(school)s"),
    gettext_noop(
        "De school heeft het plan voor %(child)s geschreven: wat %(child)s leert en welke hulp "
        "de school geeft.\n\nLees het plan in het ouderportaal. Daar staat ook wat de moeilijke "
        "woorden betekenen. Zeg daarna of u het eens bent:\n%(link)s\n"
    ),
)


class SupportPlanReadyRule(Rule):
    """Each guardian with parental authority is told that a new plan waits for their answer."""

    name = "care.support_plan_ready"
    label = "Een nieuw ontwikkelingsperspectiefplan (opp) wacht op het antwoord van de ouders"
    audience = "parents"

    def due(self, now):
        from care.models import SupportPlan

        plans = outbox.without_rows(
            _with_authority_guardians(SupportPlan.objects.filter(recorded_at__lte=now)),
            rule=self.name,
            object_ref=outbox.key("care.supportplan:", "pk"),
            occurrence="ready",
        )
        for plan in plans:
            yield from to_deciders(
                plan,
                object_ref=f"care.supportplan:{plan.pk}",
                occurrence="ready",
                texts=PLAN_READY,
                values=lambda plan=plan: {
                    "child": plan.pupil.first_name,
                    "school": plan.school.name,
                    "link": site_link("care:plan-portal-detail", plan.pk),
                },
                due_at=plan.recorded_at,
            )


MEETING_INVITATION = (
    gettext_noop("Uitnodiging: %(kind)s over %(child)s op %(when)s – %(school)s"),
    gettext_noop(
        "De school nodigt u uit voor een %(kind)s over %(child)s.\n\nWanneer: %(when)s\n"
        "Waar: %(place)s\nWaarom: %(purpose)s\n\nDeze mensen zijn erbij:\n%(attendees)s\n\n"
        "Neemt u iemand mee? Zeg het in het ouderportaal:\n%(link)s\n"
    ),
)
ATTENDEE_ADDED = (
    gettext_noop("Er komt iemand bij het overleg over %(child)s – %(school)s"),
    gettext_noop(
        "Bij het overleg over %(child)s op %(when)s is er iemand bij:\n%(attendee)s\n\n"
        "Heeft u vragen hierover? Neem contact op met de school. Alles over het overleg:\n"
        "%(link)s\n"
    ),
)


def _meeting_values(meeting) -> dict:
    """The words of a meeting for a message, in the active language."""
    when = timezone.localtime(meeting.starts_at)
    return {
        "kind": meeting.get_kind_display(),
        "child": meeting.pupil.first_name,
        "school": meeting.school.name,
        "when": formats.date_format(when, "l j F Y, H:i"),
        "place": meeting.place or meeting.school.name,
        "purpose": meeting.purpose,
        "link": site_link("care:meeting-portal-detail", meeting.pk),
    }


def attendee_line(attendee) -> str:
    return f"- {attendee.name}, {attendee.role}"


class MeetingInvitationRule(Rule):
    """The parents' invitation to a meeting about their child, naming every attendee with their
    role. A moved meeting is a new invitation. Each deciding guardian gets it once: one linked
    to the child (or given parental authority) after it went out gets it too, while the meeting
    is still ahead."""

    name = "care.meeting_invitation"
    label = "Uitnodiging voor een overleg over een kind (met alle deelnemers)"
    audience = "parents"
    routine = False

    def due(self, now):
        from django.db.models import Prefetch

        from care.models import CareMeeting, MeetingAttendee
        from reminders.models import Reminder

        meetings = list(
            _with_authority_guardians(
                self._with_guardian_not_invited(
                    CareMeeting.objects.filter(starts_at__gt=now)
                ).prefetch_related(
                    Prefetch("attendees", queryset=MeetingAttendee.objects.order_by("pk"))
                )
            )
        )
        if not meetings:
            return
        invited = set(
            Reminder.objects.filter(
                rule=self.name, object_ref__in=[f"care.meeting:{m.pk}" for m in meetings]
            ).values_list("object_ref", "occurrence", "recipient_key")
        )
        for meeting in meetings:
            for item in to_deciders(
                meeting,
                object_ref=f"care.meeting:{meeting.pk}",
                occurrence=f"invitation:{meeting.times_scheduled}",
                texts=MEETING_INVITATION,
                values=lambda meeting=meeting: (
                    _meeting_values(meeting)
                    | {"attendees": "\n".join(map(attendee_line, meeting.attendees.all()))}
                ),
                due_at=now,
            ):
                if (item.object_ref, item.occurrence, item.recipient_key) not in invited:
                    yield item

    def _with_guardian_not_invited(self, meetings: QuerySet[Any]) -> QuerySet[Any]:
        """The meetings with a deciding guardian who has no invitation to their current date
        yet, in SQL: a scan after everyone was invited reads no meeting."""
        from django.db.models import CharField, Exists, OuterRef, Value
        from django.db.models.functions import Cast, Concat

        from reminders.models import Reminder

        def of_meeting(prefix: str, field: str) -> Concat:
            return Concat(Value(prefix), Cast(OuterRef(OuterRef(field)), CharField()))

        invitation = Reminder.objects.filter(
            rule=self.name,
            object_ref=of_meeting("care.meeting:", "pk"),
            occurrence=of_meeting("invitation:", "times_scheduled"),
            recipient_key=Concat(
                Value("parents.guardian:"), Cast(OuterRef("guardian_id"), CharField())
            ),
        )
        not_invited = (
            _deciding_links().filter(pupil_id=OuterRef("pupil_id")).filter(~Exists(invitation))
        )
        return meetings.filter(Exists(not_invited))


class MeetingAttendeeAddedRule(Rule):
    """Someone added to a meeting after the invitation: the parents are told at once, by name
    and role."""

    name = "care.meeting_attendee_added"
    label = "Iemand extra bij een overleg over een kind"
    audience = "parents"
    routine = False

    def due(self, now):
        from care.models import CareMeeting, MeetingAttendee

        added = outbox.without_rows(
            MeetingAttendee.objects.filter(announced=True, meeting__starts_at__gt=now),
            rule=self.name,
            object_ref=outbox.key("care.meeting:", "meeting_id"),
            occurrence=outbox.key("attendee:", "pk"),
        ).values_list("pk", "meeting_id")
        if not added:
            return
        meetings = _with_authority_guardians(
            CareMeeting.objects.filter(pk__in={meeting_id for _pk, meeting_id in added})
        ).in_bulk()
        attendees = MeetingAttendee.objects.in_bulk([pk for pk, _meeting_id in added])
        for pk, meeting_id in added:
            meeting, attendee = meetings[meeting_id], attendees[pk]
            yield from to_deciders(
                meeting,
                object_ref=f"care.meeting:{meeting.pk}",
                occurrence=f"attendee:{attendee.pk}",
                texts=ATTENDEE_ADDED,
                values=lambda meeting=meeting, attendee=attendee: (
                    _meeting_values(meeting) | {"attendee": attendee_line(attendee)}
                ),
                due_at=now,
            )


INVOLVEMENT_TOLD = (
    gettext_noop("De school wil hulp vragen voor %(child)s – %(school)s"),
    gettext_noop(
        "Wij willen hulp van buiten de school vragen voor %(child)s. Wij vertellen u eerst wat "
        "en waarom.\n\nWelke hulp: %(service)s\nWat gaat er gebeuren: %(what)s\nWaarom: "
        "%(why)s\n\nHeeft u vragen of bent u het er niet mee eens? Neem contact op met de "
        "IB'er van de school.\n"
    ),
)


class OutsideInvolvementRule(Rule):
    """Before the school involves a service outside the school, the parents are told what and
    why. A meldcode exception is never sent."""

    name = "care.outside_involvement"
    label = "De ouders horen vooraf welke hulp van buiten de school komt, en waarom"
    audience = "parents"
    routine = False

    def due(self, now):
        from care.models import OutsideInvolvement

        involvements = outbox.without_rows(
            _with_authority_guardians(OutsideInvolvement.objects.filter(meldcode_reason="")),
            rule=self.name,
            object_ref=outbox.key("care.involvement:", "pk"),
            occurrence="told",
        )
        for involvement in involvements:
            yield from to_deciders(
                involvement,
                object_ref=f"care.involvement:{involvement.pk}",
                occurrence="told",
                texts=INVOLVEMENT_TOLD,
                values=lambda i=involvement: {
                    "child": i.pupil.first_name,
                    "school": i.school.name,
                    "service": i.service,
                    "what": i.what,
                    "why": i.why,
                },
                due_at=involvement.recorded_at,
            )
