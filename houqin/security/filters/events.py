"""django-filter filtersets of the incident, contingency-plan and training/drill lists."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import ContingencyPlan, Drill, Incident

SEARCH_MAX = 50


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _search(queryset, value, *fields):
    value = (value or "").strip()[:SEARCH_MAX]
    if not value:
        return queryset
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__icontains": value})
    return queryset.filter(query)


class IncidentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Incident.Kind.choices, label=_("事件类型"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Incident.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("发生日期自"),
        widget=_date_widget(),
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("发生日期至"),
        widget=_date_widget(),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("地点 / 经过"))

    class Meta:
        model = Incident
        fields = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, value, "place", "description")


class PlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ContingencyPlan.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(
        field_name="event_end",
        lookup_expr="date__gte",
        label=_("活动日期自"),
        widget=_date_widget(),
    )
    date_to = django_filters.DateFilter(
        field_name="event_start",
        lookup_expr="date__lte",
        label=_("活动日期至"),
        widget=_date_widget(),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("预案名称"))

    class Meta:
        model = ContingencyPlan
        fields = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, value, "title", "booking__title")


class DrillFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Drill.Kind.choices, label=_("类型"), empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("日期自"), widget=_date_widget()
    )
    date_to = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("日期至"), widget=_date_widget()
    )
    q = django_filters.CharFilter(method="filter_q", label=_("主题 / 地点"))

    class Meta:
        model = Drill
        fields = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, value, "title", "place", "organizer")
