"""Filters of the inbox (page and API) and of the delivery log."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .kinds import all_kinds
from .models import Delivery, Notification, WebhookEndpoint


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", label=_("仅未读"), widget=BooleanWidget
    )
    kind = django_filters.CharFilter(label=_("类型"), max_length=64)

    class Meta:
        model = Notification
        fields = []

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)


class WebhookEndpointFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    is_active = django_filters.ChoiceFilter(
        choices=[("true", _("启用")), ("false", _("停用"))], method="filter_active", label=_("状态")
    )

    class Meta:
        model = WebhookEndpoint
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true")) if value else queryset


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Delivery.Status.choices, label=_("状态"))
    channel = django_filters.ChoiceFilter(choices=Delivery.Channel.choices, label=_("渠道"))
    kind = django_filters.ChoiceFilter(
        field_name="notification__kind", choices=all_kinds, label=_("通知类型")
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Delivery
        fields = []
