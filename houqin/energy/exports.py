"""The annual statistics workbook: 公共机构能源资源消费统计表, the report on last year's consumption
that is due by 31 March (DOMAIN.md §3), built from indicators() of the year and the year before.

Three sheets, each under the same heading (title row, 填报单位 and 报告期, column headers, a
row of units; 填报人 and 填报日期 at the foot):

  基本情况       per institution: floor area, energy-using headcount, establishment size
  能源资源消费   per institution, official vehicles and in total: every kind's physical amount in
                 its unit and in kgce, water in m³, total kgce
  主要指标       per institution and in total: the three indicators and CO₂, last year's values
                 and the change in %

Every kind has its columns, consumed or not, so the layout is the same every year."""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from houqin.core.xlsx import Column

from .indicators import Figures, to_kgce
from .models import UNITS, EnergyKind

PLACES = Decimal("0.01")
NUMBER = "#,##0.00"
INTEGER = "#,##0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
FILL = PatternFill("solid", fgColor="DDEBF7")
UNIT_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Kinds measured in standard coal (water has no kgce).
FUELS = [kind for kind in EnergyKind if kind != EnergyKind.WATER]


def _quantize(value):
    return Decimal(value).quantize(PLACES) if value is not None else None


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def _change(current, previous):
    """Change in % computed before rounding; None when there is nothing to compare with."""
    if current is None or not previous:
        return None
    return ((current - previous) / previous * 100).quantize(PLACES)


class _Sheet:
    """One sheet in the report layout: heading rows, headers, units, data, a bold total row and
    the signature line. Data never becomes a formula."""

    def __init__(self, workbook, name, columns: list[Column], context, *, groups=None):
        self.sheet = workbook.create_sheet(name)
        self.columns = columns
        width = len(columns)
        last = get_column_letter(width)
        sheet = self.sheet
        sheet["A1"] = _("%(y)s年度公共机构能源资源消费统计表") % {"y": context["year"]}
        sheet["A1"].font = TITLE
        sheet["A1"].alignment = CENTER
        sheet.merge_cells(f"A1:{last}1")
        sheet.row_dimensions[1].height = 30
        sheet["A2"] = _("填报单位：%(c)s") % {"c": context["center"]}
        self._safe(sheet["A2"])
        split = max(2, width - 2)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split - 1)
        period = sheet.cell(
            row=2,
            column=split,
            value=_("报告期：%(y)s年1月—12月") % {"y": context["year"]},
        )
        sheet.merge_cells(start_row=2, start_column=split, end_row=2, end_column=width)
        period.alignment = Alignment(horizontal="right")
        row = 3
        merged = set()  # columns whose header spans the group row and the header row
        if groups:
            # A row of groups (a kind over its columns) above the column headers; a column
            # without a group has its header over both rows.
            column = 1
            for label, span in groups:
                if not label:
                    merged.add(column)
                    cell = sheet.cell(row=row, column=column, value=columns[column - 1].header)
                    self._header(cell)
                    self._header(sheet.cell(row=row + 1, column=column))
                    sheet.merge_cells(
                        start_row=row, start_column=column, end_row=row + 1, end_column=column
                    )
                    column += 1
                    continue
                self._header(sheet.cell(row=row, column=column, value=label))
                for extra in range(1, span):
                    self._header(sheet.cell(row=row, column=column + extra))
                if span > 1:
                    sheet.merge_cells(
                        start_row=row,
                        start_column=column,
                        end_row=row,
                        end_column=column + span - 1,
                    )
                column += span
            row += 1
        for i, col in enumerate(columns, start=1):
            if i not in merged:
                self._header(sheet.cell(row=row, column=i, value=col.header))
            sheet.column_dimensions[get_column_letter(i)].width = col.width
        self.header_row = row
        row += 1
        for i, col in enumerate(columns, start=1):
            cell = sheet.cell(row=row, column=i, value=col.help or "—")
            cell.fill, cell.border, cell.alignment = UNIT_FILL, BOX, CENTER
        sheet.cell(row=row, column=1, value=_("计量单位"))
        self.next_row = row + 1
        sheet.freeze_panes = sheet.cell(row=self.next_row, column=3)
        self.context = context

    @staticmethod
    def _header(cell):
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, FILL, BOX, CENTER

    @staticmethod
    def _safe(cell):
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"

    def append(self, values, *, bold=False):
        for i, value in enumerate(values, start=1):
            if isinstance(value, Decimal):
                value = _quantize(value)
            cell = self.sheet.cell(row=self.next_row, column=i, value=value)
            self._safe(cell)
            cell.border = BOX
            if isinstance(value, Decimal):
                cell.number_format = NUMBER
            elif isinstance(value, int) and i > 1:
                cell.number_format = INTEGER
            if bold:
                cell.font = BOLD
        self.next_row += 1

    def finish(self):
        row = self.next_row + 1
        self.sheet.cell(
            row=row, column=1, value=_("填报人：%(n)s") % {"n": self.context["reporter"]}
        )
        self._safe(self.sheet.cell(row=row, column=1))
        self.sheet.cell(row=row, column=3, value=_("审核人："))
        self.sheet.cell(
            row=row,
            column=max(4, len(self.columns) - 1),
            value=_("填报日期：%(d)s") % {"d": f"{self.context['day']:%Y-%m-%d}"},
        )
        self.sheet.print_title_rows = f"1:{self.header_row + 1}"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _institution_rows(report):
    """(number, Figures) of the institutions."""
    return list(enumerate(report.rows, start=1))


def _basic_sheet(workbook, report, bases, context):
    columns = [
        Column("", _("序号"), width=6),
        Column("", _("单位名称"), width=28),
        Column("", _("建筑面积"), help="㎡", width=14),
        Column("", _("用能人数"), help=_("人"), width=12),
        Column("", _("编制人数"), help=_("人"), width=12),
        Column("", _("备注"), width=24),
    ]
    sheet = _Sheet(workbook, _("基本情况"), columns, context)
    establishment = 0
    for number, figures in _institution_rows(report):
        base = bases.get(figures.label)
        if base is None:
            sheet.append([number, figures.label, None, None, None, _("缺少本年度基础数据")])
            continue
        establishment += base.establishment
        sheet.append(
            [number, figures.label, base.floor_area, base.headcount, base.establishment, ""]
        )
    total = report.total
    sheet.append(["", _("合计"), total.floor_area, total.headcount, establishment, ""], bold=True)
    sheet.finish()


def _consumption_sheet(workbook, report, factors, context):
    columns = [Column("", _("序号"), width=6), Column("", _("单位名称"), width=28)]
    groups = [("", 1), ("", 1)]
    for kind in FUELS:
        columns.append(Column("", _("实物量"), help=UNITS[kind], width=12))
        columns.append(Column("", _("折标量"), help="kgce", width=12))
        groups.append((str(kind.label), 2))
    columns.append(Column("", _("实物量"), help="m³", width=12))
    groups.append((str(EnergyKind.WATER.label), 1))
    columns.append(Column("", _("综合能耗"), help="kgce", width=14))
    groups.append((_("合计"), 1))
    sheet = _Sheet(workbook, _("能源资源消费"), columns, context, groups=groups)

    def values(figures):
        out = []
        for kind in FUELS:
            amount = figures.amounts.get(kind, Decimal(0))
            out += [Decimal(amount), to_kgce(kind, Decimal(amount), factors)]
        return [*out, Decimal(figures.water), figures.kgce]

    for number, figures in _institution_rows(report):
        sheet.append([number, figures.label, *values(figures)])
    sheet.append(["", _("公务用车"), *values(report.vehicles)])
    sheet.append(["", _("合计"), *values(report.total)], bold=True)
    sheet.finish()


def _indicators(figures: Figures, co2):
    """Unrounded (per area, per capita, water per capita, CO₂ where factors are set)."""
    people = Decimal(figures.headcount)
    return (
        _ratio(figures.kgce, figures.floor_area),
        _ratio(figures.kgce, people),
        _ratio(figures.water, people),
        figures.co2 if co2 else None,
    )


def _indicator_sheet(workbook, report, last, context):
    year, previous = context["year"], context["year"] - 1
    names = [
        (_("单位建筑面积能耗"), "kgce/㎡"),
        (_("人均综合能耗"), "kgce/" + _("人")),
        (_("人均用水量"), "m³/" + _("人")),
        (_("二氧化碳排放量"), "kg"),
    ]
    columns = [Column("", _("序号"), width=6), Column("", _("单位名称"), width=28)]
    groups = [("", 1), ("", 1)]
    for name, unit in names:
        columns += [
            Column("", _("%(y)s年") % {"y": year}, help=unit, width=12),
            Column("", _("%(y)s年") % {"y": previous}, help=unit, width=12),
            Column("", _("增减"), help="%", width=10),
        ]
        groups.append((name, 3))
    sheet = _Sheet(workbook, _("主要指标"), columns, context, groups=groups)
    before = {figures.label: figures for figures in last.rows}

    def values(current, earlier):
        out = []
        now = _indicators(current, context["co2"])
        then = _indicators(earlier, context["co2"]) if earlier is not None else (None,) * 4
        for a, b in zip(now, then, strict=True):
            out += [a, b, _change(a, b)]
        return out

    for number, figures in _institution_rows(report):
        sheet.append([number, figures.label, *values(figures, before.get(figures.label))])
    sheet.append(["", _("合计"), *values(report.total, last.total)], bold=True)
    sheet.finish()


def statistics_workbook(*, report, last, bases, factors, center, reporter, day):
    """(workbook, number of data rows) of `report`'s year; `last` is the year before's report,
    `bases` the year's InstitutionYear by institution name, `factors` those of the year."""
    context = {
        "year": report.year,
        "center": center.name if center is not None else "",
        "reporter": getattr(reporter, "display_name", "") or str(reporter or ""),
        "day": day,
        "co2": any(factor.co2_factor is not None for factor in factors.values()),
    }
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = _("%(y)s年度公共机构能源资源消费统计表") % {"y": report.year}
    _basic_sheet(workbook, report, bases, context)
    _consumption_sheet(workbook, report, factors, context)
    _indicator_sheet(workbook, report, last, context)
    return workbook, len(report.rows) + 1
