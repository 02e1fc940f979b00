import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import HolidayOverride

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class HolidayOverrideTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("日期"), format="Y-m-d")
    weekday = tables.Column(verbose_name=_("星期"), accessor="date", orderable=False)
    is_workday = tables.Column(verbose_name=_("安排"))
    name = tables.Column(verbose_name=_("名称"))
    created_by = tables.Column(verbose_name=_("录入人"), default="")
    updated_at = tables.DateTimeColumn(verbose_name=_("更新时间"), format="Y-m-d H:i")
    actions = tables.TemplateColumn(
        template_name="workdays/_override_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = HolidayOverride
        fields = ("date", "weekday", "is_workday", "name", "created_by", "updated_at")
        order_by = ("date",)

    def render_weekday(self, value):
        return WEEKDAYS[value.weekday()]

    def render_is_workday(self, record):
        if record.is_workday:
            return format_html('<span class="badge text-bg-primary">{}</span>', _("上班"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("放假"))

    def render_created_by(self, value):
        return value.display_name
