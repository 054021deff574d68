from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Scholen")

    def ready(self):
        from schools import checks  # noqa: F401  (registers the deploy checks)
