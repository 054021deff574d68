from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Startgesprekken")

    def ready(self):
        from conversations.reminder_rules import (
            BookingTomorrowRule,
            InvitationRule,
            PupilsToPlanRule,
        )
        from reminders import registry

        registry.register(InvitationRule())
        registry.register(BookingTomorrowRule())
        registry.register(PupilsToPlanRule())
