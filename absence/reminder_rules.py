"""What absence tells parents, through ``reminders`` like every other message, each in the
guardian's own language: the confirmation of a report, each step of the attendance protocol
before it happens, and the director's decision on leave with the way to object.

Separated parents each get their own message, never a copy to the other.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext_noop

from absence.models import (
    AbsenceReport,
    AbsenceSettings,
    CaseStep,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    ReportKind,
    StepKind,
)
from parents.models import PupilGuardian
from parents.reminder_rules import guardian_name, guardian_quiet_hours, guardian_route
from reminders import outbox
from reminders.registry import Item, Rule, Verdict
from reminders.texts import in_language, language_of_message
from schools import permissions
from schools.models import StaffMembership

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from parents.models import Guardian
    from reminders.models import Reminder

# A message that could not be made in time is not made at all a week later.
LOOK_BACK = datetime.timedelta(days=7)

CONFIRMATION = (
    gettext_noop("Melding ontvangen: {child}"),
    gettext_noop(
        "Beste {name},\n\n{school} heeft uw melding ontvangen.\n{child}: {what}, {days}.\n"
        "{extra}\nMet vriendelijke groet,\n{school}"
    ),
)
CALL_TOO = gettext_noop("Bel ook even de school: {phone}.")

STEP_NOTICE = (
    gettext_noop("Afwezig zonder melding: {child}"),
    gettext_noop(
        "Beste {name},\n\n{child} was op {day} niet op school en wij hadden geen melding. Dan "
        "volgen wij ons verzuimprotocol. Dit is de volgende stap:\n\nWat: {what}\n"
        "Wanneer: {when}\nWie: {who}\nWaarom: {why}\n\nUw vaste contactpersoon is {contact}. "
        "Heeft u vragen? Bel gerust.\n\n{school}"
    ),
)
# What each step is and why, for parents (also on the information card and in the portal).
STEP_TEXTS: dict[str, tuple[str, str]] = {
    StepKind.TEACHER_CALLS: (
        gettext_noop("De leerkracht belt u."),
        gettext_noop("Wij willen weten of het goed gaat met uw kind."),
    ),
    StepKind.CONTACT_PERSON: (
        gettext_noop("Uw vaste contactpersoon belt u."),
        gettext_noop("Uw kind is vaker afwezig. Wij zoeken samen met u naar een oplossing."),
    ),
    StepKind.SCHOOL_MEETING: (
        gettext_noop("Wij nodigen u uit voor een gesprek op school."),
        gettext_noop("Samen maken wij afspraken, zodat uw kind weer elke dag naar school komt."),
    ),
    StepKind.ATTENDANCE_OFFICER: (
        gettext_noop("De school meldt het verzuim bij de leerplichtambtenaar."),
        gettext_noop(
            "Dit moet volgens de Leerplichtwet. De leerplichtambtenaar helpt ook om een "
            "oplossing te vinden."
        ),
    ),
}
ATTENDANCE_OFFICER = gettext_noop("de leerplichtambtenaar, met {name}")

DECISION = (
    gettext_noop("Besluit over uw verlofaanvraag: {child}"),
    gettext_noop(
        "Beste {name},\n\nDe directeur heeft besloten over uw aanvraag voor {kind} voor "
        "{child}, van {first} tot en met {last}.\n\nBesluit: {decision}\n{note}\n\n"
        "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken bezwaar maken. "
        "Schrijf een brief aan de directeur met uw naam, de datum, dit besluit en waarom u het "
        "er niet mee eens bent.\n\n{school}"
    ),
)


def _day(day: datetime.date) -> str:
    return f"{day:%d-%m-%Y}"


def _guardian_item(
    rule: Rule,
    *,
    ref: str,
    occurrence: str,
    school_id: int,
    school: str,
    row: Sequence[Any],
    texts: Sequence[str],
    due_at: datetime.datetime,
    **values: str,
) -> Item:
    """One message to the guardian of ``row``: (guardian id, first, infix, last, email, phone,
    language, channels, quiet start, quiet end); ``values`` fill the translated texts, a value
    that is a Dutch source is translated too."""
    guardian_id, first, infix, last, email, phone, lang, channels, quiet_start, quiet_end = row
    language = language_of_message(lang)
    name = guardian_name(first, infix, last)
    subject, body = in_language(language, *texts)
    channel, address, note = guardian_route(email, phone, channels)
    filled = {"name": name, "school": school, **values}
    return Item(
        object_ref=ref,
        recipient_key=f"parents.guardian:{guardian_id}",
        occurrence=occurrence,
        school_id=school_id,
        recipient_name=name,
        address=address,
        channel=channel,
        language=language,
        subject=subject.format(**filled),
        body=body.format(**filled),
        due_at=due_at,
        sender_name=school,
        quiet_hours=guardian_quiet_hours(quiet_start, quiet_end),
        note=note,
    )


GUARDIAN_COLUMNS = (
    "guardian_id",
    "guardian__first_name",
    "guardian__infix",
    "guardian__last_name",
    "guardian__email",
    "guardian__phone",
    "guardian__language",
    "guardian__preferred_channels",
    "guardian__quiet_hours_start",
    "guardian__quiet_hours_end",
)


def _row(guardian: Guardian) -> tuple[Any, ...]:
    """A guardian object as a row of ``GUARDIAN_COLUMNS``."""
    return (guardian.pk, *(getattr(guardian, column[10:]) for column in GUARDIAN_COLUMNS[1:]))


def _label(language: str, label: str | Promise) -> str:
    """A choice's label (lazy) in ``language``."""
    with translation.override(language):
        return str(label)


class ReportConfirmationRule(Rule):
    """The guardian who reported gets a confirmation (besides the one on screen)."""

    name = "absence.report_confirmation"
    label = "Bevestiging van een ziekmelding aan de ouder"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        reports = outbox.without_rows(
            AbsenceReport.objects.filter(reported_at__gte=now - LOOK_BACK, reported_at__lte=now),
            rule=self.name,
            object_ref=outbox.key("absence.absencereport:", "pk"),
            occurrence="confirmation",
        ).select_related("pupil__school", "guardian")
        reports = list(reports)
        # The schools that ask parents to call as well, with the number: one query.
        phones = dict(
            AbsenceSettings.objects.filter(
                school_id__in={r.pupil.school_id for r in reports}, wants_phone_call=True
            )
            .exclude(phone="")
            .values_list("school_id", "phone")
        )
        for report in reports:
            school = report.pupil.school
            language = language_of_message(report.guardian.language)
            (extra,) = in_language(language, CALL_TOO)
            what = _label(language, ReportKind(report.kind).label)
            days = _day(report.first_day)
            if report.last_day != report.first_day:
                days = f"{days} - {_day(report.last_day)}"
            if report.arrives_at:
                days = f"{days}, {report.arrives_at:%H:%M}"
            yield _guardian_item(
                self,
                ref=f"absence.absencereport:{report.pk}",
                occurrence="confirmation",
                school_id=school.pk,
                school=school.name,
                row=_row(report.guardian),
                texts=CONFIRMATION,
                due_at=report.reported_at,
                child=report.pupil.first_name,
                what=what,
                days=days,
                extra=extra.format(phone=phones[school.pk]) + "\n" if school.pk in phones else "",
            )


def contact_names(pairs: Collection[tuple[int, int | None]]) -> dict[tuple[int, int | None], str]:
    """{(school id, user id): "Name (phone)"} of the staff members in ``pairs``: one query."""
    names: dict[tuple[int, int | None], str] = {}
    rows = StaffMembership.objects.filter(
        school_id__in={s for s, _u in pairs}, user_id__in={u for _s, u in pairs}
    ).select_related("user")
    for membership in rows:
        user = membership.user
        name = user.get_full_name() or user.email
        key = (membership.school_id, user.pk)
        if membership.phone or key not in names:
            names[key] = f"{name} ({membership.phone})" if membership.phone else name
    return names


class ProtocolStepRule(Rule):
    """Each step of the protocol, told to every guardian with information rights before the
    step happens: what, when, who and why, and who their contact person is."""

    name = "absence.protocol_step"
    label = "Verzuimprotocol: ouders horen vooraf wat de volgende stap is"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        steps = list(
            outbox.without_rows(
                CaseStep.objects.filter(
                    announce_at__lte=now,
                    announce_at__gte=now - LOOK_BACK,
                    case__closed_at__isnull=True,
                ),
                rule=self.name,
                object_ref=outbox.key("absence.casestep:", "pk"),
                occurrence="announce",
            ).select_related("case__pupil__school", "responsible")
        )
        if not steps:
            return
        links = PupilGuardian.objects.filter(
            pupil_id__in={step.case.pupil_id for step in steps},
            pupil__left_on__isnull=True,
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        ).values_list("pupil_id", *GUARDIAN_COLUMNS)
        guardians = {}
        for pupil_id, *row in links:
            guardians.setdefault(pupil_id, []).append(tuple(row))
        pairs: set[tuple[int, int | None]] = {
            (s.case.pupil.school_id, s.responsible_id) for s in steps
        }
        pairs |= {(s.case.pupil.school_id, s.case.contact_person_id) for s in steps}
        names = contact_names(pairs)
        for step in steps:
            pupil = step.case.pupil
            school = pupil.school
            who = names.get((school.pk, step.responsible_id), step.responsible.get_full_name())
            contact = names.get((school.pk, step.case.contact_person_id), who)
            for row in guardians.get(pupil.pk, []):
                language = language_of_message(row[6])
                what, why, officer = in_language(
                    language, *STEP_TEXTS[step.kind], ATTENDANCE_OFFICER
                )
                if step.kind == StepKind.ATTENDANCE_OFFICER:
                    who_text = officer.format(name=who)
                else:
                    who_text = who
                yield _guardian_item(
                    self,
                    ref=f"absence.casestep:{step.pk}",
                    occurrence="announce",
                    school_id=school.pk,
                    school=school.name,
                    row=row,
                    texts=STEP_NOTICE,
                    due_at=step.announce_at,
                    child=pupil.first_name,
                    day=_day(step.case.absent_on),
                    what=what,
                    when=_day(step.planned_on),
                    who=who_text,
                    why=why,
                    contact=contact,
                )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """A step of a protocol the school stopped is not announced any more."""
        ids = [int(r.object_ref.split(":")[1]) for r in reminders]
        stopped = set(
            CaseStep.objects.filter(pk__in=ids, case__closed_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        return {
            r.pk: Verdict.cancel("Het verzuimprotocol is gestopt.")
            for r in reminders
            if int(r.object_ref.split(":")[1]) in stopped
        }


class LeaveDecisionRule(Rule):
    """The guardian who asked for leave hears the director's decision, with how to object."""

    name = "absence.leave_decision"
    label = "Besluit over verlof aan de ouder"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        requests = outbox.without_rows(
            LeaveRequest.objects.filter(
                status__in=(LeaveStatus.GRANTED, LeaveStatus.REFUSED),
                decided_at__gte=now - LOOK_BACK,
                decided_at__lte=now,
            ),
            rule=self.name,
            object_ref=outbox.key("absence.leaverequest:", "pk"),
            occurrence="decision",
        ).select_related("pupil__school", "guardian")
        for leave in requests:
            guardian = leave.guardian
            language = language_of_message(guardian.language)
            kind = _label(language, LeaveKind(leave.kind).label)
            decision = _label(language, LeaveStatus(leave.status).label)
            yield _guardian_item(
                self,
                ref=f"absence.leaverequest:{leave.pk}",
                occurrence="decision",
                school_id=leave.pupil.school_id,
                school=leave.pupil.school.name,
                row=_row(guardian),
                texts=DECISION,
                due_at=leave.decided_at,
                child=leave.pupil.first_name,
                kind=kind,
                first=_day(leave.first_day),
                last=_day(leave.last_day),
                decision=decision,
                note=leave.decision_note,
            )


RULES = (ReportConfirmationRule(), ProtocolStepRule(), LeaveDecisionRule())
