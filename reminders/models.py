"""The outbox: one row per (rule, object, recipient, occurrence), rendered when it is created.

The rows are the schedule. Celery only carries "go and look"; whatever happens to the broker, a row
that is due stays due until it is sent, failed or cancelled, and the unique key makes sure it is
created once.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("Wacht")
    SENDING = "sending", _("Wordt verstuurd")
    SENT = "sent", _("Verstuurd")
    FAILED = "failed", _("Mislukt")
    CANCELLED = "cancelled", _("Niet verstuurd")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Sms")


class ReminderQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> ReminderQuerySet:
        return self.filter(status=Status.PENDING, next_attempt_at__lte=now)

    def of_school(self, school_id: int) -> ReminderQuerySet:
        return self.filter(school_id=school_id)


class Reminder(models.Model):
    rule = models.CharField(_("soort"), max_length=80)
    object_ref = models.CharField(_("over"), max_length=120)
    recipient_key = models.CharField(_("ontvanger (sleutel)"), max_length=120)
    occurrence = models.CharField(_("keer"), max_length=80)
    # The school whose page lists the row; a plain id because reminders imports no other app.
    school_id = models.BigIntegerField(_("school"), null=True, blank=True)

    recipient_name = models.CharField(_("ontvanger"), max_length=200)
    address = models.CharField(_("adres"), max_length=254, blank=True)
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("taal"), max_length=10)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    html_body = models.TextField(_("tekst (html)"), blank=True)
    sender_name = models.CharField(_("afzender"), max_length=200, blank=True)
    reply_to = models.CharField(_("antwoord naar"), max_length=254, blank=True)
    quiet_hours = models.CharField(_("stille uren"), max_length=20, blank=True)
    digest = models.BooleanField(_("in dagoverzicht"), default=False)

    due_at = models.DateTimeField(_("moment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.CharField(_("reden"), max_length=500, blank=True)
    note = models.CharField(_("opmerking"), max_length=300, blank=True, db_default="")
    next_attempt_at = models.DateTimeField(_("volgende poging"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    # A claim is a lease: the sender renews it while it sends; only an expired lease is taken back.
    leased_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_ref", "recipient_key", "occurrence"],
                name="reminder_once_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="reminder_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.SENT) | Q(sent_at__isnull=False),
                name="reminder_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.SENDING) | Q(claimed_at__isnull=False),
                name="reminder_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminder_due_idx"),
            models.Index(fields=["school_id", "status"], name="reminder_school_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} → {self.recipient_name} ({self.get_status_display()})"

    @property
    def can_resend(self) -> bool:
        return self.status in (Status.FAILED, Status.CANCELLED)


class OptOut(models.Model):
    """A person who stopped one kind of reminder (through the link in the message)."""

    recipient_key = models.CharField(max_length=120)
    rule = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afmelding")
        verbose_name_plural = _("afmeldingen")
        constraints = [
            models.UniqueConstraint(fields=["recipient_key", "rule"], name="optout_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_key}: {self.rule}"


class SchoolSwitch(models.Model):
    """A kind of reminder a school switched off."""

    school_id = models.BigIntegerField()
    rule = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uitgezette herinnering")
        verbose_name_plural = _("uitgezette herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["school_id", "rule"], name="schoolswitch_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.rule}"


class Preference(models.Model):
    """How a staff member wants their reminders: separately, or as one mail a day."""

    recipient_key = models.CharField(max_length=120, unique=True)
    daily_digest = models.BooleanField(_("één overzicht per dag"), default=False)

    class Meta:
        verbose_name = _("voorkeur")
        verbose_name_plural = _("voorkeuren")

    def __str__(self) -> str:
        return self.recipient_key


class ScanMark(models.Model):
    """A rule looked at an object for an occurrence (a school, this week) and need not look again,
    whether or not it found anyone to tell."""

    rule = models.CharField(max_length=80)
    object_ref = models.CharField(max_length=120)
    occurrence = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bekeken door de scan")
        verbose_name_plural = _("bekeken door de scan")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "occurrence", "object_ref"], name="scanmark_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.occurrence}: {self.object_ref}"
