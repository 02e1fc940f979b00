"""Forms of fixed assets, transfers, disposal requests and the annual count. They parse input
only; the rules are in services/assets.py, whose errors come back next to the fields."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.maintenance.models import Equipment
from houqin.org.models import OrgUnit, Person

from ..models import AssetClass, AssetCountLine, AssetDisposal, FixedAsset

DATE_FORMAT = "%Y-%m-%d"


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


def choices(values):
    return [("", "—"), *values]


class FinanceForm(forms.Form):
    """Required fields say what is missing, like the services do (请填写… / 请选择…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.agency.short_name or obj.agency.name}）"


def units_of(center_id):
    """The center itself and the agencies it serves (not sections)."""
    return OrgUnit.objects.filter(
        Q(pk=center_id) | Q(center_id=center_id, kind=OrgUnit.Kind.AGENCY), is_active=True
    ).order_by("path")


def people_of(center_id, current=None):
    keep = Q(status=Person.Status.ACTIVE)
    if current is not None:
        keep |= Q(pk=current)
    return (
        Person.objects.filter(keep, center_id=center_id)
        .select_related("agency")
        .order_by("agency__path", "name", "id")
    )


class AssetForm(FinanceForm):
    code = forms.CharField(label=_("资产编号"), max_length=40)
    name = forms.CharField(label=_("资产名称"), max_length=100)
    asset_class = forms.ChoiceField(label=_("资产分类"), choices=choices(AssetClass.choices))
    model = forms.CharField(label=_("规格型号"), max_length=100, required=False)
    value = forms.DecimalField(label=_("原值（元）"), max_digits=14, decimal_places=2, min_value=0)
    purchase_date = date_field(_("取得日期"))
    custodian_agency = forms.ModelChoiceField(
        label=_("使用单位"), queryset=OrgUnit.objects.none(), empty_label="—"
    )
    custodian = PersonChoiceField(
        label=_("保管人"), queryset=Person.objects.none(), required=False, empty_label="—"
    )
    location = forms.CharField(label=_("存放地点"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[(s.value, s.label) for s in (FixedAsset.Status.IN_USE, FixedAsset.Status.IDLE)],
    )
    equipment = forms.ModelChoiceField(
        label=_("设备台账"),
        queryset=Equipment.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
        help_text=_("设备类资产可关联维修模块的设备台账。"),
    )

    FIELDS = (
        "code",
        "name",
        "asset_class",
        "model",
        "value",
        "purchase_date",
        "custodian_agency",
        "custodian",
        "location",
        "status",
        "equipment",
    )

    def __init__(self, *args, center_id, asset=None, **kwargs):
        if asset is not None:
            initial = {name: getattr(asset, name) for name in self.FIELDS}
            initial.update(
                custodian_agency=asset.custodian_agency_id,
                custodian=asset.custodian_id,
                equipment=asset.equipment_id,
            )
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"purchase_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["custodian_agency"].queryset = units_of(center_id)
        self.fields["custodian"].queryset = people_of(
            center_id, asset.custodian_id if asset else None
        )
        equipment = Equipment.objects.filter(center_id=center_id).exclude(fixed_asset__isnull=False)
        if asset is not None and asset.equipment_id:
            equipment = Equipment.objects.filter(
                Q(pk__in=equipment.values("pk")) | Q(pk=asset.equipment_id)
            )
        self.fields["equipment"].queryset = equipment.order_by("code", "id")


class TransferForm(FinanceForm):
    date = date_field(_("调拨日期"))
    to_agency = forms.ModelChoiceField(
        label=_("调入单位"), queryset=OrgUnit.objects.none(), empty_label="—"
    )
    to_custodian = PersonChoiceField(
        label=_("新保管人"), queryset=Person.objects.none(), required=False, empty_label="—"
    )
    to_location = forms.CharField(label=_("新存放地点"), max_length=100, required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, center_id, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = units_of(center_id)
        self.fields["to_custodian"].queryset = people_of(center_id)


class DisposalForm(FinanceForm):
    method = forms.ChoiceField(label=_("处置方式"), choices=choices(AssetDisposal.Method.choices))
    reason = forms.CharField(
        label=_("处置原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class CountStartForm(FinanceForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    notes = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


class CountLineForm(FinanceForm):
    result = forms.ChoiceField(
        label=_("盘点结果"),
        choices=choices(
            [
                (r.value, r.label)
                for r in (
                    AssetCountLine.Result.FOUND,
                    AssetCountLine.Result.MOVED,
                    AssetCountLine.Result.MISSING,
                )
            ]
        ),
    )
    found_location = forms.CharField(
        label=_("实际地点"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("实际地点")}
        ),
    )
    note = forms.CharField(
        label=_("备注"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("备注")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].widget.attrs["class"] = "form-select form-select-sm"


class SurplusForm(FinanceForm):
    description = forms.CharField(label=_("盘盈资产说明"), max_length=200)
    found_location = forms.CharField(label=_("实际地点"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CountCloseForm(FinanceForm):
    closed_on = date_field(_("完成日期"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
