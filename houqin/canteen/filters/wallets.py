"""django-filter filtersets of the wallet administration pages."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import LocalDateFilter
from houqin.org.models import OrgUnit, Person

from ..models import LedgerEntry, PickupDevice, Wallet, WalletAdjustment

NO_WALLET = "none"


def _agencies(request):
    if request is None or not request.user.is_authenticated:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        center_id=request.user.center_id, kind=OrgUnit.Kind.AGENCY
    ).order_by("path")


class DateRangeMixin(django_filters.FilterSet):
    """从 / 至 dates on created_at, as the half-open range [from 00:00, to+1 00:00) local."""

    date_from = LocalDateFilter(
        field_name="created_at",
        bound="from",
        label=_("日期自"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = LocalDateFilter(
        field_name="created_at",
        bound="to",
        label=_("日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class WalletPersonFilter(django_filters.FilterSet):
    """The people of the center with their wallet (wallet_list)."""

    q = django_filters.CharFilter(method="filter_q", label=_("姓名 / 手机号"))
    agency = django_filters.ModelChoiceFilter(
        queryset=_agencies, label=_("单位"), empty_label=_("全部")
    )
    wallet_status = django_filters.ChoiceFilter(
        method="filter_wallet_status",
        label=_("餐卡状态"),
        empty_label=_("全部"),
        choices=[*Wallet.Status.choices, (NO_WALLET, _("未开通"))],
    )
    status = django_filters.ChoiceFilter(
        choices=Person.Status.choices, label=_("人员状态"), empty_label=_("全部")
    )

    class Meta:
        model = Person
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(phone__contains=value))

    def filter_wallet_status(self, queryset, name, value):
        if value == NO_WALLET:
            return queryset.filter(wallet__isnull=True)
        return queryset.filter(wallet__status=value)


class StatementFilter(DateRangeMixin):
    """One wallet's statement (wallet_detail)."""

    kind = django_filters.ChoiceFilter(
        choices=LedgerEntry.Kind.choices, label=_("类型"), empty_label=_("全部")
    )

    class Meta:
        model = LedgerEntry
        fields = []


class LedgerFilter(DateRangeMixin):
    """Every ledger row of the center (ledger_list)."""

    kind = django_filters.ChoiceFilter(
        choices=LedgerEntry.Kind.choices, label=_("类型"), empty_label=_("全部")
    )
    method = django_filters.ChoiceFilter(
        choices=LedgerEntry.Method.choices, label=_("方式"), empty_label=_("全部")
    )
    person = django_filters.CharFilter(method="filter_person", label=_("持卡人 / 手机号"))

    class Meta:
        model = LedgerEntry
        fields = []

    def filter_person(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(wallet__person__name__icontains=value) | Q(wallet__person__phone__contains=value)
        )


class AdjustmentFilter(DateRangeMixin):
    status = django_filters.ChoiceFilter(
        choices=WalletAdjustment.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    person = django_filters.CharFilter(method="filter_person", label=_("持卡人"))

    class Meta:
        model = WalletAdjustment
        fields = []

    def filter_person(self, queryset, name, value):
        return queryset.filter(wallet__person__name__icontains=value.strip())


class DeviceFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(
        label=_("状态"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("启用")), ("false", _("已停用"))]),
    )

    class Meta:
        model = PickupDevice
        fields = []
