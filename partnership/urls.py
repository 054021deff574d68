from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from partnership import site_views

# The admin login goes through allauth, so its rate limits and second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Schouder"


def _superusers_only(request):
    """The admin shows every school's rows unscoped: only a superuser (the technical
    administrator) opens it, never a school's staff, whatever Django's staff flag says."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("", include("schools.urls")),
    path("", include("parents.urls")),
    path("", include("partnership.privacy.urls")),
    path("", include("conversations.urls")),
    path("", include("messaging.urls")),
    path("", include("absence.urls")),
    path("", include("care.urls")),
    path("", include("reminders.urls")),
    path("", include("partnership.app_urls")),
    path("", include("partnership.dashboards.urls")),
]
