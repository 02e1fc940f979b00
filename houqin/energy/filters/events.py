"""django-filter filterset of the publicity events list."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import PublicityEvent


def year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year + 1, this_year - 10, -1)]


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=PublicityEvent.Kind.choices, label=_("类型"), empty_label=_("全部")
    )
    year = django_filters.ChoiceFilter(
        field_name="start_date",
        lookup_expr="year",
        choices=year_choices,
        label=_("年度"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("活动名称"))

    class Meta:
        model = PublicityEvent
        fields = []
