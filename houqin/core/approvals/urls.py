from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_list, name="list"),
    path("<int:pk>/", views.approval_detail, name="detail"),
    path("<int:pk>/decide/", views.approval_decide, name="decide"),
    path("<int:pk>/resubmit/", views.approval_resubmit, name="resubmit"),
    path("<int:pk>/cancel/", views.approval_cancel, name="cancel"),
    path("flows/", views.flow_list, name="flow_list"),
    path("flows/<str:code>/", views.flow_edit, name="flow_edit"),
]
