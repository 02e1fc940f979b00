"""django-filter filterset of the room register.

The building, floor and agency choices come from the rooms the user may see (a liaison gets
only the buildings and floors of their agency's rooms), each one query whatever the rows."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import Allocation, Building, Floor, SpaceRoom, SubUse, UseKind


class FloorChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.building.name} {obj.name}"


class UnitChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class FloorFilter(django_filters.ModelChoiceFilter):
    field_class = FloorChoiceField


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class RoomFilter(django_filters.FilterSet):
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.none(), label=_("楼栋"), empty_label=_("全部")
    )
    floor = FloorFilter(queryset=Floor.objects.none(), label=_("楼层"), empty_label=_("全部"))
    use_kind = django_filters.ChoiceFilter(
        choices=UseKind.choices, label=_("用房类别"), empty_label=_("全部")
    )
    sub_use = django_filters.ChoiceFilter(
        choices=SubUse.choices, label=_("具体用途"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=SpaceRoom.Status.choices, label=_("状态"), empty_label=_("全部")
    )
    agency = UnitFilter(
        queryset=OrgUnit.objects.none(),
        method="filter_agency",
        label=_("使用单位"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("房间号 / 名称"))

    class Meta:
        model = SpaceRoom
        fields = []

    def __init__(self, data=None, queryset=None, *, rooms=None, **kwargs):
        """`rooms`: the rooms the user may see, plain (the choices come from them); by
        default `queryset`."""
        super().__init__(data, queryset=queryset, **kwargs)
        visible = (rooms if rooms is not None else queryset).order_by()
        # IN (subquery) rather than a join + DISTINCT over whole rows: one cheap query each.
        self.filters["building"].queryset = Building.objects.filter(
            pk__in=visible.values("building_id")
        )
        self.filters["floor"].queryset = (
            Floor.objects.filter(pk__in=visible.values("floor_id"))
            .select_related("building")
            .order_by("building__code", "building__name", "level")
        )
        self.filters["agency"].queryset = OrgUnit.objects.filter(
            pk__in=Allocation.objects.filter(
                end_date__isnull=True, room__in=visible.values("pk")
            ).values("agency_id")
        ).order_by("path")

    def filter_agency(self, queryset, name, value):
        held = Allocation.objects.filter(end_date__isnull=True, agency=value).values("room_id")
        return queryset.filter(pk__in=held)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value))
