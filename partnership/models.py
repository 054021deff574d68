"""The school's partnership with parents: Kranenburg's five partnerships, the yearly plan, the
activities (with invitations, attendance and parents' topics), evaluations, self-assessments, buddies
and key figures among parents."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parents.models import Family, Guardian
from schools import permissions
from schools.models import Board, Group, School, SchoolYear

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def can_plan(user: User | AnonymousUser, school: School | int) -> bool:
    """The ouder-coördinator and the director plan a school's activities and its plan."""
    return permissions.holds_role(user, permissions.ACTIVITY_PLANNERS, school)


class Partnership(models.TextChoices):
    PEDAGOGICAL = "pedagogical", _("pedagogisch partnerschap")
    DIDACTIC = "didactic", _("didactisch partnerschap")
    FORMAL = "formal", _("formeel partnerschap")
    INFORMAL = "informal", _("informeel partnerschap")
    SOCIETAL = "societal", _("maatschappelijk partnerschap")


class ActivityKind(models.TextChoices):
    COFFEE_MORNING = "coffee_morning", _("koffieochtend")
    INFORMATION_EVENING = "information_evening", _("informatieavond")
    NEW_YEAR_RECEPTION = "new_year_reception", _("nieuwjaarsreceptie")
    PARENT_ARENA = "parent_arena", _("ouderarena")
    SOUNDING_BOARD = "sounding_board", _("klankbordgroep")
    WORKING_GROUP = "working_group", _("werkgroep")
    COUNCIL_MEETING = "council_meeting", _("MR- of OR-vergadering")
    READING_PARENTS = "reading_parents", _("leesouders")
    EXCURSION = "excursion", _("uitstapje")
    KNOWLEDGE_MEETING = "knowledge_meeting", _("kennisbijeenkomst")
    SPONSORED_RUN = "sponsored_run", _("sponsorloop")
    OTHER = "other", _("anders")


class PartnerOrganisation(models.TextChoices):
    COMMUNITY_CENTRE = "community_centre", _("buurthuis")
    SPORTS_CLUB = "sports_club", _("sportclub")
    LIBRARY = "library", _("bibliotheek")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("wijkteam")
    PARENT_YOUTH_CENTRE = "parent_youth_centre", _("ouder- en jeugdsteunpunt")


class Audience(models.TextChoices):
    WHOLE_SCHOOL = "school", _("de hele school")
    GROUPS = "groups", _("een paar groepen")
    INVITED = "invited", _("uitgenodigde gezinnen")


# ---------------------------------------------------------------------------------------------
# The plan


class SchoolScopedQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Staff of the school see these rows; guardians, outsiders and the board do not (the
        board reads the school's figures on the dashboards)."""
        return self.filter(school__in=School.objects.records_visible_to(user))


class PartnershipPlan(models.Model):
    """The school's policy on parents for one year (ouderbeleid in the jaarplan)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="partnership_plans")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    vision = models.TextField(_("visie op partnerschap"), blank=True)
    vision_written_with = models.CharField(
        _("geschreven door en met"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: het team, de MR en zes ouders van de klankbordgroep"),
    )
    focus_points = models.TextField(_("speerpunten"), blank=True)
    closed_on = models.DateField(
        _("afgesloten op"),
        null=True,
        blank=True,
        help_text=_("Na het afsluiten komen er geen evaluaties meer bij voor dit jaar."),
    )

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnerschapsplan")
        verbose_name_plural = _("partnerschapsplannen")
        ordering = ["-school_year__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="plan_one_per_school_year",
                violation_error_message=_("Deze school heeft al een plan voor dit schooljaar."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"

    @property
    def is_closed(self) -> bool:
        """A year is closed when it is over and the team closed its plan."""
        return self.closed_on is not None and self.school_year.end < timezone.localdate()


class PartnershipArea(models.Model):
    """One of the five partnerships in a year's plan: where the school stands and where it goes."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="areas")
    partnership = models.CharField(_("partnerschap"), max_length=12, choices=Partnership.choices)
    current_state = models.TextField(_("wat gaat er al goed?"), blank=True)
    ambition = models.TextField(_("ambitie"), blank=True)

    class Meta:
        verbose_name = _("partnerschap in het plan")
        verbose_name_plural = _("partnerschappen in het plan")
        constraints = [
            models.UniqueConstraint(fields=["plan", "partnership"], name="area_one_per_plan"),
        ]

    def __str__(self) -> str:
        return self.get_partnership_display()


class GoalTerm(models.TextChoices):
    SHORT = "short", _("korte termijn")
    LONG = "long", _("lange termijn")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    IN_PROGRESS = "in_progress", _("bezig")
    ACHIEVED = "achieved", _("bereikt")
    DROPPED = "dropped", _("gestopt")


class Goal(models.Model):
    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="goals")
    partnership = models.CharField(_("partnerschap"), max_length=12, choices=Partnership.choices)
    description = models.CharField(_("doel"), max_length=300)
    term = models.CharField(_("termijn"), max_length=5, choices=GoalTerm.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    status = models.CharField(
        _("stand"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["partnership", "term", "pk"]

    def __str__(self) -> str:
        return self.description


# ---------------------------------------------------------------------------------------------
# Activities


class ActivitySeries(models.Model):
    """A weekly activity (the coffee morning): one row here, one Activity per week until ``until``."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="activity_series")
    title = models.CharField(_("titel"), max_length=200)
    first_date = models.DateField(_("eerste keer"))
    until = models.DateField(_("tot en met"))
    skipped_dates = models.JSONField(_("overgeslagen (schoolvakantie)"), default=list, blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reeks activiteiten")
        verbose_name_plural = _("reeksen activiteiten")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=F("first_date")),
                name="series_ends_after_start",
                violation_error_message=_("Een reeks eindigt niet voor de eerste keer."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityQuerySet(SchoolScopedQuerySet):
    def upcoming(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(ends_at__gte=now or timezone.now())

    def in_year(self, school_year: SchoolYear) -> Self:
        return self.filter(school_year=school_year)


class Activity(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="activities")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(
        ActivitySeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=ActivityKind.choices)
    partnership = models.CharField(_("partnerschap"), max_length=12, choices=Partnership.choices)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    audience = models.CharField(
        _("voor wie"), max_length=10, choices=Audience.choices, default=Audience.WHOLE_SCHOOL
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="+", verbose_name=_("groepen"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisator"),
    )
    partners = models.JSONField(_("partnerorganisaties"), default=list, blank=True)
    interpreter_languages = models.JSONField(_("tolk aanwezig voor"), default=list, blank=True)
    evening_option = models.BooleanField(
        _("ook 's avonds"),
        default=False,
        help_text=_("Er is ook een avondmoment voor ouders die overdag werken."),
    )
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="activities", verbose_name=_("dient de doelen")
    )
    record = models.TextField(
        _("verslag"), blank=True, help_text=_("Wat hebben we besproken? Wat doet de school ermee?")
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("Een activiteit moet eindigen na het begin."),
            ),
        ]
        indexes = [models.Index(fields=["school", "starts_at"], name="activity_school_start")]

    def __str__(self) -> str:
        return self.title

    def calendar_warnings(self) -> list[str]:
        from partnership.holidays_check import calendar_warnings, wording_warnings

        return calendar_warnings(self.starts_at, self.ends_at) + wording_warnings(
            self.title, self.description
        )

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class RSVP(models.TextChoices):
    INVITED = "invited", _("nog geen antwoord")
    YES = "yes", _("komt")
    NO = "no", _("komt niet")
    MAYBE = "maybe", _("misschien")


class InvitationQuerySet(models.QuerySet):
    def for_guardian(self, user: User) -> InvitationQuerySet:
        """A guardian's own invitations: their household, at a school where they see a child."""
        if not permissions.is_guardian(user):
            return self.none()
        return self.filter(
            family__guardians__user=user,
            activity__school__pupils__in=permissions.visible_pupil_ids(user),
        ).distinct()


class Invitation(models.Model):
    """A family invited to an activity; the guardians answer (RSVP) for the household."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="invitations")
    rsvp = models.CharField(_("antwoord"), max_length=8, choices=RSVP.choices, default=RSVP.INVITED)
    answered_at = models.DateTimeField(_("geantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Guardian, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    walk_in = models.BooleanField(_("kwam zonder uitnodiging"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["family__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "family"],
                name="invitation_once_per_family",
                violation_error_message=_("Dit gezin is al uitgenodigd."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} – {self.activity}"


class Attendance(models.Model):
    """A family came. It hangs on the invitation, so a family that was not invited cannot attend
    in the data either; the door list turns a walk-in into an invitation first."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="attendance"
    )
    registered_at = models.DateTimeField(_("geregistreerd"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")

    def __str__(self) -> str:
        return str(self.invitation)

    @property
    def family(self) -> Family:
        return self.invitation.family


class TopicStatus(models.TextChoices):
    NEW = "new", _("nieuw, nog niet bekeken")
    APPROVED = "approved", _("goedgekeurd, ouders zien het")
    PRIVATE = "private", _("alleen voor de school")
    DISCUSSED = "discussed", _("besproken")


class TopicQuerySet(SchoolScopedQuerySet):
    def shown_to_parents(self) -> Self:
        """Topics other parents may read: reviewed by the school. Never with the suggester."""
        return self.filter(status__in=(TopicStatus.APPROVED, TopicStatus.DISCUSSED))


class TopicSuggestion(models.Model):
    """A topic for a coffee morning: "ouders dragen zélf onderwerpen aan"."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="topic_suggestions")
    text = models.CharField(_("onderwerp"), max_length=300)
    suggested_by = models.ForeignKey(
        Guardian,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_suggestions",
        verbose_name=_("voorgesteld door"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
    )
    created_at = models.DateTimeField(_("voorgesteld op"), default=timezone.now)
    status = models.CharField(
        _("stand"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.NEW
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("gekozen voor"),
    )
    discussed = models.TextField(_("wat is er besproken?"), blank=True)
    school_action = models.TextField(_("wat doet de school ermee?"), blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("onderwerp van ouders")
        verbose_name_plural = _("onderwerpen van ouders")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


# ---------------------------------------------------------------------------------------------
# Evaluation and self-assessment


class Evaluation(models.Model):
    """The quarterly evaluation with parents, pupils and partners (document 001)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="evaluations")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    quarter = models.PositiveSmallIntegerField(_("kwartaal"))
    held_on = models.DateField(_("gehouden op"))
    with_parents = models.BooleanField(_("met ouders"), default=True)
    with_pupils = models.BooleanField(_("met leerlingen"), default=False)
    with_partners = models.BooleanField(_("met partners"), default=False)
    team_changes = models.TextField(_("wat het team verandert"), blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-school_year__start", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "quarter"],
                name="evaluation_once_per_quarter",
                violation_error_message=_("Dit kwartaal is al geëvalueerd."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="evaluation_quarter_1_to_4",
                violation_error_message=_("Een kwartaal is 1, 2, 3 of 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_year} Q{self.quarter}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    partnership = models.CharField(_("partnerschap"), max_length=12, choices=Partnership.choices)
    score = models.PositiveSmallIntegerField(_("cijfer (1-5)"))
    notes = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["partnership"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "partnership"], name="evaluation_score_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="evaluation_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_partnership_display()}: {self.score}"


class Framework(models.TextChoices):
    CHECKLIST = "checklist", _("checklist samenwerking met ouders")
    OB30 = "ob30", _("tien criteria Ouderbetrokkenheid 3.0")


# The items, in our own words. Keys are stable: scores of earlier years keep pointing at them.
FRAMEWORK_ITEMS: dict[str, dict[int, str | Promise]] = {
    Framework.CHECKLIST: {
        1: _("Onze school heeft een visie op partnerschap met ouders."),
        2: _("Elk jaar begint met een startgesprek met ouders en kind."),
        3: _("We passen de contactmomenten aan op ouders en leerling."),
        4: _("Ouders beslissen mee over belangrijke keuzes."),
        5: _("We helpen ouders elkaar te steunen."),
        6: _("We vinden manieren om te praten met ouders die een andere taal spreken."),
        7: _("Ouders denken mee over het beleid, bijvoorbeeld in een werkgroep."),
        8: _("Ideeën en klachten van ouders gebruiken we om beter te worden."),
    },
    Framework.OB30: {
        1: _("Samen met ouders hebben we een duidelijke visie; je ziet en merkt die overal."),
        2: _("Leraren, leerlingen en ouders praten mee over beleid en horen wat ermee gebeurt."),
        3: _("Iedereen merkt dat leraren, leerlingen en ouders welkom zijn."),
        4: _("Ouders en leraren werken samen aan leren en ontwikkeling, thuis en op school."),
        5: _(
            "Gesprekken zijn gelijkwaardig, met genoeg tijd; de leerling is er zoveel mogelijk bij."
        ),
        6: _(
            "We voelen ons verantwoordelijk voor elkaar, ook voor wie buiten de groep dreigt te vallen."
        ),
        7: _("Ouders kunnen het leerlingdossier inzien en er zelf informatie aan toevoegen."),
        8: _("We staan open voor verbeteringen en gaan open om met klachten."),
        9: _("Ouders zijn bij startgesprekken en afgesproken momenten; iedereen weet waarom."),
        10: _("Wetten en schoolregels zijn duidelijk en iedereen houdt zich eraan."),
    },
}


class SelfAssessment(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="self_assessments")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    framework = models.CharField(_("lijst"), max_length=10, choices=Framework.choices)
    assessed_on = models.DateField(_("ingevuld op"), default=timezone.localdate)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "framework"],
                name="self_assessment_once_per_year",
                violation_error_message=_("Deze lijst is dit schooljaar al ingevuld."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} {self.school_year}"


class SelfAssessmentItem(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="items")
    item = models.PositiveSmallIntegerField(_("onderdeel"))
    score = models.PositiveSmallIntegerField(_("score (1-4)"))
    evidence = models.TextField(_("waaraan zie je dat?"), blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="self_assessment_item_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="self_assessment_score_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(item__gte=1, item__lte=10), name="self_assessment_item_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"

    @property
    def text(self) -> str | Promise:
        return FRAMEWORK_ITEMS[self.assessment.framework].get(self.item, "")


# ---------------------------------------------------------------------------------------------
# Parents for parents


class BuddyReason(models.TextChoices):
    SAME_LANGUAGE = "same_language", _("spreken dezelfde taal")
    SAME_EXPERIENCE = "same_experience", _("zelfde ervaring (bijvoorbeeld dyslexie)")
    FIRST_CHILD = "first_child", _("eerste kind op school")
    OTHER = "other", _("anders")


class BuddyPair(models.Model):
    """Two guardians of the same school who help each other. Stored once: the lower id first."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="buddy_pairs")
    guardian_a = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    guardian_b = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("waarom"), max_length=16, choices=BuddyReason.choices)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    since = models.DateField(_("sinds"), default=timezone.localdate)
    active = models.BooleanField(_("actief"), default=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("buddy's")
        verbose_name_plural = _("buddy's")
        ordering = ["-active", "-since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian_a__lt=F("guardian_b")),
                name="buddy_two_different_guardians",
                violation_error_message=_("Een buddy is een andere ouder."),
            ),
            models.UniqueConstraint(
                fields=["school", "guardian_a", "guardian_b"],
                name="buddy_pair_once",
                violation_error_message=_("Deze ouders zijn al buddy's."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_a} & {self.guardian_b}"


class KeyFigure(models.Model):
    """A parent who brings other parents along (sleutelfiguur, document 001)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="key_figures")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    reaches = models.CharField(
        _("bereikt"), max_length=200, blank=True, help_text=_("Bijvoorbeeld: Turkse moeders")
    )
    since = models.DateField(_("sinds"), default=timezone.localdate)
    active = models.BooleanField(_("actief"), default=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sleutelfiguur")
        verbose_name_plural = _("sleutelfiguren")
        constraints = [
            models.UniqueConstraint(fields=["school", "guardian"], name="key_figure_once"),
        ]

    def __str__(self) -> str:
        return str(self.guardian)


# The class page and the helping parents keep their models in modules of their own.
from partnership.class_models import ClassParent, ClassPost, HouseholdSharing  # noqa: E402, F401
from partnership.helper_models import HelperSignup, HelperTask  # noqa: E402, F401


class KeptSchoolFigures(models.Model):
    """The board dashboard's figures of one school in one school year, as last counted
    (``partnership.dashboards.kept``). Fresh while the school's change marker still equals
    ``version`` and today is ``counted_for`` (moments turn due and overdue at midnight)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    counted_for = models.DateField(_("geteld voor"))
    version = models.PositiveBigIntegerField(_("versie van de wijzigingsteller"))
    figures = models.JSONField(_("cijfers"))

    class Meta:
        verbose_name = _("bewaarde schoolcijfers")
        verbose_name_plural = _("bewaarde schoolcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="keptschoolfigures_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.school_year_id} {self.counted_for}"


class KeptBoardFigures(models.Model):
    """The board dashboard's whole table of one board in one school year: every school's row
    of ``KeptSchoolFigures`` with its shares, in the page's order, and the board's total. A view
    then reads one row instead of one per school. Fresh while ``stamp`` (the board's schools in
    name order with their change markers) is unchanged and today is ``counted_for``."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    counted_for = models.DateField(_("geteld voor"))
    stamp = models.CharField(_("stempel van de scholen en hun wijzigingstellers"), max_length=64)
    # JSON as plain text, not jsonb: read on every view, and text comes back as stored, while
    # jsonb is first turned into text by the database.
    table = models.TextField(_("tabel"))

    class Meta:
        verbose_name = _("bewaarde bestuurscijfers")
        verbose_name_plural = _("bewaarde bestuurscijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "school_year"], name="keptboardfigures_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board_id} {self.school_year_id} {self.counted_for}"
