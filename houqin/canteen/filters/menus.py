"""django-filter filterset of the dish list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import Dish


class DishFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("菜名"))
    category = django_filters.ChoiceFilter(
        choices=Dish.Category.choices, label=_("类别"), empty_label=_("全部")
    )
    is_active = django_filters.ChoiceFilter(
        choices=[("1", _("在售")), ("0", _("停售"))],
        method="filter_active",
        label=_("状态"),
        empty_label=_("全部"),
    )

    class Meta:
        model = Dish
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")
