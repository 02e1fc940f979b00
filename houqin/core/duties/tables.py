import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from houqin.core.roles import Role

from .models import DutyPlan, DutyRecord
from .recurrence import describe


def assignee_text(obj) -> str:
    """执行方: role, named people and vendor, e.g. "门岗保安、张三、XX物业公司"."""
    parts = []
    if obj.assignee_role:
        parts.append(str(Role(obj.assignee_role).label))
    parts += [u.display_name for u in obj.assignees.all()]
    if obj.vendor_name:
        parts.append(obj.vendor_name)
    return "、".join(parts) or "—"


class PlanTable(tables.Table):
    title = tables.LinkColumn("duties:plan_detail", args=[tables.A("pk")], verbose_name=_("名称"))
    category = tables.Column(verbose_name=_("类别"))
    schedule = tables.Column(verbose_name=_("频次"), empty_values=(), orderable=False)
    location_text = tables.Column(verbose_name=_("地点"), default="—")
    assignees = tables.Column(verbose_name=_("执行方"), empty_values=(), orderable=False)
    manager = tables.Column(
        verbose_name=_("负责人"), default="—", accessor="manager__display_name", orderable=False
    )
    is_active = tables.BooleanColumn(verbose_name=_("启用"))

    class Meta:
        model = DutyPlan
        fields = (
            "title",
            "category",
            "schedule",
            "location_text",
            "assignees",
            "manager",
            "is_active",
        )
        order_by = ("category", "title")

    def render_schedule(self, record):
        return describe(record.rrule, record.dtstart, record.workdays_only)

    def render_assignees(self, record):
        return assignee_text(record)


class RecordTable(tables.Table):
    completed_at = tables.DateTimeColumn(
        verbose_name=_("完成时间"),
        format="Y-m-d H:i",
        linkify=("duties:record_detail", [tables.A("pk")]),
    )
    task = tables.Column(verbose_name=_("任务"), accessor="task__title", order_by=("task__title",))
    category = tables.Column(
        verbose_name=_("类别"), accessor="task__get_category_display", order_by=("task__category",)
    )
    location = tables.Column(verbose_name=_("地点"), accessor="task__location_text", default="—")
    due_at = tables.DateTimeColumn(
        verbose_name=_("应完成时间"), accessor="task__due_at", format="Y-m-d H:i"
    )
    completed_by = tables.Column(
        verbose_name=_("完成人"), accessor="completed_by__display_name", orderable=False
    )
    on_time = tables.Column(verbose_name=_("按时"))
    findings = tables.Column(verbose_name=_("异常项"), accessor="failed_items", orderable=False)
    photo_count = tables.Column(verbose_name=_("照片"))

    class Meta:
        model = DutyRecord
        fields = (
            "completed_at",
            "task",
            "category",
            "location",
            "due_at",
            "completed_by",
            "on_time",
            "findings",
            "photo_count",
        )
        order_by = ("-completed_at",)

    def render_on_time(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("按时"))
        return format_html('<span class="badge text-bg-warning">{}</span>', _("逾期完成"))

    def render_findings(self, value):
        if not value:
            return "—"
        return format_html_join(
            "",
            '<div class="small text-danger">{}：{}</div>',
            ((item["label"], item["reason"]) for item in value),
        )
