"""django-filter filterset of the manager's order list (all orders of the center)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import MealOrder
from ..models.menus import Meal


def _agencies(request):
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        center_id=request.user.center_id, kind=OrgUnit.Kind.AGENCY
    ).order_by("path")


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="menu__date", lookup_expr="gte", label=_("就餐日期自"), widget=_date_widget()
    )
    date_to = django_filters.DateFilter(
        field_name="menu__date", lookup_expr="lte", label=_("就餐日期至"), widget=_date_widget()
    )
    meal = django_filters.ChoiceFilter(
        field_name="menu__meal", choices=Meal.choices, label=_("餐次"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=MealOrder.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=_agencies, label=_("单位"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(
        field_name="person__name", lookup_expr="icontains", label=_("姓名")
    )

    class Meta:
        model = MealOrder
        fields = []
