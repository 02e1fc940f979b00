from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from houqin.core.roles import Role

from .models import Scope
from .services import COMMENT_MAX, FLOW_NAME_MAX, STEP_NAME_MAX


class DecisionForm(forms.Form):
    """Approve / reject / return the current step; `position` is the step the page showed."""

    ACTIONS = (
        ("approve", _("同意")),
        ("return", _("退回修改")),
        ("reject", _("驳回")),
    )

    action = forms.ChoiceField(
        label=_("审批操作"),
        choices=ACTIONS,
        error_messages={"required": _("请选择审批操作。"), "invalid_choice": _("请选择审批操作。")},
    )
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("驳回或退回修改时必须填写意见。"),
    )
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(forms.Form):
    """Resubmit or cancel, with an optional note."""

    comment = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FlowForm(forms.Form):
    name = forms.CharField(label=_("流程名称"), max_length=FLOW_NAME_MAX)
    is_active = forms.BooleanField(
        label=_("启用"),
        required=False,
        help_text=_("停用后，本中心不能再提交此类申请（已提交的申请不受影响）。"),
    )


class ApproverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def role_choices():
    return [("", _("（指定人员审批）")), *Role.choices]


class FlowStepForm(forms.Form):
    name = forms.CharField(label=_("步骤名称"), max_length=STEP_NAME_MAX)
    approver_role = forms.ChoiceField(label=_("审批角色"), choices=role_choices, required=False)
    scope = forms.ChoiceField(
        label=_("范围"), choices=Scope.choices, initial=Scope.CENTER, required=False
    )
    approver_user = ApproverChoiceField(
        label=_("指定审批人"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("（按角色审批）"),
    )

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["approver_user"].queryset = users

    def clean(self):
        data = super().clean()
        role = data.get("approver_role")
        user = data.get("approver_user")
        if bool(role) == (user is not None) and not self.errors:
            raise forms.ValidationError(_("请选择审批角色或指定审批人（二者选一）。"))
        return data


class BaseFlowStepFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("顺序")
        form.fields["DELETE"].label = _("删除")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.ordered_steps():
            raise forms.ValidationError(_("审批流程至少需要一个步骤。"))

    def ordered_steps(self):
        return [
            {
                "name": form.cleaned_data["name"],
                "approver_role": form.cleaned_data.get("approver_role") or "",
                "scope": form.cleaned_data.get("scope") or Scope.CENTER,
                "approver_user": form.cleaned_data.get("approver_user"),
            }
            for form in self.ordered_forms
        ]


FlowStepFormSet = forms.formset_factory(
    FlowStepForm,
    formset=BaseFlowStepFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=20,
    validate_max=True,
)
