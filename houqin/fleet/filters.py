"""django-filter filtersets of the fleet list pages."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import TripRequest, Vehicle


class TripRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=TripRequest.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(
        field_name="departs_at",
        lookup_expr="date__gte",
        label=_("出发日期自"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="departs_at",
        lookup_expr="date__lte",
        label=_("出发日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("事由 / 目的地"))

    class Meta:
        model = TripRequest
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(purpose__icontains=value) | Q(destination__icontains=value))


class VehicleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Vehicle.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    category = django_filters.ChoiceFilter(
        choices=Vehicle.Category.choices, label=_("类别"), empty_label=_("全部")
    )
    energy = django_filters.ChoiceFilter(
        choices=Vehicle.Energy.choices, label=_("能源类型"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("车牌 / 型号"))

    class Meta:
        model = Vehicle
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(plate__icontains=value) | Q(brand_model__icontains=value))
