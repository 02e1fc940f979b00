"""django-tables2 tables of the asset register and of the counts."""

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import AssetCount, FixedAsset

EMPTY = _("暂无记录")
STATUS_CSS = {
    FixedAsset.Status.IN_USE: "success",
    FixedAsset.Status.IDLE: "secondary",
    FixedAsset.Status.DISPOSING: "warning",
    FixedAsset.Status.DISPOSED: "dark",
}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def day(value):
    return value.strftime("%Y-%m-%d") if value else "—"


def yuan(value):
    return format_html("{} 元", floatformat(value, "2g")) if value is not None else "—"


class AssetTable(tables.Table):
    code = tables.LinkColumn(
        "finance:asset_detail", args=[tables.A("pk")], verbose_name=_("资产编号")
    )
    name = tables.Column(verbose_name=_("资产名称"))
    asset_class = tables.Column(verbose_name=_("资产分类"))
    value = tables.Column(verbose_name=_("原值"), attrs={"td": {"class": "text-end"}})
    purchase_date = tables.Column(verbose_name=_("取得日期"))
    custodian_agency = tables.Column(
        verbose_name=_("使用单位"), order_by=("custodian_agency__path",)
    )
    custodian = tables.Column(verbose_name=_("保管人"), order_by=("custodian__name",))
    location = tables.Column(verbose_name=_("存放地点"))
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = FixedAsset
        fields = (
            "code",
            "name",
            "asset_class",
            "value",
            "purchase_date",
            "custodian_agency",
            "custodian",
            "location",
            "status",
        )
        order_by = ("code",)
        empty_text = EMPTY

    def render_value(self, value):
        return yuan(value)

    def render_purchase_date(self, value):
        return day(value)

    def render_custodian_agency(self, value):
        return value.short_name or value.name

    def render_custodian(self, value):
        return value.name

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())


class CountTable(tables.Table):
    year = tables.LinkColumn(
        "finance:count_detail",
        args=[tables.A("pk")],
        verbose_name=_("年度"),
        text=lambda record: f"{record.year}年资产盘点",
    )
    started_on = tables.Column(verbose_name=_("开始日期"))
    closed_on = tables.Column(verbose_name=_("完成日期"), empty_values=())
    lines_total = tables.Column(
        verbose_name=_("应盘资产"), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    lines_pending = tables.Column(
        verbose_name=_("待盘点"), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    lines_missing = tables.Column(
        verbose_name=_("盘亏"), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    lines_surplus = tables.Column(
        verbose_name=_("盘盈"), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = AssetCount
        fields = (
            "year",
            "started_on",
            "closed_on",
            "lines_total",
            "lines_pending",
            "lines_missing",
            "lines_surplus",
            "status",
        )
        order_by = ("-year",)
        empty_text = _("暂无盘点，请点击“开始盘点”。")

    def render_started_on(self, value):
        return day(value)

    def render_closed_on(self, value):
        return day(value)

    def render_lines_total(self, value):
        return format_html("{} 项", value)

    def render_lines_pending(self, value):
        return format_html("{} 项", value)

    def render_lines_missing(self, value):
        return format_html("{} 项", value)

    def render_lines_surplus(self, value):
        return format_html("{} 项", value)

    def render_status(self, record):
        css = "success" if record.status == AssetCount.Status.CLOSED else "warning"
        return badge(css, record.get_status_display())
