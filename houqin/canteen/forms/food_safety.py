"""Forms of the food-safety pages. They only parse input; every rule is in
services/food_safety.py, whose errors come back next to the fields (apply_errors).

The morning-check and sample forms have one group of fields per worker / dish, named like the
service's error keys ("temperature_12"), so each message lands on its row.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CanteenWorker, MorningCheck, PurchaseInspection
from ..services.food_safety import SYMPTOMS, entry_field

DATE = {"type": "date"}


def _date_field(label, required=False):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE))


def _label(model, name):
    return model._meta.get_field(name).verbose_name


class WorkerForm(forms.Form):
    name = forms.CharField(label=_label(CanteenWorker, "name"), max_length=50)
    post = forms.CharField(
        label=_label(CanteenWorker, "post"),
        max_length=50,
        required=False,
        help_text=_("如：厨师、面点、切配、洗消、售卖。"),
    )
    employer = forms.CharField(
        label=_label(CanteenWorker, "employer"),
        max_length=100,
        required=False,
        help_text=_("外包餐饮公司员工请填写公司名称。"),
    )
    health_cert_no = forms.CharField(
        label=_label(CanteenWorker, "health_cert_no"), max_length=50, required=False
    )
    health_cert_expires = _date_field(_label(CanteenWorker, "health_cert_expires"))

    FIELDS = ("name", "post", "employer", "health_cert_no", "health_cert_expires")


class MorningCheckForm(forms.Form):
    """One row per active worker: temperature, the four symptoms, handling note. A row whose
    temperature is left blank is not recorded (the worker is absent)."""

    def __init__(self, *args, rows, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        for row in rows:
            check = row.check
            if check is not None:
                pk = row.worker.pk
                initial.setdefault(entry_field("temperature", pk), check.temperature)
                for name in SYMPTOMS:
                    initial.setdefault(entry_field(name, pk), getattr(check, name))
                initial.setdefault(entry_field("note", pk), check.note)
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = rows
        labels = {name: _label(MorningCheck, name) for name in SYMPTOMS}
        for row in rows:
            pk = row.worker.pk
            self.fields[entry_field("temperature", pk)] = forms.DecimalField(
                label=_("体温（℃）"),
                required=False,
                max_digits=3,
                decimal_places=1,
                widget=forms.NumberInput(
                    attrs={"step": "0.1", "min": "34", "max": "43", "inputmode": "decimal"}
                ),
            )
            for name in SYMPTOMS:
                self.fields[entry_field(name, pk)] = forms.BooleanField(
                    label=labels[name], required=False
                )
            self.fields[entry_field("note", pk)] = forms.CharField(
                label=_("处理情况"), max_length=200, required=False
            )

    def groups(self):
        """[(row, temperature field, [symptom fields], note field)] for the template."""
        return [
            (
                row,
                self[entry_field("temperature", row.worker.pk)],
                [self[entry_field(name, row.worker.pk)] for name in SYMPTOMS],
                self[entry_field("note", row.worker.pk)],
            )
            for row in self.rows
        ]

    def entries(self):
        data = self.cleaned_data
        result = []
        for row in self.rows:
            pk = row.worker.pk
            if data.get(entry_field("temperature", pk)) is None:
                continue
            entry = {"worker": row.worker, "temperature": data[entry_field("temperature", pk)]}
            for name in SYMPTOMS:
                entry[name] = bool(data.get(entry_field(name, pk)))
            entry["note"] = data.get(entry_field("note", pk), "")
            result.append(entry)
        return result


class SampleForm(forms.Form):
    """One row per dish of the menu still without a sample."""

    sealed = forms.BooleanField(
        label=_("已密封、冷藏，并贴标签注明菜名和留样时间"),
        error_messages={"required": _("请确认留样已密封冷藏并贴好标签。")},
    )

    def __init__(self, *args, dishes, kept_by="", **kwargs):
        super().__init__(*args, **kwargs)
        self.dishes = list(dishes)
        for dish in self.dishes:
            self.fields[entry_field("weight_grams", dish.pk)] = forms.IntegerField(
                label=_("留样量（克）"),
                error_messages={"required": _("请填写留样量。"), "invalid": _("请输入整数克数。")},
                widget=forms.NumberInput(attrs={"min": "125", "step": "1", "inputmode": "numeric"}),
            )
            self.fields[entry_field("kept_by", dish.pk)] = forms.CharField(
                label=_("留样人"), max_length=50, initial=kept_by
            )
            self.fields[entry_field("fridge", dish.pk)] = forms.CharField(
                label=_("存放冰箱"), max_length=50, required=False
            )

    def groups(self):
        return [
            (
                dish,
                self[entry_field("weight_grams", dish.pk)],
                self[entry_field("kept_by", dish.pk)],
                self[entry_field("fridge", dish.pk)],
            )
            for dish in self.dishes
        ]

    def entries(self):
        data = self.cleaned_data
        return [
            {
                "dish": dish,
                "weight_grams": data.get(entry_field("weight_grams", dish.pk)),
                "kept_by": data.get(entry_field("kept_by", dish.pk), ""),
                "fridge": data.get(entry_field("fridge", dish.pk), ""),
            }
            for dish in self.dishes
        ]


class PurchaseForm(forms.Form):
    purchased_on = _date_field(_label(PurchaseInspection, "purchased_on"), required=True)
    item_name = forms.CharField(label=_label(PurchaseInspection, "item_name"), max_length=100)
    spec = forms.CharField(label=_label(PurchaseInspection, "spec"), max_length=50, required=False)
    quantity = forms.DecimalField(
        label=_label(PurchaseInspection, "quantity"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )
    unit = forms.CharField(
        label=_label(PurchaseInspection, "unit"),
        max_length=10,
        help_text=_("如：千克、箱、袋。"),
    )
    production_date = _date_field(_label(PurchaseInspection, "production_date"))
    batch_no = forms.CharField(
        label=_label(PurchaseInspection, "batch_no"),
        max_length=50,
        required=False,
        help_text=_("生产日期与生产批号至少填写一项。"),
    )
    expires_on = _date_field(_label(PurchaseInspection, "expires_on"))
    supplier_name = forms.CharField(
        label=_label(PurchaseInspection, "supplier_name"), max_length=100
    )
    supplier_address = forms.CharField(
        label=_label(PurchaseInspection, "supplier_address"), max_length=200
    )
    supplier_contact = forms.CharField(
        label=_label(PurchaseInspection, "supplier_contact"), max_length=50
    )
    certificate_no = forms.CharField(
        label=_label(PurchaseInspection, "certificate_no"), max_length=100, required=False
    )
    result = forms.ChoiceField(
        label=_label(PurchaseInspection, "result"),
        choices=[("", "---------"), *PurchaseInspection.Result.choices],
    )
    note = forms.CharField(label=_label(PurchaseInspection, "note"), max_length=200, required=False)

    FIELDS = (
        "purchased_on",
        "item_name",
        "spec",
        "quantity",
        "unit",
        "production_date",
        "batch_no",
        "expires_on",
        "supplier_name",
        "supplier_address",
        "supplier_contact",
        "certificate_no",
        "result",
        "note",
    )
