"""Excel helpers: strict reading of uploaded tables and safe writing of exports.

Uploaded files are untrusted: we refuse anything that is not a plain table (not xlsx, too big,
too many rows, formulas, merged cells, missing columns) with a Chinese message, before any
row is looked at. Domain validation of the rows belongs to the importing service.
"""

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    width: int = 14


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(uploaded, columns: list[Column], *, max_rows: int | None = None) -> list[dict]:
    """Return the data rows of the first sheet as dicts keyed by Column.key.

    Each dict also has "_row", the row number as Excel shows it, for error reports.
    Entirely empty rows are skipped.
    """
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    size = getattr(uploaded, "size", None)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB。")
            % {"size": size / 1048576, "limit": settings.IMPORT_MAX_BYTES / 1048576}
        )
    name = getattr(uploaded, "name", "") or ""
    if name and not name.lower().endswith(".xlsx"):
        raise ImportFileError(_("只支持 .xlsx 格式的 Excel 文件，请使用下载的模板。"))
    try:
        data = uploaded.read()
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(_("无法读取文件：不是有效的 .xlsx 文件。")) from None
    sheet = workbook.worksheets[0]
    if sheet.merged_cells.ranges:
        first = sorted(str(r) for r in sheet.merged_cells.ranges)[0]
        raise ImportFileError(
            _("表格中有合并单元格（%(range)s），请取消合并后再导入。") % {"range": first}
        )
    if sheet.max_row - 1 > max_rows:
        raise ImportFileError(
            _("数据行数过多（%(rows)d 行），单次最多导入 %(max)d 行，请拆分文件。")
            % {"rows": sheet.max_row - 1, "max": max_rows}
        )
    rows = sheet.iter_rows()
    try:
        header_cells = next(rows)
    except StopIteration:
        raise ImportFileError(_("文件是空的。")) from None
    headers = [_cell_text(c.value) for c in header_cells]
    index: dict[str, int] = {}
    for col in columns:
        if col.header in headers:
            index[col.key] = headers.index(col.header)
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing:
        raise ImportFileError(
            _("缺少必需的列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)}
        )
    result = []
    for cells in rows:
        for cell in cells:
            if cell.data_type == "f":
                raise ImportFileError(
                    _("单元格 %(cell)s 含有公式，请将公式转换为数值后再导入。")
                    % {"cell": cell.coordinate}
                )
        values = {
            key: _cell_text(cells[i].value) if i < len(cells) else "" for key, i in index.items()
        }
        if not any(values.values()):
            continue
        values["_row"] = cells[0].row
        result.append(values)
    if not result:
        raise ImportFileError(_("文件中没有数据行。"))
    return result


def _safe(value):
    # openpyxl turns any string starting with "=" into a formula: never let data do that.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def build_workbook(title: str, columns: list[Column], rows) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=col.header)
        cell.font = bold
        cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = col.width
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=i, value=_safe(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    return workbook


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=export-{stamp}.xlsx; filename*=UTF-8''{quote(filename)}-{stamp}.xlsx"
    )
    return response
