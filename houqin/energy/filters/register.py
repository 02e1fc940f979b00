"""django-filter filtersets of the energy register lists: institutions, meters, readings."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import EnergyKind, Institution, Meter, MeterReading
from ..selectors import institutions_for

ACTIVE_CHOICES = [("1", _("启用")), ("0", _("停用"))]


def _institutions(request):
    return institutions_for(request.user) if request is not None else Institution.objects.none()


def parse_month(value):
    """'YYYY-MM' → the 1st of that month, or None."""
    try:
        year, month = (int(part) for part in str(value).strip().split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None


class MonthFilter(django_filters.CharFilter):
    """A month typed as YYYY-MM (<input type="month">); a wrong one is ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        month = parse_month(value) if value else None
        if month is None:
            return qs
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": month})


class InstitutionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("年度"), method="filter_year", widget=forms.NumberInput(attrs={"min": 2000})
    )
    is_active = django_filters.ChoiceFilter(
        choices=[("1", _("是")), ("0", _("否"))],
        method="filter_active",
        label=_("纳入统计"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("单位名称"))

    class Meta:
        model = Institution
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset  # chooses the year of the base data shown (see the view)

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()[:50])


class MeterFilter(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(
        queryset=_institutions, label=_("公共机构"), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        choices=EnergyKind.choices, label=_("能源品种"), empty_label=_("全部")
    )
    active = django_filters.ChoiceFilter(
        choices=ACTIVE_CHOICES, method="filter_active", label=_("状态"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("编号 / 名称"))

    class Meta:
        model = Meter
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    def filter_q(self, queryset, name, value):
        value = value.strip()[:40]
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ReadingFilter(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(
        field_name="meter__institution",
        queryset=_institutions,
        label=_("公共机构"),
        empty_label=_("全部"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="meter__kind",
        choices=EnergyKind.choices,
        label=_("能源品种"),
        empty_label=_("全部"),
    )
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("起始月份"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("截止月份"))
    flagged = django_filters.ChoiceFilter(
        choices=[("1", _("仅待核实")), ("0", _("正常/已核实"))],
        method="filter_flagged",
        label=_("核实状态"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("表计编号 / 名称"))

    class Meta:
        model = MeterReading
        fields = []

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(flagged=value == "1")

    def filter_q(self, queryset, name, value):
        value = value.strip()[:40]
        return queryset.filter(Q(meter__code__icontains=value) | Q(meter__name__icontains=value))
