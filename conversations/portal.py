"""What the start conversations add to the guardian's home page (see parents.portal_views)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from conversations import queries


def home_section(*, guardian, user):
    """Per open round, one link to book the start conversations of the children not yet booked
    (one link, so siblings get adjacent slots in one step). A child the guardian may not book for
    is left out: ``bookable`` is the one rule for that."""
    by_round = {}
    for conversation in queries.portal_conversations(user):
        if conversation.bookable:
            by_round.setdefault(conversation.round, []).append(conversation.pupil.first_name)
    actions = [
        {
            "url": reverse("conversations:portal-booking"),
            "label": (
                _("Kies een tijd voor het kindgesprek van %(names)s")
                if round_.is_pupil_led
                else _("Kies een tijd voor het startgesprek van %(names)s")
            )
            % {"names": _join_names(names)},
        }
        for round_, names in by_round.items()
    ]
    return {"actions": actions}


def _join_names(names):
    if len(names) == 1:
        return names[0]
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
