"""Links to the dashboards, shown only to who may open them. Both tags read the user's access,
which is cached for the request: they add no query to any page."""

from django import template

from partnership import dashboard
from schools import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_school_dashboard(context, school):
    return dashboard.may_see_school_dashboard(context["request"].user, school)


@register.simple_tag(takes_context=True)
def own_board_ids(context):
    return sorted(permissions.access_for(context["request"].user).board_ids)
