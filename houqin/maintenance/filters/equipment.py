"""django-filter filtersets of the equipment register and the findings list."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..forms.findings import center_users
from ..models import Equipment, Finding
from ..services.equipment import EXPIRY_WARNING_DAYS


class EquipmentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Equipment.Kind.choices, label=_("设备类别"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Equipment.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    expiring = django_filters.ChoiceFilter(
        choices=[
            ("any", _("保修或维保合同 60 天内到期")),
            ("warranty", _("保修 60 天内到期")),
            ("contract", _("维保合同 60 天内到期")),
            ("expired", _("维保合同已过期")),
        ],
        method="filter_expiring",
        label=_("到期提醒"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("名称 / 编号 / 位置"))

    class Meta:
        model = Equipment
        fields = []

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        window = (today, today + dt.timedelta(days=EXPIRY_WARNING_DAYS))
        warranty = Q(warranty_until__range=window)
        contract = Q(contract_until__range=window)
        if value == "warranty":
            return queryset.filter(warranty)
        if value == "contract":
            return queryset.filter(contract)
        if value == "expired":
            return queryset.filter(contract_until__lt=today)
        return queryset.filter(warranty | contract)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(location__icontains=value)
        )


class PersonChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ResponsibleFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class FindingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Finding.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("已超期未整改")), ("no", _("未超期"))],
        method="filter_overdue",
        label=_("是否超期"),
        empty_label=_("全部"),
    )
    responsible = ResponsibleFilter(
        queryset=center_users(None), label=_("整改责任人"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("区域 / 问题"))

    class Meta:
        model = Finding
        fields = []

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["responsible"].queryset = center_users(center_id)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=Finding.Status.OPEN, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(area__icontains=value) | Q(description__icontains=value))
