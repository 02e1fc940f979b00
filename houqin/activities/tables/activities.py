"""django-tables2 tables of the activity and survey lists."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..figures import percent
from ..models import Activity, Survey

EMPTY = _("暂无记录")
RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class ActivityTable(tables.Table):
    """Rows are annotated with photo_count (views.activities)."""

    date = tables.DateColumn(format="Y-m-d", verbose_name=_("日期"))
    title = tables.LinkColumn(
        "activities:activity_detail", args=[tables.A("pk")], verbose_name=_("活动主题")
    )
    category = tables.Column(verbose_name=_("类别"), accessor="category__name")
    place = tables.Column(verbose_name=_("地点"))
    organizer = tables.Column(verbose_name=_("组织者"))
    participant_total = tables.Column(verbose_name=_("参加人数"), attrs=RIGHT)
    photos = tables.Column(verbose_name=_("照片"), accessor="photo_count", attrs=RIGHT)

    class Meta:
        model = Activity
        fields = ("date", "title", "category", "place", "organizer", "participant_total", "photos")
        order_by = ("-date",)
        empty_text = EMPTY

    def render_place(self, value):
        return value or "—"

    def render_organizer(self, value):
        return value or "—"

    def render_participant_total(self, value):
        return format_html("{} {}", value, _("人"))

    def render_photos(self, value):
        return format_html("{} {}", value, _("张"))


class SurveyTable(tables.Table):
    """Rows are annotated with total/done (views.surveys)."""

    title = tables.LinkColumn(
        "activities:survey_detail", args=[tables.A("pk")], verbose_name=_("摸排主题")
    )
    status = tables.Column(verbose_name=_("状态"))
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("截止日期"))
    total = tables.Column(verbose_name=_("应填人数"), attrs=RIGHT)
    rate = tables.Column(verbose_name=_("完成率"), empty_values=(), attrs=RIGHT, orderable=False)

    class Meta:
        model = Survey
        fields = ("title", "status", "deadline", "total", "rate")
        order_by = ("-deadline",)
        empty_text = EMPTY

    def render_status(self, record):
        css = {"draft": "secondary", "open": "primary", "closed": "success"}[record.status]
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', css, record.get_status_display()
        )

    def render_total(self, value):
        return format_html("{} {}", value, _("人"))

    def render_rate(self, record):
        if not record.total:
            return "—"
        return f"{percent(record.done, record.total)}%"
