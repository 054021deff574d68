"""Guardians, the households they form, and their link to each pupil (relation, gezag, rights)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools import permissions
from schools.models import Board, Pupil


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


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return permissions.scope_families(self, user)


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

    def __str__(self):
        return self.name


class GuardianQuerySet(models.QuerySet):
    def visible_to(self, user):
        return permissions.scope_guardians(self, user)


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
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)


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

    def __str__(self):
        return f"{self.guardian} – {self.pupil}"

    @property
    def sees_child(self):
        """Whether the portal shows this child to this guardian."""
        return not self.access_blocked_reason and self.information_right in (
            InformationRight.FULL,
            InformationRight.GRANTED,
        )
