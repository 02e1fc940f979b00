"""django-tables2 table of the dish list."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Dish


def yuan(value):
    return f"{value:.2f} 元"


class DishTable(tables.Table):
    name = tables.LinkColumn("canteen:dish_edit", args=[tables.A("pk")], verbose_name=_("菜名"))
    category = tables.Column(verbose_name=_("类别"))
    price = tables.Column(verbose_name=_("价格"), attrs={"td": {"class": "text-end"}})
    allergens = tables.Column(verbose_name=_("过敏原"))
    notes = tables.Column(verbose_name=_("说明"), orderable=False)
    photo = tables.Column(verbose_name=_("照片"), orderable=False)
    is_active = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Dish
        fields = ("name", "category", "price", "allergens", "notes", "photo", "is_active")
        order_by = ("category", "name")

    def render_price(self, value):
        return yuan(value)

    def render_photo(self, value):
        return format_html(
            '<i class="bi bi-image text-success" title="{t}" aria-hidden="true"></i>'
            '<span class="visually-hidden">{t}</span>',
            t=_("有照片"),
        )

    def render_is_active(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("在售"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("停售"))
