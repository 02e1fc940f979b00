"""Forms of the register (buildings, floor plans, rooms, the xlsx import). They parse input
only; every rule is in services/register.py, whose Chinese errors come back next to the
fields (apply_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Building, Floor, SpaceRoom, SubUse, UseKind
from ..models.buildings import SUB_USE_KIND


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _required(label):
    return {"required": _("请填写%(l)s。") % {"l": label}}


def _number(min_value=0, step=1):
    return forms.NumberInput(attrs={"min": min_value, "step": step})


class BuildingForm(forms.Form):
    name = forms.CharField(
        label=_label(Building, "name"),
        max_length=60,
        error_messages=_required(_("楼栋名称")),
    )
    code = forms.CharField(label=_label(Building, "code"), max_length=20, required=False)
    address = forms.CharField(
        label=_label(Building, "address"), max_length=200, error_messages=_required(_("地址"))
    )
    ownership = forms.ChoiceField(
        label=_label(Building, "ownership"), choices=Building.Ownership.choices
    )
    owner_name = forms.CharField(
        label=_label(Building, "owner_name"), max_length=100, required=False
    )
    # Numbers are parsed by the service so its Chinese messages reach the user unchanged.
    floor_area = forms.CharField(
        label=_label(Building, "floor_area"),
        widget=_number(step="0.01"),
        error_messages=_required(_("建筑面积")),
    )
    built_year = forms.CharField(
        label=_label(Building, "built_year"), required=False, widget=_number(1900)
    )
    floors_above = forms.CharField(
        label=_label(Building, "floors_above"), initial=1, widget=_number(1)
    )
    floors_below = forms.CharField(
        label=_label(Building, "floors_below"),
        initial=0,
        required=False,
        widget=_number(0),
        help_text=_("减少层数不会删除已有楼层。"),
    )
    notes = forms.CharField(
        label=_label(Building, "notes"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_active = forms.BooleanField(label=_label(Building, "is_active"), required=False)

    FIELDS = (
        "name",
        "code",
        "address",
        "ownership",
        "owner_name",
        "floor_area",
        "built_year",
        "floors_above",
        "floors_below",
        "notes",
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]

    @classmethod
    def initial_for(cls, building):
        return {name: getattr(building, name) for name in (*cls.FIELDS, "is_active")}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.fields}


class FloorPlanForm(forms.Form):
    plan = forms.FileField(
        label=_("平面图"),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("PNG、JPG 或 WebP 图片，不超过 10 MB；上传后替换原平面图。"),
        error_messages={"required": _("请选择平面图图片。")},
    )


def sub_use_choices():
    """具体用途 with the kind each belongs to, so the kind need not be chosen by hand."""
    choices = [("", "—")]
    for value, label in SubUse.choices:
        kind = SUB_USE_KIND.get(value)
        hint = UseKind(kind).label if kind else _("需选择用房类别")
        choices.append((value, f"{label}（{hint}）"))
    return choices


class RoomForm(forms.Form):
    """A room. The building is chosen on create only (a room never moves building); the floor
    list holds the floors of the building given (?building=) or of every building, labelled
    with the building, and the service checks the floor is in the building."""

    building = forms.ModelChoiceField(
        label=_("楼栋"),
        queryset=Building.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("请选择楼栋。"),
            "invalid_choice": _("请选择本中心的楼栋。"),
        },
    )
    floor = forms.TypedChoiceField(
        label=_label(SpaceRoom, "floor"),
        coerce=int,
        error_messages={"required": _("请选择楼层。"), "invalid_choice": _("请选择该楼栋的楼层。")},
    )
    number = forms.CharField(
        label=_label(SpaceRoom, "number"), max_length=20, error_messages=_required(_("房间号"))
    )
    name = forms.CharField(label=_label(SpaceRoom, "name"), max_length=60, required=False)
    sub_use = forms.ChoiceField(
        label=_label(SpaceRoom, "sub_use"),
        choices=sub_use_choices,
        error_messages={"required": _("请选择具体用途。")},
    )
    use_kind = forms.ChoiceField(
        label=_label(SpaceRoom, "use_kind"),
        choices=[("", _("按具体用途确定")), *UseKind.choices],
        required=False,
        help_text=_("具体用途为“其他”时必选。"),
    )
    usable_area = forms.CharField(
        label=_label(SpaceRoom, "usable_area"),
        widget=_number(step="0.01"),
        error_messages=_required(_("使用面积")),
    )
    capacity = forms.CharField(
        label=_label(SpaceRoom, "capacity"),
        initial=1,
        widget=_number(1),
        help_text=_("办公室可同时安排的人数；每人分摊面积 = 使用面积 ÷ 实际人数。"),
    )
    notes = forms.CharField(
        label=_label(SpaceRoom, "notes"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS = ("floor", "number", "name", "sub_use", "use_kind", "usable_area", "capacity", "notes")

    def __init__(self, *args, buildings, building=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.building = building
        if building is not None:
            del self.fields["building"]
            floors = Floor.objects.filter(building=building)
        else:
            self.fields["building"].queryset = buildings
            floors = Floor.objects.filter(building__in=buildings)
        self.floors = {
            f.pk: f for f in floors.select_related("building").order_by("building", "level")
        }
        self.fields["floor"].choices = [("", "—")] + [
            (pk, f.name if building is not None else str(f)) for pk, f in self.floors.items()
        ]

    @classmethod
    def initial_for(cls, room):
        initial = {name: getattr(room, name) for name in cls.FIELDS}
        initial["floor"] = room.floor_id
        return initial

    def chosen_building(self):
        return self.building or self.cleaned_data["building"]

    def service_kwargs(self):
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["floor"] = self.floors[data["floor"]]
        return data


class RoomImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )
