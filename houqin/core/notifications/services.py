"""notify(): the one way any module tells people something (ARCHITECTURE rule 9), and the
writes of the inbox, the email preferences, the webhook channels and the delivery log.

notify() writes the in-app notifications and the pending deliveries inside the caller's
transaction; sending happens after commit in a background job (Celery; eager without a
broker), so a slow or failing channel never breaks or rolls back the caller's request.
"""

import logging
import uuid
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .kinds import all_kinds
from .models import Delivery, EmailMute, Notification, WebhookEndpoint

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(*, recipients, kind, title, body="", url="", obj=None, center=None, actor=None):
    """Tell `recipients` (users; duplicates and inactive users are dropped) about `obj`.

    - `kind`: a code registered with kinds.register_kind() (users mute kinds by email);
    - `url`: a path on this site ("/approvals/12/"); the inbox, emails and webhooks link to it;
    - `center`: defaults to `obj.center`; webhook channels of that center get one post;
    - `actor`: the user who caused it; they are not notified of their own action.

    Returns the Notification rows. Never sends anything itself: deliveries are queued after
    the caller's transaction commits, and a failing channel is retried later.
    """
    if not kind or len(kind) > 64:
        raise ValueError("notify(): kind must be a non-empty code of at most 64 characters")
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if actor is not None:
        users.pop(actor.pk, None)
    if not users:
        return []
    if center is None:
        center = getattr(obj, "center", None)
    center_id = getattr(center, "pk", center)
    target_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    batch = uuid.uuid4()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                center_id=center_id,
                recipient=user,
                kind=kind,
                title=str(title)[:200],
                body=str(body),
                url=str(url)[:500],
                target_type=target_type,
                target_id=getattr(obj, "pk", None),
                batch=batch,
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
        _enqueue_on_commit([d.pk for d in created])
    return notifications


def _enqueue_on_commit(delivery_ids):
    # robust: a broker that is down must not turn the caller's committed request into an
    # error; the rows stay pending and the periodic retry job sends them.
    transaction.on_commit(lambda: _enqueue(delivery_ids), robust=True)


def _enqueue(delivery_ids):
    from .tasks import deliver

    for pk in delivery_ids:
        try:
            deliver.delay(pk)
        except Exception:
            logger.warning(
                "notifications: could not queue delivery %s; the retry job will send it",
                pk,
                exc_info=True,
            )


# ---------------------------------------------------------------- inbox


@transaction.atomic
def notification_mark_read(*, actor, notification):
    """Mark one of the actor's notifications read (idempotent)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("只能处理自己的通知。"))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor):
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def email_mutes_set(*, actor, muted_kinds):
    """The actor gets no email for `muted_kinds` (registered kind codes); others are unmuted.

    Mutes of kinds no longer registered are left alone.
    """
    known = {code for code, _label in all_kinds()}
    muted = {str(k) for k in muted_kinds}
    unknown = sorted(muted - known)
    if unknown:
        raise ValidationError(_("未知的通知类型：%(kinds)s。") % {"kinds": "、".join(unknown)})
    existing = set(
        EmailMute.objects.filter(user=actor, kind__in=known).values_list("kind", flat=True)
    )
    EmailMute.objects.filter(user=actor, kind__in=existing - muted).delete()
    EmailMute.objects.bulk_create(
        [EmailMute(user=actor, kind=kind) for kind in sorted(muted - existing)]
    )
    return muted


# ---------------------------------------------------------------- webhook channels


def validate_webhook_url(url: str) -> str:
    """An http(s) address with a host; intranet names without a dot are fine."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("请填写地址。")})
    message = _("地址须以 http:// 或 https:// 开头，并包含主机名，如 https://qyapi.weixin.qq.com/…")
    if len(url) > 500 or any(ch.isspace() for ch in url):
        raise ValidationError({"url": message})
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
    except ValueError:
        raise ValidationError({"url": message}) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": message})
    if port == 0:
        raise ValidationError({"url": message})
    return url


def _clean_endpoint(*, name, url, kinds):
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写名称，如“后勤值班群机器人”。")
    elif len(name) > 50:
        errors["name"] = _("名称最多 50 个字。")
    try:
        url = validate_webhook_url(url)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    kinds = sorted({str(k).strip() for k in (kinds or []) if str(k).strip()})
    if any(len(k) > 64 for k in kinds):
        errors["kinds"] = _("通知类型代码过长。")
    if errors:
        raise ValidationError(errors)
    return name, url, kinds


@transaction.atomic
def webhook_endpoint_create(*, actor, name, url, kinds=(), is_active=True):
    if actor.center_id is None:
        raise ValidationError(_("您的账号不属于任何中心，不能配置消息通道。"))
    name, url, kinds = _clean_endpoint(name=name, url=url, kinds=kinds)
    return WebhookEndpoint.objects.create(
        center_id=actor.center_id, name=name, url=url, kinds=kinds, is_active=bool(is_active)
    )


@transaction.atomic
def webhook_endpoint_update(*, actor, endpoint, name, url, kinds=(), is_active=True):
    name, url, kinds = _clean_endpoint(name=name, url=url, kinds=kinds)
    endpoint.name, endpoint.url, endpoint.kinds = name, url, kinds
    endpoint.is_active = bool(is_active)
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, actor, endpoint):
    """Delete a channel; its delivery records go with it."""
    endpoint.delete()


# ---------------------------------------------------------------- delivery log


@transaction.atomic
def delivery_retry(*, actor, delivery):
    """Send a pending or failed delivery again now (in the background job)."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    now = timezone.now()
    if locked.status == Delivery.Status.SENT:
        raise ValidationError(_("该记录已发送成功，无需重试。"))
    if locked.status == Delivery.Status.SENDING and (
        locked.next_attempt_at is None or locked.next_attempt_at > now
    ):
        raise ValidationError(_("该记录正在发送中，请稍后刷新查看结果。"))
    locked.status = Delivery.Status.PENDING
    locked.next_attempt_at = now
    locked.save(update_fields=["status", "next_attempt_at"])
    logger.info("notifications: delivery %s retried by %s", locked.pk, actor)
    _enqueue_on_commit([locked.pk])
    return locked
