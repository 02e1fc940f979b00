"""Forms of the menu management pages (dishes, meal settings, menus). They parse input; the
services in ..services.menus decide what is allowed and give the Chinese reasons."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Dish, MealSlot

# Defaults offered for a meal the center has not set up yet (DOMAIN: lunch closes at 09:30,
# dinner at 15:00, breakfast at 17:00 the day before).
SLOT_DEFAULTS = {
    "breakfast": {
        "serve_from": dt.time(7, 0),
        "serve_until": dt.time(8, 30),
        "cutoff_days_before": 1,
        "cutoff_time": dt.time(17, 0),
    },
    "lunch": {
        "serve_from": dt.time(11, 30),
        "serve_until": dt.time(13, 0),
        "cutoff_days_before": 0,
        "cutoff_time": dt.time(9, 30),
    },
    "dinner": {
        "serve_from": dt.time(17, 30),
        "serve_until": dt.time(19, 0),
        "cutoff_days_before": 0,
        "cutoff_time": dt.time(15, 0),
    },
}


def _msgs(message, **extra):
    return {"required": message, "invalid": message, "invalid_choice": message, **extra}


def _time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DishForm(forms.Form):
    name = forms.CharField(label=_("菜名"), max_length=50, error_messages=_msgs(_("请填写菜名。")))
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[("", "---------"), *Dish.Category.choices],
        error_messages=_msgs(_("请选择类别。")),
    )
    price = forms.CharField(
        label=_("价格（元）"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages=_msgs(_("请填写价格。")),
    )
    allergens = forms.CharField(
        label=_("过敏原"),
        max_length=100,
        required=False,
        help_text=_("如：花生、海鲜、麸质"),
        error_messages={"max_length": _("过敏原不能超过 100 个字。")},
    )
    notes = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("说明不能超过 200 个字。")},
    )
    photo = forms.FileField(
        label=_("照片"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG、PNG 或 WebP，不超过 5 MB。"),
    )
    remove_photo = forms.BooleanField(label=_("删除现有照片"), required=False)
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)

    FIELDS = ("name", "category", "price", "allergens", "notes", "is_active")

    def __init__(self, *args, has_photo=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_photo:
            del self.fields["remove_photo"]

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class SlotForm(forms.Form):
    """One meal's settings; the page shows one per meal (prefix = the meal)."""

    serve_from = forms.TimeField(
        label=_("开餐时间"), widget=_time_widget(), error_messages=_msgs(_("请填写开餐时间。"))
    )
    serve_until = forms.TimeField(
        label=_("收餐时间"), widget=_time_widget(), error_messages=_msgs(_("请填写收餐时间。"))
    )
    cutoff_days_before = forms.IntegerField(
        label=_("截止提前天数"),
        help_text=_("0 = 当天截止，1 = 前一天截止"),
        error_messages=_msgs(_("请填写 0 到 7 之间的整数。")),
    )
    cutoff_time = forms.TimeField(
        label=_("订餐截止时间"),
        widget=_time_widget(),
        error_messages=_msgs(_("请填写订餐截止时间。")),
    )
    order_days_ahead = forms.IntegerField(
        label=_("最多提前订餐天数"), error_messages=_msgs(_("请填写 1 到 31 之间的整数。"))
    )
    charge_uncollected = forms.BooleanField(
        label=_("未取餐照常扣费"),
        required=False,
        help_text=_("关闭后，收餐时未领取的订单自动退款到餐卡。"),
    )
    is_active = forms.BooleanField(label=_("供应该餐次"), required=False)

    FIELDS = (
        "serve_from",
        "serve_until",
        "cutoff_days_before",
        "cutoff_time",
        "order_days_ahead",
        "charge_uncollected",
        "is_active",
    )

    @classmethod
    def for_slot(cls, meal, slot: MealSlot | None, data=None):
        if slot is not None:
            initial = {name: getattr(slot, name) for name in cls.FIELDS}
        else:
            initial = {
                **SLOT_DEFAULTS[meal],
                "order_days_ahead": 7,
                "charge_uncollected": True,
                "is_active": True,
            }
        return cls(data, prefix=meal, initial=initial)

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class MenuForm(forms.Form):
    """The dishes of one meal on one day: a row per dish (选用, 限量, 价格), note, 节假日开餐.

    `dishes` are offered in order (those on the menu first, in their order); `items` maps a
    dish id to its MenuItem when the menu already has it."""

    note = forms.CharField(
        label=_("备注"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("备注不能超过 200 个字。")},
    )
    holiday_open = forms.BooleanField(
        label=_("节假日开餐"),
        required=False,
        help_text=_("该日不是工作日，勾选后职工才能订餐。"),
    )

    def __init__(self, *args, dishes, items, show_holiday=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.dishes = list(dishes)
        self.items = items
        if not show_holiday:
            del self.fields["holiday_open"]
        for dish in self.dishes:
            item = items.get(dish.pk)
            self.fields[f"pick_{dish.pk}"] = forms.BooleanField(
                label=dish.name,
                required=False,
                initial=item is not None,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"limit_{dish.pk}"] = forms.IntegerField(
                label=_("%(d)s 限量") % {"d": dish.name},
                required=False,
                min_value=0,
                max_value=10000,
                initial=item.daily_limit if item else None,
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": _("不限")}
                ),
                error_messages=_msgs(
                    _("限量须为 0 到 10000 的整数。"),
                    min_value=_("限量须为 0 到 10000 的整数。"),
                    max_value=_("限量须为 0 到 10000 的整数。"),
                ),
            )
            self.fields[f"price_{dish.pk}"] = forms.DecimalField(
                label=_("%(d)s 价格") % {"d": dish.name},
                required=False,
                min_value=0,
                max_value=999,
                decimal_places=2,
                initial=item.price if item else dish.price,
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm", "step": "0.01"}
                ),
                error_messages=_msgs(
                    _("请填写有效的价格。"),
                    min_value=_("价格不能为负数。"),
                    max_value=_("价格不能超过 999 元。"),
                    max_decimal_places=_("价格最多保留两位小数。"),
                    max_digits=_("价格不能超过 999 元。"),
                ),
            )

    def rows(self):
        """[{dish, item, pick, limit, price}] with bound fields, for the template."""
        return [
            {
                "dish": dish,
                "item": self.items.get(dish.pk),
                "pick": self[f"pick_{dish.pk}"],
                "limit": self[f"limit_{dish.pk}"],
                "price": self[f"price_{dish.pk}"],
            }
            for dish in self.dishes
        ]

    def service_items(self):
        d = self.cleaned_data
        return [
            {"dish": dish, "daily_limit": d[f"limit_{dish.pk}"], "price": d[f"price_{dish.pk}"]}
            for dish in self.dishes
            if d.get(f"pick_{dish.pk}")
        ]


class MenuCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("停供原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("已订餐的职工将全额退款，并收到停供通知。"),
        error_messages=_msgs(_("请填写停供原因。"), max_length=_("停供原因不能超过 200 个字。")),
    )
