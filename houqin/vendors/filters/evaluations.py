"""django-filter filterset of the evaluations list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Vendor, VendorEvaluation


def _date(label):
    return {"label": label, "widget": forms.DateInput(attrs={"type": "date"})}


class EvaluationFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(
        queryset=Vendor.objects.none(), label=_("外包单位"), empty_label=_("全部")
    )
    since = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", **_date(_("考核期间自"))
    )
    until = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", **_date(_("考核期间至"))
    )
    flagged = django_filters.ChoiceFilter(
        field_name="payment_flagged",
        choices=[("1", _("付款预警")), ("0", _("合格"))],
        label=_("考核结果"),
        empty_label=_("全部"),
        method="filter_flagged",
    )

    class Meta:
        model = VendorEvaluation
        fields = []

    def __init__(self, *args, center_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["vendor"].queryset = Vendor.objects.filter(center_id=center_id)

    def filter_flagged(self, qs, name, value):
        return qs.filter(payment_flagged=value == "1")
