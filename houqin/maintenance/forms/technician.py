"""Forms of the technician's phone actions: wait for parts, add photos, add material, finish."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .report import PhotosField


class WaitPartsForm(forms.Form):
    note = forms.CharField(
        label=_("所需配件"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写所需配件。")},
    )


class PhotosForm(forms.Form):
    photos = PhotosField(label=_("维修照片"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].error_messages["required"] = _("请选择要上传的照片。")


class MaterialForm(forms.Form):
    name = forms.CharField(
        label=_("材料名称"), max_length=100, error_messages={"required": _("请填写材料名称。")}
    )
    spec = forms.CharField(label=_("规格"), max_length=50, required=False)
    quantity = forms.DecimalField(
        label=_("数量"),
        max_digits=10,
        decimal_places=2,
        min_value=0.01,
        error_messages={"required": _("请填写数量。"), "invalid": _("请填写有效的数量。")},
    )
    unit = forms.CharField(label=_("单位"), max_length=10, required=False)
    unit_price = forms.DecimalField(
        label=_("单价（元）"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        error_messages={"required": _("请填写单价。"), "invalid": _("请填写有效的单价。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("quantity", "unit_price"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class FinishForm(forms.Form):
    completion_note = forms.CharField(
        label=_("维修情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写维修情况。")},
    )
    labor_cost = forms.DecimalField(
        label=_("人工费（元）"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={"invalid": _("请填写有效的人工费。")},
    )
    photos = PhotosField(label=_("完工照片"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["labor_cost"].widget.attrs["inputmode"] = "decimal"
