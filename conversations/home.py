"""The conversation rounds on the staff home: how far this year's start round is and what waits,
and for a teacher the children of their groups in an open pupil-led round (see
``schools.home``)."""

import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from conversations import queries
from conversations.models import Round, RoundKind
from schools import permissions
from schools.home import Item, Section
from schools.models import School

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Who sees the round on their home: its planners, and the teachers who hold its conversations.
ROUND_FOLLOWERS = permissions.ROUND_PLANNERS | permissions.GROUP_ROLES


def counted_items(label: "_StrPromise", count: int, *, url: str, advice: str = "") -> list[Item]:
    """The item "N kinderen ..." of a section, or none when N is nought.

    ``label`` is an ``ngettext_lazy(singular, plural, "count")``: the count picks the plural form
    when the label is filled in, and the texts stay where the translators' tools find them. A list,
    so that a section adds it with ``+=`` whether it is there or not."""
    if not count:
        return []
    return [Item(label=label % {"count": count}, url=url, detail=advice)]


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
    items += counted_items(
        ngettext_lazy(
            "%(count)s kind heeft nog geen gesprek gepland",
            "%(count)s kinderen hebben nog geen gesprek gepland",
            "count",
        ),
        totals["to_plan"],
        url=detail,
        advice=_("Bel de ouders en plan het gesprek met hen."),
    )
    items += counted_items(
        ngettext_lazy(
            "%(count)s gezin niet bereikt voor het startgesprek",
            "%(count)s gezinnen niet bereikt voor het startgesprek",
            "count",
        ),
        totals["not_reached"],
        url=detail,
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


def pupil_led_section(*, user, school: School, today: datetime.date) -> Section | None:
    """For a teacher whose groups have children in an open pupil-led round: how many are still
    to plan and to hold, linking to the round. One query."""
    if not permissions.holds_role(user, permissions.GROUP_ROLES, school):
        return None
    progress = queries.open_pupil_led_progress(user, school, today)
    if progress is None:
        return None
    detail = reverse("conversations:round-detail", args=[progress["round_id"]])
    items = counted_items(
        ngettext_lazy(
            "%(count)s kind heeft nog geen kindgesprek gepland",
            "%(count)s kinderen hebben nog geen kindgesprek gepland",
            "count",
        ),
        progress["to_plan"],
        url=detail,
        advice=_("Herinner de ouders eraan, of plan het gesprek samen met hen."),
    )
    items += counted_items(
        ngettext_lazy(
            "%(count)s kindgesprek gepland, nog te houden",
            "%(count)s kindgesprekken gepland, nog te houden",
            "count",
        ),
        progress["to_hold"],
        url=detail,
        advice=_("Kies met elk kind wat het wil laten zien."),
    )
    return Section(
        title=_("Kindgesprekken, ronde %(number)s") % {"number": progress["round__number"]},
        summary=_("%(held)s van %(invited)s kindgesprekken gehouden.") % progress,
        items=items,
        empty=_("Alle kindgesprekken van uw groep zijn gehouden."),
        more_url=detail,
        more_label=_("Naar de ronde"),
        order=16,
    )
