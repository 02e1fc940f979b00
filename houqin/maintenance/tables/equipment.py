"""django-tables2 tables of the equipment register and the findings list."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Equipment, Finding
from ..services.equipment import EXPIRY_WARNING_DAYS

STATUS_CSS = {"in_use": "success", "faulty": "danger", "stopped": "secondary", "scrapped": "dark"}
FINDING_CSS = {"open": "warning", "rectified": "info", "closed": "success"}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def expiry(value, today=None):
    """A date with a badge when it has passed or falls within the warning window."""
    if value is None:
        return "—"
    today = today or timezone.localdate()
    if value < today:
        return format_html("{} {}", value.isoformat(), badge("danger", _("已过期")))
    if (value - today).days <= EXPIRY_WARNING_DAYS:
        return format_html("{} {}", value.isoformat(), badge("warning", _("即将到期")))
    return value.isoformat()


class EquipmentTable(tables.Table):
    code = tables.LinkColumn(
        "maintenance:equipment_detail", args=[tables.A("pk")], verbose_name=_("设备编号/标签")
    )
    name = tables.LinkColumn(
        "maintenance:equipment_detail", args=[tables.A("pk")], verbose_name=_("设备名称")
    )
    kind = tables.Column(verbose_name=_("设备类别"))
    location = tables.Column(verbose_name=_("安装位置"))
    vendor_name = tables.Column(verbose_name=_("维保单位"))
    warranty_until = tables.Column(verbose_name=_("保修期至"), empty_values=())
    contract_until = tables.Column(verbose_name=_("维保合同到期"), empty_values=())
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Equipment
        fields = (
            "code",
            "name",
            "kind",
            "location",
            "vendor_name",
            "warranty_until",
            "contract_until",
            "status",
        )
        order_by = ("kind", "code")

    def render_warranty_until(self, value):
        return expiry(value)

    def render_contract_until(self, value):
        return expiry(value)

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())


class FindingTable(tables.Table):
    area = tables.LinkColumn(
        "maintenance:finding_detail", args=[tables.A("pk")], verbose_name=_("区域/部位")
    )
    description = tables.Column(verbose_name=_("问题描述"), orderable=False)
    responsible = tables.Column(verbose_name=_("整改责任人"), order_by=("responsible__username",))
    deadline = tables.Column(verbose_name=_("整改期限"))
    status = tables.Column(verbose_name=_("状态"))
    created_at = tables.Column(verbose_name=_("发现时间"))

    class Meta:
        model = Finding
        fields = ("area", "description", "responsible", "deadline", "status", "created_at")
        order_by = ("status", "deadline")

    def render_description(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_responsible(self, record):
        return record.responsible.display_name

    def render_deadline(self, record):
        if record.status == Finding.Status.OPEN and record.deadline < timezone.localdate():
            return format_html("{} {}", record.deadline.isoformat(), badge("danger", _("超期")))
        return record.deadline.isoformat()

    def render_status(self, record):
        return badge(FINDING_CSS.get(record.status, "secondary"), record.get_status_display())

    def render_created_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
