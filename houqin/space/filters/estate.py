"""django-filter filtersets of the lease, project and ownership lists."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Building, Lease, OwnershipRecord, RenovationProject
from ..rules import LEASE_EXPIRY_NOTICE_DAYS


def _year(value):
    """A plausible year, or None (a typo like 20266 finds nothing rather than failing)."""
    try:
        year = int(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    return year if 1900 <= year <= 2100 else None


class LeaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Lease.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    expiring = django_filters.ChoiceFilter(
        choices=[
            ("soon", _("%(n)s 天内到期") % {"n": LEASE_EXPIRY_NOTICE_DAYS}),
            ("expired", _("已过租期未腾退")),
        ],
        method="filter_expiring",
        label=_("到期提醒"),
        empty_label=_("全部"),
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("腾退年度"))
    q = django_filters.CharFilter(method="filter_q", label=_("出租方 / 地址 / 文号"))

    class Meta:
        model = Lease
        fields = []

    def filter_year(self, queryset, name, value):
        year = _year(value)
        return queryset.none() if year is None else queryset.filter(vacated_on__year=year)

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        active = queryset.filter(status=Lease.Status.ACTIVE)
        if value == "expired":
            return active.filter(end_date__lt=today)
        limit = today + dt.timedelta(days=LEASE_EXPIRY_NOTICE_DAYS)
        return active.filter(end_date__range=(today, limit))

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(lessor__icontains=value)
            | Q(address__icontains=value)
            | Q(approval_ref__icontains=value)
        )


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=RenovationProject.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.none(), label=_("楼栋"), empty_label=_("全部")
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("年度"))
    q = django_filters.CharFilter(method="filter_q", label=_("项目名称 / 施工单位"))

    class Meta:
        model = RenovationProject
        fields = []

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the center's own buildings are offered (and accepted).
        self.filters["building"].queryset = Building.objects.filter(center_id=center_id)

    def filter_year(self, queryset, name, value):
        # A project belongs to the years it started or finished in.
        year = _year(value)
        if year is None:
            return queryset.none()
        return queryset.filter(Q(start_date__year=year) | Q(finish_date__year=year))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(contractor__icontains=value))


class OwnershipFilter(django_filters.FilterSet):
    """On buildings: a building without a record counts as pending (待登记)."""

    status = django_filters.ChoiceFilter(
        choices=OwnershipRecord.Status.choices,
        method="filter_status",
        label=_("登记状态"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("楼栋 / 证号"))

    class Meta:
        model = Building
        fields = []

    def filter_status(self, queryset, name, value):
        if value == OwnershipRecord.Status.PENDING:
            return queryset.filter(
                Q(ownership_record__isnull=True) | Q(ownership_record__status=value)
            )
        return queryset.filter(ownership_record__status=value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(ownership_record__certificate_no__icontains=value)
            | Q(ownership_record__filing_no__icontains=value)
        )
