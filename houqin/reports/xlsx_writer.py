"""The figures of the annual work summary as an xlsx: one row per Figure.

    row 1   the title ("…2026年工作总结 主要指标") and, beside it, issuer and date
    row 2   模块 | 指标代码 | 指标 | 本期 | 上期 | 增减（%） | 口径说明
    row 3…  one Figure each, in the summary's order

A value that is None (the module has no data) is written "无数据", never 0. 增减 is
(本期 − 上期) / |上期| × 100, only when both are numbers and 上期 ≠ 0; otherwise blank.
"""

import datetime as dt
import io
from decimal import Decimal

from django.apps import apps
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from . import document

NO_DATA = "无数据"

HEADERS = [
    ("模块", 12),
    ("指标代码", 30),
    ("指标", 28),
    ("本期", 14),
    ("上期", 14),
    ("增减（%）", 12),
    ("口径说明", 60),
]
COL_VALUE, COL_PREVIOUS, COL_CHANGE = 4, 5, 6
HEADER_ROW = 2


def module_name(key: str) -> str:
    """The Chinese name of the module a figure key belongs to ("meetings.total" → "会务")."""
    label = key.split(".", 1)[0]
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def change_percent(value, previous) -> float | None:
    """(value − previous) / |previous| × 100 rounded to 0.1, or None when not computable."""
    if not (is_number(value) and is_number(previous)) or previous == 0:
        return None
    return round(float(value - previous) / abs(float(previous)) * 100, 1)


def _cell_value(value):
    if value is None:
        return NO_DATA
    if isinstance(value, bool):
        return "是" if value else "否"
    if is_number(value) or isinstance(value, dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


def _put(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column, value=value)
    # openpyxl would turn a string starting with "=" into a formula: data never does that.
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def build_workbook(summary: document.Summary) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "主要指标"

    title = _put(sheet, 1, 1, f"{summary.title} 主要指标")
    title.font = Font(bold=True, size=14)
    _put(sheet, 1, len(HEADERS), "　".join(t for t in (summary.issuer, summary.date) if t))

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column, (header, width) in enumerate(HEADERS, start=1):
        cell = _put(sheet, HEADER_ROW, column, header)
        cell.font = bold
        cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = width

    wrap = Alignment(wrap_text=True, vertical="top")
    for row, figure in enumerate(summary.figures, start=HEADER_ROW + 1):
        change = change_percent(figure.value, figure.previous)
        values = [
            module_name(figure.key),
            figure.key,
            figure.label,
            _cell_value(figure.value),
            _cell_value(figure.previous),
            change,
            figure.definition or "",
        ]
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value)
            if column == COL_CHANGE and value is not None:
                cell.number_format = "+0.0;-0.0;0.0"
            elif column in (COL_VALUE, COL_PREVIOUS) and isinstance(value, float):
                cell.number_format = "#,##0.00"
            elif column in (COL_VALUE, COL_PREVIOUS) and isinstance(value, int | Decimal):
                cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.00"
            if column == len(HEADERS):
                cell.alignment = wrap
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1).coordinate
    if summary.figures:
        last = HEADER_ROW + len(summary.figures)
        sheet.auto_filter.ref = (
            f"A{HEADER_ROW}:{sheet.cell(row=last, column=len(HEADERS)).coordinate}"
        )
    return workbook


def write_xlsx(summary: document.Summary) -> bytes:
    """The summary's figures as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    build_workbook(summary).save(buffer)
    return buffer.getvalue()
