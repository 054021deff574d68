"""Sickness reports, the attendance protocol, leave (verlof) and the information card of week one."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsenceConfig(AppConfig):
    name = "absence"
    verbose_name = _("Verzuim en verlof")

    def ready(self) -> None:
        from absence import pages
        from absence.reminder_rules import RULES
        from parents.portal_home import register_home_provider
        from parents.views import register_this_week_provider
        from reminders import registry
        from schools.views import register_pupil_section

        for rule in RULES:
            registry.register(rule)
        register_home_provider(pages.home_section)
        register_this_week_provider(pages.this_week_lines)
        register_pupil_section(pages.pupil_leave_section)
