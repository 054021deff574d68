from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Scholen")

    def ready(self):
        from reminders import registry
        from schools import checks  # noqa: F401  (registers the deploy checks)
        from schools.reminder_rules import InformationCardRule, schools_for_reminders

        registry.register(InformationCardRule())
        registry.register_school_access(schools_for_reminders)
