import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .delivery import mask_url
from .kinds import kind_label
from .models import Delivery, WebhookEndpoint

STATUS_CSS = {
    Delivery.Status.PENDING: "warning",
    Delivery.Status.SENDING: "info",
    Delivery.Status.SENT: "success",
    Delivery.Status.FAILED: "danger",
}


class WebhookEndpointTable(tables.Table):
    name = tables.LinkColumn(
        "notifications:webhook_edit", args=[tables.A("pk")], verbose_name=_("名称")
    )
    url = tables.Column(verbose_name=_("地址（已隐藏密钥）"), orderable=False)
    kinds = tables.Column(verbose_name=_("推送的通知类型"), orderable=False, empty_values=())
    is_active = tables.BooleanColumn(verbose_name=_("启用"))
    actions = tables.TemplateColumn(
        template_name="notifications/_webhook_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "kinds", "is_active")
        order_by = ("name",)

    def render_url(self, value):
        return format_html("<code class='small'>{}</code>", mask_url(value))

    def render_kinds(self, value):
        return "、".join(kind_label(k) for k in value) if value else _("全部类型")


class DeliveryTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i:s")
    channel = tables.Column(verbose_name=_("渠道"))
    target = tables.Column(verbose_name=_("发送到"), empty_values=(), orderable=False)
    title = tables.Column(verbose_name=_("通知"), accessor="notification__title")
    kind = tables.Column(verbose_name=_("类型"), accessor="notification__kind")
    status = tables.Column(verbose_name=_("状态"))
    attempts = tables.Column(verbose_name=_("尝试次数"))
    next_attempt_at = tables.DateTimeColumn(
        verbose_name=_("下次尝试"), format="m-d H:i", default=""
    )
    last_error = tables.Column(verbose_name=_("最近错误"), orderable=False, default="")
    actions = tables.TemplateColumn(
        template_name="notifications/_delivery_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Delivery
        fields = (
            "created_at",
            "channel",
            "target",
            "title",
            "kind",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
        )
        order_by = ("-created_at",)

    def render_target(self, record):
        return delivery_target(record)

    def render_kind(self, value):
        return kind_label(value)

    def render_status(self, record, value):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_CSS.get(record.status, "light"),
            value,
        )

    def render_next_attempt_at(self, record, value):
        if record.status not in (Delivery.Status.PENDING, Delivery.Status.SENDING):
            return ""
        return date_format(timezone.localtime(value), "m-d H:i") if value else ""

    def render_last_error(self, value):
        text = str(value)
        return format_html(
            '<span class="small text-danger" title="{}">{}</span>',
            text,
            text if len(text) <= 60 else text[:59] + "…",
        )


def delivery_target(delivery) -> str:
    if delivery.channel == Delivery.Channel.WEBHOOK:
        return delivery.endpoint.name if delivery.endpoint else "—"
    recipient = delivery.notification.recipient
    return (
        f"{recipient.display_name} <{recipient.email}>"
        if recipient.email
        else recipient.display_name
    )
