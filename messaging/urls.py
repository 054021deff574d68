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
]
