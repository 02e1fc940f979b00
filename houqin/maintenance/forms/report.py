"""Forms of the phone pages for reporters: report a fault, confirm / reopen / cancel it.

Forms only parse input; the rules (required location, lengths, photo types and sizes,
transitions) live in services.work_orders, whose ValidationErrors are shown on these fields
with houqin.core.forms.apply_errors.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Category, Urgency
from ..services.work_orders import MAX_PHOTOS

CATEGORY_ICONS = {
    Category.WATER: "bi-droplet",
    Category.ELECTRIC: "bi-lightning-charge",
    Category.AC: "bi-snow",
    Category.ELEVATOR: "bi-arrow-down-up",
    Category.DOOR_WINDOW: "bi-door-closed",
    Category.NETWORK: "bi-wifi",
    Category.FURNITURE: "bi-lamp",
    Category.OTHER: "bi-three-dots",
}


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        base = {
            "accept": "image/*",
            "capture": "environment",
            "multiple": True,
            "data-max": MAX_PHOTOS,
        }
        super().__init__({**base, **(attrs or {})})


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images; the bytes are checked by the service (validate_image)."""

    widget = MultipleImageInput

    def __init__(self, *args, max_files=MAX_PHOTOS, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("最多上传 %(n)s 张照片。"), params={"n": self.max_files}, code="too_many"
            )
        single = super().clean
        return [single(f, initial) for f in files]


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("报修类别"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择报修类别。")},
    )
    building = forms.CharField(label=_("楼栋"), max_length=50, required=False)
    floor = forms.CharField(label=_("楼层"), max_length=20, required=False)
    room = forms.CharField(label=_("房间"), max_length=50, required=False)
    location_text = forms.CharField(
        label=_("位置说明"),
        max_length=200,
        required=False,
        help_text=_("也可以直接写位置，如“1号楼东侧卫生间”。"),
    )
    description = forms.CharField(
        label=_("故障描述"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写故障描述。")},
    )
    photos = PhotosField(label=_("照片"), help_text=_("可拍照或从相册选择，最多 9 张。"))
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择紧急程度。")},
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("building", "floor", "room"):
            self.fields[name].widget.attrs.update(
                {"list": f"maint-{name}-list", "autocomplete": "off"}
            )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["description"].widget.attrs["placeholder"] = _("例如：水龙头漏水，关不紧")

    def category_buttons(self):
        """(value, label, icon, checked) for the big category buttons."""
        current = self["category"].value()
        return [
            (value, label, CATEGORY_ICONS.get(value, "bi-tools"), value == current)
            for value, label in Category.choices
        ]

    def urgency_buttons(self):
        current = self["urgency"].value() or Urgency.NORMAL
        return [(value, label, value == current) for value, label in Urgency.choices]

    def service_fields(self):
        data = self.cleaned_data
        return {
            "category": data["category"],
            "urgency": data["urgency"],
            "building": data["building"],
            "floor": data["floor"],
            "room": data["room"],
            "location_text": data["location_text"],
            "description": data["description"],
            "phone": data["phone"],
            "photos": data["photos"],
        }


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择 1 到 5 星评价。")},
    )
    comment = forms.CharField(
        label=_("评价"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写重新打开原因。")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=500, required=False)
