"""django-tables2 tables of requests for space and adjustment plans."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import AdjustmentPlan, SpaceRequest

REQUEST_CSS = {
    "pending": "primary",
    "returned": "warning",
    "approved": "success",
    "rejected": "danger",
    "cancelled": "secondary",
}
PLAN_CSS = {"draft": "primary", "applied": "success", "cancelled": "secondary"}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def when(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


class RequestTable(tables.Table):
    created_at = tables.LinkColumn(
        "space:request_detail", args=[tables.A("pk")], verbose_name=_("提交时间")
    )
    agency = tables.Column(verbose_name=_("申请单位"), order_by=("agency__path",))
    requested_by = tables.Column(verbose_name=_("申请人"), orderable=False)
    headcount = tables.Column(verbose_name=_("现有人数"))
    area_wanted = tables.Column(verbose_name=_("申请面积（㎡）"))
    reason = tables.Column(verbose_name=_("申请理由"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))
    decided_at = tables.Column(verbose_name=_("审批完成时间"), empty_values=())

    class Meta:
        model = SpaceRequest
        fields = (
            "created_at",
            "agency",
            "requested_by",
            "headcount",
            "area_wanted",
            "reason",
            "status",
            "decided_at",
        )
        order_by = ("-created_at",)

    def render_created_at(self, value):
        return when(value)

    def render_agency(self, record):
        return record.agency.name

    def render_requested_by(self, record):
        return record.requested_by.display_name

    def render_reason(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def render_status(self, record):
        return badge(REQUEST_CSS.get(record.status, "secondary"), record.get_status_display())

    def render_decided_at(self, value):
        return when(value)


class PlanTable(tables.Table):
    year = tables.Column(verbose_name=_("年度"))
    title = tables.LinkColumn(
        "space:plan_detail", args=[tables.A("pk")], verbose_name=_("方案名称")
    )
    effective_date = tables.Column(verbose_name=_("实施日期"))
    status = tables.Column(verbose_name=_("状态"))
    step_count = tables.Column(verbose_name=_("调整步骤"), attrs={"td": {"class": "text-end"}})
    created_by = tables.Column(verbose_name=_("起草人"), orderable=False)
    applied_at = tables.Column(verbose_name=_("实施时间"), empty_values=())
    applied_by = tables.Column(verbose_name=_("实施人"), orderable=False, empty_values=())

    class Meta:
        model = AdjustmentPlan
        fields = (
            "year",
            "title",
            "effective_date",
            "status",
            "step_count",
            "created_by",
            "applied_at",
            "applied_by",
        )
        order_by = ("-year",)

    def render_effective_date(self, value):
        return value.isoformat()

    def render_status(self, record):
        return badge(PLAN_CSS.get(record.status, "secondary"), record.get_status_display())

    def render_created_by(self, record):
        return record.created_by.display_name

    def render_applied_at(self, value):
        return when(value)

    def render_applied_by(self, record):
        return record.applied_by.display_name if record.applied_by_id else "—"
