import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HolidayOverride


class HolidayOverrideFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="date",
        lookup_expr="year",
        label=_("年份"),
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )
    is_workday = django_filters.ChoiceFilter(
        choices=[("false", _("放假")), ("true", _("上班（调休）"))],
        method="filter_kind",
        label=_("安排"),
    )

    class Meta:
        model = HolidayOverride
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.filter(is_workday=(value == "true")) if value else queryset
