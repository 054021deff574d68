from django.urls import path

from care import support_views, views

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
    path("ouders/ideeen-en-klachten/", views.feedback_portal_list, name="feedback-portal-list"),
    path(
        "ouders/ideeen-en-klachten/nieuw/",
        views.feedback_portal_create,
        name="feedback-portal-create",
    ),
    path(
        "ouders/ideeen-en-klachten/<int:pk>/",
        views.feedback_portal_detail,
        name="feedback-portal-detail",
    ),
    path("scholen/<int:pk>/ideeen-en-klachten/", views.feedback_list, name="feedback-list"),
    path("ideeen-en-klachten/<int:pk>/", views.feedback_detail, name="feedback-detail"),
    path("ideeen-en-klachten/<int:pk>/toewijzen/", views.feedback_assign, name="feedback-assign"),
    path("ideeen-en-klachten/<int:pk>/antwoorden/", views.feedback_answer, name="feedback-answer"),
    path("ideeen-en-klachten/<int:pk>/afsluiten/", views.feedback_close, name="feedback-close"),
    path(
        "scholen/<int:pk>/klachtenregeling/",
        views.complaints_procedure_edit,
        name="complaints-procedure-edit",
    ),
    path("scholen/<int:pk>/dankzij-u/", views.changes_edit, name="changes-edit"),
    path("leerlingen/<int:pk>/opp/nieuw/", support_views.plan_create, name="plan-create"),
    path("opp/<int:pk>/", support_views.plan_detail, name="plan-detail"),
    path("opp/<int:pk>/document/", support_views.plan_document, name="plan-document"),
    path("leerlingen/<int:pk>/overleg/nieuw/", support_views.meeting_create, name="meeting-create"),
    path("overleg/<int:pk>/", support_views.meeting_detail, name="meeting-detail"),
    path("overleg/<int:pk>/plannen/", support_views.meeting_schedule, name="meeting-schedule"),
    path(
        "overleg/<int:pk>/deelnemer/",
        support_views.meeting_attendee_add,
        name="meeting-attendee-add",
    ),
    path(
        "leerlingen/<int:pk>/hulp-buiten-school/",
        support_views.involvement_create,
        name="involvement-create",
    ),
    path("ouders/opp/<int:pk>/", support_views.plan_portal_detail, name="plan-portal-detail"),
    path(
        "ouders/overleg/<int:pk>/",
        support_views.meeting_portal_detail,
        name="meeting-portal-detail",
    ),
]
