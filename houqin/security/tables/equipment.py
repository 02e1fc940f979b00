"""django-tables2 tables of the fire equipment and cameras registers."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Camera, FireEquipment
from ..services.equipment import ACTIVE, EXPIRY_WARNING_DAYS

STATUS_CSS = {
    "in_service": "success",
    "faulty": "danger",
    "replaced": "secondary",
    "scrapped": "dark",
    "retired": "secondary",
}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def expiry(record, today=None):
    """The expiry date with a badge when a piece in use has expired or soon will."""
    value = record.expires_on
    if value is None:
        return "—"
    today = today or timezone.localdate()
    if record.status in ACTIVE:
        if value < today:
            return format_html("{} {}", value.isoformat(), badge("danger", _("已过期")))
        if (value - today).days <= EXPIRY_WARNING_DAYS:
            return format_html("{} {}", value.isoformat(), badge("warning", _("即将到期")))
    return value.isoformat()


def last_checked(record, today=None):
    value = record.last_checked_on
    today = today or timezone.localdate()
    unchecked = record.status in ACTIVE and (value is None or value < today.replace(day=1))
    text = value.isoformat() if value else "—"
    if unchecked:
        return format_html("{} {}", text, badge("warning", _("本月未检")))
    return text


class FireEquipmentTable(tables.Table):
    code = tables.LinkColumn(
        "security:equipment_detail", args=[tables.A("pk")], verbose_name=_("编号")
    )
    kind = tables.Column(verbose_name=_("类别"))
    location = tables.Column(verbose_name=_("位置"))
    model = tables.Column(verbose_name=_("规格型号"))
    quantity = tables.Column(verbose_name=_("数量"))
    produced_on = tables.Column(verbose_name=_("生产日期"))
    expires_on = tables.Column(verbose_name=_("有效期至"), empty_values=())
    last_checked_on = tables.Column(verbose_name=_("最近检查"), empty_values=())
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = FireEquipment
        fields = (
            "code",
            "kind",
            "location",
            "model",
            "quantity",
            "produced_on",
            "expires_on",
            "last_checked_on",
            "status",
        )
        order_by = ("location", "code")

    def render_expires_on(self, record):
        return expiry(record)

    def render_last_checked_on(self, record):
        return last_checked(record)

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())


class CameraTable(tables.Table):
    code = tables.Column(verbose_name=_("编号"))
    location = tables.Column(verbose_name=_("安装位置"))
    model = tables.Column(verbose_name=_("型号"))
    installed_on = tables.Column(verbose_name=_("安装日期"))
    status = tables.Column(verbose_name=_("状态"))
    retired_on = tables.Column(verbose_name=_("拆除/更换日期"))
    notes = tables.Column(verbose_name=_("备注"), orderable=False)
    actions = tables.TemplateColumn(
        template_name="security/cameras/_actions.html",
        verbose_name="",
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = Camera
        fields = (
            "code",
            "location",
            "model",
            "installed_on",
            "status",
            "retired_on",
            "notes",
            "actions",
        )
        order_by = ("location", "code")

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())
