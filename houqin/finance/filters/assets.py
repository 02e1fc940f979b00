"""django-filter filtersets of the asset register."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import AssetClass, FixedAsset


class AssetFilter(django_filters.FilterSet):
    asset_class = django_filters.ChoiceFilter(
        choices=AssetClass.choices, label=_("资产分类"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=FixedAsset.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    agency = django_filters.ModelChoiceFilter(
        field_name="custodian_agency",
        queryset=OrgUnit.objects.none(),
        label=_("使用单位"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="search", label=_("编号/名称/地点"))

    class Meta:
        model = FixedAsset
        fields = []

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = OrgUnit.objects.filter(
            Q(pk=center_id) | Q(center_id=center_id, kind=OrgUnit.Kind.AGENCY)
        ).order_by("path")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(location__icontains=value)
        )
