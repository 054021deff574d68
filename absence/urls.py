from django.urls import path

from absence import views

app_name = "absence"
urlpatterns = [
    path("groepen/<int:pk>/meldingen/", views.group_reports, name="group-reports"),
    path("leerlingen/<int:pk>/afwezig/", views.pupil_mark_absent, name="pupil-mark-absent"),
    path("verzuim/<int:pk>/stoppen/", views.case_close, name="case-close"),
    path("scholen/<int:pk>/verzuim/", views.settings_edit, name="settings-edit"),
    path("scholen/<int:pk>/verlof/", views.leave_list, name="leave-list"),
    path("verlof/<int:pk>/", views.leave_detail, name="leave-detail"),
    path("verlof/<int:pk>/verklaring/", views.leave_statement, name="leave-statement"),
    path("scholen/<int:pk>/informatiekaart/", views.info_card_edit, name="info-card-edit"),
    path("ouders/afwezig/", views.portal_overview, name="portal-overview"),
    path("ouders/afwezig/melden/", views.portal_report, name="portal-report"),
    path("ouders/verlof/", views.portal_leave, name="portal-leave"),
    path("ouders/informatiekaart/<int:pk>/", views.portal_info_card, name="portal-info-card"),
]
