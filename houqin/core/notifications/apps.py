from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "houqin.core.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from auditlog.registry import auditlog

        from houqin.core.menu import MenuItem, register_menu
        from houqin.core.roles import Role, grant

        from . import models

        # Every signed-in user has their own inbox and email preferences (no permission);
        # the center administrator configures the center's channels and reads the log.
        grant(
            Role.CENTER_ADMIN,
            "notifications.view_webhookendpoint",
            "notifications.add_webhookendpoint",
            "notifications.change_webhookendpoint",
            "notifications.delete_webhookendpoint",
            "notifications.view_delivery",
            "notifications.change_delivery",  # 立即重试
        )
        group = _("系统")
        register_menu(
            MenuItem(
                "notification_webhooks",
                _("消息通道"),
                "notifications:webhook_list",
                "bi-broadcast",
                "notifications.view_webhookendpoint",
                group,
                870,
            )
        )
        register_menu(
            MenuItem(
                "notification_deliveries",
                _("发送记录"),
                "notifications:delivery_list",
                "bi-send-check",
                "notifications.view_delivery",
                group,
                880,
            )
        )
        # The robot key in a webhook address is a secret: the change log shows it masked.
        auditlog.register(
            models.WebhookEndpoint,
            exclude_fields=["updated_at"],
            mask_fields=["url"],
            mask_callable="houqin.core.notifications.delivery.mask_url",
        )
