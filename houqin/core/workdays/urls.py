from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("new/", views.override_create, name="override_create"),
    path("<int:pk>/", views.override_edit, name="override_edit"),
    path("<int:pk>/delete/", views.override_delete, name="override_delete"),
]
