"""Forms of the readings pages: the monthly entry grid (one text input per meter, named
``value_<meter pk>``), the xlsx import and the confirmation of a flagged reading. They parse
input only; services/register.py and services/readings.py hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


class ReadingEntryForm(forms.Form):
    """A text input per meter of the grid. Values stay text: the service checks them (so a
    wrong one gets the same Chinese message as in the import) and skips the blank ones."""

    def __init__(self, *args, meters, **kwargs):
        super().__init__(*args, **kwargs)
        self.meters = list(meters)
        for meter in self.meters:
            self.fields[self.field_name(meter)] = forms.CharField(
                label=_("%(c)s 读数") % {"c": meter.code},
                required=False,
                max_length=20,
                widget=forms.TextInput(
                    attrs={**DECIMAL, "aria-label": _("%(c)s 读数") % {"c": meter.code}}
                ),
            )

    @staticmethod
    def field_name(meter):
        return f"value_{meter.pk}"

    @classmethod
    def initial_for(cls, meters):
        return {
            cls.field_name(m): f"{m.current_value:.2f}"
            for m in meters
            if m.current_value is not None
        }

    def rows(self):
        """(meter, bound field) in the grid's order."""
        return [(meter, self[self.field_name(meter)]) for meter in self.meters]

    def values(self):
        return {meter: self.cleaned_data[self.field_name(meter)] for meter in self.meters}


class ReadingImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )


class ReadingConfirmForm(forms.Form):
    consumption = forms.CharField(
        label=_("核实后的当月用量"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=DECIMAL),
        help_text=_("读数无误、用量确实偏大时留空；换表或读数回退时填写实际用量。"),
    )

    def service_kwargs(self):
        value = (self.cleaned_data["consumption"] or "").strip()
        return {"consumption": value or None}
