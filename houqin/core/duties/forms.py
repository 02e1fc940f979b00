"""Forms of the duties pages. They parse input only; every rule is checked by the services."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from houqin.core.roles import Role

from .checklist import ITEM_TYPES, field_name, fmt_number, limits_text
from .models import DutyPlan
from .recurrence import PRESET_KEYS, build_preset_rule, match_preset, preset_choices, to_local

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def center_users(center_id):
    return (
        get_user_model()
        .objects.filter(center_id=center_id, is_active=True)
        .select_related("person")
        .order_by("username")
    )


class ScheduleForm(forms.Form):
    """How often: a preset (with its time or months) or a custom RRULE, from a start time."""

    preset = forms.ChoiceField(
        label=_("重复方式"),
        choices=preset_choices(),
        initial="daily",
        widget=forms.Select(attrs={"data-duties-preset": ""}),
    )
    time = forms.TimeField(
        label=_("执行时间"),
        required=False,
        initial=dt.time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    months = forms.TypedMultipleChoiceField(
        label=_("月份"),
        required=False,
        coerce=int,
        choices=[(m, _("%(m)d 月") % {"m": m}) for m in range(1, 13)],
        widget=forms.CheckboxSelectMultiple(attrs={"inline": True}),
    )
    rrule = forms.CharField(
        label=_("自定义重复规则（RRULE）"),
        required=False,
        max_length=500,
        help_text=_(
            "RFC 5545 格式，按北京时间，如 FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=30；"
            "每月最后一天：FREQ=MONTHLY;BYMONTHDAY=-1。"
        ),
    )
    dtstart = forms.DateTimeField(
        label=_("开始时间"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    workdays_only = forms.BooleanField(
        label=_("仅在工作日执行（按工作日历，节假日不执行、调休上班日执行）"), required=False
    )

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset == "custom":
            if not (data.get("rrule") or "").strip():
                self.add_error("rrule", _("请填写重复规则。"))
            data["rule"] = (data.get("rrule") or "").strip()
        elif preset in PRESET_KEYS:
            try:
                data["rule"] = build_preset_rule(
                    preset, time=data.get("time"), months=data.get("months") or ()
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(name if name in self.fields else None, message)
        return data


class PlanForm(ScheduleForm):
    title = forms.CharField(label=_("名称"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=DutyPlan.Category.choices)
    location_text = forms.CharField(label=_("地点"), max_length=200, required=False)
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee_role = forms.ChoiceField(
        label=_("执行角色"),
        required=False,
        choices=[("", _("（不按角色）")), *Role.choices],
        help_text=_("本中心持有该角色的人员均可执行。"),
    )
    assignees = forms.ModelMultipleChoiceField(
        label=_("指定执行人"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    vendor_name = forms.CharField(
        label=_("外包单位"),
        max_length=100,
        required=False,
        help_text=_("由外包单位执行时填写，完成情况由负责人登记。"),
    )
    manager = forms.ModelChoiceField(
        label=_("负责人"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("（无）"),
        help_text=_("检查发现问题时通知负责人跟进。"),
    )
    grace_minutes = forms.IntegerField(
        label=_("宽限时间（分钟）"),
        min_value=0,
        initial=60,
        help_text=_("应完成时间之后多久仍算按时。"),
    )

    field_order = [
        "title",
        "category",
        "location_text",
        "description",
        "assignee_role",
        "assignees",
        "vendor_name",
        "manager",
        "preset",
        "time",
        "months",
        "rrule",
        "dtstart",
        "workdays_only",
        "grace_minutes",
    ]

    def __init__(self, *args, center_id, plan=None, **kwargs):
        if plan is not None and "initial" not in kwargs:
            preset, time, months = match_preset(plan.rrule)
            kwargs["initial"] = {
                "title": plan.title,
                "category": plan.category,
                "location_text": plan.location_text,
                "description": plan.description,
                "assignee_role": plan.assignee_role,
                "assignees": list(plan.assignees.all()),
                "vendor_name": plan.vendor_name,
                "manager": plan.manager,
                "preset": preset,
                "time": time or dt.time(9, 0),
                "months": months,
                "rrule": plan.rrule,
                "dtstart": to_local(plan.dtstart).replace(tzinfo=None),
                "workdays_only": plan.workdays_only,
                "grace_minutes": plan.grace_minutes,
            }
        super().__init__(*args, **kwargs)
        users = center_users(center_id)
        self.fields["assignees"].queryset = users
        self.fields["manager"].queryset = users

    def service_kwargs(self, checklist):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "category": data["category"],
            "location_text": data["location_text"],
            "description": data["description"],
            "assignee_role": data["assignee_role"],
            "assignees": list(data["assignees"]),
            "vendor_name": data["vendor_name"],
            "manager": data["manager"],
            "rrule": data["rule"],
            "dtstart": data["dtstart"],
            "workdays_only": data["workdays_only"],
            "grace_minutes": data["grace_minutes"],
            "checklist": checklist,
        }


class ChecklistItemForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("检查内容"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("类型"), choices=list(ITEM_TYPES.items()), initial="bool")
    required = forms.BooleanField(label=_("必填"), required=False, initial=True)
    min = forms.DecimalField(label=_("下限"), required=False)
    max = forms.DecimalField(label=_("上限"), required=False)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)


ChecklistFormSet = forms.formset_factory(
    ChecklistItemForm, extra=2, can_delete=True, max_num=50, validate_max=True
)


def checklist_initial(checklist):
    return [
        {
            "key": item["key"],
            "label": item["label"],
            "type": item["type"],
            "required": item.get("required", True),
            "min": item.get("min"),
            "max": item.get("max"),
            "unit": item.get("unit", ""),
        }
        for item in checklist or []
    ]


def checklist_from(formset) -> list[dict]:
    """The checklist template typed in the formset (rows without a label are skipped)."""
    items = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data.get("label") or data.get("DELETE"):
            continue
        item = {k: data.get(k) for k in ("key", "label", "type", "required", "unit")}
        item["min"] = None if data.get("min") is None else str(data["min"])
        item["max"] = None if data.get("max") is None else str(data["max"])
        items.append(item)
    return items


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Any number of image files; the service checks each (format, size, required)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class CompletionForm(forms.Form):
    """The checklist of one task (fields "item_<key>"), notes and signature."""

    notes = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    signature = forms.CharField(
        label=_("签名"), required=False, max_length=100, help_text=_("填写本人姓名作为签名。")
    )

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist or []
        fields = {}
        for item in self.checklist:
            label, required = item["label"], bool(item.get("required"))
            if item["type"] == "bool":
                field = forms.ChoiceField(
                    label=label,
                    choices=[("yes", _("是")), ("no", _("否"))],
                    widget=forms.RadioSelect(attrs={"inline": True}),
                    error_messages={"required": _("请选择“%(label)s”。") % {"label": label}},
                )
            elif item["type"] == "number":
                unit = item.get("unit") or ""
                limits = limits_text(item)
                field = forms.DecimalField(
                    label=f"{label}（{unit}）" if unit else label,
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                    help_text=_("合格范围：%(limits)s") % {"limits": limits} if limits else "",
                    error_messages={"required": _("请填写“%(label)s”。") % {"label": label}},
                )
            elif item["type"] == "photo":
                field = MultipleImageField(
                    label=label,
                    widget=MultipleImageInput(
                        attrs={"accept": "image/*", "capture": "environment"}
                    ),
                    help_text=_("可拍照或从相册选择；JPEG、PNG、WebP，每张不超过 5 MB。"),
                    error_messages={"required": _("“%(label)s”须上传照片。") % {"label": label}},
                )
            else:
                field = forms.CharField(
                    label=label,
                    max_length=500,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={"required": _("请填写“%(label)s”。") % {"label": label}},
                )
            field.required = required
            fields[field_name(item["key"])] = field
        self.fields = {**fields, **self.fields}

    def answers(self) -> dict:
        result = {}
        for item in self.checklist:
            if item["type"] == "photo":
                continue
            value = self.cleaned_data.get(field_name(item["key"]))
            if item["type"] == "number" and value is not None:
                value = fmt_number(value) if value == value.to_integral_value() else str(value)
            result[item["key"]] = value
        return result

    def photos(self) -> dict:
        return {
            item["key"]: self.cleaned_data.get(field_name(item["key"])) or []
            for item in self.checklist
            if item["type"] == "photo"
        }


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)
