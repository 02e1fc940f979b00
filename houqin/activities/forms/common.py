"""Form helpers of the activities app: required fields say what is missing, like the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%Y-%m-%d"


class ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            pick = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            template = _("请选择%(l)s。") if pick else _("请填写%(l)s。")
            field.error_messages["required"] = template % {"l": field.label}


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
