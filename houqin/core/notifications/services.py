"""notify(): the one way any module tells people something (ARCHITECTURE rule 9).

It writes the in-app notifications and the pending deliveries inside the caller's
transaction; sending happens after commit in a background job (Celery; eager without a
broker), so a slow or failing channel never breaks or rolls back the caller's request.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import Delivery, EmailMute, Notification, WebhookEndpoint


def notify(*, recipients, kind, title, body="", url="", obj=None, center=None, actor=None):
    """Tell `recipients` (users; duplicates and inactive users are dropped) about `obj`.

    The actor is not notified of their own action. Returns the Notification rows.
    """
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if actor is not None:
        users.pop(actor.pk, None)
    if not users:
        return []
    if center is None:
        center = getattr(obj, "center", None)
    center_id = getattr(center, "pk", center)
    target_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                center_id=center_id,
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                target_type=target_type,
                target_id=getattr(obj, "pk", None),
            )
            for user in users.values()
        ]
    )
    muted = set(
        EmailMute.objects.filter(user_id__in=users, kind=kind).values_list("user_id", flat=True)
    )
    now = timezone.now()
    deliveries = [
        Delivery(notification=n, channel=Delivery.Channel.EMAIL, next_attempt_at=now)
        for n in notifications
        if n.recipient.email and n.recipient_id not in muted
    ]
    if center_id is not None and notifications:
        # One webhook post per event (a group chat), carried by the first notification.
        for endpoint in WebhookEndpoint.objects.filter(center_id=center_id, is_active=True):
            if endpoint.accepts(kind):
                deliveries.append(
                    Delivery(
                        notification=notifications[0],
                        channel=Delivery.Channel.WEBHOOK,
                        endpoint=endpoint,
                        next_attempt_at=now,
                    )
                )
    if deliveries:
        created = Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in created]
        transaction.on_commit(lambda: _enqueue(ids))
    return notifications


def _enqueue(delivery_ids):
    from .tasks import deliver

    for pk in delivery_ids:
        deliver.delay(pk)
