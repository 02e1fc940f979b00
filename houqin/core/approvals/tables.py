import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ApprovalRequest

STATUS_BADGES = {
    ApprovalRequest.Status.PENDING: "primary",
    ApprovalRequest.Status.APPROVED: "success",
    ApprovalRequest.Status.REJECTED: "danger",
    ApprovalRequest.Status.RETURNED: "warning",
    ApprovalRequest.Status.CANCELLED: "secondary",
}


def status_badge(approval):
    css = STATUS_BADGES.get(approval.status, "secondary")
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', css, approval.get_status_display()
    )


class ApprovalTable(tables.Table):
    title = tables.LinkColumn("approvals:detail", args=[tables.A("pk")], verbose_name=_("标题"))
    request_type = tables.Column(verbose_name=_("申请类型"))
    requester = tables.Column(
        verbose_name=_("申请人"), accessor="requester", order_by=("requester__person__name",)
    )
    agency = tables.Column(verbose_name=_("申请部门"), default="—", order_by=("agency__path",))
    status = tables.Column(verbose_name=_("状态"))
    current_step_name = tables.Column(verbose_name=_("当前步骤"), default="—", orderable=False)
    created_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d H:i")
    updated_at = tables.DateTimeColumn(verbose_name=_("最近处理"), format="Y-m-d H:i")

    class Meta:
        model = ApprovalRequest
        fields = (
            "title",
            "request_type",
            "requester",
            "agency",
            "status",
            "current_step_name",
            "created_at",
            "updated_at",
        )
        order_by = ()
        empty_text = _("暂无审批")

    def render_request_type(self, record):
        return record.request_type_label

    def render_requester(self, record):
        return record.requester.display_name

    def render_agency(self, record):
        return record.agency.name

    def render_status(self, record):
        return status_badge(record)

    def render_current_step_name(self, record, value):
        return value if record.is_open else "—"
