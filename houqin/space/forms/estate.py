"""Forms of leases, renovation projects and ownership registration. They parse input only;
every rule is in services/estate.py, whose errors come back next to the fields (apply_errors).
Numbers are parsed as text so the services give the one Chinese message for each mistake."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import Building, Lease, OwnershipRecord, ProjectItem, RenovationProject

DATE = {"type": "date"}
NUMBER = {"inputmode": "decimal"}


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _required(model, name):
    # "请填写年租金。" rather than the generic "这个字段是必填项。"
    def message():
        return _("请填写%(l)s。") % {"l": str(_label(model, name)).split("（")[0]}

    return lazy(message, str)()


def _date(model, name, *, required=True, help_text=""):
    return forms.DateField(
        label=_label(model, name),
        required=required,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={
            "invalid": _("日期格式不正确，应为 YYYY-MM-DD。"),
            "required": _required(model, name),
        },
    )


def _number(model, name, *, required=True, help_text=""):
    return forms.CharField(
        label=_label(model, name),
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs=NUMBER),
        help_text=help_text,
        error_messages={"required": _required(model, name)},
    )


def _text(model, name, *, required=False, rows=None, help_text=""):
    field = model._meta.get_field(name)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=field.verbose_name,
        required=required,
        max_length=field.max_length,
        widget=widget,
        help_text=help_text,
    )


class ServiceForm(forms.Form):
    """A form whose cleaned data are the service's keyword arguments."""

    FIELDS: tuple = ()

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_from(cls, obj):
        return {name: getattr(obj, name) for name in cls.FIELDS}


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def agencies(center_id):
    return OrgUnit.objects.filter(
        center_id=center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
    ).order_by("path")


class LeaseForm(ServiceForm):
    lessor = _text(Lease, "lessor", required=True)
    address = _text(Lease, "address", required=True)
    area = _number(Lease, "area")
    annual_rent = _number(Lease, "annual_rent")
    start_date = _date(Lease, "start_date")
    end_date = _date(
        Lease, "end_date", help_text=_("到期前 60 天提醒办公用房管理员办理续租或腾退。")
    )
    approval_ref = _text(Lease, "approval_ref", help_text=_("租用办公用房须经批准。"))
    agency = AgencyChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_label(Lease, "agency"),
        required=False,
        empty_label=_("（不指定）"),
    )
    notes = _text(Lease, "notes", rows=2)

    FIELDS = (
        "lessor",
        "address",
        "area",
        "annual_rent",
        "start_date",
        "end_date",
        "approval_ref",
        "agency",
        "notes",
    )

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies(center_id)


class LeaseVacateForm(ServiceForm):
    vacated_on = _date(Lease, "vacated_on")
    annual_saving = _number(
        Lease, "annual_saving", required=False, help_text=_("不填则按年租金计算。")
    )
    notes = _text(Lease, "notes", rows=2)

    FIELDS = ("vacated_on", "annual_saving", "notes")

    def service_kwargs(self):
        data = super().service_kwargs()
        data["annual_saving"] = data["annual_saving"] or None
        return data


class ProjectForm(ServiceForm):
    title = _text(RenovationProject, "title", required=True)
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        label=_label(RenovationProject, "building"),
        required=False,
        empty_label=_("（不指定）"),
    )
    budget = _number(RenovationProject, "budget")
    contractor = _text(RenovationProject, "contractor")
    start_date = _date(RenovationProject, "start_date", required=False)
    description = forms.CharField(
        label=_label(RenovationProject, "description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    FIELDS = ("title", "building", "budget", "contractor", "start_date", "description")

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(center_id=center_id)


class ProjectItemForm(ServiceForm):
    name = _text(ProjectItem, "name", required=True)
    quantity = _number(ProjectItem, "quantity")
    unit = _text(ProjectItem, "unit", required=True)
    amount = _number(ProjectItem, "amount", required=False)
    note = _text(ProjectItem, "note")

    FIELDS = ("name", "quantity", "unit", "amount", "note")

    def service_kwargs(self):
        data = super().service_kwargs()
        data["amount"] = data["amount"] or None
        return data


class ProjectProgressForm(ServiceForm):
    progress = forms.CharField(
        label=_("进度（%）"), max_length=3, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    note = forms.CharField(
        label=_("进展情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELDS = ("progress", "note")


class ProjectCompleteForm(ServiceForm):
    finish_date = _date(RenovationProject, "finish_date")
    final_cost = _number(RenovationProject, "final_cost")
    note = forms.CharField(
        label=_("竣工说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS = ("finish_date", "final_cost", "note")


class ProjectCancelForm(ServiceForm):
    reason = forms.CharField(label=_("取消原因"), max_length=400)

    FIELDS = ("reason",)


class OwnershipForm(ServiceForm):
    status = forms.ChoiceField(
        label=_label(OwnershipRecord, "status"), choices=OwnershipRecord.Status.choices
    )
    right_holder = _text(OwnershipRecord, "right_holder")
    certificate_no = _text(OwnershipRecord, "certificate_no", help_text=_("已登记时必填。"))
    certificate_date = _date(
        OwnershipRecord, "certificate_date", required=False, help_text=_("已登记时必填。")
    )
    filing_no = _text(OwnershipRecord, "filing_no", help_text=_("已备案时必填。"))
    filing_date = _date(
        OwnershipRecord, "filing_date", required=False, help_text=_("已备案时必填。")
    )
    notes = _text(OwnershipRecord, "notes", rows=2)

    FIELDS = (
        "status",
        "right_holder",
        "certificate_no",
        "certificate_date",
        "filing_no",
        "filing_date",
        "notes",
    )


class OwnershipDocumentForm(forms.Form):
    title = forms.CharField(
        label=_("文件名称"),
        max_length=100,
        required=False,
        help_text=_("如：不动产权证书、备案回执；不填则取文件名。"),
    )
    file = forms.FileField(
        label=_("文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text=_("PDF、PNG、JPG，不超过 20 MB。"),
        error_messages={"required": _("请选择要上传的文件。")},
    )
