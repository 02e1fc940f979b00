from django import forms
from django.utils.translation import gettext_lazy as _

DATE_ERRORS = {
    "required": _("请选择日期。"),
    "invalid": _("请输入有效的日期，如 2027-01-01。"),
}


class HolidayOverrideForm(forms.Form):
    HOLIDAY, WORKDAY = "holiday", "workday"

    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS
    )
    end_date = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
        help_text=_("可选：录入连续多天（如 10 月 1 日至 7 日）时填写，最多 31 天。"),
    )
    day_type = forms.ChoiceField(
        label=_("安排"),
        choices=[(HOLIDAY, _("放假")), (WORKDAY, _("上班（调休）"))],
        widget=forms.RadioSelect,
        initial=HOLIDAY,
        error_messages={"required": _("请选择放假或上班。")},
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=40,
        help_text=_("如“国庆节”“国庆节调休”"),
        error_messages={
            "required": _("请填写名称，如“国庆节”或“国庆节调休”。"),
            "max_length": _("名称最多 40 个字。"),
        },
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["end_date"]

    @property
    def is_workday(self):
        return self.cleaned_data["day_type"] == self.WORKDAY
