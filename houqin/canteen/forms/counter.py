"""Forms of the pickup counter: verifying a pickup code and recording a walk-in sale."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import WalkInSale
from .staff import new_key


class VerifyForm(forms.Form):
    """The code typed at the counter: 6 digits of the current meal, or a scanned QR text."""

    menu = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=_("取餐码 / 二维码"),
        max_length=100,
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "enterkeyhint": "done",
                "placeholder": _("输入 6 位取餐码或扫码"),
                "class": "form-control form-control-lg hq-counter-code",
                "data-canteen-code": "",
            }
        ),
    )


class WalkInForm(forms.Form):
    """A meal bought at the counter, paid by the buyer's wallet or in cash."""

    menu = forms.IntegerField(widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    payment = forms.ChoiceField(
        label=_("支付方式"),
        choices=WalkInSale.Payment.choices,
        initial=WalkInSale.Payment.CASH,
        widget=forms.RadioSelect(attrs={"inline": True}),
    )
    wallet = forms.ModelChoiceField(
        label=_("付款人餐卡"),
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("所选餐卡不存在或已销户。")},
    )
    amount = forms.DecimalField(
        label=_("金额（元）"),
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        error_messages={
            "required": _("请填写金额。"),
            "invalid": _("请填写有效的金额。"),
            "min_value": _("金额不能为负数。"),
            "max_value": _("金额不能超过 1000 元。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
        },
    )
    meals = forms.IntegerField(
        label=_("份数"),
        min_value=1,
        max_value=50,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("请填写份数。"),
            "min_value": _("份数须在 1 到 50 之间。"),
            "max_value": _("份数须在 1 到 50 之间。"),
        },
    )
    description = forms.CharField(label=_("内容"), max_length=100, required=False)

    def __init__(self, *args, wallets, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)
        self.fields["wallet"].queryset = wallets

    def clean(self):
        cleaned = super().clean()
        by_wallet = cleaned.get("payment") == WalkInSale.Payment.WALLET
        if by_wallet and not cleaned.get("wallet") and "wallet" not in self.errors:
            self.add_error("wallet", _("请先搜索并选择付款人。"))
        return cleaned
