"""django-tables2 tables of budget projects and expenditures."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import BudgetProject, Expenditure

EMPTY = _("暂无记录")
STATUS_CSS = {
    Expenditure.Status.PENDING: "warning",
    Expenditure.Status.RECORDED: "success",
    Expenditure.Status.REJECTED: "danger",
    Expenditure.Status.CANCELLED: "secondary",
}
END = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def yuan(value):
    """12,345.60 元"""
    return format_html("{} {}", f"{value:,.2f}", _("元")) if value is not None else "—"


def status_badge(expenditure):
    return badge(STATUS_CSS.get(expenditure.status, "secondary"), expenditure.get_status_display())


def rate_bar(spent, budget):
    """A <progress> element (no inline style under the CSP) and the rate."""
    rate = spent * 100 / budget if budget else 0
    return format_html(
        '<progress class="hq-progress w-100" value="{}" max="{}" aria-label="{}">{}%</progress>'
        '<div class="small text-body-secondary">{}%</div>',
        min(spent, budget),
        budget,
        _("执行率"),
        f"{rate:.2f}",
        f"{rate:.2f}",
    )


class ProjectTable(tables.Table):
    year = tables.Column(verbose_name=_("年度"))
    code = tables.LinkColumn(
        "finance:project_detail", args=[tables.A("pk")], verbose_name=_("项目编码")
    )
    name = tables.LinkColumn(
        "finance:project_detail", args=[tables.A("pk")], verbose_name=_("项目名称")
    )
    category = tables.Column(verbose_name=_("支出类别"))
    source = tables.Column(verbose_name=_("资金来源"))
    amount = tables.Column(verbose_name=_("预算金额"), attrs=END)
    spent = tables.Column(verbose_name=_("已支出"), attrs=END)
    rate = tables.Column(
        verbose_name=_("执行率"),
        accessor="spent",
        orderable=False,
        attrs={"td": {"class": "hq-progress-cell"}},
    )
    cost_kind = tables.Column(verbose_name=_("归集费用"), empty_values=())

    class Meta:
        model = BudgetProject
        fields = (
            "year",
            "code",
            "name",
            "category",
            "source",
            "amount",
            "spent",
            "rate",
            "cost_kind",
        )
        order_by = ("-year", "code")
        empty_text = EMPTY

    def render_amount(self, value):
        return yuan(value)

    def render_spent(self, value):
        return yuan(value)

    def render_rate(self, record):
        return rate_bar(record.spent, record.amount)

    def render_cost_kind(self, record):
        return record.get_cost_kind_display() or "—"


class ExpenditureTable(tables.Table):
    date = tables.Column(verbose_name=_("支出日期"))
    payee = tables.LinkColumn(
        "finance:expenditure_detail", args=[tables.A("pk")], verbose_name=_("收款单位/人")
    )
    purpose = tables.Column(verbose_name=_("用途"))
    project = tables.Column(
        verbose_name=_("预算项目"), empty_values=(), order_by=("project__code",)
    )
    amount = tables.Column(verbose_name=_("金额"), attrs=END)
    voucher_no = tables.Column(verbose_name=_("凭证号"))
    source = tables.Column(
        verbose_name=_("来源"), accessor="cost_kind", empty_values=(), orderable=False
    )
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Expenditure
        fields = (
            "date",
            "payee",
            "purpose",
            "project",
            "amount",
            "voucher_no",
            "source",
            "status",
        )
        order_by = ("-date",)
        empty_text = EMPTY

    def render_date(self, value):
        return value.strftime("%Y-%m-%d")

    def render_project(self, record):
        if record.project is None:
            return badge("warning", _("待归集"))
        return f"{record.project.code} {record.project.name}"

    def render_amount(self, value):
        return yuan(value)

    def render_source(self, record):
        return record.get_cost_kind_display() or _("手工登记")

    def render_status(self, record):
        return status_badge(record)
