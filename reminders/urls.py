from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("scholen/<int:school_id>/herinneringen/", views.outbox_list, name="outbox-list"),
    path(
        "scholen/<int:school_id>/herinneringen/<int:pk>/opnieuw/",
        views.reminder_resend,
        name="reminder-resend",
    ),
    path(
        "scholen/<int:school_id>/herinneringen/mislukt/opnieuw/",
        views.failed_resend,
        name="failed-resend",
    ),
    path(
        "scholen/<int:school_id>/herinneringen/soort/<str:rule>/",
        views.rule_switch,
        name="rule-switch",
    ),
    path("herinneringen/stoppen/<str:token>/", views.stop, name="stop"),
]
