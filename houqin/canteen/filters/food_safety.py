"""django-filter filtersets of the food-safety list pages."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import CanteenWorker, PurchaseInspection, SampleRetention
from ..models.menus import Meal
from ..services.food_safety import CERT_WARNING_DAYS

DATE = forms.DateInput(attrs={"type": "date"})


class WorkerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("active", _("在岗")), ("left", _("已离岗"))],
        method="filter_status",
        label=_("状态"),
        empty_label=_("全部"),
    )
    cert = django_filters.ChoiceFilter(
        choices=[
            ("missing", _("未登记健康证")),
            ("expired", _("健康证已过期")),
            ("expiring", _("30 天内到期")),
        ],
        method="filter_cert",
        label=_("健康证"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("姓名 / 岗位 / 单位"))

    class Meta:
        model = CanteenWorker
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")

    def filter_cert(self, queryset, name, value):
        today = timezone.localdate()
        if value == "missing":
            return queryset.filter(health_cert_expires__isnull=True)
        if value == "expired":
            return queryset.filter(health_cert_expires__lt=today)
        return queryset.filter(
            health_cert_expires__gte=today,
            health_cert_expires__lt=today + dt.timedelta(days=CERT_WARNING_DAYS),
        )

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(post__icontains=value) | Q(employer__icontains=value)
        )


class SampleFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="menu__date", lookup_expr="gte", label=_("日期自"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="menu__date", lookup_expr="lte", label=_("日期至"), widget=DATE
    )
    meal = django_filters.ChoiceFilter(
        field_name="menu__meal", choices=Meal.choices, label=_("餐次"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=[
            ("kept", _("冷藏中")),
            ("due", _("可销毁")),
            ("discarded", _("已销毁")),
        ],
        method="filter_status",
        label=_("状态"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("菜品 / 留样人"))

    class Meta:
        model = SampleRetention
        fields = []

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == "discarded":
            return queryset.filter(discarded_at__isnull=False)
        if value == "due":
            return queryset.filter(discarded_at__isnull=True, discard_after__lte=now)
        return queryset.filter(discarded_at__isnull=True, discard_after__gt=now)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(dish__name__icontains=value) | Q(kept_by__icontains=value))


class PurchaseFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="purchased_on", lookup_expr="gte", label=_("进货日期自"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="purchased_on", lookup_expr="lte", label=_("进货日期至"), widget=DATE
    )
    supplier = django_filters.CharFilter(
        field_name="supplier_name", lookup_expr="icontains", label=_("供货者")
    )
    result = django_filters.ChoiceFilter(
        choices=PurchaseInspection.Result.choices, label=_("查验结果"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("食品名称 / 批号"))

    class Meta:
        model = PurchaseInspection
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(item_name__icontains=value) | Q(batch_no__icontains=value))
