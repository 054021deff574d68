"""State changes of care and safety: each one checks its rule, writes in one transaction and
raises ``CareError`` with a Dutch message the user can act on."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from care.models import (
    FOLLOW_UP_STEPS,
    ChangesReport,
    ComplaintsProcedure,
    ContactArrangement,
    Feedback,
    Incident,
    SafetyProtocol,
)
from parents.models import Family, Guardian
from schools import permissions
from schools.calendar import school_days_after
from schools.models import School, SchoolYear, StaffMembership

# The school answers an idea or complaint within this many school days, unless it set its own.
DEFAULT_ANSWER_DAYS = 10


class CareError(Exception):
    pass


def _works_at(user: AbstractBaseUser, school: School) -> bool:
    return StaffMembership.objects.filter(user=user, school=school).exists()


def _require_overseer(by: AbstractBaseUser, school: School) -> None:
    if not permissions.holds_role(by, permissions.INCIDENT_OVERSEERS, school):
        raise CareError("Alleen de directeur van de school kan dit doen.")


@transaction.atomic
def register_incident(
    *,
    school: School,
    guardian: Guardian,
    staff_member: AbstractBaseUser,
    kind: str,
    occurred_at: datetime.datetime,
    place: str,
    what_happened: str,
    by: AbstractBaseUser,
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
def plan_follow_up(*, incident: Incident, by: AbstractBaseUser, **steps) -> Incident:
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
def add_reader(*, incident: Incident, reader: AbstractBaseUser, by: AbstractBaseUser) -> None:
    """The director lets a colleague of the school read the incident."""
    _require_overseer(by, incident.school_id)
    if not _works_at(reader, incident.school):
        raise CareError("Deze medewerker werkt niet op deze school.")
    incident.readers.add(reader)


@transaction.atomic
def withhold_from_export(*, incident: Incident, ground: str, by: AbstractBaseUser) -> None:
    """Record the legal ground on which the incident stays out of the family's data export; an
    empty ground puts it back in."""
    _require_overseer(by, incident.school_id)
    incident.withheld_ground = ground.strip()
    incident.save(update_fields=["withheld_ground"])


@transaction.atomic
def set_contact_arrangement(
    *, school: School, family: Family, text: str, by: AbstractBaseUser
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
    by: AbstractBaseUser,
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


def _require_handler(by: AbstractBaseUser, feedback: Feedback) -> None:
    handles = permissions.holds_role(by, permissions.FEEDBACK_HANDLERS, feedback.school_id)
    if not handles and feedback.assigned_to_id != by.pk:
        raise CareError("U behandelt dit idee of deze klacht niet.")


@transaction.atomic
def assign_feedback(*, feedback: Feedback, to: AbstractBaseUser, by: AbstractBaseUser) -> None:
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
def answer_feedback(
    *, feedback: Feedback, answer: str, by: AbstractBaseUser, change_made: str = ""
) -> None:
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
def close_feedback(*, feedback: Feedback, by: AbstractBaseUser) -> None:
    _require_handler(by, feedback)
    if feedback.answered_at is None:
        raise CareError("Geef eerst een antwoord aan de ouder; daarna kunt u afsluiten.")
    feedback.closed_at = feedback.closed_at or timezone.now()
    feedback.save(update_fields=["closed_at"])


@transaction.atomic
def save_complaints_procedure(
    *, school: School, by: AbstractBaseUser, url: str, contact: str, answer_days: int
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
    *, school: School, year: SchoolYear, introduction: str, by: AbstractBaseUser
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
