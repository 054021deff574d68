"""Two-way messages with families, messages from school, read figures and translation of texts. Sending goes through reminders, the one mechanism that sends."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Berichten")

    def ready(self) -> None:
        from messaging import reminder_rules as rules
        from messaging.portal import home_section, thread_page
        from messaging.services import start_thread
        from parents.portal_home import register_home_provider
        from parents.portal_services import register_arrival_receiver
        from parents.portal_views import register_message_page
        from reminders import registry

        register_arrival_receiver(start_thread)
        register_message_page(thread_page)
        register_home_provider(home_section)
        registry.register(rules.AcknowledgementRule())
        registry.register(rules.AnswerRule())
        registry.register(rules.AnnouncementRule())
        registry.register(rules.UnansweredRule())
        registry.register(rules.GuardianReplyRule())
