from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Scholen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from schools import checks  # noqa: F401  (registers the deploy checks)
        from schools.middleware import note_login_time

        user_logged_in.connect(note_login_time, dispatch_uid="schools-note-login-time")
