"""Forms of the patrol pages (routes, checkpoints, the guard's scan and finish forms) and the
filter of the patrol list. They parse input only; the rules are in services/patrols.py, whose
errors come back next to the fields (apply_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PatrolRoute

DATE = {"type": "date"}


class RouteForm(forms.Form):
    name = forms.CharField(label=_("路线名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=PatrolRoute.Kind.choices)
    rounds_per_day = forms.IntegerField(
        label=_("每日巡查次数"),
        min_value=1,
        max_value=24,
        initial=1,
        help_text=_("用于统计应巡次数；防火巡查每日至少一次。"),
    )
    description = forms.CharField(
        label=_("说明"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    FIELDS = ("name", "kind", "rounds_per_day", "description")

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]

    def service_kwargs(self):
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        if "is_active" in self.fields:
            data["is_active"] = self.cleaned_data["is_active"]
        return data


class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("检查点名称"), max_length=60)
    location = forms.CharField(
        label=_("位置"), max_length=100, required=False, help_text=_("如：办公楼一层东侧消防通道")
    )
    checklist = forms.CharField(
        label=_("检查项"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一项，巡查时逐项回答“是/否”，如：安全出口畅通。"),
    )
    position = forms.IntegerField(
        label=_("顺序"),
        min_value=1,
        max_value=999,
        help_text=_("与其他检查点的顺序相同时两者互换。"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["position"]
            del self.fields["is_active"]

    def service_kwargs(self):
        return dict(self.cleaned_data)


YES_NO = [("yes", _("是")), ("no", _("否"))]


class ScanForm(forms.Form):
    """The checkpoint's checklist (是/否 per item) and a note; the service checks that every
    item is answered and that a 否 comes with a note."""

    note = forms.CharField(
        label=_("异常说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("有“否”的检查项时必填：发现了什么问题、如何处置。"),
    )

    def __init__(self, *args, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(checklist)
        items = {}
        for item in self.items:
            items[item["key"]] = forms.ChoiceField(
                label=item["label"],
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "sec-yesno"}),
            )
        self.fields = {**items, **self.fields}

    def answers(self):
        return {item["key"]: self.cleaned_data.get(item["key"]) or None for item in self.items}


class FinishForm(forms.Form):
    note = forms.CharField(
        label=_("情况说明"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("有检查点未扫描时必填。"),
    )
