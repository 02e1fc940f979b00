"""django-tables2 tables of scoring sheets and evaluations."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import EvaluationSheet, Vendor, VendorEvaluation
from .common import EMPTY, RIGHT, badge, day, score_html


class SheetTable(tables.Table):
    """Rows are annotated with item_count and total_points (views.evaluations)."""

    name = tables.LinkColumn(
        "vendors:sheet_detail", args=[tables.A("pk")], verbose_name=_("考核表名称")
    )
    period = tables.Column(verbose_name=_("考核周期"))
    vendor_kind = tables.Column(verbose_name=_("适用服务类别"))
    threshold = tables.Column(verbose_name=_("合格分数"), attrs=RIGHT)
    item_count = tables.Column(verbose_name=_("考核项目"), attrs=RIGHT)
    total_points = tables.Column(verbose_name=_("总分值"), attrs=RIGHT)
    is_active = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = EvaluationSheet
        fields = (
            "name",
            "period",
            "vendor_kind",
            "threshold",
            "item_count",
            "total_points",
            "is_active",
        )
        order_by = ("name",)
        empty_text = EMPTY

    def render_vendor_kind(self, value):
        return Vendor.Kind(value).label if value else _("（不限）")

    def render_threshold(self, value):
        return format_html("{} {}", value, _("分"))

    def render_item_count(self, value):
        return format_html("{} {}", value, _("项"))

    def render_total_points(self, value):
        return format_html("{} {}", value or 0, _("分"))

    def render_is_active(self, value):
        return badge("success", _("启用")) if value else badge("secondary", _("停用"))


class EvaluationTable(tables.Table):
    vendor = tables.Column(verbose_name=_("外包单位"), order_by=("vendor__name",))
    sheet = tables.Column(verbose_name=_("考核表"), order_by=("sheet__name",))
    period_end = tables.Column(verbose_name=_("考核期间"))
    total = tables.Column(verbose_name=_("总分"), attrs=RIGHT)
    duty_rate = tables.Column(verbose_name=_("责任事项按时率"), attrs=RIGHT)
    evaluated_by = tables.Column(verbose_name=_("考核人"), orderable=False)
    view = tables.LinkColumn(
        "vendors:evaluation_detail",
        args=[tables.A("pk")],
        text=_("查看"),
        verbose_name="",
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = VendorEvaluation
        fields = ("vendor", "sheet", "period_end", "total", "duty_rate", "evaluated_by", "view")
        order_by = ("-period_end",)
        empty_text = EMPTY

    def render_period_end(self, record):
        return f"{day(record.period_start)} 至 {day(record.period_end)}"

    def render_total(self, value, record):
        return score_html(value, record.payment_flagged)

    def render_duty_rate(self, value):
        return f"{value}%" if value is not None else "—"

    def render_evaluated_by(self, value):
        return value.display_name
