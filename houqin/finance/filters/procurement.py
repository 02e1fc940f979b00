"""django-filter filtersets of procurement records and voucher handovers."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Procurement, VoucherHandover


class ProcurementFilter(django_filters.FilterSet):
    method = django_filters.ChoiceFilter(
        choices=Procurement.Method.choices, label=_("采购方式"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Procurement.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    year = django_filters.NumberFilter(method="by_year", label=_("年度"), min_value=2000)
    q = django_filters.CharFilter(method="search", label=_("项目/供应商/编号"))

    class Meta:
        model = Procurement
        fields = []

    def by_year(self, queryset, name, value):
        """The contract's year; for records not yet signed, the budget project's (or the
        record's) year."""
        return queryset.filter(
            Q(contract_date__year=value)
            | Q(contract_date__isnull=True, project__year=value)
            | Q(contract_date__isnull=True, project__isnull=True, created_at__year=value)
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(item__icontains=value)
            | Q(supplier__icontains=value)
            | Q(filing_number__icontains=value)
            | Q(contract_no__icontains=value)
        )


class VoucherFilter(django_filters.FilterSet):
    STATE_CHOICES = (
        ("waiting", _("待移交")),
        ("overdue", _("已逾期")),
        ("done", _("已移交")),
    )
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="by_state", label=_("移交状态"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(field_name="unit__name", lookup_expr="icontains", label=_("单位"))

    class Meta:
        model = VoucherHandover
        fields = []

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "waiting":
            return queryset.filter(handed_on__isnull=True)
        if value == "overdue":
            return queryset.filter(handed_on__isnull=True, due_date__lt=today)
        if value == "done":
            return queryset.filter(handed_on__isnull=False)
        return queryset
