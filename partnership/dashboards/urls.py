from django.urls import path

from partnership.dashboards import views

app_name = "dashboard"
urlpatterns = [
    path("scholen/<int:pk>/dashboard/", views.school_dashboard, name="school-dashboard"),
    path("scholen/<int:pk>/dashboard/niet-bereikt/", views.not_reached_list, name="not-reached"),
    path(
        "scholen/<int:pk>/dashboard/cijfers/<slug:figure>/",
        views.figure_list,
        name="figure-list",
    ),
    path(
        "scholen/<int:pk>/dashboard/<slug:table>.<str:fmt>",
        views.school_export,
        name="school-export",
    ),
    path("besturen/<int:pk>/dashboard/", views.board_dashboard, name="board-dashboard"),
    path("besturen/<int:pk>/dashboard/scholen.<str:fmt>", views.board_export, name="board-export"),
]
