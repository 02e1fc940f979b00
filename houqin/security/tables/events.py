"""django-tables2 tables of the incident, contingency-plan and training/drill lists."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ContingencyPlan, Drill, Incident

INCIDENT_CSS = {"open": "warning", "closed": "success"}
PLAN_CSS = {"draft": "secondary", "active": "primary", "done": "success"}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def local(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def shorten(value, limit=40):
    return value if len(value) <= limit else value[:limit] + "…"


class IncidentTable(tables.Table):
    occurred_at = tables.LinkColumn(
        "security:incident_detail", args=[tables.A("pk")], verbose_name=_("发生时间")
    )
    kind = tables.Column(verbose_name=_("类型"))
    place = tables.Column(verbose_name=_("地点"))
    description = tables.Column(verbose_name=_("经过"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))
    reported_by = tables.Column(
        verbose_name=_("登记人"), order_by=("reported_by__person__name", "reported_by__username")
    )

    class Meta:
        model = Incident
        fields = ("occurred_at", "kind", "place", "description", "status", "reported_by")
        order_by = ("-occurred_at",)

    def render_occurred_at(self, value):
        return local(value)

    def render_description(self, value):
        return shorten(value)

    def render_status(self, record):
        return badge(INCIDENT_CSS.get(record.status, "secondary"), record.get_status_display())

    def render_reported_by(self, record):
        return record.reported_by.display_name


class PlanTable(tables.Table):
    title = tables.LinkColumn(
        "security:plan_detail", args=[tables.A("pk")], verbose_name=_("预案名称")
    )
    event_start = tables.Column(verbose_name=_("活动开始"))
    event_end = tables.Column(verbose_name=_("活动结束"))
    booking = tables.Column(verbose_name=_("关联会议"), order_by=("booking__starts_at",))
    coordination_meeting_at = tables.Column(verbose_name=_("协调会"))
    responsible = tables.Column(
        verbose_name=_("负责人"), order_by=("responsible__person__name", "responsible__username")
    )
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = ContingencyPlan
        fields = (
            "title",
            "event_start",
            "event_end",
            "booking",
            "coordination_meeting_at",
            "responsible",
            "status",
        )
        order_by = ("-event_start",)

    def render_event_start(self, value):
        return local(value)

    def render_event_end(self, value):
        return local(value)

    def render_coordination_meeting_at(self, value):
        return local(value)

    def render_booking(self, record):
        return record.booking.title

    def render_responsible(self, record):
        return record.responsible.display_name

    def render_status(self, record):
        return badge(PLAN_CSS.get(record.status, "secondary"), record.get_status_display())


class DrillTable(tables.Table):
    held_on = tables.Column(verbose_name=_("日期"))
    title = tables.LinkColumn(
        "security:drill_detail", args=[tables.A("pk")], verbose_name=_("主题")
    )
    kind = tables.Column(verbose_name=_("类型"))
    place = tables.Column(verbose_name=_("地点"))
    organizer = tables.Column(verbose_name=_("组织/授课"))
    people = tables.Column(verbose_name=_("名册内人员"), accessor="people_count")
    other_participants = tables.Column(verbose_name=_("其他人员"))
    total = tables.Column(verbose_name=_("参加总人数"), accessor="total_count")

    class Meta:
        model = Drill
        fields = (
            "held_on",
            "title",
            "kind",
            "place",
            "organizer",
            "people",
            "other_participants",
            "total",
        )
        order_by = ("-held_on",)

    def render_held_on(self, value):
        return value.isoformat()
