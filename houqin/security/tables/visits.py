"""django-tables2 table of the visit register. ID numbers and phones are masked here, always:
the full values are only shown one at a time on the detail page (audited)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Visit

STATUS_CSS = {
    "expected": "info",
    "in": "success",
    "out": "secondary",
    "refused": "danger",
    "cancelled": "light",
}


def status_badge(visit):
    html = format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        STATUS_CSS.get(visit.status, "secondary"),
        visit.status,
        visit.get_status_display(),
    )
    if visit.needs_escort:
        html = format_html('{} <span class="badge text-bg-warning">{}</span>', html, _("需陪同"))
    return html


def when(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


class VisitTable(tables.Table):
    visitor = tables.LinkColumn(
        "security:visit_detail",
        args=[tables.A("pk")],
        verbose_name=_("来访人"),
        order_by=("visitor__name",),
    )
    company = tables.Column(accessor="visitor__company", verbose_name=_("单位"), orderable=False)
    id_number = tables.Column(
        accessor="visitor__id_number", verbose_name=_("证件号码"), orderable=False
    )
    phone = tables.Column(accessor="visitor__phone", verbose_name=_("手机号码"), orderable=False)
    party_size = tables.Column(verbose_name=_("人数"))
    host_agency = tables.Column(verbose_name=_("被访单位"), order_by=("host_agency__path",))
    host_person = tables.Column(verbose_name=_("被访人"), order_by=("host_person__name",))
    plate = tables.Column(verbose_name=_("车牌号"))
    gate = tables.Column(verbose_name=_("门岗"), order_by=("gate__name",))
    status = tables.Column(verbose_name=_("状态"))
    entered_at = tables.Column(verbose_name=_("进入时间"), empty_values=())
    exited_at = tables.Column(verbose_name=_("离开时间"), empty_values=())

    class Meta:
        model = Visit
        fields = (
            "visitor",
            "company",
            "id_number",
            "phone",
            "party_size",
            "host_agency",
            "host_person",
            "plate",
            "gate",
            "status",
            "entered_at",
            "exited_at",
        )
        order_by = ("-entered_at",)
        attrs = {"class": "table table-hover align-middle security-visits"}

    def render_visitor(self, record):
        return record.visitor.name

    def render_id_number(self, record):
        return record.visitor.masked_id_number or "—"

    def render_phone(self, record):
        return record.visitor.masked_phone or "—"

    def render_host_agency(self, record):
        return record.host_agency.short_name or record.host_agency.name

    def render_status(self, record):
        return status_badge(record)

    def render_entered_at(self, record):
        if record.entered_at is None and record.expected_at is not None:
            return format_html(
                '<span class="text-body-secondary">{} {}</span>',
                _("预计"),
                when(record.expected_at),
            )
        return when(record.entered_at)

    def render_exited_at(self, record):
        return when(record.exited_at)
