from django import template

from reminders import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def oversees_reminders(context, school_id):
    """Whether the user may open the school's reminder page, so only they see the link."""
    return school_id in registry.schools_overseen_by(context["request"].user)
