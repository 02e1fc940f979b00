"""Object fetches for notifications: missing and not-yours are the same 404."""

from django.shortcuts import get_object_or_404

from .selectors import deliveries_for, notifications_for, webhook_endpoints_for


def get_notification_for_user(user, pk):
    return get_object_or_404(notifications_for(user), pk=pk)


def get_webhook_endpoint_for_user(user, pk):
    return get_object_or_404(webhook_endpoints_for(user), pk=pk)


def get_delivery_for_user(user, pk):
    return get_object_or_404(deliveries_for(user), pk=pk)
