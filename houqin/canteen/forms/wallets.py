"""Forms of the wallet administration pages: top-up, adjustment, subsidy, device."""

import datetime as dt
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LedgerEntry

M = LedgerEntry.Method


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (an <input type="month">), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})
    default_error_messages = {"invalid": _("请按“年-月”填写月份，例如 2026-11。")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return dt.date(year, month, 1)
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def this_month():
    from django.utils import timezone

    return f"{timezone.localdate():%Y-%m}"


class TopupForm(forms.Form):
    """充值 at the counter. The hidden key is made when the form is shown, so submitting the
    same form twice credits once."""

    method = forms.ChoiceField(
        label=_("充值方式"),
        choices=[(M.CASH, M.CASH.label), (M.TRANSFER, M.TRANSFER.label)],
        initial=M.CASH,
    )
    amount = forms.DecimalField(
        label=_("充值金额（元）"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(
        label=_("摘要"), max_length=200, required=False, help_text=_("选填，如 收据号、转账流水号")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "topup")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("调整金额（元）"),
        max_digits=10,
        decimal_places=2,
        help_text=_("调增填正数，调减填负数，如 -12.50"),
    )
    reason = forms.CharField(label=_("调整原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "adj")
        super().__init__(*args, **kwargs)


class SubsidyRuleForm(forms.Form):
    month = MonthField(label=_("补贴月份"), initial=this_month)
    amount = forms.DecimalField(
        label=_("每人金额（元）"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rule")
        super().__init__(*args, **kwargs)


class SubsidyImportForm(forms.Form):
    month = MonthField(label=_("补贴月份"), initial=this_month)
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "import")
        super().__init__(*args, **kwargs)


class DeviceForm(forms.Form):
    name = forms.CharField(label=_("终端名称"), max_length=50, help_text=_("如 一楼取餐窗口平板"))
