from django.urls import path

from partnership import views

app_name = "partnership"
urlpatterns = [
    path("scholen/<int:pk>/activiteiten/", views.activity_list, name="activity-list"),
    path("scholen/<int:pk>/activiteiten/nieuw/", views.activity_create, name="activity-create"),
    path("activiteiten/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activiteiten/<int:pk>/verplaatsen/", views.activity_move, name="activity-move"),
    path("activiteiten/<int:pk>/aanwezig/", views.door_list, name="door-list"),
    path(
        "activiteiten/<int:pk>/aanwezig/<int:family_pk>/",
        views.attendance_toggle,
        name="attendance-toggle",
    ),
    path("activiteiten/<int:pk>/aanwezig/toevoegen/", views.attendance_add, name="attendance-add"),
    path("scholen/<int:pk>/onderwerpen/", views.topic_list, name="topic-list"),
    path("onderwerpen/<int:pk>/", views.topic_edit, name="topic-edit"),
    path("scholen/<int:pk>/partnerschapsplan/", views.plan_detail, name="plan-detail"),
    path("scholen/<int:pk>/partnerschapsplan/wijzigen/", views.plan_edit, name="plan-edit"),
    path(
        "scholen/<int:pk>/partnerschapsplan/<slug:partnership>/",
        views.area_edit,
        name="area-edit",
    ),
    path("scholen/<int:pk>/evaluaties/", views.evaluation_list, name="evaluation-list"),
    path("scholen/<int:pk>/evaluaties/nieuw/", views.evaluation_create, name="evaluation-create"),
    path(
        "scholen/<int:pk>/zelfevaluatie/<slug:framework>/",
        views.self_assessment_edit,
        name="self-assessment-edit",
    ),
    path("scholen/<int:pk>/buddys/", views.buddy_list, name="buddy-list"),
    path("ouders/activiteiten/", views.invitation_list, name="invitation-list"),
    path("ouders/activiteiten/onderwerp/", views.topic_suggest, name="topic-suggest"),
    path("ouders/activiteiten/<int:pk>/", views.invitation_respond, name="invitation-respond"),
]

# The class page (parents of a group together), helping parents and the receptions per group.
from partnership import class_views  # noqa: E402

urlpatterns += [
    path("ouders/klassen/", class_views.class_list, name="class-list"),
    path("ouders/klassen/delen/", class_views.class_sharing, name="class-sharing"),
    path("ouders/klassen/<int:pk>/", class_views.class_page, name="class-page"),
    path(
        "ouders/klassen/<int:pk>/bericht/",
        class_views.class_message_create,
        name="class-message-create",
    ),
    path("groepen/<int:pk>/klassenpagina/", class_views.class_manage, name="class-manage"),
    path(
        "groepen/<int:pk>/klassenouders/",
        class_views.class_parent_appoint,
        name="class-parent-appoint",
    ),
    path("klassenouders/<int:pk>/stoppen/", class_views.class_parent_end, name="class-parent-end"),
    path("klasberichten/<int:pk>/", class_views.class_post_review, name="class-post-review"),
    path("klasberichten/<int:pk>/foto/", class_views.class_post_photo, name="class-post-photo"),
]

from partnership import helper_views  # noqa: E402

urlpatterns += [
    path("activiteiten/<int:pk>/hulpouders/", helper_views.helper_tasks, name="helper-tasks"),
    path("ouders/activiteiten/<int:pk>/helpen/", helper_views.helper_signup, name="helper-signup"),
]

from partnership import reception_views  # noqa: E402

urlpatterns += [
    path(
        "scholen/<int:pk>/nieuwjaarsrecepties/",
        reception_views.reception_plan,
        name="reception-plan",
    ),
]
