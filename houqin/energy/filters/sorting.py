"""django-filter filtersets of the garbage-sorting sites and inspections lists."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SortingInspection, SortingSite
from ..selectors import sites_for

YES_NO = [("true", _("是")), ("false", _("否"))]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SiteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=SortingSite.Kind.choices, label=_("单位类型"), empty_label=_("全部")
    )
    is_demonstration = django_filters.ChoiceFilter(
        choices=YES_NO, label=_("示范点"), empty_label=_("全部"), method="filter_demonstration"
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("点位名称"))

    class Meta:
        model = SortingSite
        fields = []

    def filter_demonstration(self, queryset, name, value):
        return queryset.filter(is_demonstration=value == "true")


def _sites(request):
    return sites_for(request.user) if request is not None else SortingSite.objects.none()


class InspectionFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(
        queryset=_sites, label=_("点位"), empty_label=_("全部点位")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("检查日期自"), widget=_date_widget()
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("检查日期至"), widget=_date_widget()
    )

    class Meta:
        model = SortingInspection
        fields = []
