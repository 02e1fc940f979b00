"""django-tables2 tables of vendors and contracts."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from houqin.core.crypto import mask_phone

from ..models import Contract, Vendor
from .common import EMPTY, RIGHT, badge, contract_badge, day, score_html


class VendorTable(tables.Table):
    """Rows come from selectors.vendors_with_figures (contract_end, last_score, last_flagged)."""

    name = tables.LinkColumn(
        "vendors:vendor_detail", args=[tables.A("pk")], verbose_name=_("单位名称")
    )
    kind = tables.Column(verbose_name=_("服务类别"))
    contact = tables.Column(verbose_name=_("联系人"), orderable=False)
    phone = tables.Column(verbose_name=_("联系电话"), orderable=False)
    is_active = tables.Column(verbose_name=_("状态"))
    contract_end = tables.Column(verbose_name=_("合同到期"))
    last_score = tables.Column(verbose_name=_("最近考核"), attrs=RIGHT)

    class Meta:
        model = Vendor
        fields = ("name", "kind", "contact", "phone", "is_active", "contract_end", "last_score")
        order_by = ("name",)
        empty_text = EMPTY

    def render_contact(self, value):
        return value or "—"

    def render_phone(self, value):
        return mask_phone(value) or "—"

    def render_is_active(self, value):
        return badge("success", _("合作中")) if value else badge("secondary", _("已终止"))

    def render_contract_end(self, value):
        return day(value)

    def render_last_score(self, value, record):
        return score_html(value, record.last_flagged)


class ContractTable(tables.Table):
    number = tables.LinkColumn(
        "vendors:vendor_detail", args=[tables.A("vendor_id")], verbose_name=_("合同编号")
    )
    vendor = tables.LinkColumn(
        "vendors:vendor_detail", args=[tables.A("vendor_id")], verbose_name=_("外包单位")
    )
    service = tables.Column(verbose_name=_("服务内容"))
    start_date = tables.Column(verbose_name=_("开始日期"))
    end_date = tables.Column(verbose_name=_("结束日期"))
    amount = tables.Column(verbose_name=_("合同金额"), attrs=RIGHT)
    payment_terms = tables.Column(verbose_name=_("付款方式"))
    status = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)

    class Meta:
        model = Contract
        fields = (
            "number",
            "vendor",
            "service",
            "start_date",
            "end_date",
            "amount",
            "payment_terms",
            "status",
        )
        order_by = ("end_date",)
        empty_text = EMPTY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_start_date(self, value):
        return day(value)

    def render_end_date(self, value):
        return day(value)

    def render_amount(self, value):
        return format_html("{} {}", f"{value:,.2f}", _("元"))

    def render_status(self, record):
        return contract_badge(record, self.today)
