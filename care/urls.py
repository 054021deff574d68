from django.urls import path

from care import views

app_name = "care"
urlpatterns = [
    path("scholen/<int:pk>/incidenten/", views.incident_list, name="incident-list"),
    path("scholen/<int:pk>/incidenten/nieuw/", views.incident_create, name="incident-create"),
    path("incidenten/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("incidenten/<int:pk>/opvolging/", views.incident_follow_up, name="incident-follow-up"),
    path("incidenten/<int:pk>/meelezer/", views.incident_reader_add, name="incident-reader-add"),
    path("incidenten/<int:pk>/inzage/", views.incident_withhold, name="incident-withhold"),
    path(
        "incidenten/<int:pk>/contactafspraak/",
        views.incident_arrangement,
        name="incident-arrangement",
    ),
    path("besturen/<int:pk>/incidenten/", views.incident_figures, name="incident-figures"),
    path("scholen/<int:pk>/protocol-agressie/", views.protocol_detail, name="protocol-detail"),
    path(
        "scholen/<int:pk>/protocol-agressie/bewerken/",
        views.protocol_edit,
        name="protocol-edit",
    ),
]
