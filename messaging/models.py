"""Texts that staff wrote, in the languages parents read them in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import School


class TranslationQuerySet(models.QuerySet):
    def of_school(self, school_id: int) -> "TranslationQuerySet":
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
