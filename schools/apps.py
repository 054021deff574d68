from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Scholen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from reminders import registry
        from schools import checks  # noqa: F401  (registers the deploy checks)
        from schools.middleware import note_login_time
        from schools.permissions import forget_signed_in_on_change
        from schools.reminder_rules import InformationCardRule, schools_for_reminders

        user_logged_in.connect(note_login_time, dispatch_uid="schools-note-login-time")
        forget_signed_in_on_change()
        registry.register(InformationCardRule())
        registry.register_school_access(schools_for_reminders)

        from django.db.models.signals import post_save

        from schools import changes
        from schools.models import Enrolment, Pupil, School

        post_save.connect(changes.create_marker, sender=School, dispatch_uid="school-marker")
        changes.track(Pupil, changes.own_school)
        changes.track(Enrolment, lambda e: Pupil.objects.filter(pk=e.pupil_id).values("school"))
