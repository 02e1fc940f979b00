"""django-tables2 tables of leases, renovation projects and ownership registration."""

import datetime as dt

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Building, Lease, OwnershipRecord, RenovationProject
from ..rules import LEASE_EXPIRY_NOTICE_DAYS

LEASE_CSS = {"active": "primary", "vacated": "secondary"}
PROJECT_CSS = {
    "planned": "secondary",
    "in_progress": "warning",
    "completed": "success",
    "cancelled": "dark",
}
OWNERSHIP_CSS = {"registered": "success", "filed": "info", "pending": "warning"}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def money(value):
    return "—" if value is None else f"{value:.2f}"


def lease_expiry(lease, today=None):
    """The end date, flagged when an active lease has ended or ends within the notice."""
    today = today or timezone.localdate()
    if lease.status != Lease.Status.ACTIVE:
        return lease.end_date.isoformat()
    if lease.end_date < today:
        return format_html("{} {}", lease.end_date.isoformat(), badge("danger", _("已到期")))
    if lease.end_date <= today + dt.timedelta(days=LEASE_EXPIRY_NOTICE_DAYS):
        return format_html("{} {}", lease.end_date.isoformat(), badge("warning", _("即将到期")))
    return lease.end_date.isoformat()


def progress_bar(value):
    # A <progress> element: strict CSP forbids the style="width: …" a Bootstrap bar needs.
    return format_html(
        '<progress class="align-middle" value="{}" max="100" aria-label="{}">{}%</progress>'
        ' <span class="small">{}%</span>',
        value,
        _("进度"),
        value,
        value,
    )


class LeaseTable(tables.Table):
    lessor = tables.LinkColumn(
        "space:lease_detail", args=[tables.A("pk")], verbose_name=_("出租方")
    )
    address = tables.Column(verbose_name=_("房屋地址"))
    agency = tables.Column(verbose_name=_("使用单位"), order_by=("agency__name",))
    area = tables.Column(verbose_name=_("面积（㎡）"), attrs={"td": {"class": "text-end"}})
    annual_rent = tables.Column(verbose_name=_("年租金（元）"), attrs={"td": {"class": "text-end"}})
    start_date = tables.Column(verbose_name=_("租期起"))
    end_date = tables.Column(verbose_name=_("租期止"), empty_values=())
    status = tables.Column(verbose_name=_("状态"))
    vacated_on = tables.Column(verbose_name=_("腾退日期"))
    annual_saving = tables.Column(
        verbose_name=_("每年节约（元）"), attrs={"td": {"class": "text-end"}}
    )

    class Meta:
        model = Lease
        fields = (
            "lessor",
            "address",
            "agency",
            "area",
            "annual_rent",
            "start_date",
            "end_date",
            "status",
            "vacated_on",
            "annual_saving",
        )
        order_by = ("status", "end_date")

    def render_agency(self, value):
        return value.name

    def render_annual_rent(self, value):
        return money(value)

    def render_annual_saving(self, value):
        return money(value)

    def render_end_date(self, record):
        return lease_expiry(record)

    def render_status(self, record):
        return badge(LEASE_CSS.get(record.status, "secondary"), record.get_status_display())


class ProjectTable(tables.Table):
    title = tables.LinkColumn(
        "space:project_detail", args=[tables.A("pk")], verbose_name=_("项目名称")
    )
    building = tables.Column(verbose_name=_("楼栋"), order_by=("building__name",))
    contractor = tables.Column(verbose_name=_("施工单位"))
    budget = tables.Column(verbose_name=_("预算（元）"), attrs={"td": {"class": "text-end"}})
    final_cost = tables.Column(verbose_name=_("决算（元）"), attrs={"td": {"class": "text-end"}})
    progress = tables.Column(verbose_name=_("进度"))
    status = tables.Column(verbose_name=_("状态"))
    start_date = tables.Column(verbose_name=_("开工日期"))
    finish_date = tables.Column(verbose_name=_("竣工日期"))

    class Meta:
        model = RenovationProject
        fields = (
            "title",
            "building",
            "contractor",
            "budget",
            "final_cost",
            "progress",
            "status",
            "start_date",
            "finish_date",
        )

    def render_budget(self, value):
        return money(value)

    def render_final_cost(self, value):
        return money(value)

    def render_progress(self, value):
        return progress_bar(value)

    def render_status(self, record):
        return badge(PROJECT_CSS.get(record.status, "secondary"), record.get_status_display())


def _record(building):
    return getattr(building, "ownership_record", None)


class OwnershipTable(tables.Table):
    """One row per building of the center, with its record (待登记 when it has none)."""

    name = tables.LinkColumn("space:ownership_edit", args=[tables.A("pk")], verbose_name=_("楼栋"))
    code = tables.Column(verbose_name=_("编号"))
    address = tables.Column(verbose_name=_("地址"))
    floor_area = tables.Column(
        verbose_name=_("建筑面积（㎡）"), attrs={"td": {"class": "text-end"}}
    )
    ownership = tables.Column(verbose_name=_("产权性质"))
    record_status = tables.Column(
        verbose_name=_("登记状态"), empty_values=(), order_by=("ownership_record__status",)
    )
    right_holder = tables.Column(verbose_name=_("权利人"), empty_values=(), orderable=False)
    certificate = tables.Column(
        verbose_name=_("不动产权证号 / 登簿日期"), empty_values=(), orderable=False
    )
    filing = tables.Column(verbose_name=_("备案编号 / 备案日期"), empty_values=(), orderable=False)

    class Meta:
        model = Building
        fields = ("name", "code", "address", "floor_area", "ownership")
        sequence = (
            "name",
            "code",
            "address",
            "floor_area",
            "ownership",
            "record_status",
            "right_holder",
            "certificate",
            "filing",
        )
        order_by = ("code", "name")

    def render_record_status(self, record):
        row = _record(record)
        status = row.status if row else OwnershipRecord.Status.PENDING
        return badge(OWNERSHIP_CSS[status], OwnershipRecord.Status(status).label)

    def render_right_holder(self, record):
        row = _record(record)
        return (row.right_holder if row else "") or "—"

    def render_certificate(self, record):
        row = _record(record)
        if not row or not row.certificate_no:
            return "—"
        day = row.certificate_date.isoformat() if row.certificate_date else "—"
        return format_html(
            "{}<br><span class='small text-body-secondary'>{}</span>", row.certificate_no, day
        )

    def render_filing(self, record):
        row = _record(record)
        if not row or not row.filing_no:
            return "—"
        day = row.filing_date.isoformat() if row.filing_date else "—"
        return format_html(
            "{}<br><span class='small text-body-secondary'>{}</span>", row.filing_no, day
        )
