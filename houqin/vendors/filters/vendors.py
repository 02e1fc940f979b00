"""django-filter filtersets of the vendors and contracts lists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Contract, Vendor
from ..selectors import expiring_contracts

YES_NO = [("1", _("是")), ("0", _("否"))]


class VendorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Vendor.Kind.choices, label=_("服务类别"), empty_label=_("全部")
    )
    active = django_filters.ChoiceFilter(
        field_name="is_active",
        choices=[("1", _("合作中")), ("0", _("已终止"))],
        label=_("状态"),
        empty_label=_("全部"),
        method="filter_active",
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("单位名称"))

    class Meta:
        model = Vendor
        fields = []

    def filter_active(self, qs, name, value):
        return qs.filter(is_active=value == "1")


class ContractFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(
        queryset=Vendor.objects.none(), label=_("外包单位"), empty_label=_("全部")
    )
    expiring = django_filters.ChoiceFilter(
        choices=[("1", _("即将到期"))],
        label=_("到期"),
        empty_label=_("全部"),
        method="filter_expiring",
    )
    q = django_filters.CharFilter(method="filter_q", label=_("合同编号/服务内容"))

    class Meta:
        model = Contract
        fields = []

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["vendor"].queryset = Vendor.objects.filter(center_id=center_id)

    def filter_expiring(self, qs, name, value):
        return expiring_contracts(qs, timezone.localdate()) if value == "1" else qs

    def filter_q(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(service__icontains=value))
