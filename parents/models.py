"""Guardians, the households they form, and their link to each pupil (relation, gezag, rights)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools import permissions
from schools.models import Board, Enrolment, Pupil, SchoolYear

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    EN = "en", "English"
    AR = "ar", "العربية"
    TR = "tr", "Türkçe"
    PL = "pl", "Polski"
    BG = "bg", "Български"
    UK = "uk", "Українська"
    RO = "ro", "Română"
    TI = "ti", "ትግርኛ"
    ZGH = "zgh", "Tamaziɣt"


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("telefoon")
    SMS = "sms", _("sms")
    WHATSAPP = "whatsapp", _("WhatsApp")
    LETTER = "letter", _("brief")
    IN_PERSON = "in_person", _("persoonlijk op school")


# Many households share a surname (de Vries, Yılmaz), so lists show beside a name the present
# children the user may see by name, with their group this school year (``Family.label``,
# ``Guardian.label``). A child the user may not see stays out.


def _current_group(pupil_field: str, today: datetime.date) -> QuerySet[Enrolment, Any]:
    return Enrolment.objects.filter(
        pupil=OuterRef(pupil_field), school_year__start__lte=today, school_year__end__gte=today
    ).values("group__name")[:1]


def _shown_pupils(user: User) -> QuerySet[Pupil, Any]:
    return Pupil.objects.present().filter(pk__in=permissions.visible_pupil_ids(user)).values("pk")


def child_links_prefetch(user: User, *, today: datetime.date | None = None) -> Prefetch[Any]:
    """Fetch with each guardian their links to the children ``user`` may see by name, with
    the child's group (``link.group_name``): one query for the whole list."""
    links = (
        PupilGuardian.objects.filter(pupil__in=_shown_pupils(user))
        .select_related("pupil")
        .annotate(group_name=Subquery(_current_group("pupil_id", today or timezone.localdate())))
    )
    return Prefetch("pupil_links", queryset=links, to_attr="shown_child_links")


def children_prefetch(
    user: User, *, through: str = "", today: datetime.date | None = None
) -> Prefetch[Any]:
    """Fetch with each family (reached through ``through``, like "family" from an invitation)
    the children ``user`` may see by name: one query for the whole list, a row per guardian
    and child (``child_id``, ``child_first_name``, ``child_group``)."""
    today = today or timezone.localdate()
    # The annotations reuse the filter's join: each row is a guardian with one shown child.
    rows = (
        Guardian.objects.filter(pupil_links__pupil__in=_shown_pupils(user))
        .annotate(
            child_id=F("pupil_links__pupil_id"),
            child_first_name=F("pupil_links__pupil__first_name"),
            child_group=Subquery(_current_group("pupil_links__pupil_id", today)),
        )
        .only("pk", "family")
    )
    prefix = f"{through}__" if through else ""
    return Prefetch(f"{prefix}guardians", queryset=rows, to_attr="shown_children")


def children_text(children: Iterable[tuple[int, str, str | None]]) -> str:
    """ "Amira (5), Youssef (3)" from (pupil id, first name, group) of each child, named once
    though two guardians of a household link to them."""
    found = {pupil_id: (first_name, group) for pupil_id, first_name, group in children}
    return ", ".join(
        f"{first_name} ({group})" if group else first_name
        for first_name, group in sorted(found.values(), key=lambda c: (c[0], c[1] or ""))
    )


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> FamilyQuerySet:
        """Staff see the families of the pupils they see; a guardian sees their own household."""
        access = permissions.access_for(user)
        condition = Q(pk__in=[])
        if access.is_staff_member:
            guardians = Guardian.objects.visible_to(user)
            condition |= Q(pk__in=guardians.values("family_id"))
        if access.is_guardian:
            condition |= Q(pk__in=Guardian.objects.filter(user=user).values("family_id"))
        return self.filter(condition)

    def with_children(self, user: User, *, today: datetime.date | None = None) -> FamilyQuerySet:
        """The families with the children ``user`` may see, for ``Family.label``."""
        return self.prefetch_related(children_prefetch(user, today=today))


class Family(models.Model):
    """A household: the guardians who live together and the children who live with them.

    A child of separated parents belongs to two families; both are informed (art. 1:377b/c BW)
    unless a court decided otherwise.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="families")
    name = models.CharField(_("naam"), max_length=200, help_text=_("Bijvoorbeeld: gezin El Amrani"))

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def children_text(self) -> str:
        """The children fetched by ``children_prefetch``; empty (and no query) without it."""
        return children_text(
            (row.child_id, row.child_first_name, row.child_group)
            for row in getattr(self, "shown_children", ())
        )

    @property
    def label(self) -> str:
        """The household told apart from others of the same name: "Gezin Bouzid — Amira (5)"."""
        children = self.children_text
        return f"{self.name} — {children}" if children else self.name


class GuardianQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> GuardianQuerySet:
        """Staff see the guardians of the pupils they see; a guardian sees only themself."""
        access = permissions.access_for(user)
        condition = Q(pk__in=[])
        if access.is_staff_member:
            links = PupilGuardian.objects.filter(pupil_id__in=permissions.visible_pupil_ids(user))
            condition |= Q(pk__in=links.values("guardian_id"))
        if access.is_guardian:
            condition |= Q(user=user)
        return self.filter(condition)

    def with_children(self, user: User, *, today: datetime.date | None = None) -> GuardianQuerySet:
        """The guardians with the children ``user`` may see, for ``Guardian.label``."""
        return self.prefetch_related(child_links_prefetch(user, today=today))


class Guardian(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="guardians", verbose_name=_("gezin")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name=_("account voor het ouderportaal"),
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    infix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    language = models.CharField(
        _("taal"), max_length=3, choices=Language.choices, default=Language.NL
    )
    needs_interpreter = models.BooleanField(_("tolk nodig"), default=False)
    preferred_channels = models.JSONField(
        _("liefst via"), default=list, blank=True, help_text=_("Kanalen in volgorde van voorkeur.")
    )
    availability = models.CharField(
        _("bereikbaarheid"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: werkt 's avonds"),
    )
    wants_reminders = models.BooleanField(
        _("herinneringen ontvangen"),
        default=True,
        help_text=_("Een herinnering voor een gesprek of activiteit van school."),
    )
    quiet_hours_start = models.TimeField(
        _("geen berichten vanaf"),
        null=True,
        blank=True,
        help_text=_("Bijvoorbeeld 21:00. Wij sturen dan niets tot de eindtijd."),
    )
    quiet_hours_end = models.TimeField(_("weer berichten vanaf"), null=True, blank=True)
    # The channels over which the guardian wants one message a day instead of each at once.
    daily_channels = models.JSONField(
        _("één bericht per dag via"), default=list, blank=True, db_default=[]
    )
    # The home address as the guardian keeps it in the portal (``contact_details``).
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)

    objects = GuardianQuerySet.as_manager()

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="guardian_reachable",
                violation_error_message=_(
                    "Vul een e-mailadres of een telefoonnummer in: anders kan de school deze ouder "
                    "niet bereiken."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quiet_hours_start__isnull=True, quiet_hours_end__isnull=True)
                | Q(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False),
                name="guardian_quiet_hours_complete",
                violation_error_message=_("Vul bij rustige uren een begintijd en een eindtijd in."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    @property
    def address(self) -> str:
        """ "Laan 12a, 2512 AB Den Haag", or "" when no address is known."""
        street = " ".join(part for part in (self.street, self.house_number) if part)
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (street, place) if part)

    @property
    def label(self) -> str:
        """The parent told apart from namesakes: "Fatima Bouzid — Amira (5)", with the children
        fetched by ``GuardianQuerySet.with_children`` (without it, just the name)."""
        children = children_text(
            (link.pupil_id, link.pupil.first_name, link.group_name)
            for link in getattr(self, "shown_child_links", ())
        )
        return f"{self.full_name} — {children}" if children else self.full_name

    def in_quiet_hours(self, moment: datetime.time) -> bool:
        """Whether a local time falls in the quiet hours (which may run past midnight)."""
        if self.quiet_hours_start is None or self.quiet_hours_end is None:
            return False
        start, end = self.quiet_hours_start, self.quiet_hours_end
        if start <= end:
            return start <= moment < end
        return moment >= start or moment < end


class Relation(models.TextChoices):
    MOTHER = "mother", _("moeder")
    FATHER = "father", _("vader")
    PARENT = "parent", _("ouder")
    FOSTER_PARENT = "foster_parent", _("pleegouder")
    GUARDIAN = "guardian", _("voogd")
    OTHER = "other", _("anders")


class InformationRight(models.TextChoices):
    """What the law gives this guardian about this child (art. 1:377b/c BW)."""

    FULL = "full", _("volledig (met gezag)")
    ON_REQUEST = "on_request", _("op verzoek (zonder gezag)")
    GRANTED = "granted", _("op verzoek, verzoek toegekend")
    NONE = "none", _("geen (besluit van de rechter)")


class PupilGuardian(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="pupil_links")
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    has_parental_authority = models.BooleanField(_("heeft gezag"), default=True)
    lives_with = models.BooleanField(_("kind woont bij deze ouder"), default=True)
    information_right = models.CharField(
        _("recht op informatie"),
        max_length=12,
        choices=InformationRight.choices,
        default=InformationRight.FULL,
    )
    access_blocked_reason = models.CharField(
        _("reden geen toegang"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: besluit van de rechter. Leeg = gewone toegang."),
    )

    class Meta:
        verbose_name = _("ouder van leerling")
        verbose_name_plural = _("ouders van leerlingen")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "guardian"],
                name="pupilguardian_unique",
                violation_error_message=_("Deze ouder is al aan deze leerling gekoppeld."),
            ),
            models.CheckConstraint(
                condition=Q(has_parental_authority=False) | Q(information_right="full"),
                name="pupilguardian_authority_means_full_information",
                violation_error_message=_(
                    "Een ouder met gezag heeft altijd volledig recht op informatie."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} – {self.pupil}"

    @property
    def sees_child(self) -> bool:
        """Whether the portal shows this child to this guardian."""
        return (
            not self.access_blocked_reason
            and self.information_right in permissions.VISIBLE_INFORMATION_RIGHTS
        )

    @property
    def may_change(self) -> bool:
        """Whether the portal lets this guardian change things about this child (book, add to
        the file): only with parental authority; without it they still get the information."""
        return self.sees_child and self.has_parental_authority


# ---------------------------------------------------------------------------------------------
# The communication plan (communicatieplan op maat). The contact log lives here too, beside the
# plan, because every contact is about a family, planned or not.


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("telefoon")
    EMAIL = "email", _("e-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SCHOOL_VISIT = "school_visit", _("gesprek op school")
    HOME_VISIT = "home_visit", _("huisbezoek")
    VIDEO = "video", _("videobellen")
    LETTER = "letter", _("brief")
    SCHOOLYARD = "schoolyard", _("op het schoolplein")
    # A conversation or a message in Schouder itself (the messaging app writes these).
    MESSAGE = "message", _("bericht in Schouder")


# Channels that need a phone number or an e-mail address of at least one guardian.
CHANNELS_NEEDING_PHONE = frozenset({ContactChannel.PHONE, ContactChannel.WHATSAPP})
CHANNELS_NEEDING_EMAIL = frozenset({ContactChannel.EMAIL})


class Tone(models.TextChoices):
    POSITIVE = "positive", _("positief")
    NEUTRAL = "neutral", _("neutraal")
    CONCERN = "concern", _("zorg")


class CommunicationPlanQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CommunicationPlanQuerySet:
        return self.filter(family__in=Family.objects.visible_to(user))


class CommunicationPlan(models.Model):
    """What the school and one family agreed about their contact in one school year."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="plans", verbose_name=_("gezin")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("schooljaar")
    )
    agreed_on = models.DateField(_("afgesproken op"))
    language = models.CharField(_("taal"), max_length=3, choices=Language.choices, blank=True)
    needs_interpreter = models.BooleanField(_("tolk nodig"), default=False)
    preferred_channels = models.JSONField(
        _("liefst via"), default=list, blank=True, help_text=_("Kanalen in volgorde van voorkeur.")
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vaste contactpersoon"),
    )
    notes = models.TextField(_("notities"), blank=True)
    # Raised on every save, so that two people editing the same plan cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommunicationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("communicatieplan")
        verbose_name_plural = _("communicatieplannen")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "school_year"],
                name="plan_one_per_family_per_year",
                violation_error_message=_("Dit gezin heeft dit schooljaar al een plan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.school_year}"


class Schedule(models.TextChoices):
    ONCE = "once", _("op een datum")
    WEEKLY = "weekly", _("elke week")
    EVERY_N_WEEKS = "every_n_weeks", _("om de zoveel weken")
    MONTHLY = "monthly", _("elke maand")
    AFTER_REPORT = "after_report", _("in de week na elk rapport")
    TERM_START = "term_start", _("aan het begin van elke periode")


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> AgreementQuerySet:
        """Agreements about a child the user may see (a teacher: the children of their groups)."""
        return self.filter(pupil__in=permissions.visible_pupil_ids(user))


class Agreement(models.Model):
    """One agreement in a plan: what, for which child, how, who at school, and when."""

    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="agreements")
    what = models.CharField(
        _("wat"), max_length=300, help_text=_("Bijvoorbeeld: bellen in de week na elk rapport")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("kind")
    )
    channel = models.CharField(_("hoe"), max_length=20, choices=ContactChannel.choices)
    with_child = models.BooleanField(_("met het kind erbij"), default=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("wie van school"),
    )
    schedule = models.CharField(_("wanneer"), max_length=20, choices=Schedule.choices)
    on_date = models.DateField(_("datum"), null=True, blank=True)
    interval_weeks = models.PositiveSmallIntegerField(_("elke zoveel weken"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(schedule="once") | Q(on_date__isnull=False),
                name="agreement_once_has_date",
                violation_error_message=_("Kies een datum voor deze afspraak."),
            ),
            models.CheckConstraint(
                condition=~Q(schedule="every_n_weeks") | Q(interval_weeks__gte=1),
                name="agreement_interval_given",
                violation_error_message=_("Vul in om de hoeveel weken."),
            ),
        ]

    def __str__(self) -> str:
        return self.what


class MomentStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    HELD = "held", _("gehouden")
    MISSED = "missed", _("niet gelukt")
    MOVED = "moved", _("verzet")
    # Planned by mistake on a day before the agreement was made; kept, never counted as overdue.
    UNPLANNED = "unplanned", _("vervallen")


class ContactMomentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ContactMomentQuerySet:
        """Moments about a child the user may see."""
        return self.filter(agreement__pupil__in=permissions.visible_pupil_ids(user))

    def open(self) -> ContactMomentQuerySet:
        return self.filter(status=MomentStatus.PLANNED)


class ContactMoment(models.Model):
    """A moment an agreement asks for. When held, its note and tone live in the linked ContactLog
    (``moment.log``), so that every contact is in one timeline."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="moments")
    due_on = models.DateField(_("wanneer"))
    status = models.CharField(
        _("status"), max_length=10, choices=MomentStatus.choices, default=MomentStatus.PLANNED
    )
    # Moments made by the rule are replaced when the rule changes; hand-moved ones are not.
    from_rule = models.BooleanField(default=True)

    objects = ContactMomentQuerySet.as_manager()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "due_on"],
                name="moment_one_per_agreement_per_day",
                violation_error_message=_("Op deze dag staat al een moment voor deze afspraak."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="moment_status_due")]

    def __str__(self) -> str:
        return f"{self.agreement} – {self.due_on}"


class ContactLogQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ContactLogQuerySet:
        return self.filter(family__in=Family.objects.visible_to(user))


class ContactLog(models.Model):
    """Any contact with a family, planned (then linked to its moment) or not."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="contact_logs")
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_logs",
        verbose_name=_("over kind"),
    )
    moment = models.OneToOneField(
        ContactMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="log"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_logs",
        verbose_name=_("wie"),
    )
    happened_on = models.DateField(_("wanneer"))
    channel = models.CharField(_("hoe"), max_length=20, choices=ContactChannel.choices)
    tone = models.CharField(_("toon"), max_length=10, choices=Tone.choices)
    summary = models.TextField(_("kort verslag"), blank=True)
    follow_up_on = models.DateField(_("vervolg op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tone="concern") | Q(follow_up_on__isnull=False),
                name="contactlog_concern_has_follow_up",
                violation_error_message=_("Bij een zorg hoort meteen een datum voor het vervolg."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True)
                | Q(follow_up_on__gte=models.F("happened_on")),
                name="contactlog_follow_up_after_contact",
                violation_error_message=_("Het vervolg kan niet voor het contact liggen."),
            ),
        ]
        indexes = [
            models.Index(fields=["family", "happened_on"], name="contactlog_family_day"),
            # The reminder scan asks every minute which concerns reached their follow-up day
            # this week; concerns are a small share of all contacts, years of them.
            models.Index(
                fields=["follow_up_on"],
                condition=Q(tone="concern"),
                name="contactlog_concern_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.happened_on} {self.get_tone_display()}"


class GuardianMessageKind(models.TextChoices):
    FILE_INFORMATION = "file_information", _("informatie voor het dossier van mijn kind")
    CALL_REQUEST = "call_request", _("bel mij terug")
    INFORMATION_REQUEST = "information_request", _("verzoek om informatie (ouder zonder gezag)")


# What a guardian writes about a child from the portal; an information request has its own
# button and a fixed text (portal_services.request_information).
WRITTEN_MESSAGE_KINDS = (GuardianMessageKind.FILE_INFORMATION, GuardianMessageKind.CALL_REQUEST)


class GuardianMessageQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> GuardianMessageQuerySet:
        """Staff see the messages about pupils they see; a guardian sees their own messages
        about the children they may still see."""
        access = permissions.access_for(user)
        if access.is_staff_member:
            return self.filter(pupil__in=permissions.visible_pupil_ids(user))
        if access.is_guardian:
            return self.filter(guardian__user=user, pupil__in=permissions.visible_pupil_ids(user))
        return self.none()

    def open(self) -> GuardianMessageQuerySet:
        return self.filter(handled_at__isnull=True)


class GuardianMessage(models.Model):
    """Something a guardian tells the school through the portal (criterion 7: parents add to
    their child's file). Staff mark it handled; who handled it when stays on record."""

    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ouder")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="guardian_messages", verbose_name=_("kind")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=GuardianMessageKind.choices)
    text = models.TextField(_("bericht"), max_length=2000)
    created_at = models.DateTimeField(_("gestuurd op"), auto_now_add=True)
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )

    objects = GuardianMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht van ouder")
        verbose_name_plural = _("berichten van ouders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=GuardianMessageKind.values),
                name="guardianmessage_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="guardianmessage_text_not_empty"),
            models.CheckConstraint(
                condition=Q(handled_by__isnull=True) | Q(handled_at__isnull=False),
                name="guardianmessage_handled_by_needs_handled_at",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "handled_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.pupil}"

    @property
    def needs_parental_authority(self) -> bool:
        """Adding to the child's file changes it; asking to be called does not."""
        return self.kind == GuardianMessageKind.FILE_INFORMATION


class FamilyReach(models.Model):
    """Kept fact: the family was reached in a school year — at ``school`` (a contact about one of
    its children there, a held start conversation, attendance at an activity), or, with no
    school, by a contact about no child in particular (which counts at every school of the
    family).

    Derived data, so the dashboards count it instead of searching years of contacts: the
    services that write a contact, a held conversation or an attendance refresh the family's
    rows in their transaction (``parents.reach``); ``manage.py rebuild_family_reach`` recounts
    them all."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "school", "family"],
                condition=Q(school__isnull=False),
                name="familyreach_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["school_year", "family"],
                condition=Q(school__isnull=True),
                name="familyreach_once_anywhere",
            ),
        ]
        indexes = [models.Index(fields=["family", "school_year"], name="familyreach_family_year")]

    def __str__(self) -> str:
        return f"{self.family} {self.school_year} {self.school or '*'}"


def _feed_token() -> str:
    # 256 bits: the address is the only key, so it must not be guessable.
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private calendar address of one staff member or one guardian. Calendar apps cannot log
    in, so whoever has the address sees the calendar: it is long, random, and can be renewed
    (the old one then answers 404)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
    )
    guardian = models.OneToOneField(
        Guardian, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    renewed_at = models.DateTimeField(_("vernieuwd op"), auto_now=True)

    class Meta:
        verbose_name = _("agenda-adres")
        verbose_name_plural = _("agenda-adressen")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, guardian__isnull=True)
                | Q(user__isnull=True, guardian__isnull=False),
                name="calendarfeed_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.guardian)

    def renew(self) -> None:
        self.token = _feed_token()
        self.save(update_fields=["token", "renewed_at"])


# ---------------------------------------------------------------------------------------------
# Photo consent (toestemming beeldmateriaal): per child, per purpose, per school year, asked of
# every guardian with parental authority. The strictest answer holds (``parents.consent``).


class PhotoPurpose(models.TextChoices):
    WEBSITE = "website", _("website van de school")
    SOCIAL_MEDIA = "social_media", _("sociale media van de school")
    NEWSLETTER = "newsletter", _("nieuwsbrief")
    PORTAL = "portal", _("ouderportaal en klassennieuws")
    SCHOOL_GUIDE = "school_guide", _("gedrukte schoolgids")


class PhotoConsent(models.Model):
    """One guardian's answer for one child, one purpose, one school year. No row: not answered,
    which counts as no."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="photo_consents", verbose_name=_("kind")
    )
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        related_name="photo_consents",
        verbose_name=_("ouder"),
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("schooljaar")
    )
    purpose = models.CharField(_("waarvoor"), max_length=20, choices=PhotoPurpose.choices)
    given = models.BooleanField(_("toestemming"))
    answered_at = models.DateTimeField(_("beantwoord op"), default=timezone.now)

    class Meta:
        verbose_name = _("toestemming beeldmateriaal")
        verbose_name_plural = _("toestemmingen beeldmateriaal")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "guardian", "school_year", "purpose"],
                name="photoconsent_one_answer",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=PhotoPurpose.values), name="photoconsent_purpose_valid"
            ),
        ]
        indexes = [models.Index(fields=["school_year", "pupil"], name="photoconsent_year_pupil")]

    def __str__(self) -> str:
        return f"{self.pupil} – {self.get_purpose_display()}: {self.given}"


# ---------------------------------------------------------------------------------------------
# Contact details a guardian changed in the portal. The school sees who changed what, when; the
# import keeps the parent's value over the administration's (``contact_details``).


class ContactField(models.TextChoices):
    PHONE = "phone", _("telefoon")
    EMAIL = "email", _("e-mail")
    ADDRESS = "address", _("adres")


class ContactChange(models.Model):
    """One change of one contact field. ``settled_at`` stays empty while the parent's value is
    newer than the administration's: until an import brings the same value, or staff chose the
    administration's value in an import."""

    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="contact_changes", verbose_name=_("ouder")
    )
    field = models.CharField(_("gegeven"), max_length=10, choices=ContactField.choices)
    old_value = models.CharField(_("was"), max_length=400, blank=True)
    new_value = models.CharField(_("is nu"), max_length=400, blank=True)
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    settled_at = models.DateTimeField(_("in de administratie op"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijziging van contactgegevens")
        verbose_name_plural = _("wijzigingen van contactgegevens")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=ContactField.values), name="contactchange_field_valid"
            ),
        ]
        indexes = [models.Index(fields=["guardian", "field"], name="contactchange_guardian")]

    def __str__(self) -> str:
        return f"{self.guardian} {self.get_field_display()} {self.changed_at:%d-%m-%Y}"


# The record of each confirmed import (for its undo) lives with the import.
def guardian_pupil_ids(user: User) -> QuerySet[PupilGuardian, Any]:
    """The ids of the pupils ``user`` may see as a guardian: their children whose information they
    have a right to and whose school has not blocked their access (a subquery). Registered with
    ``schools.permissions`` at start-up."""
    return PupilGuardian.objects.filter(
        guardian__user=user,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    ).values("pupil_id")


from parents.importing.models import ImportRun  # noqa: E402, F401
