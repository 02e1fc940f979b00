"""Forms of scoring sheets, their items and evaluations. The evaluation form gets one input
`item_<pk>` (and `note_<pk>`) per item scored by hand; duty items are computed, not typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Contract, EvaluationSheet, Vendor
from .common import VendorsForm, choices, date_field, textarea


class SheetForm(VendorsForm):
    name = forms.CharField(label=_("考核表名称"), max_length=100)
    period = forms.ChoiceField(label=_("考核周期"), choices=choices(EvaluationSheet.Period))
    vendor_kind = forms.ChoiceField(
        label=_("适用服务类别"), choices=choices(Vendor.Kind, _("（不限）")), required=False
    )
    threshold = forms.DecimalField(
        label=_("合格分数"),
        max_digits=5,
        decimal_places=1,
        initial=80,
        help_text=_("低于此分数付款预警"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    FIELDS = ("name", "period", "vendor_kind", "threshold", "is_active")

    @classmethod
    def for_sheet(cls, sheet, data=None):
        if sheet is None:
            return cls(data)
        return cls(data, initial=cls.initial_from(sheet, cls.FIELDS))


class ItemForm(VendorsForm):
    text = forms.CharField(label=_("考核内容"), max_length=200)
    points = forms.DecimalField(label=_("分值"), max_digits=5, decimal_places=1)
    from_duties = forms.BooleanField(
        label=_("按责任事项完成率计分"),
        required=False,
        help_text=_("得分 = 分值 × 该单位责任事项按时完成率"),
    )


class EvaluationForm(VendorsForm):
    vendor = forms.ModelChoiceField(label=_("外包单位"), queryset=Vendor.objects.none())
    sheet = forms.ModelChoiceField(label=_("考核表"), queryset=EvaluationSheet.objects.none())
    period_start = date_field(_("考核期间起"))
    period_end = date_field(_("考核期间止"))
    contract = forms.ModelChoiceField(
        label=_("合同"),
        queryset=Contract.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
    )
    comment = textarea(_("考核意见"), 2000)

    def __init__(self, *args, center_id, items=(), vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(center_id=center_id, is_active=True)
        self.fields["sheet"].queryset = EvaluationSheet.objects.filter(
            center_id=center_id, is_active=True
        )
        contracts = Contract.objects.filter(center_id=center_id)
        if vendor is not None:
            contracts = contracts.filter(vendor=vendor)
        self.fields["contract"].queryset = contracts
        self.items = list(items)
        for item in self.items:
            if item.from_duties:
                continue
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label="",
                widget=forms.NumberInput(attrs={"aria-label": item.text, "step": "0.1"}),
                max_digits=5,
                decimal_places=1,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"aria-label": _("扣分说明")}),
            )
            self.fields[f"item_{item.pk}"].error_messages["required"] = _("请为“%(t)s”打分。") % {
                "t": item.text
            }

    def scored_rows(self):
        """(item, score field or None, note field or None) in the sheet's order."""
        rows = []
        for item in self.items:
            if item.from_duties:
                rows.append((item, None, None))
            else:
                rows.append((item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]))
        return rows

    def points(self):
        data = self.cleaned_data
        return {item.pk: data.get(f"item_{item.pk}") for item in self.items if not item.from_duties}

    def notes(self):
        data = self.cleaned_data
        return {
            item.pk: data.get(f"note_{item.pk}", "") for item in self.items if not item.from_duties
        }
