"""The parts of the staff home that the parents app knows: this week's moments, concerns
waiting for a follow-up, families without positive contact and parents' messages without an
answer (see ``schools.home``)."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parents import queries
from parents.models import Family, GuardianMessage
from schools import permissions
from schools.home import SHOWN, Item, Section
from schools.models import School

# Who is asked about the families of their own groups: the teacher's part of the home.
OWN_FAMILY_ROLES = permissions.GROUP_ROLES
# Who follows up concerns at the school: the teacher for their families, and the IB'er.
CONCERN_ROLES = permissions.GROUP_ROLES | {"intern_begeleider"}


def _families_at(school: School, user) -> object:
    return Family.objects.visible_to(user).filter(guardians__pupil_links__pupil__school=school)


def moments_section(*, user, school: School, today: datetime.date) -> Section | None:
    """Today's and this week's moments of the user (and the overdue ones); one query."""
    moments = queries.this_week(user, today).filter(agreement__pupil__school=school)
    shown = list(moments[:SHOWN])
    if not shown and not permissions.holds_role(user, OWN_FAMILY_ROLES, school):
        return None
    week = reverse("parents:this-week")
    items = [
        Item(
            label=_("%(day)s · %(family)s · %(child)s")
            % {
                "day": _("vandaag")
                if moment.due_on == today
                else date_format(moment.due_on, "l j E"),
                "family": moment.agreement.plan.family.name,
                "child": moment.agreement.pupil.first_name,
            },
            url=f"{week}#moment-{moment.pk}",
            detail=f"{moment.agreement.what} · {moment.agreement.get_channel_display()}",
            urgent=moment.due_on < today,
        )
        for moment in shown
    ]
    return Section(
        title=_("Vandaag en deze week"),
        items=items,
        empty=_("Deze week staan er geen momenten voor u."),
        more_url=week,
        more_label=_("Alle momenten van deze week"),
        order=10,
    )


def concerns_section(*, user, school: School, today: datetime.date) -> Section | None:
    """Concerns whose follow-up is due, about families the user sees; one query."""
    if not permissions.holds_role(user, CONCERN_ROLES, school):
        return None
    concerns = list(
        queries.concerns_without_follow_up(today)
        .filter(family__in=_families_at(school, user).values("pk"))
        .order_by("happened_on", "pk")[:SHOWN]
    )
    return Section(
        title=_("Zorgen zonder vervolg"),
        items=[
            Item(
                label=concern.family.name
                + (f" · {concern.pupil.first_name}" if concern.pupil else ""),
                url=reverse("parents:family-detail", args=[concern.family_id]),
                detail=_("Zorg gemeld op %(day)s: plan het vervolg.")
                % {"day": date_format(concern.happened_on, "j E")},
                urgent=True,
            )
            for concern in concerns
        ],
        empty=_("Geen open zorgen."),
        order=20,
    )


def positive_contact_section(*, user, school: School, today: datetime.date) -> Section | None:
    """The user's families who heard nothing positive this term, told apart by their children;
    three queries (the term, the families, their children)."""
    if not permissions.holds_role(user, OWN_FAMILY_ROLES, school):
        return None
    families = (
        queries.families_without_positive_contact(school, today)
        .filter(pk__in=_families_at(school, user).values("pk"))
        .with_children(user, today=today)
        .order_by("name", "pk")
    )
    shown = list(families[:SHOWN])
    return Section(
        title=_("Nog geen positief contact deze periode"),
        items=[
            Item(label=family.label, url=reverse("parents:family-detail", args=[family.pk]))
            for family in shown
        ],
        empty=_("Alle gezinnen hoorden deze periode iets positiefs van u."),
        more_url=f"{reverse('parents:family-list', args=[school.pk])}?signalen=1",
        more_label=_("Alle gezinnen met een signaal"),
        order=30,
    )


def messages_section(*, user, school: School, today: datetime.date) -> Section | None:
    """How many messages of parents wait for an answer; a count, so no names and no audit."""
    waiting = (
        GuardianMessage.objects.visible_to(user)
        .filter(pupil__school=school, handled_at__isnull=True)
        .count()
    )
    if not waiting and not permissions.holds_role(user, OWN_FAMILY_ROLES, school):
        return None
    url = reverse("parents:guardian-message-list", args=[school.pk])
    items = []
    if waiting:
        label = ngettext(
            "%(count)s bericht van ouders wacht op antwoord",
            "%(count)s berichten van ouders wachten op antwoord",
            waiting,
        ) % {"count": waiting}
        items.append(Item(label=label, url=url))
    return Section(
        title=_("Berichten van ouders"),
        items=items,
        empty=_("Alle berichten van ouders zijn beantwoord."),
        order=25,
    )
