"""State changes of care and safety: each one checks its rule, writes in one transaction and
raises ``CareError`` with a Dutch message the user can act on."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from care.models import FOLLOW_UP_STEPS, ContactArrangement, Incident, SafetyProtocol
from parents.models import Family, Guardian
from schools import permissions
from schools.models import School, StaffMembership


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
