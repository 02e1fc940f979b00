"""django-tables2 table of the manager's order list. The pickup code is never shown here:
it is the person's proof at the counter."""

import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import MealOrder
from ..models.menus import MEAL_ORDER
from .menus import yuan

STATUS_CSS = {
    MealOrder.Status.PLACED: "primary",
    MealOrder.Status.COLLECTED: "success",
    MealOrder.Status.UNCOLLECTED: "warning",
    MealOrder.Status.CANCELLED: "secondary",
}


def meal_rank():
    """Breakfast, lunch, dinner in serving order (not alphabetically), for ORDER BY."""
    return Case(
        *(When(menu__meal=m, then=Value(i)) for m, i in MEAL_ORDER.items()),
        output_field=IntegerField(),
    )


def order_lines(order):
    """ "红烧肉套餐×1、清炒时蔬×2" from the prefetched lines."""
    return "、".join(f"{line.item.dish.name}×{line.quantity}" for line in order.lines.all())


class OrderTable(tables.Table):
    date = tables.Column(verbose_name=_("就餐日期"), accessor="menu__date")
    meal = tables.Column(verbose_name=_("餐次"), accessor="menu__meal")
    person = tables.Column(verbose_name=_("订餐人"), order_by=("person__name",))
    agency = tables.Column(verbose_name=_("单位"), order_by=("agency__path",))
    lines = tables.Column(verbose_name=_("菜品"), empty_values=(), orderable=False)
    total = tables.Column(verbose_name=_("金额"), attrs={"td": {"class": "text-end"}})
    status = tables.Column(verbose_name=_("状态"))
    created_at = tables.Column(verbose_name=_("下单时间"))
    collected_at = tables.Column(verbose_name=_("领取时间"))

    class Meta:
        model = MealOrder
        fields = (
            "date",
            "meal",
            "person",
            "agency",
            "lines",
            "total",
            "status",
            "created_at",
            "collected_at",
        )
        order_by = ("-date",)

    def render_date(self, value):
        return value.isoformat()

    def order_date(self, queryset, is_descending):
        sign = "-" if is_descending else ""
        queryset = queryset.annotate(meal_rank=meal_rank()).order_by(
            f"{sign}menu__date", f"{sign}meal_rank", f"{sign}pk"
        )
        return queryset, True

    def render_meal(self, record):
        return record.menu.get_meal_display()

    def order_meal(self, queryset, is_descending):
        queryset = queryset.annotate(meal_rank=meal_rank()).order_by(
            ("-" if is_descending else "") + "meal_rank", "pk"
        )
        return queryset, True

    def render_person(self, record):
        return record.person.name

    def render_agency(self, record):
        return record.agency.short_name or record.agency.name

    def render_lines(self, record):
        return order_lines(record)

    def render_total(self, value):
        return yuan(value)

    def render_status(self, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_CSS.get(record.status, "secondary"),
            record.get_status_display(),
        )

    def render_created_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    def render_collected_at(self, value):
        return f"{timezone.localtime(value):%m-%d %H:%M}"
