"""django-tables2 tables of the 节约型机关 pages: scoring sheets, campaigns and the units of
a campaign."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import ConservationCampaign, ConservationUnit, ScoringSheet

STATUS_CSS = {
    ConservationUnit.Status.ENROLLED: "secondary",
    ConservationUnit.Status.SELF_ASSESSED: "info",
    ConservationUnit.Status.REVIEWED: "primary",
    ConservationUnit.Status.PASSED: "success",
    ConservationUnit.Status.FAILED: "danger",
}


def status_badge(unit):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_CSS.get(unit.status, "secondary"),
        unit.get_status_display(),
    )


def score(value):
    return "—" if value is None else f"{value}"


def progress(done, target):
    """`done` of `target` as a <progress> bar with the figures (no inline style: CSP)."""
    if not target:
        return format_html('<span class="text-body-secondary">{}</span>', _("未设目标"))
    rate = round(done * 100 / target, 1)
    return format_html(
        '<progress class="hq-progress w-100" value="{}" max="{}" aria-label="{}"></progress>'
        '<div class="small text-body-secondary">{} / {}（{}%）</div>',
        min(done, target),
        target,
        _("创建进度"),
        done,
        target,
        rate,
    )


class SheetTable(tables.Table):
    name = tables.LinkColumn("energy:sheet_detail", args=[tables.A("pk")], verbose_name=_("名称"))
    pass_mark = tables.Column(verbose_name=_("达标分数"))
    areas = tables.Column(verbose_name=_("考核方面"), empty_values=(), orderable=False)
    items = tables.Column(verbose_name=_("考核项目"), empty_values=(), orderable=False)
    total = tables.Column(verbose_name=_("合计分值"), empty_values=(), orderable=False)
    campaign_count = tables.Column(verbose_name=_("使用的创建活动"))

    class Meta:
        model = ScoringSheet
        fields = ("name", "pass_mark", "areas", "items", "total", "campaign_count")
        order_by = ("name",)

    def render_pass_mark(self, value):
        return _("%(v)s 分") % {"v": value}

    def render_areas(self, record):
        return len(record.areas.all())

    def render_items(self, record):
        return sum(len(area.items.all()) for area in record.areas.all())

    def render_total(self, record):
        total = sum(item.points for area in record.areas.all() for item in area.items.all())
        if total == 100:
            return format_html('<span class="text-success">{}</span>', _("%(t)s 分") % {"t": total})
        return format_html(
            '<span class="text-warning-emphasis"><i class="bi bi-exclamation-triangle" '
            'aria-hidden="true"></i> {}</span>',
            _("%(t)s 分（未满 100）") % {"t": total},
        )


class CampaignTable(tables.Table):
    name = tables.LinkColumn(
        "energy:campaign_detail", args=[tables.A("pk")], verbose_name=_("创建活动")
    )
    years = tables.Column(verbose_name=_("年度"), empty_values=(), order_by=("start_year",))
    sheet = tables.Column(verbose_name=_("评分表"), order_by=("sheet__name",))
    batches = tables.Column(verbose_name=_("批次（年度·目标）"), empty_values=(), orderable=False)
    enrolled_total = tables.Column(verbose_name=_("已报名"))
    progress = tables.Column(
        verbose_name=_("达标 / 目标"), empty_values=(), order_by=("passed_total",)
    )

    class Meta:
        model = ConservationCampaign
        fields = ("name", "years", "sheet", "batches", "enrolled_total", "progress")
        order_by = ("-years",)

    def render_years(self, record):
        if record.start_year == record.end_year:
            return f"{record.start_year}"
        return f"{record.start_year}—{record.end_year}"

    def render_sheet(self, record):
        return record.sheet.name

    def render_batches(self, record):
        batches = record.batches.all()
        if not batches:
            return format_html('<span class="text-body-secondary">{}</span>', _("暂无批次"))
        return format_html_join(
            mark_safe("<br>"),
            "{}",
            (
                (
                    _("第%(n)s批 %(y)s年 · 目标 %(t)s 个")
                    % {"n": b.number, "y": b.year, "t": b.target_units},
                )
                for b in batches
            ),
        )

    def render_enrolled_total(self, value):
        return _("%(n)s 个") % {"n": value}

    def render_progress(self, record):
        return progress(record.passed_total, record.target_total)


class UnitTable(tables.Table):
    agency = tables.LinkColumn(
        "energy:unit_detail",
        args=[tables.A("pk")],
        verbose_name=_("单位"),
        order_by=("agency__name",),
        text=lambda record: record.agency.name,
    )
    batch = tables.Column(verbose_name=_("批次"), order_by=("batch__number",))
    status = tables.Column(verbose_name=_("状态"))
    self_score = tables.Column(verbose_name=_("自评得分"), empty_values=())
    review_score = tables.Column(verbose_name=_("评审得分"), empty_values=())
    decided_on = tables.Column(verbose_name=_("认定日期"), empty_values=())

    class Meta:
        model = ConservationUnit
        fields = ("agency", "batch", "status", "self_score", "review_score", "decided_on")
        order_by = ("batch", "agency")

    def render_batch(self, record):
        return _("第%(n)s批") % {"n": record.batch.number}

    def render_status(self, record):
        return status_badge(record)

    def render_self_score(self, value):
        return score(value)

    def render_review_score(self, value):
        return score(value)

    def render_decided_on(self, value):
        return value.isoformat() if value else "—"
