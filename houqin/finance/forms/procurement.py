"""Forms of procurement records and voucher handovers (parsing only; rules in the services)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.org.models import OrgUnit

from ..models import BudgetProject, Procurement
from .assets import FinanceForm, choices, date_field


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year} {obj.code} {obj.name}"


class ProcurementForm(FinanceForm):
    item = forms.CharField(label=_("采购项目"), max_length=100)
    method = forms.ChoiceField(label=_("采购方式"), choices=choices(Procurement.Method.choices))
    status = forms.ChoiceField(label=_("状态"), choices=Procurement.Status.choices)
    filing_number = forms.CharField(label=_("备案编号"), max_length=60, required=False)
    project = ProjectChoiceField(
        label=_("预算项目"),
        queryset=BudgetProject.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
    )
    budget = forms.DecimalField(label=_("预算金额（元）"), max_digits=14, decimal_places=2)
    supplier = forms.CharField(label=_("供应商"), max_length=100, required=False)
    amount = forms.DecimalField(
        label=_("成交金额（元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("状态为“已签合同”及以后时，供应商、成交金额和合同日期必填。"),
    )
    contract_no = forms.CharField(label=_("合同编号"), max_length=60, required=False)
    contract_date = date_field(_("合同日期"), required=False)
    notes = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    FIELDS = (
        "item",
        "method",
        "status",
        "filing_number",
        "project",
        "budget",
        "supplier",
        "amount",
        "contract_no",
        "contract_date",
        "notes",
    )

    def __init__(self, *args, center_id, procurement=None, **kwargs):
        if procurement is not None:
            initial = {name: getattr(procurement, name) for name in self.FIELDS}
            initial["project"] = procurement.project_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["project"].queryset = BudgetProject.objects.filter(
            center_id=center_id, year__gte=year - 1
        ).order_by("-year", "code")
        if procurement is not None and procurement.project_id:
            self.fields["project"].queryset = BudgetProject.objects.filter(
                center_id=center_id
            ).order_by("-year", "code")


class VoucherPlanForm(FinanceForm):
    units = forms.ModelMultipleChoiceField(
        label=_("单位"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("需向中心移交会计凭证的单位。"),
    )
    period_start = date_field(_("所属期间起"))
    period_end = date_field(_("所属期间止"))

    def __init__(self, *args, center_id, **kwargs):
        today = timezone.localdate()
        end = today.replace(day=1) - dt.timedelta(days=1)
        kwargs.setdefault("initial", {"period_start": end.replace(day=1), "period_end": end})
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = OrgUnit.objects.filter(
            center_id=center_id, kind=OrgUnit.Kind.AGENCY, is_active=True
        ).order_by("path")


class HandoverForm(FinanceForm):
    voucher_count = forms.IntegerField(label=_("凭证张数"), min_value=1, max_value=1000000)
    volumes = forms.IntegerField(label=_("册数"), min_value=1, max_value=10000, required=False)
    handed_by = forms.CharField(label=_("移交人"), max_length=40)
    handed_on = date_field(_("移交日期"))
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"handed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
