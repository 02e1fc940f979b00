"""能耗指标: the module's home. A year's indicators (indicators.py) for all public institutions
or one, with year-on-year changes, ECharts charts (monthly kgce against last year, the energy
mix, the target progress), the table per institution and the progress against the five-year
target; and the annual statistics workbook (exports.py).

indicators() is five queries per call: the page calls it for this year, last year and the
target's base year (each once), so the page runs a constant number of queries whatever the
number of institutions, meters and readings."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.audit import record_export
from houqin.core.xlsx import xlsx_response

from ..exports import statistics_workbook
from ..indicators import (
    Figures,
    comparable_through,
    factors_on,
    indicators,
    progress,
    target_for,
    to_kgce,
)
from ..models import UNITS, EnergyKind
from ..selectors import institution_years_for, institutions_for, sees_center

VIEW_PERM = "energy.view_meterreading"
ACTIVE = "energy_indicators"
FIRST_YEAR = 2015  # the base year of the 13th five-year plan
PLACES = Decimal("0.01")
# The three indicators of the target, in the order of indicators.progress(), with their units.
PROGRESS_UNITS = ["kgce/㎡", "kgce/人", "m³/人"]


class IndicatorFilter(forms.Form):
    """?year=YYYY (this year when missing) &institution=<pk> (all when missing)."""

    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int)
    institution = forms.TypedChoiceField(
        label=gettext_lazy("公共机构"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, today, institutions):
        self.today = today
        data = {
            "year": data.get("year") or str(today.year),
            "institution": data.get("institution") or "",
        }
        super().__init__(data)
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, _("%(y)s 年") % {"y": y}) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "请选择 %(first)s 年至 %(last)s 年之间的年度。"
        ) % {"first": FIRST_YEAR, "last": today.year}
        self.fields["institution"].choices = [
            ("", _("全部公共机构")),
            *((i.pk, i.name) for i in institutions),
        ]
        self.fields["institution"].error_messages["invalid_choice"] = _(
            "所选公共机构不存在或未纳入统计。"
        )

    def chosen(self):
        """(year, institution pk or None); the defaults for what is not valid."""
        self.is_valid()
        return self.cleaned_data.get("year", self.today.year), self.cleaned_data.get("institution")


def _reports(center_id):
    """indicators() of a year (up to a month), each computed once per request."""
    cache = {}

    def get(year, through=None):
        if (year, through) not in cache:
            cache[(year, through)] = indicators(center_id, year, through=through)
        return cache[(year, through)]

    return get


def _row(report, name):
    """The Figures of institution `name` in `report` (names are unique in a center)."""
    for row in report.rows:
        if row.label == name:
            return row
    return Figures(label=name)


def _change(current, previous):
    """Change in % from `previous` to `current` (unrounded), or None without both."""
    if current is None or not previous:
        return None
    return ((current - previous) / previous * 100).quantize(PLACES)


def _raw(figures):
    """The card figures of `figures`, unrounded (the change is computed before rounding)."""
    people = Decimal(figures.headcount)
    return {
        "kgce": figures.kgce,
        "per_area": figures.kgce / figures.floor_area if figures.floor_area else None,
        "per_capita": figures.kgce / people if people else None,
        "water_per_capita": figures.water / people if people else None,
        "co2": figures.co2,
    }


def _cards(current, previous, year, *, co2):
    now, then = _raw(current), _raw(previous)
    cards = [
        ("kgce", _("综合能耗"), "kgce"),
        ("per_area", _("单位建筑面积能耗"), "kgce/㎡"),
        ("per_capita", _("人均综合能耗"), "kgce/人"),
        ("water_per_capita", _("人均用水量"), "m³/人"),
    ]
    if co2:
        cards.append(("co2", _("二氧化碳排放"), "kg"))
    result = []
    for key, label, unit in cards:
        value, before = now[key], then[key] or None  # nothing last year: no comparison
        change = _change(value, before)
        result.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "value": value.quantize(PLACES) if value is not None else None,
                "previous": before.quantize(PLACES) if before is not None else None,
                "last_year": year - 1,
                "change": change,
                "abs_change": abs(change) if change is not None else None,
                # Less is better for every figure here.
                "css": "secondary" if not change else ("success" if change < 0 else "danger"),
            }
        )
    return result


def _kinds(*figures):
    """The kinds to show as columns: those consumed, plus electricity and water always."""
    used = {EnergyKind.ELECTRICITY, EnergyKind.WATER}
    for item in figures:
        used.update(kind for kind, amount in item.amounts.items() if amount)
    return [(kind, kind.label, UNITS[kind]) for kind in EnergyKind if kind in used]


def _table_row(figures, kinds, *, key, institution=None, vehicles=False, total=False):
    return {
        "key": key,
        "label": figures.label,
        "institution": institution,
        "vehicles": vehicles,
        "total": total,
        "floor_area": figures.floor_area if figures.floor_area else None,
        "headcount": figures.headcount or None,
        "amounts": [figures.amounts.get(kind, Decimal(0)) for kind, _l, _u in kinds],
        "kgce": figures.kgce.quantize(PLACES),
        "per_area": figures.per_area,
        "per_capita": figures.per_capita,
        "water_per_capita": figures.water_per_capita,
        "co2": figures.co2.quantize(PLACES),
    }


def _number(value):
    return float(Decimal(value).quantize(PLACES)) if value is not None else None


def _chart_data(current, previous, year, factors, target_rows, target):
    months = range(1, 13)
    mix = []
    for kind in EnergyKind:
        amount = current.amounts.get(kind)
        if amount:
            kgce = to_kgce(kind, amount, factors)
            if kgce:
                mix.append({"name": str(kind.label), "value": _number(kgce)})
    data = {
        "unit": "kgce",
        "months": [_("%(m)s月") % {"m": m} for m in months],
        "current": {
            "name": _("%(y)s年") % {"y": year},
            "data": [_number(current.monthly_kgce.get(m)) for m in months],
        },
        "previous": {
            "name": _("%(y)s年") % {"y": year - 1},
            "data": [_number(previous.monthly_kgce.get(m)) for m in months],
        },
        "mix": mix,
        "target": None,
    }
    if target is not None:
        categories, base, now, goal, tips = [], [], [], [], []
        for item, unit in zip(target_rows, PROGRESS_UNITS, strict=True):
            categories.append(item.name)
            has_base = item.base_value is not None
            base.append(100 if has_base else None)
            now.append(_number(100 + item.change_pct) if item.change_pct is not None else None)
            goal.append(_number(100 - item.target_pct))
            tips.append(
                {
                    "base": _number(item.base_value),
                    "current": _number(item.current_value),
                    "unit": unit,
                }
            )
        data["target"] = {
            "categories": categories,
            "base": {"name": _("%(y)s年（基准年）") % {"y": target.base_year}, "data": base},
            "current": {"name": _("%(y)s年") % {"y": year}, "data": now},
            "goal": {"name": _("%(y)s年目标") % {"y": target.target_year}, "data": goal},
            "values": tips,
        }
    return data


def _progress_rows(target_rows):
    return [
        {
            "name": item.name,
            "unit": unit,
            "base": item.base_value,
            "current": item.current_value,
            "change": item.change_pct,
            "target": item.target_pct,
            "expected": item.expected_pct,
            "final": item.final,
            "on_track": item.on_track,
        }
        for item, unit in zip(target_rows, PROGRESS_UNITS, strict=False)
    ]


def _require_center(user):
    if not sees_center(user):
        raise PermissionDenied(_("能耗指标只对节能管理员、中心管理员和中心领导开放。"))


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def indicators_view(request):
    _require_center(request.user)
    center_id = request.user.center_id
    today = timezone.localdate()
    institutions = list(institutions_for(request.user).filter(is_active=True).order_by("name"))
    form = IndicatorFilter(request.GET, today=today, institutions=institutions)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.warning(request, error)
    year, chosen_pk = form.chosen()
    chosen = next((i for i in institutions if i.pk == chosen_pk), None)

    report_of = _reports(center_id)
    report, last = report_of(year), report_of(year - 1)
    # A year not over yet is compared with the same months of other years.
    through = comparable_through(report, today)
    last_same = report_of(year - 1, through)
    if chosen is None:
        current, previous, previous_same = report.total, last.total, last_same.total
    else:
        current, previous, previous_same = (
            _row(report, chosen.name),
            _row(last, chosen.name),
            _row(last_same, chosen.name),
        )

    target = target_for(center_id, year)
    target_rows = []
    if target is not None:
        base_report = report_of(target.base_year, through)
        base = base_report.total if chosen is None else _row(base_report, chosen.name)
        target_rows = progress(target, base, current, year=year)

    kinds = _kinds(report.total)
    by_name = {i.name: i for i in institutions}
    rows = [
        _table_row(f, kinds, key=f"i{by_name[f.label].pk}", institution=by_name[f.label])
        for f in report.rows
        if f.label in by_name
    ]
    rows.append(_table_row(report.vehicles, kinds, key="vehicles", vehicles=True))
    rows.append(_table_row(report.total, kinds, key="total", total=True))
    co2 = bool(report.total.co2 or last.total.co2)

    return render(
        request,
        "energy/indicators/indicators.html",
        {
            "form": form,
            "year": year,
            "this_year": year == today.year,
            "chosen": chosen,
            "scope_label": chosen.name if chosen else _("全部公共机构"),
            "cards": _cards(current, previous_same, year, co2=co2),
            "through": through,
            "kinds": kinds,
            "rows": rows,
            "show_co2": co2,
            "missing": report.missing_base,
            "target": target,
            "progress_rows": _progress_rows(target_rows),
            "chart_data": _chart_data(
                current, previous, year, factors_on(dt.date(year, 1, 1)), target_rows, target
            ),
            # This year: the entry page's own default (last month); a past year: its December.
            "entry_month": "" if year >= today.year else f"{year}-12",
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def indicators_export(request):
    """公共机构能源资源消费统计表 of `?year=` (default: last year, the one being reported)."""
    _require_center(request.user)
    today = timezone.localdate()
    form = IndicatorFilter(
        {"year": request.GET.get("year") or str(today.year - 1)}, today=today, institutions=[]
    )
    year, _pk = form.chosen()
    report_of = _reports(request.user.center_id)
    workbook, rows = statistics_workbook(
        report=report_of(year),
        last=report_of(year - 1),
        bases={
            base.institution.name: base
            for base in institution_years_for(request.user).filter(year=year)
        },
        factors=factors_on(dt.date(year, 1, 1)),
        center=request.user.center,
        reporter=request.user,
        day=today,
    )
    record_export(request, "energy.MeterReading", rows=rows, report="statistics", year=year)
    return xlsx_response(workbook, _("公共机构能源资源消费统计表%(y)s年度") % {"y": year})


urlpatterns = [
    path("", indicators_view, name="indicators"),
    path("indicators/export/", indicators_export, name="indicators_export"),
]
