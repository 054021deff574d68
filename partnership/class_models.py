"""The class page of a group's parents (informal partnership, document 004: "maak een groep van
ouders per klas"): the class parents the teacher appoints, what each household agreed to share with
the other parents of the class, and the class news.

Imported at the end of ``partnership.models``, so Django registers these models with the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parents.models import Family, Guardian
from schools.models import Group


class ClassParent(models.Model):
    """A parent the teacher asked to be klassenouder of a group: they may write practical
    messages to the group's parents, which the teacher approves before anyone reads them."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="class_parents")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="class_roles")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    since = models.DateField(_("sinds"), default=timezone.localdate)

    class Meta:
        verbose_name = _("klassenouder")
        verbose_name_plural = _("klassenouders")
        ordering = ["guardian__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "guardian"],
                name="class_parent_once_per_group",
                violation_error_message=_("Deze ouder is al klassenouder van deze groep."),
            ),
        ]

    def __str__(self):
        return f"{self.guardian} ({self.group})"


class HouseholdSharing(models.Model):
    """What a household agreed to show the other parents of its children's classes (AVG: an
    opt-in, revocable at any time by deleting the row; without it nothing is shown)."""

    family = models.OneToOneField(Family, on_delete=models.CASCADE, related_name="class_sharing")
    share_email = models.BooleanField(_("e-mailadres tonen"), default=False)
    share_phone = models.BooleanField(_("telefoonnummer tonen"), default=False)
    agreed_by = models.ForeignKey(Guardian, on_delete=models.SET_NULL, null=True, related_name="+")
    agreed_at = models.DateTimeField(_("toestemming gegeven op"), default=timezone.now)

    class Meta:
        verbose_name = _("delen met de klas")
        verbose_name_plural = _("delen met de klas")

    def __str__(self):
        return str(self.family)


class PostStatus(models.TextChoices):
    WAITING = "waiting", _("wacht op de leerkracht")
    PUBLISHED = "published", _("staat op de klassenpagina")
    REJECTED = "rejected", _("niet geplaatst")


class ClassPostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PostStatus.PUBLISHED)


class ClassPost(models.Model):
    """Class news from the teacher, or a practical message from a class parent (published once
    the teacher approved it). Written by exactly one of the two."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="class_posts")
    text = models.TextField(_("bericht"), max_length=2000)
    photo = models.ImageField(
        _("foto"),
        upload_to="class-news/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    written_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by_parent = models.ForeignKey(
        ClassParent, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    status = models.CharField(
        _("stand"), max_length=10, choices=PostStatus.choices, default=PostStatus.WAITING
    )
    created_at = models.DateTimeField(_("geschreven op"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)

    objects = ClassPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("klasbericht")
        verbose_name_plural = _("klasberichten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(written_by_parent__isnull=True) | Q(written_by_staff__isnull=True),
                name="class_post_one_author",
            ),
        ]
        indexes = [models.Index(fields=["group", "status", "-created_at"], name="class_post_page")]

    def __str__(self):
        return self.text[:50]
