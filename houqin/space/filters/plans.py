"""django-filter filtersets of requests for space and adjustment plans."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..forms.allocation import UnitChoiceField
from ..models import AdjustmentPlan, SpaceRequest
from ..selectors import holder_units


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=SpaceRequest.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    agency = UnitFilter(queryset=holder_units(None), label=_("申请单位"), empty_label=_("全部"))
    year = django_filters.NumberFilter(field_name="created_at__year", label=_("年度"))
    q = django_filters.CharFilter(method="filter_q", label=_("申请理由"))

    class Meta:
        model = SpaceRequest
        fields = []

    def __init__(self, *args, center_id=None, choose_agency=True, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_agency:
            self.filters["agency"].queryset = holder_units(center_id)
        else:  # an agency's own users see only their agency: nothing to choose
            del self.filters["agency"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(reason__icontains=value)


class PlanFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(
        choices=AdjustmentPlan.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("方案名称 / 说明"))

    class Meta:
        model = AdjustmentPlan
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(notes__icontains=value))
