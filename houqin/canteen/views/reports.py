"""食堂报表: the daily production sheet (生产单), meal counts (就餐统计) and the order list of
the center. Reads only (reports.py, selectors); each exportable to xlsx."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig
from openpyxl.styles import Font, PatternFill

from houqin.core.audit import record_export
from houqin.core.filters import recent_by_default
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from .. import reports
from ..filters.orders import OrderFilter
from ..forms.reports import DayForm, RangeForm
from ..selectors import orders_for
from ..tables.reports import OrderTable, meal_rank, order_lines

PAGE_SIZE = 50
# Without dates the order list shows the last month (and everything ordered ahead).
RECENT_DAYS = 31
REPORT_PERM = "canteen.view_menu"
ORDERS_PERM = "canteen.view_mealorder"


def _audit(request, model, **extra):
    record_export(request, model, **extra)


def _add_sheet(workbook, title, headers, rows, widths=None):
    """Another sheet styled like core.xlsx.build_workbook (data never becomes a formula)."""
    sheet = workbook.create_sheet(title[:31])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=i, value=header)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[cell.column_letter].width = (widths or {}).get(i, 12)
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=i, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "B2"
    return sheet


# ------------------------------------------------------------------ production sheet


def _production_xlsx(request, day, sheets):
    _audit(request, "canteen.production", date=day.isoformat())
    columns = [
        Column("meal", _("餐次"), width=8),
        Column("dish", _("菜品"), width=22),
        Column("category", _("类别"), width=8),
        Column("portions", _("份数"), width=8),
        Column("limit", _("限量"), width=8),
    ]
    data = []
    for sheet in sheets:
        meal = sheet.menu.get_meal_display()
        for row in sheet.rows:
            data.append(
                [
                    meal,
                    row.dish.name,
                    row.dish.get_category_display(),
                    row.portions,
                    row.item.daily_limit if row.item.daily_limit is not None else _("不限"),
                ]
            )
        data.append([meal, _("合计（%(n)s 笔订单）") % {"n": sheet.orders}, "", sheet.total, ""])
    workbook = build_workbook(_("生产单 %(d)s") % {"d": day.isoformat()}, columns, data)
    for sheet in sheets:
        items = sheet.items
        rows = [
            [agency.name, *agency.cells(items), agency.orders, agency.total]
            for agency in sheet.agencies
        ]
        rows.append([_("合计"), *sheet.agency_totals(), sheet.orders, sheet.total])
        _add_sheet(
            workbook,
            _("%(m)s分单位") % {"m": sheet.menu.get_meal_display()},
            [_("单位"), *[i.dish.name for i in items], _("订单数"), _("合计份数")],
            rows,
            widths={1: 24},
        )
    return xlsx_response(workbook, _("生产单%(d)s") % {"d": day.strftime("%Y%m%d")})


@login_required
@permission_required(REPORT_PERM, raise_exception=True)
def production(request):
    form = DayForm.from_get(request.GET)
    if not form.is_valid():
        messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示今天。"))
    day = form.day()
    sheets = reports.production_sheet(request.user.center_id, day)
    if request.GET.get("export") == "xlsx":
        return _production_xlsx(request, day, sheets)
    return render(
        request,
        "canteen/reports/production.html",
        {
            "form": form,
            "day": day,
            "sheets": sheets,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "active_menu": "canteen_production",
        },
    )


# ------------------------------------------------------------------ meal counts


COUNT_COLUMNS = [
    ("placed", _("订餐")),
    ("cancelled", _("取消")),
    ("collected", _("已领取")),
    ("uncollected", _("未领取")),
    ("pending", _("待取餐")),
    ("walk_in_meals", _("窗口消费")),
    ("served", _("供餐份数")),
]


def _period_label(row, by):
    return f"{row.period:%Y-%m}" if by == "month" else row.period.isoformat()


def _meal_report_xlsx(request, counts, start, end):
    _audit(request, "canteen.meal_report", rows=len(counts.rows))
    columns = [
        Column("period", _("月份") if counts.by == "month" else _("日期"), width=12),
        Column("meal", _("餐次"), width=8),
        *[Column(key, str(label), width=10) for key, label in COUNT_COLUMNS],
    ]

    def line(period, meal_label, row):
        return [period, meal_label, *[getattr(row, key) for key, _label in COUNT_COLUMNS]]

    data = [line(_period_label(row, counts.by), row.meal_label, row) for row in counts.rows]
    data += [line(_("小计"), row.meal_label, row) for row in counts.by_meal]
    data.append(line(_("合计"), _("全部"), counts.total))
    title = _("就餐统计")
    return xlsx_response(
        build_workbook(title, columns, data),
        f"{title}{start:%Y%m%d}-{end:%Y%m%d}",
    )


@login_required
@permission_required(REPORT_PERM, raise_exception=True)
def meal_report(request):
    form = RangeForm.from_get(request.GET)
    counts = None
    if form.is_valid():
        start, end, by = form.period()
        counts = reports.meal_counts(request.user.center_id, start, end, by=by)
        if request.GET.get("export") == "xlsx":
            return _meal_report_xlsx(request, counts, start, form.cleaned_data["end"])
    return render(
        request,
        "canteen/reports/meal_report.html",
        {
            "form": form,
            "counts": counts,
            "columns": COUNT_COLUMNS,
            "active_menu": "canteen_report",
        },
    )


# ------------------------------------------------------------------ orders


def _orders_xlsx(request, rows):
    _audit(request, "canteen.MealOrder", rows=rows.count())
    columns = [
        Column("date", _("就餐日期"), width=12),
        Column("meal", _("餐次"), width=8),
        Column("person", _("订餐人"), width=12),
        Column("agency", _("单位"), width=20),
        Column("lines", _("菜品"), width=36),
        Column("total", _("金额（元）"), width=10),
        Column("status", _("状态"), width=8),
        Column("created", _("下单时间"), width=18),
        Column("collected", _("领取时间"), width=18),
    ]
    data = [
        [
            o.menu.date,
            o.menu.get_meal_display(),
            o.person.name,
            o.agency.name,
            order_lines(o),
            o.total,
            o.get_status_display(),
            o.created_at,
            o.collected_at,
        ]
        for o in rows
    ]
    return xlsx_response(build_workbook(_("订餐记录"), columns, data), _("订餐记录"))


@login_required
@permission_required(ORDERS_PERM, raise_exception=True)
def order_list(request):
    queryset = orders_for(request.user).prefetch_related("lines__item__dish")
    data = recent_by_default(request.GET, days=RECENT_DAYS)
    filterset = OrderFilter(data, queryset=queryset, request=request)
    if request.GET.get("export") == "xlsx":
        rows = filterset.qs.annotate(meal_rank=meal_rank()).order_by(
            "menu__date", "meal_rank", "pk"
        )
        return _orders_xlsx(request, rows)
    table = OrderTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = (
        "canteen/reports/order_list.html#results"
        if request.htmx
        else "canteen/reports/order_list.html"
    )
    return render(
        request,
        template,
        {"table": table, "filter": filterset, "active_menu": "canteen_order_list"},
    )


urlpatterns = [
    path("manage/production/", production, name="production"),
    path("manage/report/", meal_report, name="meal_report"),
    path("manage/orders/", order_list, name="order_list"),
]
