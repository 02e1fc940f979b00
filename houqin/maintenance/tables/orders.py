"""django-tables2 table of the manager's work-order list, and the display helpers the board and
the xlsx export share (location, who, status and urgency badges)."""

import django_tables2 as tables
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Urgency, WorkOrder

TABLE_ATTRS = getattr(settings, "DJANGO_TABLES2_TABLE_ATTRS", {"class": "table"})
S = WorkOrder.Status

STATUS_CSS = {
    S.NEW: "danger",
    S.ASSIGNED: "warning",
    S.IN_PROGRESS: "primary",
    S.WAITING_PARTS: "info",
    S.DONE: "success",
    S.CONFIRMED: "success",
    S.CLOSED: "secondary",
    S.MERGED: "secondary",
    S.CANCELLED: "secondary",
}
URGENCY_CSS = {Urgency.NORMAL: "secondary", Urgency.URGENT: "warning", Urgency.EMERGENCY: "danger"}


def location(order) -> str:
    """楼栋 楼层 房间 · 位置说明 (or the equipment's location)."""
    parts = " ".join(p for p in (order.building, order.floor, order.room) if p)
    if order.location_text:
        parts = f"{parts} · {order.location_text}" if parts else order.location_text
    if not parts and order.equipment_id is not None:
        parts = order.equipment.location
    return parts


def handler(order) -> str:
    """The assigned technician, or the outside vendor."""
    if order.assignee_id is not None:
        return order.assignee.display_name
    return order.vendor_name


def when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def yuan(value):
    return f"{value:,.2f}" if value is not None else "—"


class OrderTable(tables.Table):
    """Work orders of the center (orders_for(...).select_related("assignee__person"));
    `now` decides the overdue badges."""

    number = tables.Column(verbose_name=_("工单号"))
    created_at = tables.Column(verbose_name=_("报修时间"))
    category = tables.Column(verbose_name=_("类别"))
    urgency = tables.Column(verbose_name=_("紧急程度"))
    place = tables.Column(verbose_name=_("位置"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("状态"))
    assignee = tables.Column(verbose_name=_("维修人员"), accessor="pk", orderable=False)
    due_at = tables.Column(verbose_name=_("完成时限"))
    cost = tables.Column(
        verbose_name=_("费用（元）"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    rating = tables.Column(verbose_name=_("满意度"))
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = WorkOrder
        fields = ()
        sequence = (
            "number",
            "created_at",
            "category",
            "urgency",
            "place",
            "status",
            "assignee",
            "due_at",
            "cost",
            "rating",
            "actions",
        )
        order_by = ("-created_at",)
        attrs = {**TABLE_ATTRS, "data-orders": ""}
        row_attrs = {"data-order": lambda record: record.pk}

    def __init__(self, *args, now=None, can_manage=False, **kwargs):
        self.now = now or timezone.now()
        self.can_manage = can_manage
        super().__init__(*args, **kwargs)

    def render_number(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("maintenance:order_detail", args=[record.pk]),
            record.number,
        )

    def render_created_at(self, value):
        return when(value)

    def render_category(self, record):
        return record.get_category_display()

    def render_urgency(self, record):
        return badge(URGENCY_CSS.get(record.urgency, "secondary"), record.get_urgency_display())

    def render_place(self, record):
        return location(record) or "—"

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())

    def render_assignee(self, record):
        return handler(record) or "—"

    def render_due_at(self, record):
        text = when(record.due_at)
        if record.status in (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS) and (
            self.now > record.due_at
        ):
            return format_html('{} <span class="badge text-bg-danger">{}</span>', text, _("超时"))
        return text

    def render_cost(self, record):
        return yuan(record.total_cost)

    def render_rating(self, value):
        return "★" * value if value else "—"

    def render_actions(self, record):
        if not self.can_manage or record.status not in (S.NEW, S.ASSIGNED):
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{}">{}</a>',
            reverse("maintenance:order_assign", args=[record.pk]),
            _("派单") if record.status == S.NEW else _("改派"),
        )
