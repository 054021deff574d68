"""Boards, schools, school years, groups, staff and pupils: the organisation every other app stands on."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Board(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    mfa_required = models.BooleanField(
        _("tweede stap verplicht voor medewerkers"),
        default=False,
        help_text=_("Medewerkers moeten inloggen met een code uit een app op hun telefoon."),
    )

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    PO = "PO", _("primair onderwijs")
    VO = "VO", _("voortgezet onderwijs")
    SO = "SO", _("speciaal onderwijs")


class HolidayRegion(models.TextChoices):
    NORTH = "noord", _("noord")
    MIDDLE = "midden", _("midden")
    SOUTH = "zuid", _("zuid")


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> SchoolQuerySet:
        """Schools the user works for: their own, and for the board every school of the board."""
        return permissions.scope_schools(self, user)

    def records_visible_to(self, user: User | AnonymousUser) -> SchoolQuerySet:
        """Schools whose children and parents the user sees by name: not the board's."""
        return permissions.scope_record_schools(self, user)


class School(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(
        _("BRIN"),
        max_length=4,
        validators=[
            RegexValidator(r"^[0-9]{2}[A-Z]{2}$", _("Een BRIN is 2 cijfers en 2 letters."))
        ],
    )
    location_code = models.CharField(
        _("vestigingscode"),
        max_length=2,
        validators=[RegexValidator(r"^[0-9]{2}$", _("De vestigingscode is 2 cijfers."))],
    )
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    city = models.CharField(_("plaats"), max_length=100)
    neighbourhood = models.CharField(_("wijk"), max_length=100, blank=True)
    holiday_region = models.CharField(
        _("vakantieregio"),
        max_length=6,
        choices=HolidayRegion.choices,
        default=HolidayRegion.MIDDLE,
    )
    # Most schools close on these two days, not all: the school calendar asks (schools/calendar.py).
    closed_on_good_friday = models.BooleanField(
        _("dicht op Goede Vrijdag"), default=True, db_default=True
    )
    closed_after_ascension = models.BooleanField(
        _("dicht op de vrijdag na Hemelvaart"), default=True, db_default=True
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["brin", "location_code"],
                name="school_unique_vestiging",
                violation_error_message=_("Er is al een school met dit vestigingsnummer."),
            ),
            models.CheckConstraint(
                condition=Q(brin__regex=r"^[0-9]{2}[A-Z]{2}$")
                & Q(location_code__regex=r"^[0-9]{2}$"),
                name="school_vestiging_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def vestigingsnummer(self) -> str:
        return f"{self.brin}{self.location_code}"


class SchoolYearQuerySet(models.QuerySet):
    def containing(self, day: datetime.date) -> SchoolYearQuerySet:
        return self.filter(start__lte=day, end__gte=day)


class SchoolYear(models.Model):
    """A Dutch school year: 1 August to 31 July, labelled like "2026-2027"."""

    label = models.CharField(_("schooljaar"), max_length=9, unique=True)
    start = models.DateField(_("begint op"))
    end = models.DateField(_("eindigt op"))

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="schoolyear_end_after_start",
                violation_error_message=_("Het einde van het schooljaar moet na het begin liggen."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @staticmethod
    def _first_calendar_year(day: datetime.date) -> int:
        return day.year if day.month >= 8 else day.year - 1

    @classmethod
    def label_for(cls, day: datetime.date) -> str:
        """The label of the school year that contains ``day``, without asking the database."""
        first = cls._first_calendar_year(day)
        return f"{first}-{first + 1}"

    @classmethod
    def for_date(cls, day: datetime.date) -> SchoolYear:
        """The school year that contains ``day``, created on first use."""
        first = cls._first_calendar_year(day)
        year, _created = cls.objects.get_or_create(
            label=cls.label_for(day),
            defaults={
                "start": datetime.date(first, 8, 1),
                "end": datetime.date(first + 1, 7, 31),
            },
        )
        return year

    @classmethod
    def current(cls) -> SchoolYear:
        from django.utils import timezone

        return cls.for_date(timezone.localdate())


class SchoolClosure(models.Model):
    """A day a school is closed besides the national school holidays (study day, extra day off)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=100, default=_("studiedag"))

    class Meta:
        verbose_name = _("vrije dag van de school")
        verbose_name_plural = _("vrije dagen van de school")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="closure_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class Role(models.TextChoices):
    DIRECTOR = "director", _("directeur")
    INTERN_BEGELEIDER = "intern_begeleider", _("intern begeleider")
    TEACHER = "teacher", _("leerkracht")
    MENTOR = "mentor", _("mentor")
    OUDER_COORDINATOR = "ouder_coordinator", _("ouder-coördinator")
    SOCIAL_WORKER = "social_worker", _("schoolmaatschappelijk werker")
    BEHAVIOUR_COACH = "behaviour_coach", _("gedragsspecialist")
    CARE_COORDINATOR = "care_coordinator", _("zorgcoördinator")
    BOARD = "board", _("bestuur")


class StaffMembershipQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> StaffMembershipQuerySet:
        return self.filter(school__in=School.objects.visible_to(user))

    def with_answer_hours(self) -> StaffMembershipQuerySet:
        """Each membership with ``answers_from`` and ``answers_until``: when this person answers
        parents at this school (None when they did not say). No extra query."""
        hours = AnswerHours.objects.filter(user=OuterRef("user"), school=OuterRef("school"))
        return self.annotate(
            answers_from=Subquery(hours.values("starts")[:1]),
            answers_until=Subquery(hours.values("ends")[:1]),
        )


class StaffMembership(models.Model):
    """A user's role at one school, or (role "board") at every school of a board."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    task_description = models.TextField(
        _("wat ik voor ouders doe"),
        blank=True,
        help_text=_("Voor de pagina 'Wie doet wat'. Schrijf kort en in gewone woorden."),
    )
    phone = models.CharField(_("telefoon op school"), max_length=30, blank=True)
    reachable = models.CharField(
        _("bereikbaar"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: ma, di en do 8-9 uur"),
    )

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol van een medewerker")
        verbose_name_plural = _("rollen van medewerkers")
        ordering = ["role", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                name="membership_unique_role_at_school",
                violation_error_message=_("Deze medewerker heeft deze rol al op deze school."),
            ),
            models.UniqueConstraint(
                fields=["user", "board"],
                condition=Q(role="board"),
                name="membership_unique_board_role",
            ),
            models.CheckConstraint(
                condition=(Q(role="board") & Q(school__isnull=True))
                | (~Q(role="board") & Q(school__isnull=False)),
                name="membership_school_unless_board",
                violation_error_message=_(
                    "Een bestuursrol geldt voor het hele bestuur; andere rollen horen bij één school."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.school or self.board}"

    def clean(self) -> None:
        if self.school_id and self.board_id and self.school.board_id != self.board_id:
            raise ValidationError(_("Deze school hoort niet bij dit bestuur."))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.school_id and not self.board_id:
            self.board_id = self.school.board_id
        super().save(*args, **kwargs)


class AnswerHours(models.Model):
    """When a staff member answers parents at one school, on school days. Parents see it with the
    people they can turn to ("u krijgt antwoord tussen 8 en 17 uur")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_hours"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    starts = models.TimeField(_("antwoord vanaf"))
    ends = models.TimeField(_("antwoord tot"))

    class Meta:
        verbose_name = _("bereikbaarheid")
        verbose_name_plural = _("bereikbaarheid")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="answer_hours_once"),
            models.CheckConstraint(
                condition=Q(starts__lt=models.F("ends")),
                name="answer_hours_in_order",
                violation_error_message=_("De begintijd moet voor de eindtijd liggen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts:%H:%M}-{self.ends:%H:%M}"


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> GroupQuerySet:
        return permissions.scope_groups(self, user)


class Group(models.Model):
    """A class (groep/klas) in one school year. A group can span levels, like "1/2"."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="groups")
    # EDEXML allows group names of 64 characters.
    name = models.CharField(_("naam"), max_length=64)
    lowest_grade = models.PositiveSmallIntegerField(_("laagste leerjaar"))
    highest_grade = models.PositiveSmallIntegerField(_("hoogste leerjaar"))
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_groups",
        verbose_name=_("leerkrachten"),
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["lowest_grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"],
                name="group_unique_name_per_year",
                violation_error_message=_(
                    "Deze school heeft dit schooljaar al een groep met die naam."
                ),
            ),
            models.CheckConstraint(
                condition=Q(highest_grade__gte=models.F("lowest_grade")),
                name="group_grades_in_order",
                violation_error_message=_(
                    "Het hoogste leerjaar mag niet lager zijn dan het laagste."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PupilQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> PupilQuerySet:
        return permissions.scope_pupils(self, user)

    def present(self) -> PupilQuerySet:
        return self.filter(left_on__isnull=True)


class Pupil(models.Model):
    """A pupil, numbered per school. There is no BSN here, ever (UAVG art. 46)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    # EDEXML keys (the pupil number there) and ECK iDs are up to 256 characters.
    pupil_number = models.CharField(_("leerlingnummer"), max_length=256)
    eck_id = models.CharField(_("ECK iD"), max_length=256, blank=True)
    first_name = models.CharField(_("roepnaam"), max_length=100)
    infix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    # Optional in EDEXML, so sometimes unknown.
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    left_on = models.DateField(_("van school af op"), null=True, blank=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil_number"],
                name="pupil_unique_number_per_school",
                violation_error_message=_("Dit leerlingnummer bestaat al op deze school."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)


class Enrolment(models.Model):
    """A pupil in a group for one school year. The group must belong to the pupil's own school:
    a trigger in the database refuses anything else (see migration 0002)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="enrolments")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="enrolments")

    class Meta:
        verbose_name = _("inschrijving in een groep")
        verbose_name_plural = _("inschrijvingen in groepen")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school_year"],
                name="enrolment_one_group_per_year",
                violation_error_message=_("Deze leerling zit dit schooljaar al in een groep."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.group} ({self.school_year})"

    def clean(self) -> None:
        # The pupil may still be unsaved (added together with this enrolment), so compare the
        # school through the related object rather than its id.
        pupil = getattr(self, "pupil", None) if "pupil" in self._state.fields_cache else None
        pupil = pupil or (self.pupil if self.pupil_id else None)
        if self.group_id and pupil is not None:
            if self.group.school_id != pupil.school_id:
                raise ValidationError(
                    {"group": _("Deze groep hoort bij een andere school dan de leerling.")}
                )
            if self.school_year_id and self.group.school_year_id != self.school_year_id:
                raise ValidationError({"group": _("Deze groep hoort bij een ander schooljaar.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.group_id and not self.school_year_id:
            self.school_year_id = self.group.school_year_id
        super().save(*args, **kwargs)


class ReportDate(models.Model):
    """A day the school hands out reports (rapport); agreements like "call in the week after each
    report" follow these dates."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="report_dates")
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="report_dates"
    )
    date = models.DateField(_("datum"))
    name = models.CharField(_("naam"), max_length=100, default=_("rapport"))

    class Meta:
        verbose_name = _("rapportdatum")
        verbose_name_plural = _("rapportdatums")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "date"],
                name="reportdate_unique_per_day",
                violation_error_message=_("Op deze dag staat al een rapport."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"

    def clean(self) -> None:
        year = self.school_year
        if self.school_year_id and self.date and not year.start <= self.date <= year.end:
            raise ValidationError({"date": _("Deze datum valt buiten het schooljaar.")})


class ImportColumnMapping(models.Model):
    """Which column of a school's export holds which field: asked once, remembered per school."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="import_mapping")
    columns = models.JSONField(_("kolommen"), default=dict)  # our field -> header in the file
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kolomindeling voor import")
        verbose_name_plural = _("kolomindelingen voor import")

    def __str__(self) -> str:
        return str(self.school)


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> ImportBatchQuerySet:
        return self.filter(school__in=School.objects.visible_to(user))


class ImportBatch(models.Model):
    """An uploaded file between upload and confirmation. Deleted once applied; the retention task
    removes batches nobody confirmed."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_batches")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("geüpload bestand")
        verbose_name_plural = _("geüploade bestanden")

    def __str__(self) -> str:
        return self.filename


class AuditAction(models.TextChoices):
    VIEW_PUPIL = "view_pupil", _("leerling bekeken")
    VIEW_NOTE = "view_note", _("gespreksverslag bekeken")
    CHANGE_NOTE = "change_note", _("gespreksverslag gewijzigd")
    VIEW_HOME_SITUATION = "view_home", _("thuissituatie bekeken")
    VIEW_SUPPORT_NEEDS = "view_support", _("ondersteuningsbehoefte bekeken")
    BLOCK_ACCESS = "block_access", _("toegang van ouder geblokkeerd")
    UNBLOCK_ACCESS = "unblock_access", _("toegang van ouder hersteld")
    EXPORT_FAMILY = "export_family", _("gegevens van gezin geëxporteerd")
    IMPORT = "import", _("leerlingen geïmporteerd")
    ANONYMISE = "anonymise", _("gegevens geanonimiseerd")
    VIEW_AUDIT_LOG = "view_audit", _("logboek bekeken")
    DENIED = "denied", _("geweigerd: niet van deze gebruiker")
    GRANT_INFORMATION = "grant_info", _("informatie op verzoek toegekend")
    WITHDRAW_INFORMATION = "withdraw_info", _("informatie op verzoek ingetrokken")
    RENEW_FEED = "renew_feed", _("agenda-adres gemaakt of vernieuwd")
    VIEW_FAMILY = "view_family", _("gezin bekeken (contacten en plan)")
    VIEW_MESSAGES = "view_messages", _("berichten van ouders bekeken")
    VIEW_LIST = "view_list", _("lijst met namen bekeken")
    DOWNLOAD = "download", _("bestand met namen gedownload")
    DENIED_BLOCKED = "denied_blocked", _("geweigerd: toegang van ouder geblokkeerd")
    VIEW_ABSENCE = "view_absence", _("ziekmeldingen bekeken")
    VIEW_LEAVE = "view_leave", _("verlofaanvraag bekeken")
    DECIDE_LEAVE = "decide_leave", _("besluit over verlof genomen")
    CHANGE_CONTACT = "change_contact", _("contactgegevens gewijzigd door ouder")
    PHOTO_CONSENT = "photo_consent", _("toestemming beeldmateriaal beantwoord")
    VIEW_INCIDENT = "view_incident", _("incident met ouder bekeken")


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> AuditEventQuerySet:
        """The audit readers (directors) read the log of their own schools. Not the board: the
        log tells which child was looked at, and when."""
        return self.filter(
            school_id__in=permissions.schools_where(user, permissions.AUDIT_READERS).values("pk")
        )


class AuditEvent(models.Model):
    """Who did what with whose data, and when. Ids and an action only: never note text, names
    or contact details, so the log itself needs no anonymising.

    A row never changes once written: the references are plain ids that stay when the user,
    school or pupil is deleted (no database constraint), and each row carries ``chain``, a hash
    over its own fields and the previous row's chain, so a changed or removed row shows up in
    ``manage.py verify_audit_log``. On PostgreSQL a trigger refuses UPDATE and DELETE, except
    the retention task's delete."""

    # Set before the row is written (not auto_now_add): the chain hashes it.
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    roles = models.CharField(_("rol"), max_length=200, blank=True)
    school = models.ForeignKey(
        School, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    # A plain id: the family lives in an app above this one.
    family_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(_("actie"), max_length=20, choices=AuditAction.choices)
    what = models.CharField(
        _("wat"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[a-z_]+(:[0-9]+)?$")],
        help_text=_("Soort en nummer van het object, bijvoorbeeld 'note:12'."),
    )
    chain = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(what__regex=r"^([a-z_]+(:[0-9]+)?)?$"),
                name="auditevent_what_is_an_identifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.what}"


class AuditCheckpoint(models.Model):
    """Where the audit log's chain stood at a moment: its first and last event and how many
    events lay between them, signed with a key derived from SECRET_KEY. Written by the nightly
    retention run (``audit_chain.write_checkpoint``). The chain shows a changed or removed event
    in the middle; a checkpoint shows what is missing at the ends, or that the log was emptied:
    whoever can change the database but not read the key cannot sign a shorter log. On
    PostgreSQL a trigger refuses changing or removing a checkpoint."""

    at = models.DateTimeField(_("tijdstip"))
    first_id = models.PositiveBigIntegerField(null=True)
    first_chain = models.CharField(max_length=64, blank=True)
    last_id = models.PositiveBigIntegerField(null=True)
    head = models.CharField(max_length=64, blank=True)
    count = models.PositiveBigIntegerField()
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("controlepunt van het logboek")
        verbose_name_plural = _("controlepunten van het logboek")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.first_id}-{self.last_id} ({self.count})"


class Anonymisation(models.Model):
    """Proof that a left pupil's data was anonymised after the retention term, and when. It holds
    the pupil's id only: the names are gone by then."""

    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="anonymisation")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    left_on = models.DateField(_("van school af op"))
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("anonimisering")
        verbose_name_plural = _("anonimiseringen")

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.anonymised_at:%Y-%m-%d}"


# The change marker lives in its own module (see there); imported here so Django registers it.
from schools.changes import SchoolChange  # noqa: E402, F401
