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

        from partnership.helper_queries import helping_rows

        register_source("helping", helping_rows)

        from partnership.helper_reminders import HelperReminderRule

        register(HelperReminderRule())
        from partnership import home
        from schools.home import register_home_section

        for section in (home.next_activity_section, home.reach_section, home.figures_section):
            register_home_section(section)

        from parents.queries import register_family_section
        from partnership.family_section import attendance_section

        register_family_section(attendance_section)

        from partnership.models import Activity, Attendance, Goal, Invitation, PartnershipPlan
        from schools import changes

        changes.track(Activity, changes.own_school)
        # An invitation counts only once attended; deleting one deletes its attendance.
        changes.track(
            Attendance,
            lambda a: Invitation.objects.filter(pk=a.invitation_id).values("activity__school"),
        )
        changes.track(PartnershipPlan, changes.own_school)
        changes.track(Goal, lambda g: PartnershipPlan.objects.filter(pk=g.plan_id).values("school"))
