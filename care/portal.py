"""What care adds to the guardian's home page (see parents.portal_views): answers to ideas and
complaints, a support plan to answer, meetings to come."""

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from care import queries
from care.models import Feedback
from parents.models import Guardian


def home_section(*, guardian: Guardian, user: User) -> dict[str, Any]:
    """An answer the school gave and the parent has not seen closed yet, a plan not answered yet
    and a meeting to come are next steps. Three queries."""
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
    plans, meetings = queries.guardian_care_items(user, guardian.pk)
    actions += [
        {
            "url": reverse("care:plan-portal-detail", args=[plan.pk]),
            "label": _("Lees het plan voor %(child)s en geef uw antwoord")
            % {"child": plan.pupil.first_name},
        }
        for plan in plans
    ]
    actions += [
        {
            "url": reverse("care:meeting-portal-detail", args=[meeting.pk]),
            "label": _("Overleg over %(child)s op %(when)s: wie er zijn")
            % {
                "child": meeting.pupil.first_name,
                "when": formats.date_format(timezone.localtime(meeting.starts_at), "j F, H:i"),
            },
        }
        for meeting in meetings
    ]
    return {"actions": actions}
