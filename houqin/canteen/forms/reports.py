"""Forms of the canteen report pages (GET parameters: a day, a date range)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DAYS = {"day": 366, "month": 366 * 5}


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    date = forms.DateField(
        label=_("日期"),
        widget=_date_widget(),
        error_messages={"invalid": _("日期格式不正确（应为 YYYY-MM-DD）。")},
    )

    @classmethod
    def from_get(cls, data):
        form = cls(data if data.get("date") else {"date": timezone.localdate().isoformat()})
        return form

    def day(self):
        return self.cleaned_data["date"] if self.is_valid() else timezone.localdate()


class RangeForm(forms.Form):
    """起止日期 (both included, as users read them) and 按日 / 按月."""

    start = forms.DateField(
        label=_("开始日期"),
        widget=_date_widget(),
        error_messages={
            "required": _("请填写开始日期。"),
            "invalid": _("日期格式不正确（应为 YYYY-MM-DD）。"),
        },
    )
    end = forms.DateField(
        label=_("结束日期（含）"),
        widget=_date_widget(),
        error_messages={
            "required": _("请填写结束日期。"),
            "invalid": _("日期格式不正确（应为 YYYY-MM-DD）。"),
        },
    )
    by = forms.ChoiceField(
        label=_("统计方式"),
        choices=[("day", _("按日")), ("month", _("按月"))],
        error_messages={"invalid_choice": _("请选择统计方式。")},
    )

    @classmethod
    def from_get(cls, data):
        today = timezone.localdate()
        defaults = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
        defaults["by"] = "day"
        return cls({**defaults, **{k: v for k, v in data.items() if v}})

    def clean(self):
        d = super().clean()
        start, end, by = d.get("start"), d.get("end"), d.get("by")
        if start and end:
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif by in MAX_DAYS and (end - start).days >= MAX_DAYS[by]:
                self.add_error(
                    "end",
                    _("按日统计最长一年；更长的期间请按月统计。")
                    if by == "day"
                    else _("统计期间最长五年。"),
                )
        return d

    def period(self):
        """[start, end) for the reads."""
        d = self.cleaned_data
        return d["start"], d["end"] + dt.timedelta(days=1), d["by"]
