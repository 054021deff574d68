from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path(
        "scholen/<int:school_id>/vertalingen/",
        views.translation_list,
        name="translation-list",
    ),
    path(
        "scholen/<int:school_id>/vertalingen/<int:pk>/",
        views.translation_edit,
        name="translation-edit",
    ),
    path("scholen/<int:pk>/berichten/", views.message_list, name="message-list"),
    path(
        "scholen/<int:pk>/berichten/nieuw/",
        views.announcement_create,
        name="announcement-create",
    ),
    path(
        "scholen/<int:pk>/berichten/instellingen/",
        views.school_terms_edit,
        name="school-terms-edit",
    ),
    path("gezinnen/<int:pk>/berichten/", views.family_messages, name="family-messages"),
    path("berichten/gesprekken/<int:pk>/", views.thread_detail, name="thread-detail"),
    path(
        "berichten/gesprekken/<int:pk>/afgehandeld/",
        views.thread_close,
        name="thread-close",
    ),
    path("berichten/<int:pk>/", views.announcement_detail, name="announcement-detail"),
    path("ouders/berichten/", views.portal_inbox, name="portal-inbox"),
    path(
        "ouders/berichten/gesprekken/<int:pk>/",
        views.portal_thread_detail,
        name="portal-thread-detail",
    ),
    path(
        "ouders/berichten/<int:pk>/",
        views.portal_announcement_detail,
        name="portal-announcement-detail",
    ),
    path("bericht/<str:token>/", views.read_link, name="read-link"),
]
