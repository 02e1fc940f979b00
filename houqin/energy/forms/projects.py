"""Forms of projects and their charging stations. They parse input only; every rule is in
services/projects.py, whose errors come back next to the fields (apply_errors).

`EnergyForm` and the field helpers are shared with forms/sorting.py and forms/events.py."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ChargingStation, EnergyProject, Institution

DATE_FORMAT = "%Y-%m-%d"


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


def textarea(label, limit, *, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def choices(enum):
    return [("", "—"), *enum.choices]


class EnergyForm(forms.Form):
    """Required fields say what is missing, like the services do (请填写… / 请选择…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}


def institution_field(label):
    return forms.ModelChoiceField(
        label=label,
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
    )


def institutions(center_id, current=None):
    """The center's institutions in the statistics, plus the one already chosen."""
    keep = Q(is_active=True)
    if current is not None:
        keep |= Q(pk=current)
    return Institution.objects.filter(keep, center_id=center_id).order_by("name", "id")


class ProjectForm(EnergyForm):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=choices(EnergyProject.Kind))
    assigned_by = forms.CharField(
        label=_("下达单位"),
        max_length=100,
        required=False,
        help_text=_("如：市机关事务管理局、市公共机构节能中心。"),
    )
    year = forms.IntegerField(label=_("下达年度"), min_value=2000, max_value=2100)
    target = forms.IntegerField(
        label=_("目标数量"),
        min_value=1,
        max_value=100000,
        help_text=_("充电设施建设项目：应建成的充电站数量。"),
    )
    deadline = date_field(_("完成期限"), required=False)
    notes = textarea(_("说明"), 2000)

    FIELDS = ("name", "kind", "assigned_by", "year", "target", "deadline", "notes")

    @classmethod
    def for_project(cls, project, data=None):
        if project is None:
            return cls(data, initial={"year": timezone.localdate().year})
        return cls(data, initial={name: getattr(project, name) for name in cls.FIELDS})


class StationForm(EnergyForm):
    name = forms.CharField(label=_("站点名称"), max_length=100)
    site = forms.CharField(label=_("建设地点"), max_length=200)
    institution = institution_field(_("所在公共机构"))
    piles = forms.IntegerField(label=_("充电桩数"), min_value=1, max_value=9999)
    power_kw = forms.DecimalField(
        label=_("总功率（kW）"), max_digits=8, decimal_places=1, min_value=0
    )
    status = forms.ChoiceField(label=_("状态"), choices=ChargingStation.Status.choices)
    completed_on = date_field(
        _("建成日期"), required=False, help_text=_("状态为“建成”或“投入使用”时必填。")
    )
    notes = forms.CharField(label=_("备注"), max_length=300, required=False)

    FIELDS = (
        "name",
        "site",
        "institution",
        "piles",
        "power_kw",
        "status",
        "completed_on",
        "notes",
    )

    def __init__(self, *args, center_id, station=None, **kwargs):
        if station is not None:
            initial = {name: getattr(station, name) for name in self.FIELDS}
            initial["institution"] = station.institution_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions(
            center_id, station.institution_id if station is not None else None
        )
