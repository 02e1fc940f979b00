"""django-filter filtersets of the meetings list pages."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import LocalDateFilter
from houqin.org.filters import AnyYesNoWidget
from houqin.org.scoping import user_agency

from .models import Booking, Room
from .selectors import rooms_for


def _rooms(request):
    if request is None:
        return Room.objects.none()
    return rooms_for(request.user, include_inactive=True)


class BookingFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(
        label=_("范围"),
        choices=[("mine", _("我的预订")), ("agency", _("本单位的预订"))],
        empty_label=_("我可见的全部"),
        method="filter_scope",
    )
    date_from = LocalDateFilter(
        field_name="starts_at",
        bound="from",
        label=_("开始日期自"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = LocalDateFilter(
        field_name="starts_at",
        bound="to",
        label=_("开始日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    room = django_filters.ModelChoiceFilter(
        queryset=_rooms, label=_("会议室"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=Booking.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("会议名称"))

    class Meta:
        model = Booking
        fields = []

    def filter_scope(self, queryset, name, value):
        user = self.request.user
        if value == "mine":
            return queryset.filter(booker=user)
        if value == "agency":
            agency = user_agency(user)
            if agency is None:
                return queryset.none()
            return queryset.filter(agency__path__startswith=agency.path)
        return queryset


class RoomFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Room.Kind.choices, label=_("类型"), empty_label=_("全部")
    )
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=AnyYesNoWidget)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))

    class Meta:
        model = Room
        fields = []
