"""The tables of the compliance figures and the annual reports as xlsx sheets.

core.xlsx.build_workbook makes one sheet; these workbooks have several, so add_sheet() writes
each the same way (bold blue header, frozen header row, data never becomes a formula). Every
function returns the workbook and the number of data rows (for the export audit event)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from houqin.core.xlsx import Column

from ..compliance import ZERO
from ..reporting import KINDS

BOLD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDEBF7")


def add_sheet(workbook, title, columns: list[Column], rows, *, total=None):
    """A sheet of `rows` under the headers of `columns`; `total` is a last bold row."""
    sheet = workbook.create_sheet(title[:31])
    for i, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=col.header)
        cell.font, cell.fill = BOLD, FILL
        sheet.column_dimensions[cell.column_letter].width = col.width
    rows = list(rows)
    for r, row in enumerate([*rows, *([total] if total else [])], start=2):
        for i, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=i, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if total and r == len(rows) + 2:
                cell.font = BOLD
    sheet.freeze_panes = "B2"
    return len(rows)


def new_workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def _area(label, width=12):
    return Column("", label, width=width)


def _kind_columns():
    return [_area(_("%(k)s面积") % {"k": kind.label}) for kind in KINDS]


def rooms_text(seats):
    return "、".join(f"{seat.room}（{seat.share}㎡）" for seat in seats)


def rank_name(person):
    return person.rank.name if person.rank else _("未定职级")


# ------------------------------------------------------------------ per agency


def agency_sheet(workbook, agencies, ranks=None):
    """按单位: headcount (by rank when `ranks` is given), entitlement, areas by kind, excess."""
    ranks = ranks or []
    columns = [
        Column("", _("单位"), width=24),
        *[Column("", r.name, width=9) for r in ranks],
        *([Column("", _("未定职级"), width=9)] if ranks else []),
        Column("", _("在职人数"), width=9),
        _area(_("核定面积")),
        *_kind_columns(),
        _area(_("使用面积合计")),
        _area(_("超标面积")),
        Column("", _("超标人数"), width=9),
        _area(_("租用面积")),
    ]

    def figures(line):
        counts = line.row.counts_by_rank
        return [
            *[counts.get(r.pk, 0) for r in ranks],
            *([counts.get(None, 0)] if ranks else []),
            line.row.headcount,
            line.row.entitlement,
            *[line.areas[k] for k in KINDS],
            line.total,
            line.row.excess,
            line.row.people_over,
            line.leased,
        ]

    rows = [[line.agency.name, *figures(line)] for line in agencies]
    totals = [sum(col, 0) for col in zip(*(figures(line) for line in agencies), strict=True)]
    return add_sheet(
        workbook, _("按单位"), columns, rows, total=[_("合计"), *totals] if totals else None
    )


def over_sheet(workbook, report):
    """超标: the people over their standard, then the agencies over their entitlement."""
    columns = [
        Column("", _("类型"), width=8),
        Column("", _("姓名/单位"), width=20),
        Column("", _("所在单位"), width=24),
        Column("", _("职级"), width=12),
        _area(_("标准/核定面积")),
        _area(_("实际使用面积")),
        _area(_("超标面积")),
        Column("", _("办公室（分摊面积）"), width=40),
    ]
    rows = [
        [
            _("人员"),
            row.person.name,
            row.agency.name if row.agency else "",
            rank_name(row.person),
            row.limit,
            row.area,
            row.excess,
            rooms_text(row.seats),
        ]
        for row in report.people_over
    ]
    rows += [
        [
            _("单位"),
            row.agency.name,
            row.agency.name,
            "",
            row.entitlement,
            row.office_area,
            row.excess,
            "",
        ]
        for row in report.agencies_over
    ]
    return add_sheet(workbook, _("超标"), columns, rows)


# ------------------------------------------------------------------ compliance page


def compliance_workbook(page):
    """The compliance page on its day: agencies, people over, idle rooms, unreturned offices."""
    report = page.report
    workbook = new_workbook()
    n = agency_sheet(workbook, page.agencies)
    n += over_sheet(workbook, report)
    n += add_sheet(
        workbook,
        _("闲置房间"),
        [
            Column("", _("楼栋"), width=18),
            Column("", _("房间号"), width=10),
            Column("", _("名称"), width=16),
            Column("", _("用房类别"), width=12),
            Column("", _("具体用途"), width=12),
            _area(_("使用面积")),
        ],
        [
            [
                r.building.name,
                r.number,
                r.name,
                r.get_use_kind_display(),
                r.get_sub_use_display(),
                r.usable_area,
            ]
            for r in report.idle_rooms
        ],
    )
    n += add_sheet(
        workbook,
        _("待收回办公室"),
        [
            Column("", _("姓名"), width=12),
            Column("", _("所在单位"), width=24),
            Column("", _("状态"), width=8),
            Column("", _("变更日期"), width=12),
            Column("", _("房间"), width=20),
            Column("", _("应收回日期"), width=12),
            Column("", _("是否逾期"), width=8),
        ],
        [
            [
                u.item.occupancy.person.name,
                u.agency.name if u.agency else "",
                u.item.occupancy.person.get_status_display(),
                u.item.occupancy.person.status_date,
                str(u.item.occupancy.room),
                u.item.due,
                _("逾期") if u.item.overdue else "",
            ]
            for u in page.unreturned
        ],
    )
    n += add_sheet(
        workbook,
        _("未定职级"),
        [
            Column("", _("姓名"), width=12),
            Column("", _("所在单位"), width=24),
            Column("", _("职级"), width=12),
        ],
        [[p.name, p.agency.name, p.rank.name if p.rank else ""] for p in page.unranked],
    )
    return workbook, n


# ------------------------------------------------------------------ annual statistics


def building_sheet(workbook, buildings):
    columns = [
        Column("", _("楼栋"), width=18),
        Column("", _("编号"), width=8),
        Column("", _("地址"), width=28),
        Column("", _("产权性质"), width=10),
        Column("", _("产权单位"), width=18),
        Column("", _("建成年份"), width=9),
        _area(_("建筑面积")),
        *_kind_columns(),
        _area(_("使用面积合计")),
        Column("", _("房间数"), width=8),
        Column("", _("使用中房间"), width=10),
        _area(_("使用中面积")),
        Column("", _("闲置房间"), width=9),
        _area(_("闲置面积")),
        Column("", _("维修中房间"), width=10),
        Column("", _("权属登记状态"), width=12),
        Column("", _("不动产权证号/备案编号"), width=22),
        Column("", _("登簿/备案日期"), width=12),
    ]

    def figures(line):
        return [
            line.building.floor_area,
            *[line.areas[k] for k in KINDS],
            line.usable_area,
            line.rooms,
            line.occupied,
            line.occupied_area,
            line.idle,
            line.idle_area,
            line.repair,
        ]

    def registration(record):
        if record is None:
            return [_("未建档"), "", None]
        if record.status == record.Status.FILED:
            return [record.get_status_display(), record.filing_no, record.filing_date]
        return [record.get_status_display(), record.certificate_no, record.certificate_date]

    rows = [
        [
            b.building.name,
            b.building.code,
            b.building.address,
            b.building.get_ownership_display(),
            b.building.owner_name,
            b.building.built_year,
            *figures(b),
            *registration(b.record),
        ]
        for b in buildings
    ]
    totals = [sum(col, 0) for col in zip(*(figures(b) for b in buildings), strict=True)]
    total = [_("合计"), "", "", "", "", "", *totals] if totals else None
    return add_sheet(workbook, _("按楼栋"), columns, rows, total=total)


def lease_sheet(workbook, stats):
    columns = [
        Column("", _("出租方"), width=18),
        Column("", _("房屋地址"), width=28),
        Column("", _("使用单位"), width=20),
        _area(_("租用面积")),
        Column("", _("年租金（元）"), width=14),
        Column("", _("租期起"), width=12),
        Column("", _("租期止"), width=12),
        Column("", _("批准文号"), width=18),
        Column("", _("统计日状态"), width=10),
        Column("", _("腾退日期"), width=12),
        Column("", _("每年节约租金（元）"), width=16),
    ]
    rows = [
        [
            line.lease.lessor,
            line.lease.address,
            line.lease.agency.name if line.lease.agency else "",
            line.lease.area,
            line.lease.annual_rent,
            line.lease.start_date,
            line.lease.end_date,
            line.lease.approval_ref,
            _("租用中") if line.active else _("年内腾退"),
            None if line.active else line.lease.vacated_on,
            None if line.active else line.lease.annual_saving,
        ]
        for line in stats.leases
    ]
    rent = sum((line.lease.annual_rent for line in stats.leases if line.active), ZERO)
    total = [_("合计"), "", "", stats.leased_area, rent, "", "", "", "", "", stats.annual_saving]
    return add_sheet(workbook, _("租用"), columns, rows, total=total if rows else None)


def statistics_workbook(stats):
    workbook = new_workbook()
    workbook.properties.title = _("办公用房统计 %(y)s 年度（%(d)s）") % {
        "y": stats.year,
        "d": f"{stats.day:%Y-%m-%d}",
    }
    n = agency_sheet(workbook, stats.agencies, stats.ranks)
    n += building_sheet(workbook, stats.buildings)
    n += lease_sheet(workbook, stats)
    n += over_sheet(workbook, stats.report)
    return workbook, n


# ------------------------------------------------------------------ annual publication


def person_verdict(row):
    """是否符合 for one person of the publication list."""
    if row.person.status != row.person.Status.ACTIVE:
        return _("已%(s)s，待收回") % {"s": row.person.get_status_display()}
    if row.limit is None:
        return _("未定职级")
    if row.is_over:
        return _("超标 %(a)s㎡") % {"a": row.excess}
    return _("符合")


def publication_workbook(pub):
    columns = [
        Column("", _("单位"), width=22),
        Column("", _("楼栋"), width=16),
        Column("", _("房间号"), width=9),
        _area(_("使用面积")),
        Column("", _("使用人数"), width=9),
        Column("", _("使用人"), width=12),
        Column("", _("职级"), width=12),
        _area(_("人均分摊面积")),
        _area(_("标准面积")),
        Column("", _("是否符合标准"), width=16),
    ]
    rows = []
    for item in pub.agencies:
        for line in item.rooms:
            room = [item.agency.name, line.room.building.name, line.room.number]
            room.append(line.room.usable_area)
            if not line.people:
                rows.append([*room, 0, _("（无人使用）"), "", None, None, ""])
            for row, seat in line.people:
                person = [row.person.name, rank_name(row.person), seat.share, row.limit]
                rows.append([*room, line.occupants, *person, person_verdict(row)])
    workbook = new_workbook()
    n = add_sheet(workbook, _("%(y)s年度内部公示") % {"y": pub.year}, columns, rows)
    return workbook, n
