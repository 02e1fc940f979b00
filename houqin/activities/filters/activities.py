"""django-filter filtersets of the activity and survey lists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Activity, ActivityCategory, Survey


def year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, this_year - 10, -1)]


MONTHS = [(m, f"{m}月") for m in range(1, 13)]


def center_categories(request):
    if request is None or not request.user.is_authenticated:
        return ActivityCategory.objects.none()
    return ActivityCategory.objects.filter(center_id=request.user.center_id)


class ActivityFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=center_categories, label=_("类别"), empty_label=_("全部")
    )
    year = django_filters.ChoiceFilter(
        field_name="date",
        lookup_expr="year",
        choices=year_choices,
        label=_("年度"),
        empty_label=_("全部"),
    )
    month = django_filters.ChoiceFilter(
        field_name="date",
        lookup_expr="month",
        choices=MONTHS,
        label=_("月份"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="search", label=_("关键词"))

    class Meta:
        model = Activity
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(place__icontains=value)
            | Q(organizer__icontains=value)
            | Q(summary__icontains=value)
        )


class SurveyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Survey.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("摸排主题"))

    class Meta:
        model = Survey
        fields = []
