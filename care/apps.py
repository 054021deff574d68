"""Incidents with parents, support-plan consent, meetings about a child, ideas and complaints."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Zorg en veiligheid")

    def ready(self):
        from care.family_page import family_section
        from parents.queries import register_family_section

        register_family_section(family_section)

        from care.reminder_rules import (
            FeedbackAnsweredRule,
            FeedbackReceivedRule,
            IncidentFollowUpRule,
        )
        from reminders import registry

        registry.register(IncidentFollowUpRule())
        registry.register(FeedbackReceivedRule())
        registry.register(FeedbackAnsweredRule())

        from care.portal import home_section
        from parents.portal_home import register_home_provider

        register_home_provider(home_section)
