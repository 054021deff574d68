from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Startgesprekken")

    def ready(self):
        from conversations.portal import home_section
        from parents.portal_home import register_home_provider

        register_home_provider(home_section)

        from conversations.calendar_source import booking_entries
        from parents.calendar import register_source

        register_source(booking_entries)
        from conversations.reminder_rules import (
            BookingTomorrowRule,
            InvitationRule,
            PupilsToPlanRule,
        )
        from reminders import registry

        registry.register(InvitationRule())
        registry.register(BookingTomorrowRule())
        registry.register(PupilsToPlanRule())

        from conversations.queries import reach_rows
        from parents.reach import register_source

        register_source("held start conversations", reach_rows)

        from conversations.home import pupil_led_section, round_section
        from schools.home import register_home_section

        register_home_section(round_section)
        register_home_section(pupil_led_section)

        from conversations.models import Round, StartConversation
        from schools import changes

        changes.track(Round, changes.own_school)
        changes.track(
            StartConversation, lambda c: Round.objects.filter(pk=c.round_id).values("school")
        )
