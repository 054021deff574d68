"""State changes of absence: a guardian's sickness report, the protocol started for a pupil absent
without one, leave asked and decided, and the information card published and read.

Each function checks its rule, writes in one transaction, and raises ``AbsenceError`` with a
Dutch message (B1, "u") when the rule says no. Nothing here sends: the messages to parents are
reminder rules (``absence.reminder_rules``) that read these tables.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from absence.models import (
    DEFAULT_STEP_DAYS,
    STEP_ORDER,
    AbsenceReport,
    AbsenceSettings,
    AttendanceCase,
    CaseStep,
    InfoCard,
    InfoCardReading,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    ProtocolStep,
    ReportKind,
    StepKind,
)
from parents.models import ContactChannel, Guardian, PupilGuardian
from parents.services import PlanError, agree_plan
from schools import audit, permissions
from schools.calendar import SchoolCalendar
from schools.models import AuditAction, Pupil, School, SchoolYear

# A parent reports for today and the coming days, not for next month.
REPORT_DAYS_AHEAD = 14
# Leerplichtwet art. 13a and 14: at most ten school days a school year decided by the school.
MAX_LEAVE_DAYS = 10
# Art. 13a: never in the first two weeks of the school year.
FIRST_WEEKS = datetime.timedelta(weeks=2)
# A later step is announced the school day before it, in the afternoon.
ANNOUNCE_TIME = datetime.time(15, 0)


class AbsenceError(Exception):
    """A change the rules refuse; the message is Dutch and says what to do."""


class LeaveRefused(AbsenceError):
    """The law says no to this leave request: every reason, each with its article, as (lazy
    text, values) so that it reads in Dutch and in the parent's language alike."""

    def __init__(self, refusals: list[tuple[Any, dict | None]]) -> None:
        self.refusals = refusals
        super().__init__(" ".join(self.reasons))

    def reasons_in(self, language: str) -> list[str]:
        with translation.override(language):
            return [str(text) % values if values else str(text) for text, values in self.refusals]

    @property
    def reasons(self) -> list[str]:
        """In Dutch, the language of the law."""
        return self.reasons_in("nl")


def _local_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return timezone.localtime(now or timezone.now())


def _link(guardian: Guardian, pupil: Pupil) -> PupilGuardian:
    link = PupilGuardian.objects.filter(guardian=guardian, pupil=pupil).first()
    if link is None or not link.sees_child or pupil.left_on is not None:
        raise AbsenceError(_("Dit kind staat niet bij uw account. Bel de school."))
    return link


def _calendar(school: School, day: datetime.date) -> SchoolCalendar:
    return SchoolCalendar.build(school, SchoolYear.for_date(day))


# --- sickness reports -------------------------------------------------------------------------


@transaction.atomic
def report_absence(
    *,
    guardian: Guardian,
    pupil: Pupil,
    kind: str,
    first_day: datetime.date,
    last_day: datetime.date | None = None,
    arrives_at: datetime.time | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> AbsenceReport:
    """A guardian reports ``pupil`` sick (``first_day`` to ``last_day``) or late (one day, at
    ``arrives_at``). A report for today after the school's time (``AbsenceSettings``) is marked
    as reported late; the school still gets it.

    A report explains the absence of its days: no protocol starts for them (``mark_absent``),
    and a protocol the school already started for today stops, as ``close_case`` stops it: a
    child who comes later, or is ill, was not absent without a word."""
    _link(guardian, pupil)
    local = _local_now(now)
    today = local.date()
    last_day = last_day or first_day
    if first_day < today:
        raise AbsenceError(_("Deze dag is al voorbij. Kies vandaag of een dag hierna."))
    if first_day > today + datetime.timedelta(days=REPORT_DAYS_AHEAD):
        raise AbsenceError(_("U kunt tot twee weken vooruit melden. Kies een eerdere dag."))
    if last_day < first_day:
        raise AbsenceError(_("De laatste dag ligt voor de eerste dag. Kies de dagen opnieuw."))
    if kind == ReportKind.LATE and last_day != first_day:
        raise AbsenceError(_("Later komen meldt u per dag. Kies één dag."))
    calendar = _calendar(pupil.school, first_day)
    if last_day > calendar.year.end or not calendar.count_school_days(first_day, last_day):
        raise AbsenceError(_("Op deze dagen is de school dicht. U hoeft niets te melden."))
    settings = AbsenceSettings.for_school(pupil.school)
    report = AbsenceReport.objects.create(
        pupil=pupil,
        guardian=guardian,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        arrives_at=arrives_at if kind == ReportKind.LATE else None,
        note=note.strip(),
        reported_at=local,
        reported_late=first_day == today and local.time() > settings.late_after,
    )
    # Only the protocol of a day this report covers: one started on an earlier day, without a
    # report, keeps running.
    _stop_protocol(
        AttendanceCase.objects.filter(pupil=pupil, absent_on__range=(first_day, last_day))
    )
    return report


# --- the school's settings and protocol -------------------------------------------------------


@dataclass(frozen=True)
class StepChoice:
    kind: str
    after_school_days: int
    responsible: User | None = None  # a user, or None: the teacher (first step) or contact person


@transaction.atomic
def save_settings(
    *,
    school: School,
    by: User,
    late_after: datetime.time,
    wants_phone_call: bool,
    phone: str,
    contact_person: User | None,
    steps: list[StepChoice],
) -> AbsenceSettings:
    """Save the school's choices and its protocol: ``steps`` is the list of ``StepChoice`` the
    school keeps (a kind left out is not a step of this school). The days must rise with the
    steps: an escalation never comes before the step it follows."""
    permissions.require_role(by, permissions.ABSENCE_MANAGERS, school)
    steps = sorted(steps, key=lambda s: STEP_ORDER.index(s.kind))
    days = [step.after_school_days for step in steps]
    if days != sorted(days):
        raise AbsenceError(_("Een latere stap kan niet eerder komen dan de stap ervoor."))
    if contact_person is not None and not permissions.holds_role(
        contact_person, permissions.WHOLE_SCHOOL_ROLES, school
    ):
        raise AbsenceError(_("Kies als contactpersoon iemand die op deze school werkt."))
    settings, _created = AbsenceSettings.objects.update_or_create(
        school=school,
        defaults={
            "late_after": late_after,
            "wants_phone_call": wants_phone_call,
            "phone": phone.strip(),
            "contact_person": contact_person,
        },
    )
    ProtocolStep.objects.filter(school=school).delete()
    ProtocolStep.objects.bulk_create(
        ProtocolStep(
            school=school,
            kind=step.kind,
            after_school_days=step.after_school_days,
            responsible=step.responsible,
        )
        for step in steps
    )
    return settings


def protocol_steps(school: School) -> list[ProtocolStep]:
    """The school's steps in order: its own once it saved them, else the defaults (unsaved)."""
    if AbsenceSettings.objects.filter(school=school).exists():
        saved = ProtocolStep.objects.filter(school=school).select_related("responsible")
        return sorted(saved, key=lambda step: step.position)
    return [
        ProtocolStep(school=school, kind=kind, after_school_days=DEFAULT_STEP_DAYS[kind])
        for kind in STEP_ORDER
    ]


def _group_teacher(pupil: Pupil, day: datetime.date, by: User) -> User:
    if permissions.holds_role(by, permissions.GROUP_ROLES, pupil.school_id):
        return by
    enrolment = (
        pupil.enrolments.filter(school_year__start__lte=day, school_year__end__gte=day)
        .select_related("group")
        .first()
    )
    teacher = enrolment.group.teachers.order_by("pk").first() if enrolment else None
    return teacher or by


def _announce_at(
    calendar: SchoolCalendar,
    planned_on: datetime.date,
    day: datetime.date,
    now: datetime.datetime,
) -> datetime.datetime:
    """Before the step happens: at once for a step of the day itself, else in the afternoon of
    the school day before it."""
    if planned_on <= day:
        return now
    before = planned_on - datetime.timedelta(days=1)
    while before > day and not calendar.is_school_day(before):
        before -= datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(before, ANNOUNCE_TIME))
    return max(moment, now)


STEP_CHANNELS: dict[str, str] = {
    StepKind.TEACHER_CALLS: ContactChannel.PHONE,
    StepKind.CONTACT_PERSON: ContactChannel.PHONE,
    StepKind.SCHOOL_MEETING: ContactChannel.SCHOOL_VISIT,
    StepKind.ATTENDANCE_OFFICER: ContactChannel.LETTER,
}


@transaction.atomic
def mark_absent(*, pupil: Pupil, by: User, now: datetime.datetime | None = None) -> AttendanceCase:
    """``pupil`` is not at school today and nobody reported it: the school's protocol starts for
    this pupil. Each step is planned on its school day with who does it, becomes an agreement
    with a contact moment in the family's communication plan, and is told to the parents before
    it happens (``absence.reminder_rules``)."""
    permissions.require_role(by, permissions.NAME_READERS, pupil.school_id)
    if not Pupil.objects.visible_to(by).filter(pk=pupil.pk).exists():
        raise AbsenceError(_("U heeft geen rechten op deze leerling."))
    now = _local_now(now)
    day = now.date()
    calendar = _calendar(pupil.school, day)
    if not calendar.is_school_day(day):
        raise AbsenceError(_("Vandaag is de school dicht."))
    if AbsenceReport.objects.filter(pupil=pupil).on(day).exists():
        raise AbsenceError(
            _("Voor %(name)s is vandaag een melding van de ouders. Het protocol start niet.")
            % {"name": pupil.first_name}
        )
    settings = AbsenceSettings.for_school(pupil.school)
    contact_person = settings.contact_person or by
    try:
        with transaction.atomic():
            case = AttendanceCase.objects.create(
                pupil=pupil,
                absent_on=day,
                opened_by=by,
                opened_at=now,
                contact_person=contact_person,
            )
    except IntegrityError as error:
        raise AbsenceError(
            _("Voor %(name)s loopt het verzuimprotocol al.") % {"name": pupil.first_name}
        ) from error
    teacher = _group_teacher(pupil, day, by)
    steps = []
    for step in protocol_steps(pupil.school):
        planned_on = calendar.add_school_days(day, step.after_school_days)
        default = teacher if step.kind == StepKind.TEACHER_CALLS else contact_person
        steps.append(
            CaseStep(
                case=case,
                kind=step.kind,
                planned_on=planned_on,
                responsible=step.responsible or default,
                announce_at=_announce_at(calendar, planned_on, day, now),
            )
        )
    CaseStep.objects.bulk_create(steps)
    _plan_moments(case, steps, by)
    return case


@transaction.atomic
def close_case(*, case: AttendanceCase, by: User) -> AttendanceCase:
    """The pupil is back, or the absence is explained: the protocol stops. Steps not yet told
    to the parents are not told any more (``ProtocolStepRule.recheck``); the contact moments
    already planned stay on the responsible colleague's list, to hold or mark as not needed."""
    permissions.require_role(by, permissions.NAME_READERS, case.pupil.school_id)
    if not AttendanceCase.objects.visible_to(by).filter(pk=case.pk).exists():
        raise AbsenceError(_("U heeft geen rechten op deze leerling."))
    if not _stop_protocol(AttendanceCase.objects.filter(pk=case.pk)):
        raise AbsenceError(_("Dit verzuimprotocol is al gestopt."))
    case.refresh_from_db(fields=["closed_at"])
    return case


def _stop_protocol(cases: QuerySet[AttendanceCase]) -> int:
    """Close the open ``cases``; how many were open. Steps not yet told to the parents are not
    told any more (``ProtocolStepRule.recheck``)."""
    return cases.filter(closed_at__isnull=True).update(closed_at=timezone.now())


def _plan_moments(case: AttendanceCase, steps: list[CaseStep], by: User) -> None:
    """Each step is an agreement with one contact moment in the plan of every household the
    child lives in, so it is on the responsible colleague's 'Deze week' and reminded like any
    other moment."""
    pupil = case.pupil
    families = {}
    for guardian in Guardian.objects.filter(
        pupil_links__pupil=pupil,
        pupil_links__access_blocked_reason="",
        pupil_links__information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    ).select_related("family"):
        families.setdefault(guardian.family_id, guardian.family)
    year = SchoolYear.for_date(case.absent_on)
    for family in families.values():
        has_phone = family.guardians.exclude(phone="").exists()
        agreements = [
            {
                "what": _("Verzuim %(day)s, stap %(n)s: %(step)s")
                % {
                    "day": case.absent_on.strftime("%d-%m"),
                    "n": step.position,
                    "step": step.get_kind_display(),
                },
                "pupil": pupil,
                "channel": _step_channel(step.kind, has_phone),
                "responsible": step.responsible,
                "schedule": "once",
                "on_date": step.planned_on,
                "with_child": False,
            }
            for step in steps
        ]
        try:
            agree_plan(
                family=family,
                school_year=year,
                agreed_on=case.absent_on,
                by=by,
                agreements=agreements,
                made_on=case.absent_on,
            )
        except PlanError as error:
            raise AbsenceError(str(error)) from error


def _step_channel(kind: str, has_phone: bool) -> str:
    channel = STEP_CHANNELS[kind]
    if channel == ContactChannel.PHONE and not has_phone:
        return ContactChannel.LETTER
    return channel


# --- leave ----------------------------------------------------------------------------------


REASON_NOT_WORK = gettext_lazy(
    "Vakantieverlof kan alleen als het werk van een ouder een vakantie in de schoolvakanties "
    "onmogelijk maakt (Leerplichtwet, artikel 11 onder f en artikel 13a)."
)
REASON_NO_STATEMENT = gettext_lazy(
    "Voor vakantieverlof is een verklaring van de werkgever nodig (Leerplichtwet, artikel 13a)."
)
REASON_TOO_LONG = gettext_lazy(
    "Vakantieverlof is ten hoogste 10 schooldagen. U vraagt %(days)s schooldagen "
    "(Leerplichtwet, artikel 13a, eerste lid)."
)
REASON_FIRST_WEEKS = gettext_lazy(
    "Vakantieverlof mag niet in de eerste twee weken van het schooljaar vallen. Dit schooljaar "
    "zijn dat de dagen tot en met %(last)s (Leerplichtwet, artikel 13a, eerste lid)."
)
REASON_TWICE = gettext_lazy(
    "Vakantieverlof krijgt een kind één keer per schooljaar. Dit schooljaar is er al "
    "vakantieverlof gevraagd (Leerplichtwet, artikel 13a, eerste lid)."
)


def leave_refusals(
    *,
    pupil: Pupil,
    kind: str,
    first_day: datetime.date,
    last_day: datetime.date,
    has_statement: bool,
    work_prevents_holiday: bool,
) -> tuple[int, list[tuple[Any, dict | None]]]:
    """(school days asked, [(reason, values) the law refuses this request for]) for leave from
    ``first_day`` to ``last_day``. School days come from the school calendar."""
    calendar = _calendar(pupil.school, first_day)
    days = calendar.count_school_days(first_day, last_day)
    if kind != LeaveKind.HOLIDAY:
        return days, []
    reasons: list[tuple[Any, dict | None]] = []
    if not work_prevents_holiday:
        reasons.append((REASON_NOT_WORK, None))
    if not has_statement:
        reasons.append((REASON_NO_STATEMENT, None))
    if days > MAX_LEAVE_DAYS:
        reasons.append((REASON_TOO_LONG, {"days": days}))
    first_weeks_end = calendar.first_school_day + FIRST_WEEKS - datetime.timedelta(days=1)
    if first_day <= first_weeks_end:
        reasons.append((REASON_FIRST_WEEKS, {"last": first_weeks_end.strftime("%d-%m-%Y")}))
    asked_before = LeaveRequest.objects.counting().filter(
        pupil=pupil, kind=LeaveKind.HOLIDAY, school_year=calendar.year
    )
    if asked_before.exists():
        reasons.append((REASON_TWICE, None))
    return days, reasons


def _leave_status(pupil: Pupil, kind: str, year: SchoolYear, days: int) -> str:
    """Art. 14: up to ten school days a year of leave for important reasons the director
    decides; beyond that the leerplichtambtenaar."""
    if kind != LeaveKind.IMPORTANT:
        return LeaveStatus.REQUESTED
    earlier = LeaveRequest.objects.counting().filter(
        pupil=pupil, kind=LeaveKind.IMPORTANT, school_year=year
    )
    earlier_days = sum(earlier.values_list("school_days", flat=True))
    return LeaveStatus.FORWARDED if earlier_days + days > MAX_LEAVE_DAYS else LeaveStatus.REQUESTED


@transaction.atomic
def request_leave(
    *,
    guardian: Guardian,
    pupil: Pupil,
    kind: str,
    first_day: datetime.date,
    last_day: datetime.date,
    reason: str,
    employer_statement: UploadedFile | None = None,
    work_prevents_holiday: bool = False,
    today: datetime.date | None = None,
) -> LeaveRequest:
    """A guardian with parental authority asks leave for ``pupil``. Raises ``LeaveRefused``
    with every legal reason when the law refuses it; nothing is saved then."""
    link = _link(guardian, pupil)
    if not link.has_parental_authority:
        raise AbsenceError(_("Verlof vraagt een ouder met gezag aan."))
    today = today or timezone.localdate()
    if first_day <= today:
        raise AbsenceError(_("Verlof vraagt u vooraf aan. Kies een dag na vandaag."))
    if last_day < first_day:
        raise AbsenceError(_("De laatste dag ligt voor de eerste dag. Kies de dagen opnieuw."))
    year = SchoolYear.for_date(first_day)
    if last_day > year.end:
        raise AbsenceError(
            _("Vraag verlof per schooljaar aan: het schooljaar eindigt op %(end)s.")
            % {"end": year.end.strftime("%d-%m-%Y")}
        )
    if not reason.strip():
        raise AbsenceError(_("Schrijf kort waarom u verlof vraagt."))
    # One request at a time per child, so the once-a-year rule cannot be raced.
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
    days, reasons = leave_refusals(
        pupil=pupil,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        has_statement=bool(employer_statement),
        work_prevents_holiday=work_prevents_holiday,
    )
    if not days:
        raise AbsenceError(_("Op deze dagen is de school dicht. U hoeft geen verlof te vragen."))
    if reasons:
        raise LeaveRefused(reasons)
    return LeaveRequest.objects.create(
        pupil=pupil,
        guardian=guardian,
        school_year=year,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        school_days=days,
        reason=reason.strip(),
        employer_statement=employer_statement if kind == LeaveKind.HOLIDAY else None,
        status=_leave_status(pupil, kind, year, days),
    )


@transaction.atomic
def decide_leave(*, leave: LeaveRequest, by: User, granted: bool, note: str = "") -> LeaveRequest:
    """The director grants or refuses a request; the parent hears it in their language with the
    way to object (``absence.reminder_rules``). The decision is in the audit log."""
    permissions.require_role(by, permissions.ABSENCE_MANAGERS, leave.pupil.school_id)
    locked = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if locked.status != LeaveStatus.REQUESTED:
        raise AbsenceError(
            _("Over deze aanvraag is al besloten, of de leerplichtambtenaar beslist erover.")
        )
    if not granted and not note.strip():
        raise AbsenceError(_("Schrijf bij een weigering waarom. De ouder leest dit."))
    locked.status = LeaveStatus.GRANTED if granted else LeaveStatus.REFUSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(by, AuditAction.DECIDE_LEAVE, pupil=leave.pupil, what=f"leave:{leave.pk}")
    return locked


@transaction.atomic
def remove_employer_statements(*, pupil: Pupil) -> int:
    """The retention run's part for leave: the employer statements of ``pupil`` (a file names
    the parent and their employer, which no text sweep can reach) leave storage once the
    transaction commits; the requests stay, anonymised with the rest. Returns how many."""
    leaves = list(
        LeaveRequest.objects.filter(pupil=pupil)
        .exclude(employer_statement="")
        .only("pk", "employer_statement")
    )
    if not leaves:
        return 0
    LeaveRequest.objects.filter(pk__in=[leave.pk for leave in leaves]).update(
        employer_statement="", statement_removed_at=timezone.now()
    )
    files = [(leave.employer_statement.storage, leave.employer_statement.name) for leave in leaves]

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    # After the commit: a rolled-back run must not leave requests whose file is gone.
    transaction.on_commit(delete_files)
    return len(leaves)


# --- the information card ---------------------------------------------------------------------


@transaction.atomic
def publish_info_card(*, school: School, year: SchoolYear, by: User, welcome: str = "") -> InfoCard:
    """Publish this year's card (or change the school's word on it); families see it at once."""
    permissions.require_role(by, permissions.ABSENCE_MANAGERS, school)
    card, _created = InfoCard.objects.update_or_create(
        school=school,
        school_year=year,
        defaults={"welcome": welcome.strip(), "published_by": by},
    )
    return card


@transaction.atomic
def confirm_info_card(*, card: InfoCard, guardian: Guardian) -> InfoCardReading:
    """The guardian read the card: it counts for their household. Twice is once."""
    if not PupilGuardian.objects.filter(
        guardian=guardian,
        pupil__school_id=card.school_id,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    ).exists():
        raise AbsenceError(_("Deze kaart is van een school waar u geen kind heeft."))
    reading, _created = InfoCardReading.objects.get_or_create(
        card=card, family_id=guardian.family_id, defaults={"guardian": guardian}
    )
    return reading
