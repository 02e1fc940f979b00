"""Forms of requests for space and adjustment plans. They parse input only; every rule is in
services/plans.py, whose Chinese errors come back next to the fields (apply_errors)."""

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import AdjustmentPlan, Allocation, PlanStep, SpaceRequest, SpaceRoom
from ..selectors import holder_units
from .allocation import UnitChoiceField

DATE = {"type": "date"}


def _required(label):
    return {"required": _("请填写%(l)s。") % {"l": label}}


class RequestForm(forms.Form):
    """增加办公用房申请. `agency` is offered to space managers only (they apply on behalf of
    any agency); an agency's own liaison or leader applies for their agency."""

    agency = UnitChoiceField(
        label=_("申请单位"),
        queryset=OrgUnit.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("请选择申请单位。"),
            "invalid_choice": _("请选择本中心的部门/单位。"),
        },
    )
    headcount = forms.CharField(
        label=_("现有人数"),
        widget=forms.NumberInput(attrs={"min": 1, "step": 1}),
        error_messages=_required(_("现有人数")),
        help_text=_("本单位在编在岗人数。"),
    )
    area_wanted = forms.CharField(
        label=_("申请面积（㎡）"),
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        error_messages=_required(_("申请面积")),
        help_text=_("需要增加的办公室用房使用面积。"),
    )
    reason = forms.CharField(
        label=_("申请理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            **_required(_("申请理由")),
            "max_length": _("申请理由不能超过 2000 个字。"),
        },
        help_text=_("如：新增编制、机构调整、现有用房不足等情况。"),
    )

    def __init__(self, *args, center_id=None, choose_agency=False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_agency:
            self.fields["agency"].queryset = holder_units(center_id)
        else:
            del self.fields["agency"]

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in ("reason", "headcount", "area_wanted")}


class PlanForm(forms.Form):
    year = forms.CharField(
        label=_("年度"),
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
        error_messages=_required(_("年度")),
    )
    title = forms.CharField(
        label=_("方案名称"),
        max_length=100,
        error_messages={
            **_required(_("方案名称")),
            "max_length": _("方案名称不能超过 100 个字。"),
        },
    )
    effective_date = forms.DateField(
        label=_("实施日期"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={
            **_required(_("实施日期")),
            "invalid": _("实施日期格式应为 YYYY-MM-DD。"),
        },
        help_text=_("实施时各房间的分配、腾退均以此日期记录。"),
    )
    notes = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("说明不能超过 4000 个字。")},
    )

    FIELDS = ("year", "title", "effective_date", "notes")

    @classmethod
    def initial_from(cls, plan: AdjustmentPlan):
        return {name: getattr(plan, name) for name in cls.FIELDS}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def room_choices(rooms):
    """Two groups for the step form's room select: rooms nobody holds (to allocate) and rooms
    held now (to transfer or vacate), each labelled with its area, kind and holder. `rooms`
    must be annotated with `holder` (see plan_rooms)."""
    idle, held = [], []
    for room in rooms:
        label = f"{room.building.name} {room.label} · {room.usable_area}㎡ · "
        label += str(room.get_use_kind_display())
        if room.holder:
            held.append((room.pk, f"{label} · {room.holder}"))
        else:
            note = _("（维修中）") if room.status == SpaceRoom.Status.REPAIR else ""
            idle.append((room.pk, f"{label}{note}"))
    return [
        ("", "—"),
        (_("闲置房间（分配闲置 / 上级调配）"), idle),
        (_("使用中房间（跨部门调剂 / 腾退收回）"), held),
    ]


def plan_rooms(rooms, plan):
    """The active rooms (of a user-scoped queryset) not yet in `plan`, with their current
    holder's name annotated: one query."""
    holder = Allocation.objects.filter(room=OuterRef("pk"), end_date__isnull=True).values(
        "agency__name"
    )[:1]
    return (
        rooms.filter(is_active=True)
        .exclude(pk__in=plan.steps.values("room_id"))
        .annotate(holder=Subquery(holder))
    )


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(a)s 申请 %(n)s㎡（%(d)s 提交）") % {
            "a": obj.agency.name,
            "n": obj.area_wanted,
            "d": f"{obj.created_at:%Y-%m-%d}",
        }


class GroupedSelect(forms.Select):
    """A select whose option groups survive the shared field template (which flattens)."""

    template_name = "space/plans/_grouped_select.html"


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("调整方式"),
        choices=[("", "—"), *PlanStep.Kind.choices],
        error_messages={"required": _("请选择调整方式。"), "invalid_choice": _("请选择调整方式。")},
    )
    room = forms.TypedChoiceField(
        label=_("房间"),
        coerce=int,
        widget=GroupedSelect(attrs={"class": "form-select form-select-sm w-100"}),
        error_messages={"required": _("请选择房间。"), "invalid_choice": _("请选择本中心的房间。")},
        help_text=_("分配闲置、上级调配选闲置房间；跨部门调剂、腾退收回选使用中的房间。"),
    )
    to_agency = UnitChoiceField(
        label=_("调入单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("请选择本中心的部门/单位。")},
        help_text=_("腾退收回不填。"),
    )
    request = RequestChoiceField(
        label=_("对应用房申请"),
        queryset=SpaceRequest.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("只能关联已批准的用房申请。")},
        help_text=_("只列出已批准的申请。"),
    )
    certificate_no = forms.CharField(
        label=_("使用协议/配置证号"),
        max_length=50,
        required=False,
        error_messages={"max_length": _("使用协议/配置证号不能超过 50 个字。")},
    )
    note = forms.CharField(
        label=_("备注"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("备注不能超过 200 个字。")},
    )

    def __init__(self, *args, rooms=(), center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = list(rooms)
        self.rooms = {room.pk: room for room in rooms}
        self.fields["room"].choices = room_choices(rooms)
        self.fields["to_agency"].queryset = holder_units(center_id)
        self.fields["request"].queryset = (
            SpaceRequest.objects.filter(center_id=center_id, status=SpaceRequest.Status.APPROVED)
            .select_related("agency")
            .order_by("-created_at", "-id")
        )

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "room": self.rooms.get(data["room"]),
            "to_agency": data["to_agency"],
            "request": data["request"],
            "certificate_no": data["certificate_no"],
            "note": data["note"],
        }
