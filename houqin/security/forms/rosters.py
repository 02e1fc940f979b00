"""Forms of the duty roster. They parse input only; every rule is in services/rosters.py,
whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Shift
from ..models.rosters import Post

TIME = {"type": "time"}
DATE = {"type": "date"}


def _label(name):
    return Shift._meta.get_field(name).verbose_name


class ShiftForm(forms.Form):
    post = forms.ChoiceField(label=_label("post"), choices=[("", "—"), *Post.choices])
    name = forms.CharField(
        label=_("班次名称"), max_length=20, help_text=_("如：白班、夜班、早班。")
    )
    start = forms.TimeField(label=_label("start"), widget=forms.TimeInput(TIME, format="%H:%M"))
    end = forms.TimeField(
        label=_label("end"),
        widget=forms.TimeInput(TIME, format="%H:%M"),
        help_text=_("不晚于开始时间表示次日结束，如夜班 20:00—08:00。"),
    )
    min_staff = forms.IntegerField(
        label=_label("min_staff"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("消防控制室每班不少于 2 人。"),
    )
    is_active = forms.BooleanField(label=_label("is_active"), required=False, initial=True)

    FIELDS = ("post", "name", "start", "end", "min_staff", "is_active")

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AssignForm(forms.Form):
    shift = forms.ModelChoiceField(
        label=_("班次"),
        queryset=Shift.objects.none(),
        empty_label="—",
        error_messages={"invalid_choice": _("请选择本中心启用中的班次。")},
    )
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    user = UserChoiceField(
        label=_("值班人员"),
        queryset=Shift.objects.none(),
        empty_label="—",
        error_messages={"invalid_choice": _("只能安排本中心在岗的保安或安保管理人员值班。")},
    )
    note = forms.CharField(label=_("备注"), max_length=100, required=False)

    def __init__(self, *args, shifts, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts
        self.fields["shift"].label_from_instance = lambda s: (
            f"{s.get_post_display()} · {s.name} {s.start:%H:%M}–{s.end:%H:%M}"
        )
        self.fields["user"].queryset = users


class CopyWeekForm(forms.Form):
    week = forms.DateField(
        label=_("复制到"),
        widget=forms.HiddenInput,
        error_messages={"required": _("请选择要复制到的周。"), "invalid": _("日期格式不正确。")},
    )
