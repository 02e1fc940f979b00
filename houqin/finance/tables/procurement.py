"""django-tables2 tables of procurement records and voucher handovers."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Procurement, VoucherHandover
from ..services.procurement import over_budget
from .assets import EMPTY, badge, day, yuan

STATUS_CSS = {
    Procurement.Status.PLANNED: "secondary",
    Procurement.Status.FILED: "info",
    Procurement.Status.TENDERING: "warning",
    Procurement.Status.CONTRACTED: "primary",
    Procurement.Status.ACCEPTED: "success",
    Procurement.Status.PAID: "dark",
}


class ProcurementTable(tables.Table):
    item = tables.Column(verbose_name=_("采购项目"))
    method = tables.Column(verbose_name=_("采购方式"))
    filing_number = tables.Column(verbose_name=_("备案编号"))
    project = tables.Column(verbose_name=_("预算项目"), order_by=("project__code",))
    budget = tables.Column(verbose_name=_("预算金额"), attrs={"td": {"class": "text-end"}})
    supplier = tables.Column(verbose_name=_("供应商"))
    amount = tables.Column(
        verbose_name=_("成交金额"), empty_values=(), attrs={"td": {"class": "text-end"}}
    )
    contract_date = tables.Column(verbose_name=_("合同日期"), empty_values=())
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Procurement
        fields = (
            "item",
            "method",
            "filing_number",
            "project",
            "budget",
            "supplier",
            "amount",
            "contract_date",
            "status",
        )
        order_by = ("-contract_date",)
        empty_text = EMPTY

    def __init__(self, *args, can_change=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_change = can_change

    def render_item(self, record):
        if not self.can_change:
            return record.item
        return format_html(
            '<a href="{}">{}</a>',
            reverse("finance:procurement_edit", args=[record.pk]),
            record.item,
        )

    def render_project(self, value):
        return f"{value.code} {value.name}"

    def render_budget(self, value):
        return yuan(value)

    def render_amount(self, record):
        if record.amount is None:
            return "—"
        if over_budget(record):
            return format_html("{} {}", yuan(record.amount), badge("danger", _("超预算")))
        return yuan(record.amount)

    def render_contract_date(self, value):
        return day(value)

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())


class VoucherTable(tables.Table):
    unit = tables.Column(verbose_name=_("单位"), order_by=("unit__path",))
    period = tables.Column(
        verbose_name=_("所属期间"), accessor="period_end", order_by=("period_end", "period_start")
    )
    due_date = tables.Column(verbose_name=_("应移交日期"))
    voucher_count = tables.Column(
        verbose_name=_("凭证张数"), empty_values=(), attrs={"td": {"class": "text-end"}}
    )
    volumes = tables.Column(
        verbose_name=_("册数"), empty_values=(), attrs={"td": {"class": "text-end"}}
    )
    handed_by = tables.Column(verbose_name=_("移交人"), empty_values=())
    received_by = tables.Column(verbose_name=_("接收人"), empty_values=(), orderable=False)
    handed_on = tables.Column(verbose_name=_("移交日期"), empty_values=())
    actions = tables.Column(verbose_name=_("操作"), empty_values=(), orderable=False)

    class Meta:
        model = VoucherHandover
        fields = (
            "unit",
            "period",
            "due_date",
            "voucher_count",
            "volumes",
            "handed_by",
            "received_by",
            "handed_on",
            "actions",
        )
        order_by = ("-period",)
        empty_text = EMPTY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_unit(self, value):
        return value.short_name or value.name

    def render_period(self, record):
        return f"{day(record.period_start)} — {day(record.period_end)}"

    def render_due_date(self, record):
        if record.handed_on is None and record.due_date < self.today:
            return format_html("{} {}", day(record.due_date), badge("danger", _("已逾期")))
        return day(record.due_date)

    def render_voucher_count(self, value):
        return format_html("{} 张", value) if value else "—"

    def render_volumes(self, value):
        return format_html("{} 册", value) if value else "—"

    def render_handed_by(self, value):
        return value or "—"

    def render_received_by(self, record):
        user = record.received_by
        if user is None:
            return "—"
        return user.get_full_name() or user.username

    def render_handed_on(self, value):
        return day(value)

    def render_actions(self, record):
        if record.handed_on is not None:
            return badge("success", _("已移交"))
        return format_html(
            '<a class="btn btn-outline-primary btn-sm" href="{}">'
            '<i class="bi bi-box-arrow-in-down" aria-hidden="true"></i> {}</a>',
            reverse("finance:voucher_handover", args=[record.pk]),
            _("登记移交"),
        )
