"""Field helpers shared by the vendors forms. Forms parse input only; every rule is in the
services, whose errors come back next to the fields (apply_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%Y-%m-%d"


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


def textarea(label, limit, *, rows=3, required=False):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def choices(enum, empty="—"):
    return [("", empty), *enum.choices]


class VendorsForm(forms.Form):
    """Required fields say what is missing, like the services do (请填写… / 请选择…)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}

    @classmethod
    def initial_from(cls, obj, names):
        return {name: getattr(obj, name) for name in names}
