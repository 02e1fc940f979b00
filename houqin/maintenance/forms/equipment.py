"""Forms of the equipment register. They parse input only; every rule is in
services/equipment.py, whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.forms import ScheduleForm

from ..models import Equipment

DATE = {"type": "date"}


def _label(name):
    return Equipment._meta.get_field(name).verbose_name


def _date(name, help_text=""):
    return forms.DateField(
        label=_label(name),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=help_text,
    )


class EquipmentForm(forms.Form):
    kind = forms.ChoiceField(label=_label("kind"), choices=[("", "—"), *Equipment.Kind.choices])
    name = forms.CharField(label=_label("name"), max_length=100)
    code = forms.CharField(
        label=_label("code"),
        max_length=50,
        help_text=_("与现场标签一致，本中心内唯一，如 PD-1F-01。"),
    )
    location = forms.CharField(label=_label("location"), max_length=200)
    model = forms.CharField(label=_label("model"), max_length=100, required=False)
    manufacturer = forms.CharField(label=_label("manufacturer"), max_length=100, required=False)
    vendor_name = forms.CharField(label=_label("vendor_name"), max_length=100, required=False)
    contract_no = forms.CharField(label=_label("contract_no"), max_length=50, required=False)
    install_date = _date("install_date")
    warranty_until = _date("warranty_until")
    contract_until = _date("contract_until", _("到期前 60 天在台账中提示。"))
    status = forms.ChoiceField(
        label=_label("status"), choices=Equipment.Status.choices, initial="in_use"
    )
    notes = forms.CharField(
        label=_label("notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FIELDS = (
        "kind",
        "name",
        "code",
        "location",
        "model",
        "manufacturer",
        "vendor_name",
        "contract_no",
        "install_date",
        "warranty_until",
        "contract_until",
        "status",
        "notes",
    )

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("文件名称"),
        max_length=100,
        required=False,
        help_text=_("如：一次系统图、使用说明书；不填则取文件名。"),
    )
    file = forms.FileField(
        label=_("文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.dwg,.docx,.xlsx"}),
        help_text=_("PDF、PNG、JPG、DWG、DOCX、XLSX，不超过 20 MB。"),
        error_messages={"required": _("请选择要上传的文件。")},
    )


class MaintenancePlanForm(ScheduleForm):
    """A preventive maintenance plan on one piece of equipment; the checklist is a formset."""

    title = forms.CharField(label=_("计划名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    vendor_name = forms.CharField(
        label=_("维保单位"),
        max_length=100,
        required=False,
        help_text=_("由维保单位上门保养时填写；由本中心维修人员登记完成情况。"),
    )
    grace_days = forms.IntegerField(
        label=_("宽限天数"),
        min_value=0,
        max_value=31,
        initial=3,
        help_text=_("应完成日期之后多少天内完成仍算按时。"),
    )

    field_order = [
        "title",
        "description",
        "vendor_name",
        "preset",
        "time",
        "months",
        "rrule",
        "dtstart",
        "workdays_only",
        "grace_days",
    ]

    def service_kwargs(self, checklist):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "vendor_name": data["vendor_name"],
            "rrule": data["rule"],
            "dtstart": data["dtstart"],
            "workdays_only": data["workdays_only"],
            "grace_minutes": data["grace_days"] * 24 * 60,
            "checklist": checklist,
        }
