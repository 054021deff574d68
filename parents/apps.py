from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParentsConfig(AppConfig):
    name = "parents"
    verbose_name = _("Ouders en gezinnen")

    def ready(self):
        from parents import signals  # noqa: F401  (connects the login receiver)
        from parents.reminder_rules import WelcomeRepeatRule, WelcomeRule
        from reminders import registry

        registry.register(WelcomeRule())
        registry.register(WelcomeRepeatRule())
