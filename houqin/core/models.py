"""Base models and the audit records shared by every app."""

from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class CenterScopedModel(TimeStampedModel):
    """A row that belongs to one center (the tenant). Selectors always filter on `center`."""

    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属中心")
    )

    class Meta:
        abstract = True

    def get_additional_data(self):
        # Read by django-auditlog: lets AuditLogEntry know the center for scoping.
        return {"center_id": self.center_id}


class AuditLogEntry(AbstractLogEntry):
    """django-auditlog's change record, plus the center so an auditor sees only their own.

    Written only by auditlog's signal handlers; the app offers no way to edit or delete it.
    """

    center = models.ForeignKey(
        "org.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属中心"),
    )

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        indexes = [models.Index(fields=["center", "-timestamp"], name="core_auditlog_center_ts")]

    def save(self, *args, **kwargs):
        # auditlog passes the instance's get_additional_data(); lift center_id into a real column.
        if self.center_id is None and isinstance(self.additional_data, dict):
            self.center_id = self.additional_data.get("center_id")
        super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """Security and business events that are not row changes: logins, exports, imports…"""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKED_OUT = "locked_out", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        SESSION_EXPIRED = "session_expired", _("会话超时")
        PASSWORD_CHANGED = "password_changed", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        EXPORT = "export", _("导出数据")
        IMPORT = "import", _("导入数据")
        SENSITIVE_VIEW = "sensitive_view", _("查看敏感信息")
        TOKEN_CREATED = "token_created", _("生成接口令牌")
        ACCOUNT_UNLOCKED = "account_unlocked", _("解除锁定")

    center = models.ForeignKey(
        "org.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属中心"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    timestamp = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["center", "-timestamp"], name="core_auditevent_center_ts")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.timestamp:%Y-%m-%d %H:%M}"
