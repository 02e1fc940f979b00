"""django-tables2 tables of the projects list and of a project's charging stations.

The shared display helpers (badge, day, percent, progress bar) are used by the sorting and
events tables too."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ChargingStation, EnergyProject

EMPTY = _("暂无记录")
STATUS_CSS = {
    ChargingStation.Status.PLANNED: "secondary",
    ChargingStation.Status.BUILDING: "warning",
    ChargingStation.Status.DONE: "success",
    ChargingStation.Status.IN_USE: "primary",
}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def day(value):
    return value.strftime("%Y-%m-%d") if value else "—"


def percent(part, whole):
    """part / whole in % with one decimal, or None when whole is 0."""
    return round(part * 100 / whole, 1) if whole else None


def progress_bar(value, maximum, label):
    """A <progress> element (no inline style under the CSP) and the percentage."""
    rate = percent(value, maximum)
    return format_html(
        '<progress class="hq-progress w-100" value="{}" max="{}" aria-label="{}">{}%</progress>'
        '<div class="small text-body-secondary">{}%</div>',
        min(value, maximum),
        maximum,
        label,
        rate,
        rate,
    )


def is_overdue(project, completed, today):
    return bool(project.deadline and project.deadline < today and completed < project.target)


def overdue_badge():
    return badge("danger", _("已逾期"))


class ProjectTable(tables.Table):
    name = tables.LinkColumn(
        "energy:project_detail", args=[tables.A("pk")], verbose_name=_("项目名称")
    )
    kind = tables.Column(verbose_name=_("类型"))
    assigned_by = tables.Column(verbose_name=_("下达单位"))
    year = tables.Column(verbose_name=_("年度"))
    target = tables.Column(verbose_name=_("目标"), attrs={"td": {"class": "text-end"}})
    completed = tables.Column(
        verbose_name=_("已建成"),
        accessor="stations_completed",
        attrs={"td": {"class": "text-end"}},
    )
    progress = tables.Column(
        verbose_name=_("完成进度"),
        accessor="stations_completed",
        orderable=False,
        attrs={"td": {"class": "hq-progress-cell"}},
    )
    deadline = tables.Column(verbose_name=_("完成期限"), empty_values=())

    class Meta:
        model = EnergyProject
        fields = (
            "name",
            "kind",
            "assigned_by",
            "year",
            "target",
            "completed",
            "progress",
            "deadline",
        )
        order_by = ("-year", "name")
        empty_text = EMPTY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_assigned_by(self, value):
        return value or "—"

    def render_progress(self, record):
        return progress_bar(record.stations_completed, record.target, _("完成进度"))

    def render_deadline(self, record):
        if is_overdue(record, record.stations_completed, self.today):
            return format_html("{} {}", day(record.deadline), overdue_badge())
        return day(record.deadline)


class StationTable(tables.Table):
    name = tables.Column(verbose_name=_("站点名称"))
    site = tables.Column(verbose_name=_("建设地点"))
    institution = tables.Column(verbose_name=_("公共机构"), order_by=("institution__name",))
    piles = tables.Column(verbose_name=_("充电桩数"), attrs={"td": {"class": "text-end"}})
    power_kw = tables.Column(verbose_name=_("总功率"), attrs={"td": {"class": "text-end"}})
    status = tables.Column(verbose_name=_("状态"))
    completed_on = tables.Column(verbose_name=_("建成日期"), empty_values=())
    actions = tables.Column(verbose_name=_("操作"), empty_values=(), orderable=False)

    class Meta:
        model = ChargingStation
        fields = (
            "name",
            "site",
            "institution",
            "piles",
            "power_kw",
            "status",
            "completed_on",
            "actions",
        )
        order_by = ("name",)
        empty_text = _("暂无站点，请点击“新增站点”。")

    def render_institution(self, value):
        return value.name

    def render_piles(self, value):
        return format_html("{} {}", value, _("个"))

    def render_power_kw(self, value):
        return format_html("{} kW", value)

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())

    def render_completed_on(self, value):
        return day(value)

    def render_actions(self, record):
        return format_html(
            '<a class="btn btn-outline-primary btn-sm" href="{}">'
            '<i class="bi bi-pencil" aria-hidden="true"></i> {}</a>',
            reverse("energy:station_edit", args=[record.pk]),
            _("修改"),
        )
