"""Sickness reports, the attendance protocol, leave (verlof) and the information card of week one.

Document 001: parents hear at the start of the year what happens around absence, and when
attendance falters they know beforehand who is involved, when and why. The Leerplichtwet (art. 11
onder f and g, 13a, 14) sets the rules for leave; ``absence.rules`` checks them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parents.models import Family, Guardian
from schools import permissions
from schools.models import Pupil, School, SchoolYear

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Most primary schools open their doors at 08:20 and start at 08:30.
DEFAULT_LATE_AFTER = datetime.time(8, 15)


class AbsenceSettings(models.Model):
    """A school's choices about sickness reports and the protocol's contact person. A school
    without a row has the defaults (``for_school``); the row is written when the school saves."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    late_after = models.TimeField(
        _("een melding voor vandaag is te laat na"),
        default=DEFAULT_LATE_AFTER,
        help_text=_(
            "Ouders melden voor dit tijdstip. Een latere melding ziet de leerkracht als te laat."
        ),
    )
    wants_phone_call = models.BooleanField(
        _("ouders bellen ook"),
        default=False,
        help_text=_("Na de melding in Schouder vragen wij ouders ook te bellen."),
    )
    phone = models.CharField(_("telefoon voor ziekmeldingen"), max_length=30, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vaste contactpersoon bij verzuim"),
        help_text=_("Meestal de intern begeleider. Ouders zien deze naam bij elke stap."),
    )

    class Meta:
        verbose_name = _("instellingen verzuim")
        verbose_name_plural = _("instellingen verzuim")

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def for_school(cls, school: School) -> AbsenceSettings:
        """The school's saved settings, or the defaults (not saved: a page that only reads writes
        nothing)."""
        found = cls.objects.filter(school=school).select_related("contact_person").first()
        return found or cls(school=school)


class ReportKind(models.TextChoices):
    SICK = "sick", _("ziek")
    LATE = "late", _("komt later")


class AbsenceReportQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.filter(pupil__in=permissions.visible_pupil_ids(user))

    def on(self, day: datetime.date) -> Self:
        return self.filter(first_day__lte=day, last_day__gte=day)


class AbsenceReport(models.Model):
    """A guardian reports a child sick or late, for today or the coming days."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="absence_reports")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="absence_reports")
    kind = models.CharField(_("wat"), max_length=10, choices=ReportKind.choices)
    first_day = models.DateField(_("vanaf"))
    last_day = models.DateField(_("tot en met"))
    arrives_at = models.TimeField(_("komt om"), null=True, blank=True)
    note = models.CharField(_("opmerking"), max_length=500, blank=True)
    reported_at = models.DateTimeField(_("gemeld op"), default=timezone.now)
    # Reported for today after the school's time (AbsenceSettings.late_after).
    reported_late = models.BooleanField(_("te laat gemeld"), default=False)

    objects = AbsenceReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("ziekmelding")
        verbose_name_plural = _("ziekmeldingen")
        ordering = ["first_day", "reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="absencereport_days_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind="late") | Q(last_day=models.F("first_day")),
                name="absencereport_late_is_one_day",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "first_day", "last_day"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.get_kind_display()} {self.first_day}"


class StepKind(models.TextChoices):
    """The steps of the attendance protocol, in the order they follow each other."""

    TEACHER_CALLS = "teacher_calls", _("de leerkracht belt")
    CONTACT_PERSON = "contact_person", _("de vaste contactpersoon belt")
    SCHOOL_MEETING = "school_meeting", _("gesprek op school")
    ATTENDANCE_OFFICER = "attendance_officer", _("melding bij de leerplichtambtenaar")


STEP_ORDER = list(StepKind.values)
# The defaults of a school that did not write its own steps: school days after the absence.
DEFAULT_STEP_DAYS: dict[str, int] = {
    StepKind.TEACHER_CALLS: 0,
    StepKind.CONTACT_PERSON: 2,
    StepKind.SCHOOL_MEETING: 5,
    StepKind.ATTENDANCE_OFFICER: 10,
}


class ProtocolStep(models.Model):
    """One step of a school's attendance protocol: what, how many school days after the absence,
    and who at school does it (empty: the teacher of the group, or the contact person)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("stap"), max_length=20, choices=StepKind.choices)
    after_school_days = models.PositiveSmallIntegerField(_("schooldagen na de afwezigheid"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie van school"),
    )

    class Meta:
        verbose_name = _("stap van het verzuimprotocol")
        verbose_name_plural = _("stappen van het verzuimprotocol")
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="protocolstep_once_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_kind_display()}"

    @property
    def position(self) -> int:
        return STEP_ORDER.index(self.kind) + 1


class AttendanceCaseQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.filter(pupil__in=permissions.visible_pupil_ids(user))

    def open(self) -> Self:
        return self.filter(closed_at__isnull=True)


class AttendanceCase(models.Model):
    """A pupil was absent without a report: the school's protocol runs for this pupil."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance_cases")
    absent_on = models.DateField(_("afwezig op"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vaste contactpersoon"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AttendanceCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzuimmelding")
        verbose_name_plural = _("verzuimmeldingen")
        constraints = [
            models.UniqueConstraint(fields=["pupil", "absent_on"], name="case_once_per_day"),
            # One protocol at a time for a pupil: a second absence is part of the running one.
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(closed_at__isnull=True), name="case_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.absent_on}"


class CaseStep(models.Model):
    """A step of the protocol planned for one pupil; parents hear of it at ``announce_at``,
    before it happens."""

    case = models.ForeignKey(AttendanceCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("stap"), max_length=20, choices=StepKind.choices)
    planned_on = models.DateField(_("op"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    announce_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stap voor een leerling")
        verbose_name_plural = _("stappen voor een leerling")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="casestep_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()} {self.planned_on}"

    @property
    def position(self) -> int:
        return STEP_ORDER.index(self.kind) + 1


class LeaveKind(models.TextChoices):
    HOLIDAY = "holiday", _("vakantieverlof")
    IMPORTANT = "important", _("verlof voor gewichtige omstandigheden")


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", _("aangevraagd")
    GRANTED = "granted", _("toegestaan")
    REFUSED = "refused", _("geweigerd")
    # More than 10 school days of leave for important reasons: the leerplichtambtenaar decides.
    FORWARDED = "forwarded", _("naar de leerplichtambtenaar")


class LeaveRequestQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.filter(pupil__in=permissions.visible_pupil_ids(user))

    def counting(self) -> Self:
        """Requests that count against the year's allowance: all but the refused ones."""
        return self.exclude(status=LeaveStatus.REFUSED)


def statement_path(instance: LeaveRequest, filename: str) -> str:
    # The parent's file name stays out of the path: it may carry a name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"verlof/{instance.school_year.label}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"


class LeaveRequest(models.Model):
    """A guardian with parental authority asks leave for a child; the director decides."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="leave_requests")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("soort verlof"), max_length=10, choices=LeaveKind.choices)
    first_day = models.DateField(_("eerste dag"))
    last_day = models.DateField(_("laatste dag"))
    school_days = models.PositiveSmallIntegerField(_("schooldagen"))
    reason = models.TextField(_("reden"), max_length=2000)
    employer_statement = models.FileField(
        _("verklaring van de werkgever"), upload_to=statement_path, blank=True
    )
    # The retention run removes the statement with the rest of a left pupil's data.
    statement_removed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("toelichting bij het besluit"), max_length=2000, blank=True)

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("verlofaanvraag")
        verbose_name_plural = _("verlofaanvragen")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="leave_days_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "forwarded"]) | Q(decided_at__isnull=False),
                name="leave_decision_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(kind="holiday")
                | ~Q(employer_statement="")
                | Q(statement_removed_at__isnull=False),
                name="leave_holiday_has_statement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.get_kind_display()} {self.first_day}"

    @property
    def is_decided(self) -> bool:
        return self.status in (LeaveStatus.GRANTED, LeaveStatus.REFUSED)


class InfoCard(models.Model):
    """The information card of week one: published once a year by the school. The protocol,
    who does what and the key dates come from Schouder itself, so every family reads them in
    its language; ``welcome`` is the school's own word, shown as written."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    welcome = models.TextField(_("woord van de school"), max_length=2000, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("informatiekaart")
        verbose_name_plural = _("informatiekaarten")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="infocard_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"


class InfoCardReading(models.Model):
    """A family confirmed reading the card (one guardian's click counts for the household)."""

    card = models.ForeignKey(InfoCard, on_delete=models.CASCADE, related_name="readings")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("informatiekaart gelezen")
        verbose_name_plural = _("informatiekaarten gelezen")
        constraints = [
            models.UniqueConstraint(fields=["card", "family"], name="infocardreading_once"),
        ]

    def __str__(self) -> str:
        return f"{self.card}: {self.family}"
