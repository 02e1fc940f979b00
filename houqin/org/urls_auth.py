from django.contrib.auth import views as auth_views
from django.urls import path

from .views import auth

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth.password_change, name="password_change"),
    path("account/", auth.profile, name="profile"),
    path("account/token/", auth.token_create, name="token_create"),
]
