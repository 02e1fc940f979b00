"""Audit events for authentication: login, logout, failures and lockouts (等保 2.0)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import client_ip, record_event
from .models import AuditEvent


def _center_of_username(username):
    user = get_user_model().objects.filter(username=username).only("center_id").first()
    return user.center_id if user else None


@receiver(user_logged_in, dispatch_uid="houqin.audit.login")
def on_login(sender, request, user, **kwargs):
    record_event(AuditEvent.Kind.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="houqin.audit.logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(AuditEvent.Kind.LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="houqin.audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "") or ""
    center_id = _center_of_username(username)
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.LOGIN_FAILED,
        username=username[:150],
        center_id=center_id,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request else "",
    )


@receiver(user_locked_out, dispatch_uid="houqin.audit.locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.LOCKED_OUT,
        username=(username or "")[:150],
        center_id=_center_of_username(username),
        ip=ip_address,
    )
