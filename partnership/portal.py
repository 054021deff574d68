"""What the activities add to the guardian's home page (see parents.portal_views)."""

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from messaging.translation import translated
from partnership import queries
from partnership.models import RSVP

# A weekly coffee morning invites every week; the soonest few are what to answer now.
OPEN_INVITATIONS_SHOWN = 3
COMING_SHOWN = 10


def home_section(*, guardian, user):
    """The household's invitations to coming activities, soonest first, with their answer; the
    soonest unanswered ones are also a next step. One query."""
    invitations = list(queries.guardian_invitations(user)[:COMING_SHOWN])
    unanswered = [i for i in invitations if i.rsvp == RSVP.INVITED][:OPEN_INVITATIONS_SHOWN]
    memo = {}  # the titles' translations in one query
    actions = [
        {
            "url": reverse("partnership:invitation-respond", args=[invitation.pk]),
            "label": _("Laat weten of u komt: %(title)s")
            % {"title": _title(invitation.activity, memo)},
        }
        for invitation in unanswered
    ]
    return {"actions": actions, "context": {"coming_activities": invitations}}


def _title(activity, memo):
    """The title in the parent's language, kept apart (Unicode isolates) from the sentence
    around it, so a Dutch title does not scramble an Arabic one."""
    title = translated(
        activity.title, get_language() or "nl", school_id=activity.school_id, memo=memo
    )
    return title.isolated_text()
