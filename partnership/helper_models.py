"""Helping parents (document 000: "wie wil er leesouder zijn?"): an activity asks for helpers per
task, and parents sign up from the portal. Helping reaches the family (``parents.reach``).

Imported at the end of ``partnership.models``, so Django registers these models with the app.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parents.models import Guardian


class HelperTaskKind(models.TextChoices):
    READING = "reading", _("voorlezen")
    DRIVING = "driving", _("rijden")
    LIBRARY = "library", _("bibliotheek")
    SETTING_UP = "setting_up", _("klaarzetten en opruimen")
    OTHER = "other", _("iets anders")


class HelperTask(models.Model):
    """One task of an activity that needs ``needed`` helping parents."""

    activity = models.ForeignKey(
        "partnership.Activity", on_delete=models.CASCADE, related_name="helper_tasks"
    )
    kind = models.CharField(_("taak"), max_length=12, choices=HelperTaskKind.choices)
    needed = models.PositiveSmallIntegerField(_("hoeveel ouders"))

    class Meta:
        verbose_name = _("hulp gevraagd")
        verbose_name_plural = _("hulp gevraagd")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind"],
                name="helper_task_once_per_activity",
                violation_error_message=_("Deze taak staat al bij deze activiteit."),
            ),
            models.CheckConstraint(
                condition=Q(needed__gte=1, needed__lte=50),
                name="helper_task_needs_1_to_50",
                violation_error_message=_("Vraag 1 tot 50 ouders."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.needed})"


class HelperSignup(models.Model):
    task = models.ForeignKey(HelperTask, on_delete=models.CASCADE, related_name="signups")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="helping")
    signed_up_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("hulpouder")
        verbose_name_plural = _("hulpouders")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "guardian"],
                name="helper_signup_once",
                violation_error_message=_("U helpt al bij deze taak."),
            ),
        ]

    def __str__(self):
        return f"{self.guardian} – {self.task}"
