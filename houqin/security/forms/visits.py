"""Forms of the gate (来访登记), arrivals and invitations. They parse input only; every rule
(ID check digit, watch list, screening, host in the agency) is in services/visits.py, whose
errors come back next to the fields (apply_errors)."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit, Person

from ..models import Gate
from ..models.visitors import IdType

PASSED = (("1", _("通过")), ("0", _("未通过")))


def host_agencies(center_id):
    """The center itself and its active agencies (who a visitor may come to see)."""
    return OrgUnit.objects.filter(
        Q(pk=center_id, kind=OrgUnit.Kind.CENTER)
        | Q(center_id=center_id, kind=OrgUnit.Kind.AGENCY, is_active=True)
    ).order_by("path")


def host_people(center_id, agency_id):
    if not agency_id:
        return Person.objects.none()
    return Person.objects.filter(
        center_id=center_id, agency_id=agency_id, status=Person.Status.ACTIVE
    ).order_by("name", "id")


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.position}）" if obj.position else obj.name


class ScreeningMixin:
    """One 通过/未通过 radio per check of the gate, when the gate records results per entry."""

    def add_screening(self, gate):
        self.check_fields = []
        if gate is None or not gate.screening_per_entry:
            return
        for check in gate.checks:
            name = f"check_{check['key']}"
            self.fields[name] = forms.ChoiceField(
                label=check["label"],
                choices=PASSED,
                widget=forms.RadioSelect(attrs={"inline": True}),
                error_messages={"required": _("请完成查验：%(l)s。") % {"l": check["label"]}},
            )
            self.check_fields.append((check["key"], name))

    def screening(self):
        return {key: self.cleaned_data[name] == "1" for key, name in self.check_fields}

    def screening_bound_fields(self):
        return [self[name] for _key, name in self.check_fields]


class RegisterForm(ScreeningMixin, forms.Form):
    """The guard's quick register form; `gate` is the guard's current gate (hidden)."""

    gate = forms.ModelChoiceField(
        label=_("门岗"), queryset=Gate.objects.none(), widget=forms.HiddenInput
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    company = forms.CharField(label=_("单位"), max_length=100, required=False)
    party_size = forms.IntegerField(
        label=_("来访人数"),
        min_value=1,
        max_value=200,
        initial=1,
        error_messages={
            "min_value": _("来访人数应在 1—200 之间。"),
            "max_value": _("来访人数应在 1—200 之间。"),
        },
    )
    host_agency = AgencyChoiceField(
        label=_("被访单位"), queryset=OrgUnit.objects.none(), empty_label=_("请选择")
    )
    host_person = PersonChoiceField(
        label=_("被访人"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("（不指定）"),
    )
    purpose = forms.CharField(label=_("事由"), max_length=200)
    plate = forms.CharField(
        label=_("车牌号"),
        max_length=12,
        required=False,
        help_text=_("驾车来访时填写，如 桂A12345。"),
    )

    def __init__(self, *args, center_id, gate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"].queryset = Gate.objects.filter(center_id=center_id, is_active=True)
        self.fields["host_agency"].queryset = host_agencies(center_id)
        self.fields["host_agency"].widget.attrs.update(
            {
                "hx-get": reverse("security:gate") + "?part=host",
                "hx-target": "#security-host-person",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        agency_id = (
            self.data.get("host_agency") if self.is_bound else self.initial.get("host_agency")
        )
        try:
            agency_id = int(getattr(agency_id, "pk", agency_id) or 0)
        except (TypeError, ValueError):
            agency_id = 0
        self.fields["host_person"].queryset = host_people(center_id, agency_id)
        self.add_screening(gate)

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "gate": data["gate"],
            "name": data["name"],
            "id_type": data["id_type"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "company": data["company"],
            "party_size": data["party_size"],
            "host_agency": data["host_agency"],
            "host_person": data["host_person"],
            "purpose": data["purpose"],
            "plate": data["plate"],
            "screening": self.screening(),
        }


class ArriveForm(ScreeningMixin, forms.Form):
    """An invited visitor arrives: the gate and, if it records per entry, the screening."""

    gate = forms.ModelChoiceField(
        label=_("门岗"), queryset=Gate.objects.none(), empty_label=_("请选择")
    )

    def __init__(self, *args, center_id, gate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"].queryset = Gate.objects.filter(center_id=center_id, is_active=True)
        if gate is not None:
            self.fields["gate"].initial = gate.pk
        self.add_screening(gate)


class InviteForm(forms.Form):
    """预约访客 on the phone; the host is the member of staff who invites."""

    name = forms.CharField(label=_("访客姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    expected_at = forms.DateTimeField(
        label=_("预计到访时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    company = forms.CharField(label=_("单位"), max_length=100, required=False)
    party_size = forms.IntegerField(
        label=_("来访人数"),
        min_value=1,
        max_value=200,
        initial=1,
        error_messages={
            "min_value": _("来访人数应在 1—200 之间。"),
            "max_value": _("来访人数应在 1—200 之间。"),
        },
    )
    purpose = forms.CharField(label=_("事由"), max_length=200)
    plate = forms.CharField(label=_("车牌号"), max_length=12, required=False)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, required=False)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        required=False,
        help_text=_("选填；加密保存，仅显示部分号码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["id_type"] = data["id_type"] or IdType.RESIDENT
        return data


class PassLookupForm(forms.Form):
    """扫码核验: the text a scanner types (the pass URL or just its code)."""

    code = forms.CharField(
        label=_("通行证二维码"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("扫描或输入通行证上的码")}
        ),
    )

    def pass_code(self):
        value = self.cleaned_data["code"].strip().rstrip("/")
        return value.rsplit("/", 1)[-1]
