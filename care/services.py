"""State changes of care and safety: each one checks its rule, writes in one transaction and
raises ``CareError`` with a Dutch message the user can act on."""

import datetime
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import (
    FOLLOW_UP_STEPS,
    CareMeeting,
    ChangesReport,
    ComplaintsProcedure,
    ContactArrangement,
    Feedback,
    Incident,
    MeetingAttendee,
    MeetingKind,
    OutsideInvolvement,
    PlanAnswer,
    SafetyProtocol,
    SupportPlan,
    SupportPlanAnswer,
)
from parents.models import Family, Guardian, PupilGuardian
from reminders.models import Reminder
from schools import permissions
from schools.calendar import school_days_after
from schools.models import Pupil, School, SchoolYear, StaffMembership

# The school answers an idea or complaint within this many school days, unless it set its own.
DEFAULT_ANSWER_DAYS = 10


class CareError(Exception):
    pass


def _works_at(user: User, school: School) -> bool:
    return StaffMembership.objects.filter(user=user, school=school).exists()


def _require_overseer(by: User, school: School | int) -> None:
    if not permissions.holds_role(by, permissions.INCIDENT_OVERSEERS, school):
        raise CareError("Alleen de directeur van de school kan dit doen.")


@transaction.atomic
def register_incident(
    *,
    school: School,
    guardian: Guardian,
    staff_member: User,
    kind: str,
    occurred_at: datetime.datetime,
    place: str,
    what_happened: str,
    by: User,
    witnesses: str = "",
    measure_conversation: bool = False,
    measure_written_warning: bool = False,
    access_ban_until: datetime.date | None = None,
    police_report: bool = False,
) -> Incident:
    """Record an incident with a parent of the school. Any staff member of the school may; the
    incident is then seen by the director, the staff member it happened to and the reporter."""
    if not permissions.holds_role(by, permissions.NAME_READERS, school):
        raise CareError("U werkt niet op deze school.")
    if not guardian.pupil_links.filter(pupil__school=school).exists():
        raise CareError("Deze ouder heeft geen kind op deze school.")
    if not _works_at(staff_member, school):
        raise CareError("Deze medewerker werkt niet op deze school.")
    if occurred_at > timezone.now():
        raise CareError("Het incident kan niet in de toekomst liggen. Kijk de datum en tijd na.")
    if access_ban_until and access_ban_until < timezone.localtime(occurred_at).date():
        raise CareError("Het schoolverbod kan niet eindigen vóór het incident.")
    return Incident.objects.create(
        school=school,
        guardian=guardian,
        staff_member=staff_member,
        reported_by=by,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        what_happened=what_happened,
        witnesses=witnesses,
        measure_conversation=measure_conversation,
        measure_written_warning=measure_written_warning,
        access_ban_until=access_ban_until,
        police_report=police_report,
    )


@transaction.atomic
def plan_follow_up(*, incident: Incident, by: User, **steps: Any) -> Incident:
    """The director plans (or marks done) the aftercare, the repair conversation and the
    evaluation: for each step ``<step>_by``, ``<step>_on`` and ``<step>_done_on``. Each planned
    step is reminded to its person on its day (``care.reminder_rules``)."""
    _require_overseer(by, incident.school_id)
    allowed = {f"{step}_{part}" for step, _label in FOLLOW_UP_STEPS for part in ("by", "on")}
    allowed |= {f"{step}_done_on" for step, _label in FOLLOW_UP_STEPS}
    unknown = set(steps) - allowed
    if unknown:
        raise TypeError(f"unknown follow-up fields: {sorted(unknown)}")
    for step, label in FOLLOW_UP_STEPS:
        person = steps.get(f"{step}_by", getattr(incident, f"{step}_by"))
        day = steps.get(f"{step}_on", getattr(incident, f"{step}_on"))
        if day and person is None:
            raise CareError(f"{label}: kies wie dit doet.")
        if person is not None and not _works_at(person, incident.school):
            raise CareError(f"{label}: deze medewerker werkt niet op deze school.")
    for name, value in steps.items():
        setattr(incident, name, value)
    incident.save(update_fields=list(steps))
    return incident


@transaction.atomic
def add_reader(*, incident: Incident, reader: User, by: User) -> None:
    """The director lets a colleague of the school read the incident."""
    _require_overseer(by, incident.school_id)
    if not _works_at(reader, incident.school):
        raise CareError("Deze medewerker werkt niet op deze school.")
    incident.readers.add(reader)


@transaction.atomic
def withhold_from_export(*, incident: Incident, ground: str, by: User) -> None:
    """Record the legal ground on which the incident stays out of the family's data export; an
    empty ground puts it back in."""
    _require_overseer(by, incident.school_id)
    incident.withheld_ground = ground.strip()
    incident.save(update_fields=["withheld_ground"])


@transaction.atomic
def set_contact_arrangement(
    *, school: School, family: Family, text: str, by: User
) -> ContactArrangement | None:
    """The arrangement colleagues see on the family page; an empty text removes it."""
    _require_overseer(by, school)
    text = text.strip()
    if not text:
        ContactArrangement.objects.filter(school=school, family=family).delete()
        return None
    arrangement, _created = ContactArrangement.objects.update_or_create(
        school=school, family=family, defaults={"text": text, "set_by": by}
    )
    return arrangement


@transaction.atomic
def save_protocol(
    *,
    school: School,
    by: User,
    steps: str,
    confidant: str,
    director_phone: str,
    police: str,
) -> SafetyProtocol:
    _require_overseer(by, school)
    protocol, _created = SafetyProtocol.objects.update_or_create(
        school=school,
        defaults={
            "steps": steps,
            "confidant": confidant,
            "director_phone": director_phone,
            "police": police,
            "updated_by": by,
        },
    )
    return protocol


# --- ideas and complaints -------------------------------------------------------------------------


def answer_term(school: School) -> int:
    procedure = ComplaintsProcedure.objects.filter(school=school).first()
    return procedure.answer_days if procedure else DEFAULT_ANSWER_DAYS


@transaction.atomic
def submit_feedback(*, guardian: Guardian, school: School, kind: str, text: str) -> Feedback:
    """A parent's idea or complaint, in the language they write in. The school answers within
    its term of school days; the parent gets an acknowledgement through the reminders
    (``care.reminder_rules.FeedbackReceivedRule``)."""
    text = text.strip()
    if not text:
        raise CareError("Schrijf uw idee of klacht op.")
    sees_a_child = guardian.pupil_links.filter(
        pupil__school=school,
        pupil__left_on__isnull=True,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    ).exists()
    if not sees_a_child:
        raise CareError("U heeft geen kind op deze school.")
    today = timezone.localdate()
    return Feedback.objects.create(
        school=school,
        guardian=guardian,
        kind=kind,
        text=text,
        language=guardian.language or "nl",
        answer_due_on=school_days_after(school, today, answer_term(school)),
    )


def _require_handler(by: User, feedback: Feedback) -> None:
    handles = permissions.holds_role(by, permissions.FEEDBACK_HANDLERS, feedback.school_id)
    if not handles and feedback.assigned_to_id != by.pk:
        raise CareError("U behandelt dit idee of deze klacht niet.")


@transaction.atomic
def assign_feedback(*, feedback: Feedback, to: User, by: User) -> None:
    """Give the idea or complaint to a colleague of the school, who then sees and answers it."""
    if not permissions.holds_role(by, permissions.FEEDBACK_HANDLERS, feedback.school_id):
        raise CareError("Alleen de directeur, de IB'er of de ouder-coördinator wijst dit toe.")
    if feedback.closed_at:
        raise CareError("Dit is al afgesloten.")
    if not _works_at(to, feedback.school):
        raise CareError("Deze medewerker werkt niet op deze school.")
    feedback.assigned_to = to
    feedback.assigned_at = feedback.assigned_at or timezone.now()
    feedback.save(update_fields=["assigned_to", "assigned_at"])


@transaction.atomic
def answer_feedback(*, feedback: Feedback, answer: str, by: User, change_made: str = "") -> None:
    """The school's answer, which the parent reads in the portal (and is told of by a message,
    ``FeedbackAnsweredRule``). An answer may be improved until the item is closed."""
    _require_handler(by, feedback)
    if feedback.closed_at:
        raise CareError("Dit is al afgesloten.")
    if not answer.strip():
        raise CareError("Schrijf een antwoord aan de ouder.")
    if feedback.assigned_at is None:
        feedback.assigned_to, feedback.assigned_at = by, timezone.now()
    feedback.answer = answer.strip()
    feedback.change_made = change_made.strip()
    feedback.answered_by = by
    feedback.answered_at = feedback.answered_at or timezone.now()
    feedback.save()


@transaction.atomic
def close_feedback(*, feedback: Feedback, by: User) -> None:
    _require_handler(by, feedback)
    if feedback.answered_at is None:
        raise CareError("Geef eerst een antwoord aan de ouder; daarna kunt u afsluiten.")
    feedback.closed_at = feedback.closed_at or timezone.now()
    feedback.save(update_fields=["closed_at"])


@transaction.atomic
def save_complaints_procedure(
    *, school: School, by: User, url: str, contact: str, answer_days: int
) -> ComplaintsProcedure:
    _require_overseer(by, school)
    if not 1 <= answer_days <= 30:
        raise CareError("Kies een termijn van 1 tot 30 schooldagen.")
    procedure, _created = ComplaintsProcedure.objects.update_or_create(
        school=school, defaults={"url": url, "contact": contact, "answer_days": answer_days}
    )
    return procedure


@transaction.atomic
def publish_changes(
    *, school: School, year: SchoolYear, introduction: str, by: User
) -> ChangesReport:
    """Publish the year's "wat we veranderden dankzij u" to the school's parents: the changes
    written on the year's ideas and complaints, without names."""
    _require_overseer(by, school)
    report, _created = ChangesReport.objects.update_or_create(
        school=school,
        school_year=year,
        defaults={"introduction": introduction.strip(), "published_at": timezone.now()},
    )
    return report


# --- the support plan (opp) and meetings about a child --------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# What an attached plan may be, told by its first bytes (never by the name the sender gave):
# a PDF, or a Word document (a zip container).
DOCUMENT_SIGNATURES = {b"%PDF-": "pdf", b"PK\x03\x04": "docx"}


def _require_planner(by: User, school_id: int) -> None:
    if not permissions.holds_role(by, permissions.SUPPORT_PLANNERS, school_id):
        raise CareError("Alleen de IB'er, de zorgcoördinator of de directeur kan dit doen.")


def _checked_document(upload: File) -> File:
    """The upload under an opaque name, if it is a PDF or Word file of at most 10 MB."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise CareError("Dit bestand is te groot. Kies een bestand tot 10 MB.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((k for sig, k in DOCUMENT_SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None:
        raise CareError("Kies een PDF- of Word-bestand (.pdf of .docx).")
    upload.name = f"{uuid.uuid4().hex}.{kind}"
    return upload


@transaction.atomic
def record_support_plan(
    *,
    pupil: Pupil,
    by: User,
    evaluation_on: datetime.date,
    goals: str = "",
    support: str = "",
    document: File | None = None,
) -> SupportPlan:
    """A new version of the pupil's plan (its handelingsdeel). Each guardian with parental
    authority then reads it in the portal and answers; the evaluation date is reminded to the
    one who recorded it (``care.reminder_rules.SupportPlanEvaluationRule``)."""
    _require_planner(by, pupil.school_id)
    goals, support = goals.strip(), support.strip()
    if not goals and document is None:
        raise CareError("Schrijf de doelen op of voeg het document van het opp toe.")
    if evaluation_on <= timezone.localdate():
        raise CareError("Kies een evaluatiedatum na vandaag.")
    return SupportPlan.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        goals=goals,
        support=support,
        evaluation_on=evaluation_on,
        document=_checked_document(document) if document is not None else "",
        recorded_by=by,
    )


def _authority_link(guardian: Guardian, pupil_id: int) -> PupilGuardian | None:
    link = PupilGuardian.objects.filter(guardian=guardian, pupil_id=pupil_id).first()
    return link if link is not None and link.may_change else None


@transaction.atomic
def answer_support_plan(
    *, plan: SupportPlan, guardian: Guardian, answer: str, remarks: str = ""
) -> SupportPlanAnswer:
    """A guardian with parental authority agrees, agrees with remarks, or disagrees. Disagreeing
    plans a conversation with the IB'er: it waits for a date on the IB'er's home."""
    if _authority_link(guardian, plan.pupil_id) is None:
        raise CareError(_("Alleen een ouder met gezag kan op het plan antwoorden."))
    newest = SupportPlan.objects.filter(pupil_id=plan.pupil_id).order_by("-recorded_at", "-pk")
    if newest.values_list("pk", flat=True).first() != plan.pk:
        raise CareError(_("Er is een nieuwere versie van het plan. Antwoord op die versie."))
    if SupportPlanAnswer.objects.filter(plan=plan, guardian=guardian).exists():
        raise CareError(_("U heeft al geantwoord. Wilt u iets veranderen? Bel de IB'er."))
    remarks = remarks.strip()
    if answer == PlanAnswer.AGREE_WITH_REMARKS and not remarks:
        raise CareError(_("Schrijf uw opmerkingen op."))
    given = SupportPlanAnswer.objects.create(
        plan=plan, guardian=guardian, answer=answer, remarks=remarks
    )
    if answer == PlanAnswer.DISAGREE:
        meeting = CareMeeting.objects.create(
            school_id=plan.school_id,
            pupil_id=plan.pupil_id,
            kind=MeetingKind.IB,
            purpose="Het plan (opp) bespreken: de ouder is het er niet mee eens.",
            support_plan=plan,
            planned_by=plan.recorded_by,
        )
        ib = plan.recorded_by
        MeetingAttendee.objects.create(
            meeting=meeting, name=ib.get_full_name() or ib.email, role="IB'er"
        )
    return given


def _check_moment(starts_at: datetime.datetime | None) -> None:
    if starts_at is not None and starts_at <= timezone.now():
        raise CareError("Kies een datum en tijd in de toekomst.")


@transaction.atomic
def plan_meeting(
    *,
    pupil: Pupil,
    kind: str,
    purpose: str,
    by: User,
    starts_at: datetime.datetime | None = None,
    place: str = "",
) -> CareMeeting:
    """A meeting about the child with its purpose; the one who plans it is its first attendee.
    With a date, the parents are invited with every attendee named."""
    _require_planner(by, pupil.school_id)
    if not purpose.strip():
        raise CareError("Schrijf op waarom dit overleg er is.")
    _check_moment(starts_at)
    meeting = CareMeeting.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        purpose=purpose.strip(),
        starts_at=starts_at,
        place=place.strip(),
        times_scheduled=1 if starts_at else 0,
        planned_by=by,
    )
    role = StaffMembership.objects.filter(user=by, school_id=pupil.school_id).first()
    MeetingAttendee.objects.create(
        meeting=meeting,
        name=by.get_full_name() or by.email,
        role=role.get_role_display() if role else "",
    )
    return meeting


@transaction.atomic
def schedule_meeting(
    *, meeting: CareMeeting, starts_at: datetime.datetime, place: str, by: User
) -> None:
    """Give the meeting its date (or move it): the parents get an invitation naming everyone
    who will be there."""
    _require_planner(by, meeting.school_id)
    _check_moment(starts_at)
    meeting.starts_at, meeting.place = starts_at, place.strip()
    meeting.times_scheduled += 1
    meeting.save(update_fields=["starts_at", "place", "times_scheduled"])


@transaction.atomic
def add_attendee(
    *, meeting: CareMeeting, name: str, role: str, by: User, is_external: bool = False
) -> MeetingAttendee:
    """Someone more at the meeting. Once the parents were invited, they are told at once who
    comes and in what role: no surprises at the table."""
    _require_planner(by, meeting.school_id)
    if not name.strip() or not role.strip():
        raise CareError("Vul de naam en de rol in.")
    if meeting.starts_at is not None and meeting.starts_at <= timezone.now():
        raise CareError("Dit overleg is al geweest.")
    return MeetingAttendee.objects.create(
        meeting=meeting,
        name=name.strip(),
        role=role.strip(),
        is_external=is_external,
        announced=_invited(meeting),
    )


def _invited(meeting: CareMeeting) -> bool:
    """Whether the invitation for the meeting's current date is in the outbox: someone added
    after it is announced on their own, someone added before is named in it."""
    from care.reminder_rules import MeetingInvitationRule

    return Reminder.objects.filter(
        rule=MeetingInvitationRule.name,
        object_ref=f"care.meeting:{meeting.pk}",
        occurrence=f"invitation:{meeting.times_scheduled}",
    ).exists()


@transaction.atomic
def bring_attendee(
    *, meeting: CareMeeting, guardian: Guardian, name: str, role: str
) -> MeetingAttendee:
    """A parent tells the school whom they bring (a relative, an interpreter, a friend)."""
    if _authority_link(guardian, meeting.pupil_id) is None:
        raise CareError(_("Alleen een ouder met gezag kan dit doorgeven."))
    if not name.strip() or not role.strip():
        raise CareError(_("Vul de naam in en wie deze persoon voor u is."))
    if meeting.starts_at is not None and meeting.starts_at <= timezone.now():
        raise CareError(_("Dit overleg is al geweest."))
    return MeetingAttendee.objects.create(
        meeting=meeting, name=name.strip(), role=role.strip(), brought_by=guardian
    )


@transaction.atomic
def involve_outside_service(
    *,
    pupil: Pupil,
    by: User,
    service: str,
    what: str,
    why: str,
    meldcode_reason: str = "",
) -> OutsideInvolvement:
    """Record that the school involves help from outside. The parents are told what and why by
    message (``OutsideInvolvementRule``) before the school acts. With a meldcode reason (the
    child is unsafe; Veilig Thuis) nothing goes to the parents, and only the IB'er or the
    director may record that."""
    _require_planner(by, pupil.school_id)
    if not (service.strip() and what.strip() and why.strip()):
        raise CareError("Vul in welke hulp, wat er gaat gebeuren en waarom.")
    meldcode_reason = meldcode_reason.strip()
    if meldcode_reason and not permissions.holds_role(
        by, permissions.MELDCODE_DECIDERS, pupil.school_id
    ):
        raise CareError(
            "Alleen de IB'er of de directeur legt een uitzondering volgens de meldcode vast."
        )
    return OutsideInvolvement.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        service=service.strip(),
        what=what.strip(),
        why=why.strip(),
        meldcode_reason=meldcode_reason,
        recorded_by=by,
    )
