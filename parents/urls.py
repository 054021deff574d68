from django.urls import path

from parents import views

app_name = "parents"
urlpatterns = [
    path("ouders/", views.portal_home, name="portal-home"),
]
