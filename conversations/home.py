"""The start conversations on the staff home: how far this year's round is and what waits
(see ``schools.home``)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations import queries
from conversations.models import Round, RoundKind
from schools import permissions
from schools.home import Item, Section
from schools.models import School

# Who sees the round on their home: its planners, and the teachers who hold its conversations.
ROUND_FOLLOWERS = permissions.ROUND_PLANNERS | permissions.GROUP_ROLES


def round_section(*, user, school: School, today: datetime.date) -> Section | None:
    """This year's round: opened or not, conversations held, to plan and not reached. Two
    queries (the round, its counts per group)."""
    if not permissions.holds_role(user, ROUND_FOLLOWERS, school):
        return None
    planner = permissions.holds_role(user, permissions.ROUND_PLANNERS, school)
    round_ = (
        Round.objects.filter(
            school=school,
            kind=RoundKind.START,
            school_year__start__lte=today,
            school_year__end__gte=today,
        )
        .select_related("school_year")
        .first()
    )
    title = _("Startgesprekken")
    if round_ is None:
        if not planner:
            return None
        return Section(
            title=title,
            items=[
                Item(
                    label=_("Maak de ronde van dit schooljaar"),
                    url=reverse("conversations:round-list", args=[school.pk]),
                    detail=_("Kies de weken, de duur van een gesprek en de vormen."),
                )
            ],
            order=15,
        )
    totals = queries.totals(queries.progress_by_group(round_, user))
    detail = reverse("conversations:round-detail", args=[round_.pk])
    items = []
    if planner and not round_.is_open:
        items.append(
            Item(
                label=_("Bied tijden aan en zet de ronde open voor ouders"),
                url=detail,
            )
        )
    if totals["to_plan"]:
        items.append(
            Item(
                label=ngettext(
                    "%(count)s kind heeft nog geen gesprek gepland",
                    "%(count)s kinderen hebben nog geen gesprek gepland",
                    totals["to_plan"],
                )
                % {"count": totals["to_plan"]},
                url=detail,
                detail=_("Bel de ouders en plan het gesprek met hen."),
            )
        )
    if totals["not_reached"]:
        items.append(
            Item(
                label=ngettext(
                    "%(count)s gezin niet bereikt voor het startgesprek",
                    "%(count)s gezinnen niet bereikt voor het startgesprek",
                    totals["not_reached"],
                )
                % {"count": totals["not_reached"]},
                url=detail,
            )
        )
    return Section(
        title=title,
        summary=_("%(held)s van %(invited)s gesprekken gehouden, %(booked)s gepland.") % totals,
        items=items,
        empty=_("Alle gesprekken zijn gepland of gehouden."),
        more_url=detail,
        more_label=_("Naar de ronde"),
        order=15,
    )
