"""The partnership's parts of the staff home: the next activity and its answers, the families
not reached, and the director's figures that need attention (see ``schools.home``)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership import queries
from partnership.dashboards import figures as dashboard
from partnership.models import RSVP, Activity
from schools import permissions
from schools.home import Item, Section
from schools.models import School, SchoolYear

# The director reads the families not reached among the figures; the others get their own part.
REACH_ROLES = permissions.REACH_READERS - permissions.ATTENTION_READERS


def _year(today: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.containing(today).first()


def next_activity_section(*, user, school: School, today: datetime.date) -> Section | None:
    """The school's next activity with how many families answered what; three queries."""
    if not permissions.holds_role(user, permissions.ACTIVITY_PLANNERS, school):
        return None
    activity = (
        Activity.objects.filter(school=school, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )
    if activity is None:
        return Section(
            title=_("Volgende activiteit"),
            items=[
                Item(
                    label=_("Plan een activiteit"),
                    url=reverse("partnership:activity-list", args=[school.pk]),
                )
            ],
            order=12,
        )
    counts = queries.rsvp_counts(activity)
    url = reverse("partnership:activity-detail", args=[activity.pk])
    when = date_format(timezone.localtime(activity.starts_at), "l j E, H:i")
    items = [Item(label=f"{activity.title} · {when}", url=url, detail=activity.place)]
    unanswered = counts.get(RSVP.INVITED, 0)
    if unanswered:
        items.append(
            Item(
                label=ngettext(
                    "%(count)s gezin gaf nog geen antwoord",
                    "%(count)s gezinnen gaven nog geen antwoord",
                    unanswered,
                )
                % {"count": unanswered},
                url=url,
                detail=_("Spreek ze aan of bel ze: persoonlijk werkt het best."),
            )
        )
    return Section(
        title=_("Volgende activiteit"),
        summary=_("%(yes)s komen, %(maybe)s misschien, %(no)s niet, van %(total)s uitgenodigd.")
        % {
            "yes": counts.get(RSVP.YES, 0),
            "maybe": counts.get(RSVP.MAYBE, 0),
            "no": counts.get(RSVP.NO, 0),
            "total": counts["total"],
        },
        items=items,
        more_url=reverse("partnership:activity-list", args=[school.pk]),
        more_label=_("Alle activiteiten"),
        order=12,
    )


def _not_reached_item(school: School, count: int) -> Item:
    return Item(
        label=ngettext(
            "%(count)s gezin nog niet bereikt dit schooljaar",
            "%(count)s gezinnen nog niet bereikt dit schooljaar",
            count,
        )
        % {"count": count},
        url=reverse("dashboard:not-reached", args=[school.pk]),
        detail=_("Zie wie het zijn, hun taal en waarvoor ze uitgenodigd zijn."),
    )


def reach_section(*, user, school: School, today: datetime.date) -> Section | None:
    """How many families nobody reached this year, linking to who they are; two queries."""
    if not permissions.holds_role(user, REACH_ROLES, school):
        return None
    year = _year(today)
    count = dashboard.families_not_reached(school, year).count() if year else 0
    return Section(
        title=_("Gezinnen niet bereikt"),
        items=[_not_reached_item(school, count)] if count else [],
        empty=_("Alle gezinnen zijn dit schooljaar bereikt."),
        order=18,
    )


def figures_section(*, user, school: School, today: datetime.date) -> Section | None:
    """The director's few figures, each only when it asks for action; four queries."""
    if not permissions.holds_role(user, permissions.ATTENTION_READERS, school):
        return None
    year = _year(today)
    if year is None:
        return None
    figures = dashboard.attention_figures(school, year, today)
    board = reverse("dashboard:school-dashboard", args=[school.pk])
    items = []
    if figures["not_reached"]:
        items.append(_not_reached_item(school, figures["not_reached"]))
    if figures["not_held"]:
        items.append(
            Item(
                label=_("%(count)s van %(total)s startgesprekken nog niet gehouden")
                % {"count": figures["not_held"], "total": figures["conversations"]},
                url=reverse("dashboard:figure-list", args=[school.pk, "gesprek-nog-plannen"]),
            )
        )
    if figures["overdue"]:
        items.append(
            Item(
                label=ngettext(
                    "%(count)s contactmoment is te laat",
                    "%(count)s contactmomenten zijn te laat",
                    figures["overdue"],
                )
                % {"count": figures["overdue"]},
                url=reverse("dashboard:figure-list", args=[school.pk, "momenten-achterstallig"]),
                urgent=True,
            )
        )
    summary = ""
    if figures["reached_share"] is not None:
        summary = _("%(share)s%% van de gezinnen bereikt dit schooljaar.") % {
            "share": figures["reached_share"]
        }
    return Section(
        title=_("Cijfers die aandacht vragen"),
        summary=summary,
        items=items,
        empty=_("Niets dat nu aandacht vraagt."),
        more_url=board,
        more_label=_("Naar het dashboard"),
        order=14,
    )
