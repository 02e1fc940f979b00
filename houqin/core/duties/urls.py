from django.urls import path

from .views import board, mobile, plans, records

app_name = "duties"
urlpatterns = [
    path("my/", mobile.my_tasks_view, name="my_tasks"),
    path("tasks/<int:pk>/", mobile.task_complete, name="task_complete"),
    path("tasks/<int:pk>/cancel/", mobile.task_cancel, name="task_cancel"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/preview/", plans.plan_preview, name="plan_preview"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/deactivate/", plans.plan_deactivate, name="plan_deactivate"),
    path("plans/<int:pk>/activate/", plans.plan_activate, name="plan_activate"),
    path("compliance/", board.compliance_board, name="compliance"),
    path("records/", records.record_list, name="record_list"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("photos/<int:pk>/", records.photo_file, name="photo"),
]
