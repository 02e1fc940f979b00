"""Forms of the fire equipment register and the cameras register. They parse input only; the
rules are in services/equipment.py, whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Camera, FireEquipment

DATE = {"type": "date"}
S = FireEquipment.Status


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _date(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=help_text,
    )


class FireEquipmentForm(forms.Form):
    code = forms.CharField(
        label=_label(FireEquipment, "code"),
        max_length=40,
        help_text=_("与器材上的标签一致，本中心内唯一，如 MHQ-1F-03。"),
    )
    kind = forms.ChoiceField(
        label=_label(FireEquipment, "kind"), choices=[("", "—"), *FireEquipment.Kind.choices]
    )
    location = forms.CharField(label=_label(FireEquipment, "location"), max_length=100)
    model = forms.CharField(label=_label(FireEquipment, "model"), max_length=60, required=False)
    quantity = forms.IntegerField(
        label=_label(FireEquipment, "quantity"), min_value=1, max_value=9999, initial=1
    )
    produced_on = _date(_label(FireEquipment, "produced_on"))
    expires_on = _date(
        _label(FireEquipment, "expires_on"), help_text=_("到期前 30 天提醒安保消防管理员。")
    )
    status = forms.ChoiceField(
        label=_label(FireEquipment, "status"),
        choices=[(S.IN_SERVICE, S.IN_SERVICE.label), (S.FAULTY, S.FAULTY.label)],
        initial=S.IN_SERVICE,
    )
    notes = forms.CharField(label=_label(FireEquipment, "notes"), max_length=200, required=False)

    FIELDS = (
        "code",
        "kind",
        "location",
        "model",
        "quantity",
        "produced_on",
        "expires_on",
        "status",
        "notes",
    )

    def __init__(self, *args, equipment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if equipment is not None and equipment.status in (S.REPLACED, S.SCRAPPED):
            # A retired piece keeps its status; only its details can be corrected.
            self.fields["status"].choices = [(equipment.status, equipment.get_status_display())]

    @classmethod
    def initial_for(cls, equipment):
        return {name: getattr(equipment, name) for name in cls.FIELDS}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class CheckForm(forms.Form):
    checked_on = _date(_("检查日期"), required=True)
    is_ok = forms.TypedChoiceField(
        label=_("检查结果"),
        choices=[("1", _("完好")), ("0", _("有问题"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("问题说明"),
        max_length=200,
        required=False,
        help_text=_("有问题时必填，如：压力不足、喷管老化、箱门损坏。"),
    )

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in ("checked_on", "is_ok", "note")}


class ReplaceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("处理方式"),
        choices=[(S.REPLACED, S.REPLACED.label), (S.SCRAPPED, S.SCRAPPED.label)],
        widget=forms.RadioSelect,
        initial=S.REPLACED,
    )
    on = _date(_("更换/报废日期"), required=True)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    new_code = forms.CharField(
        label=_("新器材编号"),
        max_length=40,
        required=False,
        help_text=_("填写则同时登记替换的新器材（类别、位置、型号、数量与原器材相同）。"),
    )
    new_produced_on = _date(_("新器材生产日期"))
    new_expires_on = _date(_("新器材有效期至"))

    def service_kwargs(self):
        return dict(self.cleaned_data)


class CameraForm(forms.Form):
    code = forms.CharField(label=_label(Camera, "code"), max_length=40)
    location = forms.CharField(label=_label(Camera, "location"), max_length=100)
    model = forms.CharField(label=_label(Camera, "model"), max_length=60, required=False)
    installed_on = _date(_label(Camera, "installed_on"))
    status = forms.ChoiceField(
        label=_label(Camera, "status"),
        choices=Camera.Status.choices,
        initial=Camera.Status.IN_SERVICE,
    )
    retired_on = _date(_label(Camera, "retired_on"), help_text=_("状态为已拆除/更换时必填。"))
    notes = forms.CharField(label=_label(Camera, "notes"), max_length=200, required=False)

    FIELDS = ("code", "location", "model", "installed_on", "status", "retired_on", "notes")

    @classmethod
    def initial_for(cls, camera):
        return {name: getattr(camera, name) for name in cls.FIELDS}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}
