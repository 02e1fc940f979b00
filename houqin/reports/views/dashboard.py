"""The leader dashboard (领导看板: today's tiles, this year's trends, budget and energy) and the
city-level view (the same year figures side by side per center). Tables export as xlsx with
?export=xlsx; charts save as PNG from the browser (ECharts toolbox)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from houqin.core.xlsx import Column, build_workbook, xlsx_response

from .. import dashboard as data

VIEW_PERM = "reports.view_sectiontemplate"
FIRST_YEAR = 2000


def _year(request, today):
    raw = request.GET.get("year", "")
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= today.year:
        return int(raw)
    return today.year


def _pct(value):
    return "—" if value is None else f"{value}%"


def _append_table(workbook, title, header, rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for i, _h in enumerate(header):
        sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width = 16 if i else 28
    return sheet


def _trend_rows(year_):
    return [
        [str(label), *year_.trends[key], sum(year_.trends[key])]
        for key, (label, _unit) in data.TRENDS.items()
    ]


def _month_header():
    return [_("项目"), *[f"{m}月" for m in data.MONTHS], _("合计")]


def _export_dashboard(center, tiles, year_, budget, energy):
    title = _("%(center)s领导看板 %(year)d年") % {"center": center.name, "year": year_.year}
    workbook = build_workbook(
        _("今日"),
        [Column("label", _("项目"), width=20), Column("value", _("数量")), Column("unit", "")],
        ([str(t.label), t.value, str(t.unit)] for t in tiles),
    )
    _append_table(workbook, _("月度趋势"), _month_header(), _trend_rows(year_))
    _append_table(
        workbook,
        _("预算执行"),
        [_("项目"), _("预算（元）"), _("已支出（元）"), _("执行率（%）"), _("计划进度（%）")],
        ([r["name"], r["budget"], r["spent"], r["rate"], r["plan_pct"]] for r in budget),
    ).append([_("时间进度（%）"), None, None, year_.execution.time_pct])
    _append_table(
        workbook,
        _("能耗指标"),
        [_("指标"), _("基准年"), _("本年"), _("变化（%）"), _("应达到（%）"), _("进度")],
        (
            [
                r["name"],
                r["base"],
                r["current"],
                r["change_pct"],
                r["expected_pct"],
                _("正常") if r["on_track"] else _("滞后"),
            ]
            for r in energy
        ),
    )
    return xlsx_response(workbook, title)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def dashboard(request):
    now = timezone.now()
    today = timezone.localdate(now)
    center = request.user.center
    year = _year(request, today)
    tiles = data.today_tiles(center, now=now, user=request.user)
    year_ = data.year_figures(center, year, now=now)
    budget = data.budget_rows(year_.execution)
    energy = data.energy_rows(year_.energy)
    if request.GET.get("export") == "xlsx":
        return _export_dashboard(center, tiles, year_, budget, energy)
    totals = year_.totals
    return render(
        request,
        "reports/dashboard.html",
        {
            "center": center,
            "today": today,
            "tiles": tiles,
            "year": year,
            "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)),
            "year_figures": year_,
            "trend_rows": [
                {
                    "key": key,
                    "label": label,
                    "unit": unit,
                    "months": year_.trends[key],
                    "total": totals[key],
                }
                for key, (label, unit) in data.TRENDS.items()
            ],
            "budget_rows": budget,
            "execution": year_.execution,
            "energy_rows": energy,
            "energy_target": year_.energy_target,
            "chart_data": data.chart_data(year_),
            "active_menu": "reports_dashboard",
        },
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def city(request):
    now = timezone.now()
    today = timezone.localdate(now)
    year = _year(request, today)
    columns = [
        (center, data.year_figures(center, year, now=now))
        for center in data.visible_centers(request.user)
    ]
    rows = []
    for key, (label, unit) in data.TRENDS.items():
        rows.append({"label": f"{label}（{unit}）", "values": [y.totals[key] for _c, y in columns]})
    rows.append(
        {"label": _("预算总额（元）"), "values": [y.execution.total.budget for _c, y in columns]}
    )
    rows.append(
        {"label": _("预算执行率（%）"), "values": [y.execution.total.rate for _c, y in columns]}
    )
    rows.append(
        {"label": _("时间进度（%）"), "values": [y.execution.time_pct for _c, y in columns]}
    )
    for i, name in enumerate(("单位建筑面积能耗", "人均综合能耗", "人均用水量")):
        rows.append(
            {
                "label": _("%(name)s较基准年（%%）") % {"name": name},
                "values": [y.energy[i].change_pct if y.energy else None for _c, y in columns],
            }
        )
    if request.GET.get("export") == "xlsx":
        title = _("各中心年度数据 %(year)d年") % {"year": year}
        workbook = build_workbook(
            title,
            [Column("label", _("项目"), width=28)]
            + [Column(f"c{c.pk}", c.name, width=20) for c, _y in columns],
            ([r["label"], *r["values"]] for r in rows),
        )
        return xlsx_response(workbook, title)
    return render(
        request,
        "reports/dashboard_city.html",
        {
            "year": year,
            "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)),
            "centers": [c for c, _y in columns],
            "rows": rows,
            "single": len(columns) <= 1,
            "active_menu": "reports_dashboard",
        },
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("city/", city, name="city"),
]
