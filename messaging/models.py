"""Two-way conversations with a family, messages from school with their read figures, and the
texts that staff wrote in the languages parents read them in (``Translation``).

A conversation (``Thread``) is built on the message a guardian writes in the portal
(``parents.GuardianMessage``): that message opens it, and the school's answers and the guardian's
replies follow as ``Post`` rows. A message from school (``Announcement``) goes to one family, some
groups or the whole school; each guardian who receives it has a ``Recipient`` row that says when
they opened it. Sending goes through ``reminders``, the one mechanism that sends
(``messaging.reminder_rules``).
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parents.models import Family, Guardian, GuardianMessage
from schools import permissions
from schools.models import Group, School

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class TranslationQuerySet(models.QuerySet):
    def of_school(self, school_id: int) -> TranslationQuerySet:
        return self.filter(school_id=school_id)


class Translation(models.Model):
    """One text of a school in one language: asked for once, then kept.

    A row without ``text`` is a text that a parent read in Dutch because nobody translated it
    yet; staff see those on the translations page. A staff member's own translation
    (``machine`` False) is never replaced by a machine.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # sha256 of the original: the text itself may be long, the key stays small and exact.
    source_hash = models.CharField(max_length=64)
    source_language = models.CharField(_("taal van het origineel"), max_length=10)
    language = models.CharField(_("taal"), max_length=10)
    original = models.TextField(_("origineel"))
    text = models.TextField(_("vertaling"), blank=True)
    machine = models.BooleanField(_("automatisch vertaald"), default=False)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vertaald door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        ordering = ["language", "original"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_hash", "source_language", "language"],
                name="translation_once_per_text_and_language",
            ),
            models.CheckConstraint(
                condition=~Q(machine=True) | ~Q(text=""),
                name="translation_machine_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.original[:40]}"


DEFAULT_ANSWER_TERM_DAYS = 2
DEFAULT_SENDING_FROM = datetime.time(7, 30)
DEFAULT_SENDING_UNTIL = datetime.time(21, 0)


class SchoolMessaging(models.Model):
    """A school's own terms for messages: within how many school days a parent gets an answer,
    and between which hours messages from school go out."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    answer_term_days = models.PositiveSmallIntegerField(
        _("antwoord binnen (schooldagen)"),
        default=DEFAULT_ANSWER_TERM_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    sending_from = models.TimeField(_("berichten versturen vanaf"), default=DEFAULT_SENDING_FROM)
    sending_until = models.TimeField(_("berichten versturen tot"), default=DEFAULT_SENDING_UNTIL)

    class Meta:
        verbose_name = _("berichteninstelling van een school")
        verbose_name_plural = _("berichteninstellingen van scholen")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_term_days__gte=1, answer_term_days__lte=10),
                name="schoolmessaging_answer_term_range",
            ),
            models.CheckConstraint(
                condition=Q(sending_from__lt=models.F("sending_until")),
                name="schoolmessaging_sending_hours_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def of(cls, school: School) -> Self:
        """The school's terms; the defaults (unsaved) when it set none."""
        found = cls.objects.filter(school=school).first()
        return found or cls(school=school)

    def in_sending_hours(self, local_time: datetime.time) -> bool:
        return self.sending_from <= local_time < self.sending_until


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Staff see the conversations about pupils they see; a guardian their own."""
        return self.filter(opening__in=GuardianMessage.objects.visible_to(user))

    def waiting(self) -> Self:
        """Not answered yet: no reply from school, not marked handled."""
        return self.filter(answered_at__isnull=True, opening__handled_at__isnull=True)


class Thread(models.Model):
    """A conversation that a guardian's message opened. Who answers and by when are fixed on
    arrival (the acknowledgement names them); ``answered_at`` is the school's first response: a
    reply, or marking the message handled."""

    opening = models.OneToOneField(GuardianMessage, on_delete=models.CASCADE, related_name="thread")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # The child's group when the message came: the dashboard counts response times per group.
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("antwoordt"),
    )
    answer_by = models.DateField(_("antwoord uiterlijk"))
    answered_at = models.DateTimeField(_("eerste antwoord"), null=True, blank=True)
    guardian_read_at = models.DateTimeField(null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("gesprek met een ouder")
        verbose_name_plural = _("gesprekken met ouders")
        indexes = [
            models.Index(fields=["school", "answered_at"], name="thread_school_answered"),
            models.Index(fields=["answer_by"], name="thread_answer_by"),
        ]

    def __str__(self) -> str:
        return f"{self.opening}"


class PostKind(models.TextChoices):
    ACKNOWLEDGEMENT = "ack", _("ontvangstbevestiging")
    STAFF = "staff", _("van school")
    GUARDIAN = "guardian", _("van de ouder")


class Post(models.Model):
    """One message in a conversation after the opening one. The acknowledgement is written in
    the guardian's language when the message arrives, so the portal shows it at once."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(max_length=8, choices=PostKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("bericht"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bericht in een gesprek")
        verbose_name_plural = _("berichten in gesprekken")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PostKind.values), name="post_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="post_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class AnnouncementKind(models.TextChoices):
    NEWS = "news", _("bericht")
    GOOD_NEWS = "good_news", _("goed nieuws")


class Audience(models.TextChoices):
    FAMILY = "family", _("één gezin")
    GROUPS = "groups", _("een of meer groepen")
    SCHOOL = "school", _("de hele school")


class AnnouncementQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Staff who see a school's records see its messages; a teacher only their own and
        those to their groups or to families of their pupils."""
        access = permissions.access_for(user)
        theirs = (
            Q(school_id__in=access.whole_school_ids)
            | Q(author=user)
            | Q(groups__in=Group.objects.visible_to(user).values("pk"))
            | Q(family__in=Family.objects.visible_to(user).values("pk"))
        )
        # Through a subquery of ids: the join on groups never repeats a message.
        return self.filter(
            school_id__in=access.name_school_ids,
            pk__in=Announcement.objects.filter(theirs).values("pk"),
        )


class Announcement(models.Model):
    """A message from school, written once, sent to every guardian of its audience separately
    (no copies between separated parents) at ``send_at``."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("soort"), max_length=10, choices=AnnouncementKind.choices, default="news"
    )
    audience = models.CharField(_("aan"), max_length=10, choices=Audience.choices)
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="+")
    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht"), max_length=4000)
    send_at = models.DateTimeField(_("versturen op"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht van school")
        verbose_name_plural = _("berichten van school")
        ordering = ["-send_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="family", family__isnull=False)
                | (~Q(audience="family") & Q(family__isnull=True)),
                name="announcement_family_only_for_one_family",
            ),
            models.CheckConstraint(
                condition=~Q(kind="good_news") | Q(audience="family"),
                name="announcement_good_news_to_one_family",
            ),
        ]
        indexes = [models.Index(fields=["send_at"], name="announcement_send_at")]

    def __str__(self) -> str:
        return self.subject


def _read_token() -> str:
    # The link in the e-mail is the key to this one message: long and random.
    return secrets.token_urlsafe(24)


class Recipient(models.Model):
    """One guardian who gets an announcement, and when they opened it (in the portal, or by the
    link in the message)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_read_token)
    opened_at = models.DateTimeField(_("geopend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "guardian"], name="recipient_once_per_announcement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.guardian_id}"
