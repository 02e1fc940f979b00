"""In-app notifications, their deliveries over other channels, and channel settings."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Notification(models.Model):
    """One message to one user; the in-app inbox is the list of these."""

    center = models.ForeignKey(
        "org.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属中心"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=64, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # The rows written by one notify() call share a batch: a group-chat webhook post names
    # every recipient of the event.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notif_unread_by_recipient",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notif_by_recipient"),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """Sending one notification over one channel (email or webhook), with retries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        # Claimed by a sender; next_attempt_at is then the end of the claim (a lease), after
        # which a crashed send is picked up again by retry_due().
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败（已放弃）")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    endpoint = models.ForeignKey(
        "notifications.WebhookEndpoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="delivery_pending_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="email", endpoint__isnull=True)
                | Q(channel="webhook", endpoint__isnull=False),
                name="delivery_endpoint_matches_channel",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.get_status_display()}"


class WebhookEndpoint(CenterScopedModel):
    """A group-chat robot (WeCom/DingTalk style) or any JSON endpoint, per center."""

    name = models.CharField(_("名称"), max_length=50)
    url = models.URLField(_("地址"), max_length=500)
    kinds = models.JSONField(
        _("通知类型"), default=list, blank=True, help_text=_("留空表示全部类型")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("Webhook 通道")
        verbose_name_plural = _("Webhook 通道")

    def __str__(self):
        return self.name

    def accepts(self, kind: str) -> bool:
        return self.is_active and (not self.kinds or kind in self.kinds)


class EmailMute(models.Model):
    """The user does not want notifications of `kind` by email (the inbox still gets them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_mutes"
    )
    kind = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("邮件免打扰")
        verbose_name_plural = _("邮件免打扰")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="emailmute_unique_user_kind")
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}"
