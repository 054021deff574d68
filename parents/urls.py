from django.urls import path

from parents import portal_views

app_name = "parents"
urlpatterns = [
    path("ouders/", portal_views.portal_home, name="portal-home"),
    path("ouders/kinderen/<int:pk>/", portal_views.portal_child_detail, name="portal-child-detail"),
    path(
        "ouders/kinderen/<int:pk>/bericht/",
        portal_views.portal_message_create,
        name="portal-message-create",
    ),
    path("ouders/voorkeuren/", portal_views.portal_preferences, name="portal-preferences"),
    path("ouders/taal/", portal_views.portal_language_set, name="portal-language-set"),
    path("ouders/mijn-gegevens/", portal_views.portal_data_download, name="portal-data-download"),
    path(
        "scholen/<int:pk>/berichten-van-ouders/",
        portal_views.guardian_message_list,
        name="guardian-message-list",
    ),
    path(
        "berichten-van-ouders/<int:pk>/afgehandeld/",
        portal_views.guardian_message_handle,
        name="guardian-message-handle",
    ),
]
