from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = _("Partnerschap")

    def ready(self):
        from parents.portal_home import register_home_provider
        from partnership.portal import home_section

        register_home_provider(home_section)

        from parents.calendar import register_source
        from partnership.calendar_source import activity_entries

        register_source(activity_entries)

        from partnership.reminder_rules import ActivityInvitationRule
        from reminders.registry import register

        register(ActivityInvitationRule())

        from parents.reach import register_source
        from partnership.queries import reach_rows

        register_source("attendance", reach_rows)
