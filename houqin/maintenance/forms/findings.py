"""Forms of safety inspections and findings. They parse input only; every rule is in
services/findings.py, whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.forms import MultipleImageField, MultipleImageInput, ScheduleForm

PHOTO_HELP = _("可拍照或从相册选择；JPEG、PNG、WebP，每张不超过 5 MB，最多 9 张。")


def center_users(center_id):
    return (
        get_user_model()
        .objects.filter(center_id=center_id, is_active=True)
        .select_related("person")
        .order_by("username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _photos(label=None):
    return MultipleImageField(
        label=label or _("照片"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=PHOTO_HELP,
    )


class FindingForm(forms.Form):
    area = forms.CharField(label=_("区域/部位"), max_length=100)
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = UserChoiceField(
        label=_("整改责任人"), queryset=get_user_model().objects.none(), empty_label="—"
    )
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("不填则为 5 个工作日后。"),
    )
    photos = _photos()

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = center_users(center_id)


class RectifyForm(forms.Form):
    rectification = forms.CharField(
        label=_("整改情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写整改情况。")},
    )
    photos = _photos(_("整改后照片"))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"), max_length=500, error_messages={"required": _("请填写退回原因。")}
    )


class InspectionPlanForm(ScheduleForm):
    """An inspection round of one area with a named responsible person."""

    area = forms.CharField(label=_("检查区域"), max_length=100)
    responsible = UserChoiceField(
        label=_("区域责任人"),
        queryset=get_user_model().objects.none(),
        empty_label="—",
        help_text=_("对该区域安全负责；检查发现的问题由其整改。"),
    )
    inspectors = UsersChoiceField(
        label=_("检查人"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("不选则由区域责任人本人检查。"),
    )
    title = forms.CharField(
        label=_("计划名称"),
        max_length=100,
        required=False,
        help_text=_("不填则为“安全检查：区域”。"),
    )
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = [
        "area",
        "responsible",
        "inspectors",
        "title",
        "description",
        "preset",
        "time",
        "months",
        "rrule",
        "dtstart",
        "workdays_only",
    ]

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        users = center_users(center_id)
        self.fields["responsible"].queryset = users
        self.fields["inspectors"].queryset = users

    def service_kwargs(self, checklist):
        data = self.cleaned_data
        return {
            "area": data["area"],
            "responsible": data["responsible"],
            "inspectors": list(data["inspectors"]),
            "title": data["title"],
            "description": data["description"],
            "rrule": data["rule"],
            "dtstart": data["dtstart"],
            "workdays_only": data["workdays_only"],
            "checklist": checklist,
        }
