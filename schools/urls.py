from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("scholen/<int:pk>/", views.school_detail, name="school-detail"),
    path("scholen/<int:pk>/leerlingen/", views.pupil_list, name="pupil-list"),
    path("scholen/<int:pk>/wie-doet-wat/", views.who_does_what, name="who-does-what"),
    path(
        "scholen/<int:pk>/wie-doet-wat/<int:membership_pk>/",
        views.who_does_what_edit,
        name="who-does-what-edit",
    ),
    path(
        "scholen/<int:pk>/mijn-berichten/",
        views.my_messages_edit,
        name="my-messages-edit",
    ),
    path("groepen/<int:pk>/", views.group_detail, name="group-detail"),
    path("leerlingen/<int:pk>/", views.pupil_detail, name="pupil-detail"),
]
