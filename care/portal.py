"""What ideas and complaints add to the guardian's home page (see parents.portal_views)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from care.models import Feedback


def home_section(*, guardian, user) -> dict:
    """An answer the school gave and the parent has not seen closed yet is a next step. One
    query."""
    answered = Feedback.objects.visible_to(user).filter(
        guardian=guardian, answered_at__isnull=False, closed_at__isnull=True
    )
    actions = [
        {
            "url": reverse("care:feedback-portal-detail", args=[feedback.pk]),
            "label": _("Lees het antwoord van de school op uw klacht")
            if feedback.is_complaint
            else _("Lees het antwoord van de school op uw idee"),
        }
        for feedback in answered.only("pk", "kind")
    ]
    return {"actions": actions}
