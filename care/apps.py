"""Incidents with parents, support-plan consent, meetings about a child, ideas and complaints."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Zorg en veiligheid")

    def ready(self) -> None:
        from care.family_page import family_section
        from parents.queries import register_family_section

        register_family_section(family_section)

        from care.reminder_rules import (
            FeedbackAnsweredRule,
            FeedbackReceivedRule,
            IncidentFollowUpRule,
            MeetingAttendeeAddedRule,
            MeetingInvitationRule,
            OutsideInvolvementRule,
            SupportPlanEvaluationRule,
            SupportPlanReadyRule,
        )
        from reminders import registry

        registry.register(IncidentFollowUpRule())
        registry.register(FeedbackReceivedRule())
        registry.register(FeedbackAnsweredRule())
        registry.register(SupportPlanEvaluationRule())
        registry.register(SupportPlanReadyRule())
        registry.register(MeetingInvitationRule())
        registry.register(MeetingAttendeeAddedRule())
        registry.register(OutsideInvolvementRule())

        from care.portal import home_section
        from parents.portal_home import register_home_provider

        register_home_provider(home_section)

        from care import support_pages
        from schools.home import register_home_section
        from schools.views import register_pupil_section

        register_pupil_section(support_pages.pupil_section)
        register_home_section(support_pages.home_section)
