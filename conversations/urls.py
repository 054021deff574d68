from django.urls import path

from conversations import pupil_led_views, views

app_name = "conversations"
urlpatterns = [
    path("scholen/<int:pk>/startgesprekken/", views.round_list, name="round-list"),
    path("startgesprekken/rondes/<int:pk>/", views.round_detail, name="round-detail"),
    path("startgesprekken/rondes/<int:pk>/instellingen/", views.round_edit, name="round-edit"),
    path("startgesprekken/rondes/<int:pk>/openen/", views.round_open, name="round-open"),
    path("startgesprekken/rondes/<int:pk>/sluiten/", views.round_close, name="round-close"),
    path("startgesprekken/tijden/<int:pk>/weg/", views.slot_remove, name="slot-remove"),
    path("startgesprekken/rondes/<int:pk>/wie/", views.assignment_create, name="assignment-create"),
    path("startgesprekken/rondes/<int:pk>/tijden/", views.slot_create, name="slot-create"),
    path(
        "startgesprekken/rondes/<int:pk>/groepen/<int:group_pk>/",
        views.group_detail,
        name="group-detail",
    ),
    path("startgesprekken/rondes/<int:pk>/dagplanning/", views.day_schedule, name="day-schedule"),
    path("startgesprekken/<int:pk>/plannen/", views.conversation_book, name="conversation-book"),
    path("startgesprekken/<int:pk>/verslag/", views.conversation_log, name="conversation-log"),
    path(
        "startgesprekken/<int:pk>/niet-bereikt/",
        views.conversation_not_reached,
        name="conversation-not-reached",
    ),
    path("startgesprekken/<int:pk>/afspraken/", views.agreement_create, name="agreement-create"),
    path(
        "startgesprekken/afspraken/<int:pk>/weg/", views.agreement_delete, name="agreement-delete"
    ),
    path("startgesprekken/boekingen/<int:pk>/verzetten/", views.booking_move, name="booking-move"),
    path(
        "startgesprekken/boekingen/<int:pk>/annuleren/", views.booking_cancel, name="booking-cancel"
    ),
    path(
        "startgesprekken/boekingen/<int:pk>/niet-gekomen/",
        views.booking_no_show,
        name="booking-no-show",
    ),
    path("startgesprekken/boekingen/<int:pk>/agenda.ics", views.booking_ics, name="booking-ics"),
    path("startgesprekken/mijn-week/", views.my_week, name="my-week"),
    path("startgesprekken/mijn-agenda/", views.my_calendar, name="my-calendar"),
    path("startgesprekken/agenda/<str:token>.ics", views.staff_feed, name="staff-feed"),
    path("ouders/startgesprekken/", views.portal_booking, name="portal-booking"),
    path(
        "ouders/startgesprekken/uitnodigingen/<int:pk>/",
        views.portal_wish,
        name="portal-wish",
    ),
    path(
        "scholen/<int:pk>/kindgesprekken/",
        pupil_led_views.pupil_led_rounds_create,
        name="pupil-led-rounds-create",
    ),
    path(
        "kindgesprekken/<int:pk>/portfolio/",
        pupil_led_views.portfolio_detail,
        name="portfolio-detail",
    ),
    path(
        "kindgesprekken/<int:pk>/portfolio/stukken/",
        pupil_led_views.portfolio_item_create,
        name="portfolio-item-create",
    ),
    path(
        "kindgesprekken/portfolio/<int:pk>/weg/",
        pupil_led_views.portfolio_item_delete,
        name="portfolio-item-delete",
    ),
    path(
        "kindgesprekken/portfolio/<int:pk>/foto/",
        pupil_led_views.portfolio_photo,
        name="portfolio-photo",
    ),
    path("ouders/kindgesprekken/", pupil_led_views.portal_portfolio, name="portal-portfolio"),
]
