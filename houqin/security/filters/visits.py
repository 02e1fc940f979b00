"""django-filter filterset of the visit register: date range (the day of entry, else the
expected day, else the day of registration), status, host agency and a text search on the
visitor's name, company or the plate."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..forms.visits import AgencyChoiceField, host_agencies
from ..models import Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyChoiceField


class VisitFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(method="filter_from", label=_("日期从"), widget=DATE)
    date_to = django_filters.DateFilter(method="filter_to", label=_("日期至"), widget=DATE)
    status = django_filters.ChoiceFilter(
        choices=Visit.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    host_agency = AgencyFilter(
        queryset=OrgUnit.objects.none(), label=_("被访单位"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("姓名 / 单位 / 车牌"))

    class Meta:
        model = Visit
        fields = []

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["host_agency"].queryset = host_agencies(center_id)

    @staticmethod
    def _day(queryset):
        return queryset.annotate(
            visit_day=TruncDate(Coalesce("entered_at", "expected_at", "created_at"))
        )

    def filter_from(self, queryset, name, value):
        return self._day(queryset).filter(visit_day__gte=value)

    def filter_to(self, queryset, name, value):
        return self._day(queryset).filter(visit_day__lte=value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(visitor__name__icontains=value)
            | Q(visitor__company__icontains=value)
            | Q(plate__icontains=value.upper())
        )
