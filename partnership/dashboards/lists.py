"""The list behind each figure of the school dashboard: the start conversations, families,
contact moments, contacts, activities or goals that a number counts.

Each list takes its rows from ``dashboard.school_scope`` and the same filter that counts the
figure (``dashboard.conversation_filters`` and friends), so a list always has as many rows as
its number says. The lists name children and families: only the school's own director and IB'er
open them, not the board (the board compares schools by their figures).
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership import queries
from partnership.dashboards import figures as dashboard
from partnership.models import Activity, Goal, Partnership
from schools import audit, permissions


@dataclass(frozen=True)
class FigureList:
    kind: str  # conversations, families, moments, contacts, activities or goals
    key: str  # the figure's key in the filters of its kind ("" for activities and goals)
    title: str


FIGURE_LISTS = {
    "leerlingen": FigureList("conversations", "pupils", _("Leerlingen met een startgesprek")),
    "gesprek-gehouden": FigureList("conversations", "held", _("Startgesprekken gehouden")),
    "gesprek-gepland": FigureList("conversations", "booked", _("Startgesprekken gepland")),
    "gesprek-nog-plannen": FigureList(
        "conversations", "to_plan", _("Startgesprekken nog te plannen")
    ),
    "gesprek-niet-bereikt": FigureList(
        "conversations", "not_reached", _("Startgesprekken: ouders niet bereikt")
    ),
    "gesprek-binnen-periode": FigureList(
        "conversations", "in_window", _("Startgesprekken gehouden binnen de periode")
    ),
    "gesprek-kind-erbij": FigureList(
        "conversations", "child", _("Startgesprekken met het kind erbij")
    ),
    "gezinnen": FigureList("families", "families", _("Alle gezinnen")),
    "gezinnen-bereikt": FigureList("families", "reached", _("Gezinnen bereikt dit schooljaar")),
    "gezinnen-met-plan": FigureList(
        "families", "with_plan", _("Gezinnen met een communicatieplan")
    ),
    "momenten-gepland": FigureList(
        "moments", "moments_due", _("Contactmomenten gepland tot vandaag")
    ),
    "momenten-op-tijd": FigureList("moments", "held_on_time", _("Contactmomenten op tijd")),
    "momenten-te-laat": FigureList("moments", "held_late", _("Contactmomenten te laat")),
    "momenten-achterstallig": FigureList("moments", "overdue", _("Contactmomenten achterstallig")),
    "contacten": FigureList("contacts", "contacts", _("Contacten over een kind")),
    "contacten-positief": FigureList("contacts", "positive", _("Positieve contacten")),
    "activiteiten": FigureList("activities", "", _("Activiteiten")),
    "doelen": FigureList("goals", "", _("Doelen")),
}


def may_see_lists(user, school):
    """Only the school's own director and IB'er see names behind the figures."""
    return permissions.holds_role(user, permissions.DASHBOARD_LIST_READERS, school.pk)


def _record(by, school, what):
    """The lists name children and families: each read goes into the audit log."""
    audit.record(by, audit.AuditAction.VIEW_LIST, school=school, what=what)


def rows(figure, school, year, group=None, partnership="", language="", *, by):
    """The rows behind ``figure`` (a key of ``FIGURE_LISTS``) at ``school`` in ``year``,
    optionally of one group and language, or (activities, goals) of one partnership, as read by
    ``by`` (audit-logged). A fixed number of queries."""
    spec = FIGURE_LISTS[figure]
    _record(by, school, "figure_" + figure.replace("-", "_"))
    if spec.kind in ("activities", "goals"):
        return _ROWS[spec.kind](school, year, partnership)
    scope = dashboard.school_scope(school, year, group, language=language)
    found = _ROWS[spec.kind](spec.key, scope)
    # Households of the same name are told apart by their children (``family.label``).
    return found.with_children(by) if spec.kind == "families" else found


def _conversations(key, scope):
    condition = dashboard.conversation_filters()[key]
    return (
        scope["conversations"]
        .filter(condition)
        .select_related("pupil", "group")
        .order_by("group__lowest_grade", "group__name", "pupil__last_name", "pupil__first_name")
    )


def _families(key, scope):
    return dashboard.families_of(scope["family_links"].filter(dashboard.family_filters()[key]))


def _moments(key, scope):
    condition = dashboard.moment_filters(timezone.localdate())[key]
    return (
        scope["moments"]
        .filter(condition)
        .select_related("agreement__plan__family", "agreement__pupil")
        .order_by("due_on", "pk")
    )


def _contacts(key, scope):
    condition = dashboard.contact_filters()[key]
    return (
        scope["contacts"]
        .filter(condition)
        .select_related("family", "pupil", "by")
        .order_by("-happened_on", "-pk")
    )


def _activities(school, year, partnership):
    activities = Activity.objects.filter(school=school, school_year=year)
    if partnership in Partnership.values:
        activities = activities.filter(partnership=partnership)
    return activities.annotate(attended=Count("invitations__attendance")).order_by("starts_at")


def _goals(school, year, partnership):
    goals = Goal.objects.filter(plan__school=school, plan__school_year=year)
    if partnership in Partnership.values:
        goals = goals.filter(partnership=partnership)
    return goals.order_by("partnership", "status", "pk")


def not_reached(school, year, group=None, language="", *, by):
    """The families not reached, with their guardians and the children ``by`` may see, as read
    by ``by`` (audit-logged)."""
    _record(by, school, "not_reached")
    return (
        dashboard.families_not_reached(school, year, group, language)
        .with_children(by)
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=queries.year_invitations([school.pk], year),
                to_attr="year_invitations",
            )
        )
    )


_ROWS = {
    "conversations": _conversations,
    "families": _families,
    "moments": _moments,
    "contacts": _contacts,
    "activities": _activities,
    "goals": _goals,
}
