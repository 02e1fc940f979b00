"""Forms of the energy register: institutions and their yearly base data, meters, targets.
They parse input only; the rules are in services/register.py, whose errors come back next to
the fields (apply_errors)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import EnergyKind, EnergyTarget, Institution, InstitutionYear, Meter
from ..selectors import agency_choices_for, building_choices_for, institutions_for, meters_for

DECIMAL = {"inputmode": "decimal"}


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _decimal(label, *, help_text="", places=2, maximum=None):
    return forms.DecimalField(
        label=label,
        decimal_places=places,
        max_digits=12,
        max_value=maximum,
        help_text=help_text,
        widget=forms.TextInput(attrs=DECIMAL),
        error_messages={
            "invalid": _("请输入数字。"),
            "max_decimal_places": _("最多保留 %(max)s 位小数。"),
        },
    )


class InstitutionForm(forms.Form):
    name = forms.CharField(
        label=_label(Institution, "name"),
        max_length=100,
        help_text=_("按公共机构能源资源消费统计的填报单位名称填写。"),
    )
    agency = forms.ModelChoiceField(
        label=_label(Institution, "agency"),
        queryset=None,
        required=False,
        empty_label=_("（不对应）"),
    )
    building = forms.ModelChoiceField(
        label=_label(Institution, "building"),
        queryset=None,
        required=False,
        empty_label=_("（不对应）"),
        help_text=_("办公用房管理中登记的楼栋。"),
    )
    is_active = forms.BooleanField(
        label=_label(Institution, "is_active"),
        required=False,
        initial=True,
        help_text=_("取消后该单位不再计入能耗指标，其计量表也不再出现在录入表中。"),
    )

    FIELDS = ("name", "agency", "building", "is_active")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_choices_for(user)
        self.fields["building"].queryset = building_choices_for(user)

    @classmethod
    def initial_for(cls, institution):
        return {name: getattr(institution, name) for name in cls.FIELDS}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class InstitutionYearForm(forms.Form):
    record = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(
        label=_label(InstitutionYear, "year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("请输入年份，如 2026。")},
    )
    floor_area = _decimal(
        _label(InstitutionYear, "floor_area"), help_text=_("办公建筑面积，不含职工住宅。")
    )
    headcount = forms.IntegerField(
        label=_label(InstitutionYear, "headcount"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("含编制外的长期用能人员。"),
        error_messages={"invalid": _("请输入整数。")},
    )
    establishment = forms.IntegerField(
        label=_label(InstitutionYear, "establishment"),
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("请输入整数。")},
    )

    FIELDS = ("year", "floor_area", "headcount", "establishment")

    @classmethod
    def initial_for(cls, record, latest=None):
        """Editing `record`; or a new year: the one after the `latest` recorded (its figures
        as a starting point), else this year."""
        if record is not None:
            return {"record": record.pk, **{name: getattr(record, name) for name in cls.FIELDS}}
        if latest is None:
            return {"year": timezone.localdate().year, "establishment": 0}
        data = {name: getattr(latest, name) for name in cls.FIELDS}
        data["year"] = latest.year + 1
        return data

    def service_kwargs(self):
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["establishment"] = data["establishment"] or 0
        return data


class MeterForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_label(Meter, "institution"), queryset=None, empty_label="—"
    )
    kind = forms.ChoiceField(label=_label(Meter, "kind"), choices=[("", "—"), *EnergyKind.choices])
    code = forms.CharField(
        label=_label(Meter, "code"),
        max_length=40,
        help_text=_("与表计铭牌或供电/供水户号一致，本中心内唯一，导入时按此编号对应。"),
    )
    name = forms.CharField(label=_label(Meter, "name"), max_length=100)
    mode = forms.ChoiceField(
        label=_label(Meter, "mode"),
        choices=Meter.Mode.choices,
        initial=Meter.Mode.REGISTER,
        widget=forms.RadioSelect,
        help_text=_(
            "累计读数：每月填表上读数，系统按差值计算用量；按月用量：按账单或加油记录填当月用量。"
        ),
    )
    parent = forms.ModelChoiceField(
        label=_label(Meter, "parent"),
        queryset=None,
        required=False,
        empty_label=_("（无，本表为总表）"),
        help_text=_("分表只用于分项计量，其用量不再计入合计。须与总表同一单位、同一品种。"),
    )

    FIELDS = ("institution", "kind", "code", "name", "mode", "parent")

    def __init__(self, *args, user, meter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_for(user)
        parents = (
            meters_for(user).filter(is_active=True).order_by("institution__name", "kind", "code")
        )
        if meter is not None:
            parents = parents.exclude(pk=meter.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda m: (
            f"{m.code} {m.name}（{m.institution.name}，{m.get_kind_display()}）"
        )

    @classmethod
    def initial_for(cls, meter):
        return {name: getattr(meter, name) for name in cls.FIELDS}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class TargetForm(forms.Form):
    base_year = forms.IntegerField(
        label=_label(EnergyTarget, "base_year"),
        initial=2020,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("请输入年份，如 2020。")},
    )
    target_year = forms.IntegerField(
        label=_label(EnergyTarget, "target_year"),
        initial=2025,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("请输入年份，如 2025。")},
    )
    per_area_pct = _decimal(_label(EnergyTarget, "per_area_pct"), help_text=_("如 5 表示下降 5%。"))
    per_capita_pct = _decimal(_label(EnergyTarget, "per_capita_pct"))
    water_pct = _decimal(_label(EnergyTarget, "water_pct"))

    FIELDS = ("base_year", "target_year", "per_area_pct", "per_capita_pct", "water_pct")

    @classmethod
    def initial_for(cls, target):
        return {name: getattr(target, name) for name in cls.FIELDS}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}
