from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import all_kinds, kind_label


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=50,
        help_text=_("如“后勤值班群机器人”"),
        error_messages={"required": _("请填写名称，如“后勤值班群机器人”。")},
    )
    url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        error_messages={"required": _("请填写地址。")},
        widget=forms.URLInput,
        help_text=_(
            "企业微信或钉钉群机器人的 Webhook 地址，或任何接收 JSON POST 的地址；"
            "须以 http:// 或 https:// 开头。"
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_("推送的通知类型"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不勾选表示推送全部类型。"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, current_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = dict(all_kinds())
        # Keep kinds no module registers any more, so saving does not drop them silently.
        for code in current_kinds:
            choices.setdefault(code, kind_label(code))
        self.fields["kinds"].choices = sorted(choices.items())


class EmailPreferencesForm(forms.Form):
    """One “邮件提醒” checkbox per registered kind (checked = send me emails)."""

    def __init__(self, *args, muted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_fields = []
        for code, label in all_kinds():
            name = f"kind__{code}"
            self.fields[name] = forms.BooleanField(
                label=label, required=False, initial=code not in muted
            )
            self.kind_fields.append((code, name))

    def muted_kinds(self):
        return [code for code, name in self.kind_fields if not self.cleaned_data.get(name)]
