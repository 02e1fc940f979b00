"""Reads of core records, scoped to the user's center."""

from .models import AuditEvent, AuditLogEntry


def audit_entries_for(user):
    if not user.has_perm("core.view_auditlogentry") or user.center_id is None:
        return AuditLogEntry.objects.none()
    return AuditLogEntry.objects.filter(center_id=user.center_id).select_related(
        "actor", "content_type"
    )


def audit_events_for(user):
    if not user.has_perm("core.view_auditevent") or user.center_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(center_id=user.center_id).select_related("actor")
