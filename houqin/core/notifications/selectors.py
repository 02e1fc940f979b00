"""Reads of notifications, scoped to the user: their own inbox; their center's channels."""

from django.db.models import Q

from .models import Delivery, Notification, WebhookEndpoint


def notifications_for(user):
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def webhook_endpoints_for(user):
    if user.center_id is None or not user.has_perm("notifications.view_webhookendpoint"):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(center_id=user.center_id).order_by("name", "pk")


def deliveries_for(user):
    """Deliveries of the user's center: of its notifications, or (for notifications without a
    center) to its own people."""
    if user.center_id is None or not user.has_perm("notifications.view_delivery"):
        return Delivery.objects.none()
    center_id = user.center_id
    return (
        Delivery.objects.filter(
            Q(notification__center_id=center_id)
            | Q(notification__center__isnull=True, notification__recipient__center_id=center_id)
        )
        .select_related("notification__recipient__person", "endpoint")
        .order_by("-created_at", "-id")
    )
