from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from houqin.core.roles import ROLE_DESCRIPTIONS, Role

from .models import OrganLevel, OrgUnit, Person
from .selectors import agencies_for, org_units_for, ranks, sections_for


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败 5 次账号将被锁定 15 分钟。"),
        "inactive": _("该账号已停用，请联系中心管理员。"),
    }


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ("　" * max(obj.depth - 2, 0)) + obj.name


class OrgUnitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(OrgUnit.Kind.AGENCY, _("部门/单位")), (OrgUnit.Kind.SECTION, _("股室"))],
    )
    parent = UnitChoiceField(
        label=_("上级机构"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("（本中心）"),
    )
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    code = forms.CharField(label=_("编码"), max_length=40, required=False)
    organ_level = forms.ChoiceField(
        label=_("机关层级"), choices=OrganLevel.choices, initial=OrganLevel.COUNTY
    )
    establishment = forms.IntegerField(
        label=_("编制数"), min_value=0, max_value=100000, required=False
    )

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            org_units_for(user).filter(is_active=True).exclude(kind=OrgUnit.Kind.SECTION)
        )
        if editing:
            del self.fields["kind"]
            del self.fields["parent"]


class MoveUnitForm(forms.Form):
    parent = UnitChoiceField(
        label=_("移动到"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("（本中心）"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            org_units_for(user).filter(is_active=True).exclude(kind=OrgUnit.Kind.SECTION)
        )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "agency",
            "section",
            "rank",
            "position",
            "employment_type",
            "phone",
            "id_number",
            "note",
        ]
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = UnitChoiceField(
            label=_("所在单位"),
            queryset=org_units_for(user).filter(is_active=True).exclude(kind=OrgUnit.Kind.SECTION),
        )
        self.fields["section"] = UnitChoiceField(
            label=_("股室"), queryset=sections_for(user), required=False
        )
        self.fields["rank"].queryset = ranks()
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = _("选填；加密保存，列表与导出中脱敏显示。")
        if self.instance.pk and not kwargs.get("data"):
            # Never echo the ID number back into the page: leave blank = unchanged.
            self.initial["id_number"] = ""
            self.fields["id_number"].help_text = _("留空表示不修改。") + str(
                self.fields["id_number"].help_text
            )
        for name in ("name", "position", "note"):
            self.fields[name].max_length = self.fields[name].max_length or 200


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Person.Status.choices)
    status_date = forms.DateField(
        label=_("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


def role_choices():
    return [(r.value, f"{r.label}：{ROLE_DESCRIPTIONS[r]}") for r in Role]


class AccountCreateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("字母、数字和 @ . + - _")
    )
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=role_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.STAFF],
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean_username(self):
        import re

        value = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[\w.@+-]+", value):
            raise forms.ValidationError(_("用户名只能包含字母、数字和 @ . + - _。"))
        return value


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=role_choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


def agency_queryset(user):
    return agencies_for(user)
