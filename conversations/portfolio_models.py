"""The portfolio a pupil shows in a pupil-led conversation (kindgesprek): a few items the pupil
and the teacher chose, each a short text and perhaps a photo. Seen by the child's own parents and
the staff who see the child, nobody else."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models import StartConversation
from schools import permissions

# "A few": enough to tell a story in a twenty-minute conversation.
MAX_PORTFOLIO_ITEMS = 5
MAX_ITEM_TEXT = 300


class PortfolioItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PortfolioItemQuerySet":
        """Staff who see the child (never the board: it sees no child's work)."""
        return self.filter(conversation__pupil__in=permissions.visible_pupil_ids(user))


class PortfolioItem(models.Model):
    """One piece of work the pupil presents. The photo is of the work or of the child at work;
    whether the child is on it decides whether the photo consent applies (see
    ``conversations.portfolio``)."""

    conversation = models.ForeignKey(
        StartConversation, on_delete=models.CASCADE, related_name="portfolio_items"
    )
    text = models.CharField(_("wat laat ik zien?"), max_length=MAX_ITEM_TEXT)
    photo = models.ImageField(
        _("foto"),
        upload_to="portfolio/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_shows_child = models.BooleanField(_("het kind staat zelf op de foto"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = PortfolioItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfoliostuk")
        verbose_name_plural = _("portfoliostukken")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="portfolio_item_has_text",
                violation_error_message=_("Schrijf kort wat dit stuk laat zien."),
            ),
        ]

    def __str__(self) -> str:
        return self.text
