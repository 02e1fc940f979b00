"""Forms of the compliance, report and standard pages. They parse input only: the day and the
year of a report (GET), and a new area standard, whose rules are in services/standards.py."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.org.models import Rank

# The 2014 standard is the oldest in force; earlier years have no data worth reporting.
FIRST_YEAR = 2000


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    """?date=YYYY-MM-DD: today when missing; a past day is answered from the history."""

    date = forms.DateField(
        label=_("核定日期"),
        widget=_date_widget(),
        error_messages={
            "required": _("请选择日期。"),
            "invalid": _("日期格式不正确（应为 YYYY-MM-DD）。"),
        },
    )

    def __init__(self, data, *, today):
        self.today = today
        super().__init__(data if data.get("date") else {"date": today.isoformat()})

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError(_("不能查看将来的日期。"))
        if day.year < FIRST_YEAR:
            raise forms.ValidationError(_("日期过早。"))
        return day

    def day(self):
        return self.cleaned_data["date"] if self.is_valid() else self.today


class YearForm(forms.Form):
    """?year=YYYY: this year when missing. A past year is reported as on its 31 December."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, data, *, today):
        self.today = today
        super().__init__(data if data.get("year") else {"year": str(today.year)})
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, _("%(y)s 年") % {"y": y}) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "请选择 %(first)s 年至 %(last)s 年之间的年度。"
        ) % {"first": FIRST_YEAR, "last": today.year}

    def chosen(self):
        return self.cleaned_data["year"] if self.is_valid() else self.today.year


def report_day(year, today=None) -> dt.date:
    """The day a year's figures are taken on: 31 December, or today for the current year."""
    today = today or timezone.localdate()
    return today if year >= today.year else dt.date(year, 12, 31)


class RankChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_organ_level_display()} · {obj.name}"


class AreaStandardForm(forms.Form):
    rank = RankChoiceField(
        label=_("职级"),
        queryset=Rank.objects.filter(is_active=True).order_by("organ_level", "-seniority"),
        empty_label="—",
        error_messages={
            "required": _("请选择职级。"),
            "invalid_choice": _("请选择职级。"),
        },
    )
    # Text, not DecimalField: the service gives the one Chinese message for every bad number.
    area_limit = forms.CharField(
        label=_("人均办公室使用面积上限（㎡）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("请填写面积上限。")},
    )
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=_date_widget(),
        error_messages={
            "required": _("请填写生效日期。"),
            "invalid": _("日期格式不正确（应为 YYYY-MM-DD）。"),
        },
    )
    basis = forms.CharField(
        label=_("依据"),
        max_length=100,
        help_text=_("文件名称及文号，如 发改投资〔2014〕2674号。"),
        error_messages={"required": _("请填写依据。")},
    )

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.fields}
