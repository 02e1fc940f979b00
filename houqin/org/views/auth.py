"""Login, logout, password change, lockout page and the user's own profile."""

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from houqin.core.audit import record_event
from houqin.core.backends import user_roles
from houqin.core.forms import apply_errors
from houqin.core.middleware import password_change_due
from houqin.core.models import AuditEvent
from houqin.core.roles import Role

from .. import services
from ..forms import LoginForm, PasswordChangeForm
from ..scoping import user_person


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this once an account has failed 5 times within the cool-off period."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    retry_at = timezone.localtime() + get_cool_off(request)
    return render(
        request,
        "registration/locked_out.html",
        {"retry_at": retry_at, "minutes": minutes},
        status=429,
    )


@login_required
def password_change(request):
    forced = password_change_due(request.user)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    return render(request, "registration/password_change.html", {"form": form, "forced": forced})


@login_required
def profile(request):
    person = user_person(request.user)
    roles = [Role(r).label for r in Role.values if r in user_roles(request.user)]
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "org/profile.html",
        {"person": person, "roles": roles, "has_token": token is not None},
    )


@login_required
@require_POST
def token_create(request):
    """(Re)issue the user's API token; shown once, like a password."""
    Token.objects.filter(user=request.user).delete()
    token = Token.objects.create(user=request.user)
    record_event(AuditEvent.Kind.TOKEN_CREATED, request=request)
    person = user_person(request.user)
    roles = [Role(r).label for r in Role.values if r in user_roles(request.user)]
    return render(
        request,
        "org/profile.html",
        {"person": person, "roles": roles, "has_token": True, "new_token": token.key},
    )
