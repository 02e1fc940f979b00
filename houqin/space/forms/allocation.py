"""Forms of the allocation actions on a room: allocate to an agency, vacate, add an occupant,
end an occupancy, move an occupant to another office. They parse input only; the rules are in
services/allocation.py, whose Chinese errors come back next to the fields (apply_errors)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit, Person

from ..models import Allocation, SpaceRoom, UseKind
from ..selectors import holder_units

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": _("请填写%(l)s。") % {"l": label},
            "invalid": _("%(l)s格式不正确，应为 YYYY-MM-DD。") % {"l": label},
        },
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.rank.name}）" if obj.rank_id else obj.name


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(b)s %(r)s（%(a)s㎡，核定 %(n)s 人）") % {
            "b": obj.building.name,
            "r": obj.label,
            "a": obj.usable_area,
            "n": obj.capacity,
        }


class AllocateForm(forms.Form):
    agency = UnitChoiceField(
        label=_("使用单位"),
        queryset=OrgUnit.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("请选择使用单位。"),
            "invalid_choice": _("请选择本中心的部门/单位。"),
        },
    )
    start_date = _date(_("启用日期"))
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (Allocation.Source.DIRECT, Allocation.Source.DIRECT.label),
            (Allocation.Source.UPSTREAM, Allocation.Source.UPSTREAM.label),
        ],
        initial=Allocation.Source.DIRECT,
    )
    certificate_no = forms.CharField(
        label=_("使用协议/配置证号"),
        max_length=50,
        required=False,
        error_messages={"max_length": _("使用协议/配置证号不能超过 50 个字。")},
    )
    certificate_date = _date(_("协议/证书日期"), required=False)
    note = forms.CharField(
        label=_("备注"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("备注不能超过 200 个字。")},
    )

    def __init__(self, *args, center_id, **kwargs):
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = holder_units(center_id)


class VacateForm(forms.Form):
    end_date = _date(_("腾退日期"), help_text=_("交回房间的日期；当天起不再计入该单位。"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class OccupancyAddForm(forms.Form):
    person = PersonChoiceField(
        label=_("使用人"),
        queryset=Person.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("请选择使用人。"),
            "invalid_choice": _("请选择使用单位的在职人员。"),
        },
    )
    start_date = _date(_("入住日期"))
    note = forms.CharField(
        label=_("备注"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("备注不能超过 200 个字。")},
    )

    def __init__(self, *args, room, agency, **kwargs):
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        people = Person.objects.none()
        if agency is not None:
            people = (
                Person.objects.filter(
                    center_id=room.center_id, agency=agency, status=Person.Status.ACTIVE
                )
                .exclude(occupancies__room=room, occupancies__end_date__isnull=True)
                .select_related("rank")
                .order_by("name", "id")
            )
        self.fields["person"].queryset = people


class OccupancyEndForm(forms.Form):
    end_date = _date(_("迁出日期"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class OccupancyMoveForm(forms.Form):
    room = RoomChoiceField(
        label=_("调入房间"),
        queryset=SpaceRoom.objects.none(),
        empty_label="—",
        help_text=_("本单位使用中的其他办公室。"),
        error_messages={
            "required": _("请选择调入的房间。"),
            "invalid_choice": _("请选择本单位使用中的办公室。"),
        },
    )
    date = _date(_("调整日期"), help_text=_("当天迁出原房间、迁入新房间。"))

    def __init__(self, *args, occupancy, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        held = Allocation.objects.filter(
            center_id=occupancy.center_id,
            agency_id=occupancy.person.agency_id,
            end_date__isnull=True,
        ).values("room_id")
        self.fields["room"].queryset = (
            SpaceRoom.objects.filter(pk__in=held, use_kind=UseKind.OFFICE, is_active=True)
            .exclude(pk=occupancy.room_id)
            .select_related("building")
            .order_by("building__code", "building__name", "number")
        )
