"""Session idle timeout and forced password change."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record_event
from .models import AuditEvent

_LAST_SEEN = "_houqin_last_seen"


class SessionTimeoutMiddleware:
    """Log out a session idle for longer than SESSION_IDLE_TIMEOUT and say so.

    The session cookie already expires after the same time (SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST); this check also covers a session kept alive elsewhere and
    lets the login page tell the user why they were logged out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                user = request.user
                record_event(AuditEvent.Kind.SESSION_EXPIRED, request=request, actor=user)
                logout(request)
                messages.warning(
                    request,
                    _("您已超过 %(n)d 分钟未操作，请重新登录。")
                    % {"n": settings.SESSION_IDLE_TIMEOUT // 60},
                )
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                login_url = f"{reverse('login')}?next={request.path}"
                if getattr(request, "htmx", False):
                    # A full-page navigation, so the message shows on the login page.
                    return HttpResponse(headers={"HX-Redirect": login_url})
                return redirect(login_url)
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send a user who must change their password (first login, reset, expiry) to that page."""

    ALLOWED_PREFIXES = ("/account/password/", "/logout/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and password_change_due(user)
        ):
            return redirect("password_change")
        return self.get_response(request)


def password_change_due(user) -> bool:
    if getattr(user, "must_change_password", False):
        return True
    changed = getattr(user, "password_changed_at", None)
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    return bool(changed and max_age and (timezone.now() - changed).days >= max_age)
