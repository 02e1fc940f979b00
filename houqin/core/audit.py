"""Explicit audit events (logins, exports, imports, sensitive views).

Row changes are recorded automatically by django-auditlog into core.AuditLogEntry; this module
records the events that are not a row change. Both are read on the auditor's audit page.
"""

from django.conf import settings

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client address. X-Forwarded-For is trusted only when a proxy is configured."""
    if request is None:
        return None
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def record_event(kind, *, request=None, actor=None, username="", center=None, **detail):
    """Write one AuditEvent. `center` defaults to the actor's center."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None:
        username = username or actor.get_username()
        if center is None:
            center = getattr(actor, "center", None)
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        username=username[:150],
        center=center,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
        detail=detail,
    )


def record_export(request, model, **detail):
    """An EXPORT event for a list download, with the filters the user had applied."""
    detail.setdefault("filters", {k: v for k, v in request.GET.items() if k != "export"})
    return record_event(AuditEvent.Kind.EXPORT, request=request, model=model, **detail)
