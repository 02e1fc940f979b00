"""Forms of the staff phone pages: ordering a meal and topping up the wallet online."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.orders import MAX_QUANTITY


def new_key() -> str:
    """An idempotency key, generated when a form is rendered (a double submit reuses it)."""
    return uuid.uuid4().hex


class OrderForm(forms.Form):
    """One quantity per menu item (0 = not wanted) and the request's idempotency key."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, items, quantities=None, editing=False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.editing = editing
        quantities = quantities or {}
        for item in self.items:
            self.fields[self.field_name(item)] = forms.IntegerField(
                label=item.dish.name,
                min_value=0,
                max_value=MAX_QUANTITY,
                required=False,
                initial=quantities.get(item.pk, 0),
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "numeric",
                        "class": "form-control text-center canteen-qty",
                        "data-canteen-qty": "",
                        "data-price": f"{item.price:.2f}",
                    }
                ),
                error_messages={
                    "min_value": _("份数不能为负数。"),
                    "max_value": _("每样菜品最多 %(limit_value)s 份。"),
                    "invalid": _("份数必须是整数。"),
                },
            )

    @staticmethod
    def field_name(item) -> str:
        return f"qty_{item.pk}"

    @property
    def rows(self):
        """(menu item, its quantity field) in menu order, for the template."""
        return [(item, self[self.field_name(item)]) for item in self.items]

    def _quantity(self, item):
        if self.is_bound and hasattr(self, "cleaned_data"):
            return self.cleaned_data.get(self.field_name(item)) or 0
        value = self[self.field_name(item)].value()
        try:
            return max(int(value or 0), 0)
        except (TypeError, ValueError):
            return 0

    @property
    def total(self) -> Decimal:
        """The total of the quantities shown (what the order will cost)."""
        return sum((item.price * self._quantity(item) for item in self.items), Decimal("0.00"))

    def lines(self):
        return [
            (item.pk, self.cleaned_data[self.field_name(item)])
            for item in self.items
            if self.cleaned_data.get(self.field_name(item))
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.lines():
            if self.editing:
                raise forms.ValidationError(
                    _("请至少选择一样菜品。如不再需要，请在订单页取消订单。")
                )
            raise forms.ValidationError(_("请至少选择一样菜品。"))
        return cleaned


class TopupForm(forms.Form):
    amount = forms.DecimalField(
        label=_("充值金额（元）"),
        min_value=Decimal("0.01"),
        max_value=Decimal("1000.00"),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.01", "placeholder": "100.00"}
        ),
        help_text=_("单笔 0.01–1000 元，支付成功后即时到账。"),
        error_messages={
            "required": _("请填写充值金额。"),
            "invalid": _("请填写有效的金额。"),
            "min_value": _("充值金额必须大于 0。"),
            "max_value": _("单笔充值不能超过 1000 元。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
        },
    )
