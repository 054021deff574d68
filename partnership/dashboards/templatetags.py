"""Links to the dashboards and from their figures, shown only to who may open them. The tags
read the user's access, which is cached for the request: they add no query to any page."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from partnership.dashboards import figures as dashboard
from schools import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_school_dashboard(context, school):
    return dashboard.may_see_school_dashboard(context["request"].user, school)


@register.simple_tag(takes_context=True)
def reads_names(context, school):
    """Whether the user sees the school's children and parents by name (not as the board)."""
    return permissions.reads_names(context["request"].user, school)


@register.simple_tag(takes_context=True)
def own_board_ids(context):
    return sorted(permissions.access_for(context["request"].user).board_ids)


# A tag rather than an included template: the school dashboard shows about a hundred figures,
# and an include per figure cost more than the queries of the page.
# Activities and goals are school-wide: no group or language narrows them.
SCHOOL_WIDE = frozenset({"activiteiten", "doelen"})


@register.simple_tag(takes_context=True)
def figure_link(context, number, figure, group=None, partnership=""):
    """``number`` linked to the list of ``figure`` with the page's year, group and language."""
    if not context.get("can_see_lists"):
        return number
    params = {"jaar": context["year"].pk}
    group = group or context.get("group")
    if group is not None:
        params["groep"] = group.pk
    if partnership:
        params["partnerschap"] = partnership
    if context.get("language") and figure not in SCHOOL_WIDE:
        params["taal"] = context["language"]
    url = reverse("dashboard:figure-list", args=[context["school"].pk, figure])
    return format_html(
        '<a href="{}?{}" data-figure="{}">{}</a>', url, urlencode(params), figure, number
    )
