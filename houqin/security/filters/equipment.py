"""django-filter filtersets of the fire equipment and cameras registers."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Camera, FireEquipment
from ..services.equipment import ACTIVE, EXPIRY_WARNING_DAYS


class FireEquipmentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=FireEquipment.Kind.choices, label=_("类别"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=[("active", _("在用及故障")), *FireEquipment.Status.choices],
        method="filter_status",
        label=_("状态"),
        empty_label=_("全部"),
    )
    expiry = django_filters.ChoiceFilter(
        choices=[
            ("expired", _("已过期")),
            ("soon", _("30 天内到期")),
            ("due", _("已过期或 30 天内到期")),
            ("unchecked", _("本月未检查")),
        ],
        method="filter_expiry",
        label=_("到期/检查"),
        empty_label=_("全部"),
    )
    location = django_filters.CharFilter(
        field_name="location", lookup_expr="icontains", label=_("位置")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("编号 / 型号"))

    class Meta:
        model = FireEquipment
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(status__in=ACTIVE)
        return queryset.filter(status=value)

    def filter_expiry(self, queryset, name, value):
        today = timezone.localdate()
        soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
        in_use = queryset.filter(status__in=ACTIVE)
        if value == "expired":
            return in_use.filter(expires_on__lt=today)
        if value == "soon":
            return in_use.filter(expires_on__gte=today, expires_on__lte=soon)
        if value == "due":
            return in_use.filter(expires_on__lte=soon)
        month_start = today.replace(day=1)
        return in_use.filter(Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=month_start))

    def filter_q(self, queryset, name, value):
        value = value.strip()[:40]
        return queryset.filter(Q(code__icontains=value) | Q(model__icontains=value))


class CameraFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Camera.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("编号 / 位置 / 型号"))

    class Meta:
        model = Camera
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()[:40]
        return queryset.filter(
            Q(code__icontains=value) | Q(location__icontains=value) | Q(model__icontains=value)
        )
