from django.urls import path

from parents import portal_views, views

app_name = "parents"
urlpatterns = [
    path("ouders/communicatieplan/", views.portal_plan, name="portal-plan"),
    path("scholen/<int:pk>/gezinnen/", views.family_list, name="family-list"),
    path("gezinnen/<int:pk>/", views.family_detail, name="family-detail"),
    path("gezinnen/<int:pk>/contact/", views.contact_log_create, name="contact-log-create"),
    path("gezinnen/<int:pk>/plan/", views.plan_edit, name="plan-edit"),
    path("gezinnen/<int:pk>/afspraken/nieuw/", views.agreement_create, name="agreement-create"),
    path("afspraken/<int:pk>/", views.agreement_edit, name="agreement-edit"),
    path("scholen/<int:pk>/jaarkalender/", views.year_calendar, name="year-calendar"),
    path("scholen/<int:pk>/jaarkalender.ics", views.year_calendar_ics, name="year-calendar-ics"),
    path("mijn-agenda/", views.my_calendar_feed, name="my-calendar-feed"),
    path("ouders/agenda/", views.portal_calendar_feed, name="portal-calendar-feed"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("deze-week/", views.this_week, name="this-week"),
    path("momenten/<int:pk>/gehouden/", views.moment_hold, name="moment-hold"),
    path("momenten/<int:pk>/niet-gelukt/", views.moment_miss, name="moment-miss"),
    path("momenten/<int:pk>/verzetten/", views.moment_move, name="moment-move"),
    path("ouders/", portal_views.portal_home, name="portal-home"),
    path("ouders/kinderen/<int:pk>/", portal_views.portal_child_detail, name="portal-child-detail"),
    path(
        "ouders/kinderen/<int:pk>/bericht/",
        portal_views.portal_message_create,
        name="portal-message-create",
    ),
    path("ouders/voorkeuren/", portal_views.portal_preferences, name="portal-preferences"),
    path(
        "ouders/informatie-vragen/",
        portal_views.portal_information_request,
        name="portal-information-request",
    ),
    path("ouders/taal/", portal_views.portal_language_set, name="portal-language-set"),
    path(
        "ouders/contactgegevens/",
        portal_views.portal_contact_details,
        name="portal-contact-details",
    ),
    path(
        "ouders/foto-toestemming/", portal_views.portal_photo_consent, name="portal-photo-consent"
    ),
    path(
        "scholen/<int:pk>/foto-toestemming/",
        portal_views.photo_consent_list,
        name="photo-consent-list",
    ),
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

# The import from the pupil administration writes guardians and families; its paths stay under
# the school.
from parents.importing import views as import_views  # noqa: E402

urlpatterns += [
    path("scholen/<int:pk>/importeren/", import_views.import_upload, name="import-upload"),
    path(
        "scholen/<int:pk>/importeren/<int:batch_pk>/kolommen/",
        import_views.import_columns,
        name="import-columns",
    ),
    path(
        "scholen/<int:pk>/importeren/<int:batch_pk>/",
        import_views.import_preview,
        name="import-preview",
    ),
    path(
        "scholen/<int:pk>/importeren/gedaan/<int:run_pk>/",
        import_views.import_run,
        name="import-run",
    ),
]
