"""Forms of the manager's pages (assign, manage, SLA rules). They parse input; the services
(services.work_orders, services.sla) decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..filters.orders import technicians
from ..models import Category, Urgency


def _msgs(message, **extra):
    return {"required": message, "invalid": message, "invalid_choice": message, **extra}


class _Technician(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


PRIORITY_CHOICES = [
    (1, _("1（最高）")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5（最低）")),
]


class AssignForm(forms.Form):
    assignee = _Technician(
        queryset=None,
        required=False,
        label=_("维修人员"),
        empty_label=_("（不派给本中心人员）"),
        error_messages=_msgs(_("所选人员不是本中心的维修人员。")),
    )
    vendor_name = forms.CharField(
        label=_("外包单位"),
        max_length=100,
        required=False,
        help_text=_("交由外包单位维修时填写，此时可不选维修人员。"),
        error_messages=_msgs(_("外包单位不能超过 100 个字。")),
    )
    priority = forms.TypedChoiceField(
        label=_("优先级"),
        choices=PRIORITY_CHOICES,
        coerce=int,
        error_messages=_msgs(_("优先级须为 1（最高）到 5。")),
    )
    due_at = forms.DateTimeField(
        label=_("完成时限"),
        required=False,
        help_text=_("不填则按时限规则计算。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages=_msgs(_("请填写有效的时间。")),
    )

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = technicians(center_id)


MANAGE_OPS = [
    ("close", _("关闭")),
    ("reopen", _("重新打开")),
    ("merge", _("合并到")),
    ("cancel", _("撤销")),
]


class ManageForm(forms.Form):
    """One of close / reopen / merge / cancel; `note` is the closing note, the reopening
    reason or the cancelling reason; `into` the number of the order kept when merging."""

    op = forms.ChoiceField(
        label=_("操作"), choices=MANAGE_OPS, error_messages=_msgs(_("请选择操作。"))
    )
    note = forms.CharField(
        label=_("说明/原因"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_msgs(_("说明不能超过 500 个字。")),
    )
    into = forms.CharField(
        label=_("合并到工单号"),
        max_length=20,
        required=False,
        error_messages=_msgs(_("请填写有效的工单号。")),
    )

    def clean(self):
        data = super().clean()
        if data.get("op") == "merge" and not (data.get("into") or "").strip():
            self.add_error("into", _("请填写要合并到的工单号。"))
        return data


class SlaRuleForm(forms.Form):
    category = forms.ChoiceField(
        choices=Category.choices,
        widget=forms.HiddenInput,
        error_messages=_msgs(_("请选择报修类别。")),
    )
    urgency = forms.ChoiceField(
        choices=Urgency.choices,
        widget=forms.HiddenInput,
        error_messages=_msgs(_("请选择紧急程度。")),
    )
    response_hours = forms.DecimalField(
        label=_("响应时限（小时）"),
        max_digits=5,
        decimal_places=1,
        error_messages=_msgs(
            _("请填写有效的响应时限。"),
            max_digits=_("响应时限过大。"),
            max_decimal_places=_("响应时限最多保留一位小数。"),
            max_whole_digits=_("响应时限过大。"),
        ),
    )
    completion_hours = forms.DecimalField(
        label=_("完成时限（小时）"),
        max_digits=6,
        decimal_places=1,
        error_messages=_msgs(
            _("请填写有效的完成时限。"),
            max_digits=_("完成时限过大。"),
            max_decimal_places=_("完成时限最多保留一位小数。"),
            max_whole_digits=_("完成时限过大。"),
        ),
    )
    around_the_clock = forms.BooleanField(label=_("按自然小时计（24×7）"), required=False)
