"""Forms of the security settings: gates with their entry checks, the watch list, and the daily
screening tally. Rules are in services/visits.py (apply_errors shows them on the fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Gate, WatchEntry
from ..models.visitors import IdType

DATE = {"type": "date"}


class GateForm(forms.Form):
    name = forms.CharField(label=_("门岗名称"), max_length=50)
    checks = forms.CharField(
        label=_("入口查验项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，如“体温正常”“出示有效证件”；逐人记录时门岗须逐项勾选。"),
    )
    screening_per_entry = forms.BooleanField(label=_("逐人记录查验结果"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    @classmethod
    def initial_for(cls, gate):
        return {
            "name": gate.name,
            "checks": "\n".join(c["label"] for c in gate.checks),
            "screening_per_entry": gate.screening_per_entry,
            "is_active": gate.is_active,
        }

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "checks": data["checks"].splitlines(),
            "screening_per_entry": data["screening_per_entry"],
            "is_active": data["is_active"],
        }


class WatchEntryForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, required=False)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("选填；只保存校验摘要和部分号码，不保存完整号码。不填则按姓名匹配。"),
    )
    level = forms.ChoiceField(label=_("处置"), choices=[("", "—"), *WatchEntry.Level.choices])
    reason = forms.CharField(label=_("原因"), max_length=200)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)

    def __init__(self, *args, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entry is not None and entry.id_masked:
            self.fields["id_number"].help_text = _(
                "已登记：%(m)s。留空则不修改；重新填写则替换。"
            ) % {"m": entry.id_masked}

    @classmethod
    def initial_for(cls, entry):
        return {
            "name": entry.name,
            "level": entry.level,
            "reason": entry.reason,
            "is_active": entry.is_active,
        }

    def service_kwargs(self):
        return dict(self.cleaned_data)


class TallyForm(forms.Form):
    gate = forms.ModelChoiceField(
        label=_("门岗"), queryset=Gate.objects.none(), empty_label=_("请选择")
    )
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    checked = forms.IntegerField(label=_("查验人数"), min_value=0)
    abnormal = forms.IntegerField(label=_("异常人数"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("处置情况"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"].queryset = Gate.objects.filter(center_id=center_id, is_active=True)

    def service_kwargs(self):
        return dict(self.cleaned_data)
