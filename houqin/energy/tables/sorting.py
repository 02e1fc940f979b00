"""django-tables2 tables of garbage-sorting sites, inspections and collected weights."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import GarbageCollection, SortingInspection, SortingSite
from .projects import EMPTY, badge, day, percent

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


def rate_text(rate):
    return f"{rate}%" if rate is not None else "—"


def kg(value):
    return f"{value} kg" if value is not None else "—"


def collection_total(record):
    weights = [getattr(record, f) for f in GarbageCollection.WEIGHT_FIELDS.values()]
    return sum(w for w in weights if w is not None)


class SiteTable(tables.Table):
    """Rows come from views.sorting.sites(): annotated with the last inspection (date, bins
    checked and correct) and the bins checked / correct over the last 30 days."""

    name = tables.Column(verbose_name=_("点位名称"))
    kind = tables.Column(verbose_name=_("单位类型"))
    is_demonstration = tables.Column(verbose_name=_("示范点"), empty_values=())
    bins = tables.Column(verbose_name=_("投放点（组）"), attrs=RIGHT)
    last_date = tables.Column(verbose_name=_("最近检查"), empty_values=())
    last_rate = tables.Column(
        verbose_name=_("最近正确率"), accessor="last_checked", orderable=False, attrs=RIGHT
    )
    rate_30 = tables.Column(
        verbose_name=_("近 30 天正确率"), accessor="checked_30", orderable=False, attrs=RIGHT
    )

    class Meta:
        model = SortingSite
        fields = (
            "name",
            "kind",
            "is_demonstration",
            "bins",
            "last_date",
            "last_rate",
            "rate_30",
        )
        order_by = ("-is_demonstration", "name")
        empty_text = EMPTY

    def render_name(self, record, value):
        link = format_html(
            '<a href="{}">{}</a>', reverse("energy:site_detail", args=[record.pk]), value
        )
        if not record.is_active:
            return format_html("{} {}", link, badge("secondary", _("停用")))
        return link

    def render_is_demonstration(self, record):
        if not record.is_demonstration:
            return "—"
        level = record.demonstration_level
        return format_html(
            "{}{}",
            badge("success", _("示范点")),
            format_html(' <span class="small">{}</span>', level) if level else "",
        )

    def render_last_date(self, value):
        return day(value)

    def render_last_rate(self, record):
        return rate_text(percent(record.last_correct or 0, record.last_checked))

    def render_rate_30(self, record):
        return rate_text(percent(record.correct_30 or 0, record.checked_30))


class InspectionTable(tables.Table):
    date = tables.Column(verbose_name=_("检查日期"))
    site = tables.LinkColumn(
        "energy:site_detail",
        args=[tables.A("site_id")],
        verbose_name=_("点位"),
        order_by=("site__name",),
    )
    inspector = tables.Column(
        verbose_name=_("检查人"),
        order_by=("inspector__person__name", "inspector__username"),
    )
    bins_checked = tables.Column(verbose_name=_("检查桶数"), attrs=RIGHT)
    bins_correct = tables.Column(verbose_name=_("正确桶数"), attrs=RIGHT)
    rate = tables.Column(
        verbose_name=_("正确率"), accessor="bins_checked", orderable=False, attrs=RIGHT
    )
    problems = tables.Column(verbose_name=_("发现问题"), orderable=False)
    photo = tables.Column(verbose_name=_("照片"), empty_values=(), orderable=False)

    class Meta:
        model = SortingInspection
        fields = (
            "date",
            "site",
            "inspector",
            "bins_checked",
            "bins_correct",
            "rate",
            "problems",
            "photo",
        )
        order_by = ("-date",)
        empty_text = EMPTY

    def render_date(self, value):
        return day(value)

    def render_inspector(self, value):
        return value.display_name

    def render_rate(self, record):
        return rate_text(record.rate)

    def render_problems(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_photo(self, record):
        if not record.photo:
            return "—"
        url = reverse("energy:inspection_photo", args=[record.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" '
            'class="img-thumbnail hq-sorting-thumb" width="56" height="56" loading="lazy"></a>',
            url,
            url,
            _("检查照片"),
        )


class CollectionTable(tables.Table):
    date = tables.Column(verbose_name=_("日期"))
    recyclable_kg = tables.Column(verbose_name=_("可回收物"), attrs=RIGHT, empty_values=())
    hazardous_kg = tables.Column(verbose_name=_("有害垃圾"), attrs=RIGHT, empty_values=())
    kitchen_kg = tables.Column(verbose_name=_("厨余垃圾"), attrs=RIGHT, empty_values=())
    other_kg = tables.Column(verbose_name=_("其他垃圾"), attrs=RIGHT, empty_values=())
    total = tables.Column(verbose_name=_("合计"), empty_values=(), orderable=False, attrs=RIGHT)

    class Meta:
        model = GarbageCollection
        fields = ("date", "recyclable_kg", "hazardous_kg", "kitchen_kg", "other_kg", "total")
        order_by = ("-date",)
        empty_text = EMPTY

    def render_date(self, value):
        return day(value)

    def render_recyclable_kg(self, value):
        return kg(value)

    def render_hazardous_kg(self, value):
        return kg(value)

    def render_kitchen_kg(self, value):
        return kg(value)

    def render_other_kg(self, value):
        return kg(value)

    def render_total(self, record):
        return kg(collection_total(record))
