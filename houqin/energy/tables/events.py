"""django-tables2 table of the publicity events list."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import PublicityEvent
from .projects import EMPTY, day

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


def dates(event):
    if event.start_date == event.end_date:
        return day(event.start_date)
    return f"{day(event.start_date)} 至 {day(event.end_date)}"


class EventTable(tables.Table):
    """Rows are annotated with photo_count (views.events)."""

    title = tables.LinkColumn(
        "energy:event_detail", args=[tables.A("pk")], verbose_name=_("活动名称")
    )
    kind = tables.Column(verbose_name=_("类型"))
    start_date = tables.Column(verbose_name=_("日期"))
    place = tables.Column(verbose_name=_("地点"))
    participants = tables.Column(verbose_name=_("参与人数"), attrs=RIGHT)
    photos = tables.Column(verbose_name=_("照片"), accessor="photo_count", attrs=RIGHT)

    class Meta:
        model = PublicityEvent
        fields = ("title", "kind", "start_date", "place", "participants", "photos")
        order_by = ("-start_date",)
        empty_text = EMPTY

    def render_start_date(self, record):
        return dates(record)

    def render_place(self, value):
        return value or "—"

    def render_participants(self, value):
        return format_html("{} {}", value, _("人"))

    def render_photos(self, value):
        return format_html("{} {}", value, _("张"))
