"""Sending deliveries over email and webhook, with retries.

A delivery is sent at most once: a sender first *claims* the row in a short transaction
(SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises the
same transaction): only a pending row that is due can be claimed, and claiming sets it to
“sending” with next_attempt_at pushed to the end of a lease. The network call happens
after that transaction, so no database lock is held while a remote end is slow (on SQLite a
lock would stop every writer). The result is then written back. A sender that crashes
mid-send leaves a “sending” row whose lease expires; retry_due() picks it up again, and
the attempt counter (incremented at claim time) still bounds the retries.

Nothing here raises: failures are recorded on the row and logged.
"""

import contextlib
import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .kinds import kind_label
from .models import Delivery, Notification

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, 3rd… failed attempt.
BACKOFF_MINUTES = (1, 5, 15, 60, 240, 720)
RETRY_BATCH = 200
ERROR_MAX = 1000
MARKDOWN_BODY_MAX = 1500
RECIPIENT_NAMES_MAX = 50
RESPONSE_MAX = 64 * 1024


class SendError(Exception):
    """A channel refused or failed; the message (Chinese) goes to Delivery.last_error."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


# ---------------------------------------------------------------- helpers


def safe_path(url: str) -> str:
    """`url` if it is a path on this site ("/x/…"), else "" (never an open redirect)."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    if any(ord(ch) < 32 for ch in url):
        return ""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return ""
    return url


def absolute_url(url: str) -> str:
    """An absolute link (HOUQIN_SITE_URL + path) for emails and webhook posts."""
    path = safe_path(url) or reverse("notifications:inbox")
    return settings.HOUQIN_SITE_URL.rstrip("/") + path


def mask_url(value) -> str:
    """A webhook address without its secret (robot key / token), for lists and the audit log."""
    value = str(value or "")
    try:
        parts = urlsplit(value)
    except ValueError:
        return "****"
    segments = [(seg[:4] + "****") if len(seg) >= 16 else seg for seg in parts.path.split("/")]
    query = "&".join(
        f"{key}=****" for key, _value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return urlunsplit((parts.scheme, parts.netloc, "/".join(segments), query, ""))


def _backoff(attempts: int) -> dt.timedelta:
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return dt.timedelta(minutes=BACKOFF_MINUTES[index])


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=max(60, 4 * float(settings.NOTIFICATION_WEBHOOK_TIMEOUT)))


# ---------------------------------------------------------------- payloads


def webhook_payload(*, kind, title, body, url, center, recipients, created_at):
    """JSON understood by WeCom and DingTalk group robots (markdown message) and, through the
    plain top-level fields, by any generic consumer."""
    link = absolute_url(url)
    lines = [f"### {title}"]
    if body:
        text = body if len(body) <= MARKDOWN_BODY_MAX else body[: MARKDOWN_BODY_MAX - 1] + "…"
        lines.append(text)
    if recipients:
        shown = recipients[:10]
        more = _("等 %(n)d 人") % {"n": len(recipients)} if len(recipients) > len(shown) else ""
        lines.append(_("相关人员：%(names)s%(more)s") % {"names": "、".join(shown), "more": more})
    lines.append(f"[{_('查看详情')}]({link})")
    stamp = timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M")
    lines.append(f"> {center} · {stamp}" if center else f"> {stamp}")
    markdown = "\n\n".join(lines)
    return {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": markdown, "content": markdown},
        "kind": kind,
        "kind_label": kind_label(kind),
        "title": title,
        "body": body,
        "url": link,
        "center": str(center) if center else "",
        "recipients": list(recipients),
        "created_at": timezone.localtime(created_at).isoformat(),
    }


def _notification_payload(notification: Notification):
    names = []
    if notification.batch:
        batch = (
            Notification.objects.filter(batch=notification.batch)
            .select_related("recipient__person")
            .order_by("pk")[:RECIPIENT_NAMES_MAX]
        )
        names = [n.recipient.display_name for n in batch]
    else:
        names = [notification.recipient.display_name]
    return webhook_payload(
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        url=notification.url,
        center=notification.center,
        recipients=names,
        created_at=notification.created_at,
    )


# ---------------------------------------------------------------- channels


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook that answers with a redirect has failed: never re-post elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def post_json(url: str, payload: dict) -> str:
    """POST `payload`; returns a short description of the success or raises SendError."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise SendError(_("地址不是 http(s) 地址。"), permanent=True)
    timeout = float(settings.NOTIFICATION_WEBHOOK_TIMEOUT)
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "houqin-notifications/1.0",
        },
        method="POST",
    )
    try:
        opener = urllib.request.build_opener(_NoRedirect)  # per call: reads proxy settings now
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(RESPONSE_MAX)
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(Exception):  # the status alone is enough
            detail = exc.read(500).decode("utf-8", "replace").strip()
        raise SendError(
            _("对方返回 HTTP %(status)s%(detail)s")
            % {"status": exc.code, "detail": f"：{detail}" if detail else ""}
        ) from None
    except TimeoutError:
        raise SendError(_("连接超时（%(s)s 秒内无响应）") % {"s": f"{timeout:g}"}) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise SendError(_("连接超时（%(s)s 秒内无响应）") % {"s": f"{timeout:g}"}) from None
        raise SendError(_("无法连接：%(reason)s") % {"reason": reason}) from None
    except (OSError, ValueError) as exc:
        raise SendError(_("发送失败：%(error)s") % {"error": exc}) from None
    if not 200 <= status < 300:
        raise SendError(_("对方返回 HTTP %(status)s") % {"status": status})
    text = raw.decode("utf-8", "replace")
    try:
        answer = json.loads(text) if text.strip() else None
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "errcode" in answer:
        try:
            errcode = int(answer["errcode"])
        except (TypeError, ValueError):
            errcode = -1
        if errcode != 0:
            raise SendError(
                _("机器人返回错误：errcode=%(code)s %(msg)s")
                % {"code": answer["errcode"], "msg": answer.get("errmsg", "")}
            )
    return f"HTTP {status}"


def _send_email(delivery: Delivery):
    notification = delivery.notification
    recipient = notification.recipient
    if not recipient.is_active:
        raise SendError(_("接收人账号已停用。"), permanent=True)
    if not recipient.email:
        raise SendError(_("接收人未登记邮箱。"), permanent=True)
    settings_link = settings.HOUQIN_SITE_URL.rstrip("/") + reverse("notifications:settings")
    parts = [notification.body.strip()] if notification.body.strip() else []
    parts.append(_("查看详情：%(link)s") % {"link": absolute_url(notification.url)})
    parts.append(
        "——\n"
        + _(
            "此邮件由后勤综合服务平台自动发送，请勿直接回复。不想接收此类邮件，可在提醒设置中关闭："
        )
        + settings_link
    )
    try:
        send_mail(
            subject=notification.title,
            message="\n\n".join(parts),
            from_email=None,
            recipient_list=[recipient.email],
            fail_silently=False,
        )
    except Exception as exc:
        raise SendError(_("邮件发送失败：%(error)s") % {"error": exc}) from None


def _send_webhook(delivery: Delivery):
    endpoint = delivery.endpoint
    if endpoint is None or not endpoint.is_active:
        raise SendError(_("Webhook 通道已停用。"), permanent=True)
    post_json(endpoint.url, _notification_payload(delivery.notification))


# ---------------------------------------------------------------- the job


def _claim(delivery_id, now):
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True).filter(pk=delivery_id).first()
        )
        if delivery is None:  # gone, or another sender holds the row right now
            return None
        if delivery.status not in (Delivery.Status.PENDING, Delivery.Status.SENDING):
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None  # not due yet, or being sent (lease not expired)
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.next_attempt_at = now + _lease()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        return delivery


def _finish(delivery: Delivery, error: SendError | None):
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, attempts=delivery.attempts
    )
    if error is None:
        claimed.update(status=Delivery.Status.SENT, sent_at=now, next_attempt_at=None)
        return True
    max_attempts = int(settings.NOTIFICATION_MAX_ATTEMPTS)
    give_up = error.permanent or delivery.attempts >= max_attempts
    message = str(error)[:ERROR_MAX]
    if give_up:
        claimed.update(status=Delivery.Status.FAILED, last_error=message, next_attempt_at=None)
    else:
        claimed.update(
            status=Delivery.Status.PENDING,
            last_error=message,
            next_attempt_at=now + _backoff(delivery.attempts),
        )
    logger.warning(
        "notifications: %s delivery %s failed (attempt %s/%s%s): %s",
        delivery.channel,
        delivery.pk,
        delivery.attempts,
        max_attempts,
        ", giving up" if give_up else "",
        message,
    )
    return False


def send_delivery(delivery_id):
    """Send one delivery if it is pending and due. Returns True (sent), False (failed this
    time) or None (nothing to do). Never raises."""
    try:
        delivery = _claim(delivery_id, timezone.now())
        if delivery is None:
            return None
        delivery = Delivery.objects.select_related(
            "notification__recipient__person", "notification__center", "endpoint"
        ).get(pk=delivery.pk)
        try:
            if delivery.channel == Delivery.Channel.EMAIL:
                _send_email(delivery)
            else:
                _send_webhook(delivery)
        except SendError as exc:
            return _finish(delivery, exc)
        except Exception as exc:  # a bug or an unexpected library error: still retried
            logger.exception("notifications: unexpected error sending delivery %s", delivery.pk)
            return _finish(delivery, SendError(_("发送异常：%(error)s") % {"error": exc}))
        return _finish(delivery, None)
    except Exception:
        logger.exception("notifications: delivery %s could not be processed", delivery_id)
        return False


def retry_due(limit=RETRY_BATCH):
    """Send every pending delivery whose time has come (at most `limit`); returns how many
    were attempted. Run by the periodic job and the `retry_notifications` command."""
    try:
        now = timezone.now()
        ids = list(
            Delivery.objects.filter(
                status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING),
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    except Exception:
        logger.exception("notifications: could not list due deliveries")
        return 0
    attempted = 0
    for pk in ids:
        if send_delivery(pk) is not None:
            attempted += 1
    return attempted


def send_test_message(endpoint, *, actor=None):
    """Post a test message to `endpoint` now; returns (ok, Chinese message). Writes nothing."""
    payload = webhook_payload(
        kind="notifications.test",
        title=_("测试消息"),
        body=_("这是来自后勤综合服务平台的测试消息：通道“%(name)s”配置正确。")
        % {"name": endpoint.name},
        url=reverse("notifications:webhook_list"),
        center=endpoint.center,
        recipients=[actor.display_name] if actor is not None else [],
        created_at=timezone.now(),
    )
    payload["kind_label"] = _("测试消息")
    try:
        result = post_json(endpoint.url, payload)
    except SendError as exc:
        return False, _("测试消息发送失败：%(error)s") % {"error": exc}
    except Exception as exc:
        logger.exception("notifications: test post to endpoint %s failed", endpoint.pk)
        return False, _("测试消息发送失败：%(error)s") % {"error": exc}
    return True, _("测试消息已发送成功（%(result)s），请在群聊中查看。") % {"result": result}
