from django.urls import path

from partnership.privacy import views as privacy_views

app_name = "privacy"
urlpatterns = [
    path("leerlingen/<int:pk>/logboek/", privacy_views.pupil_log, name="pupil-log"),
    path(
        "leerlingen/<int:pk>/ouders/<int:link_pk>/toegang/",
        privacy_views.guardian_access,
        name="guardian-access",
    ),
    path("gezinnen/<int:pk>/gegevens/", privacy_views.family_export, name="family-export"),
    path("ouders/mijn-gegevens/", privacy_views.my_data, name="my-data"),
    path(".well-known/security.txt", privacy_views.security_txt, name="security-txt"),
]
