"""django-filter filtersets of the 节约型机关 pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import CampaignBatch, ConservationCampaign, ConservationUnit, ScoringSheet

SEARCH_MAX = 50


def _search(queryset, value, *fields):
    value = (value or "").strip()[:SEARCH_MAX]
    if not value:
        return queryset
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__icontains": value})
    return queryset.filter(query)


class SheetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("名称"))

    class Meta:
        model = ScoringSheet
        fields = []

    def filter_q(self, queryset, name, value):
        return _search(queryset, value, "name")


class CampaignFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(method="filter_year", label=_("年度"))
    q = django_filters.CharFilter(method="filter_q", label=_("名称"))

    class Meta:
        model = ConservationCampaign
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)

    def filter_q(self, queryset, name, value):
        return _search(queryset, value, "name")


class UnitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ConservationUnit.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    batch = django_filters.ModelChoiceFilter(
        queryset=CampaignBatch.objects.none(), label=_("批次"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("单位名称"))

    class Meta:
        model = ConservationUnit
        fields = []

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["batch"].queryset = campaign.batches.order_by("number")
        self.form.fields["batch"].label_from_instance = batch_label

    def filter_q(self, queryset, name, value):
        return _search(queryset, value, "agency__name", "agency__short_name")


def batch_label(batch):
    return _("第%(n)s批（%(y)s年）") % {"n": batch.number, "y": batch.year}
