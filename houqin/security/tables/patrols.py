"""django-tables2 tables of the patrol routes and the patrol records. The querysets come
annotated from the views (checkpoint and scan counts), so a page runs a fixed number of
queries."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Patrol, PatrolRoute

STATUS_CSS = {"in_progress": "info", "done": "success", "incomplete": "warning"}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def local(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


class RouteTable(tables.Table):
    name = tables.LinkColumn(
        "security:route_detail", args=[tables.A("pk")], verbose_name=_("路线名称")
    )
    kind = tables.Column(verbose_name=_("类别"))
    rounds_per_day = tables.Column(verbose_name=_("每日巡查次数"))
    points = tables.Column(verbose_name=_("检查点"), orderable=True)
    is_active = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = PatrolRoute
        fields = ("name", "kind", "rounds_per_day", "points", "is_active")
        order_by = ("name",)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_is_active(self, value):
        return badge("success", _("启用")) if value else badge("secondary", _("停用"))


class PatrolTable(tables.Table):
    started_at = tables.LinkColumn(
        "security:patrol_detail", args=[tables.A("pk")], verbose_name=_("开始时间")
    )
    route = tables.Column(verbose_name=_("路线"), order_by=("route__name",))
    guard = tables.Column(verbose_name=_("巡查人"), order_by=("guard__username",))
    finished_at = tables.Column(verbose_name=_("结束时间"), empty_values=())
    scanned = tables.Column(verbose_name=_("已扫检查点"), orderable=False)
    problems = tables.Column(verbose_name=_("异常"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Patrol
        fields = ("started_at", "route", "guard", "finished_at", "scanned", "problems", "status")
        order_by = ("-started_at",)

    def render_started_at(self, value):
        return local(value)

    def render_finished_at(self, value):
        return local(value)

    def render_route(self, record):
        return format_html(
            '{} <small class="text-body-secondary">{}</small>',
            record.route.name,
            record.route.get_kind_display(),
        )

    def render_guard(self, record):
        return record.guard.display_name

    def render_scanned(self, record):
        return f"{record.scanned} / {record.points}"

    def render_problems(self, value):
        return badge("danger", value) if value else "—"

    def render_status(self, record):
        return badge(STATUS_CSS.get(record.status, "secondary"), record.get_status_display())
