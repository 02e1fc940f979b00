"""公务用车统计表: one row per vehicle for a year (costs, km, trips) and a totals row."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from houqin.core.duties.recurrence import TZ
from houqin.core.xlsx import Column, build_workbook

from .summary import vehicle_costs

COLUMNS = [
    Column("plate", _("车牌号"), width=14),
    Column("brand_model", _("品牌型号"), width=18),
    Column("category", _("类别"), width=22),
    Column("energy", _("能源类型"), width=10),
    Column("displacement", _("排量（升）"), width=10),
    Column("price", _("购置价格（元）"), width=14),
    Column("funding", _("经费来源"), width=12),
    Column("status", _("状态"), width=8),
    Column("fuel", _("燃油（充电）费（元）"), width=14),
    Column("repair", _("维修保养费（元）"), width=14),
    Column("insurance", _("保险费（元）"), width=12),
    Column("fees", _("通行停车费（元）"), width=14),
    Column("km", _("行驶里程（公里）"), width=14),
    Column("trips", _("出车次数"), width=10),
    Column("accidents", _("事故次数"), width=10),
]


def vehicle_statistics_workbook(center, year):
    start = dt.datetime(year, 1, 1, tzinfo=TZ)
    end = dt.datetime(year + 1, 1, 1, tzinfo=TZ)
    rows, totals = [], dict.fromkeys(("fuel", "repair", "insurance", "fees", "km"), Decimal(0))
    trips = 0
    for row in vehicle_costs(center, start, end):
        v = row["vehicle"]
        rows.append(
            [
                v.plate,
                v.brand_model,
                v.get_category_display(),
                v.get_energy_display(),
                v.displacement,
                v.purchase_price,
                v.funding_source,
                v.get_status_display(),
                row["fuel"],
                row["repair"],
                row["insurance"],
                row["tolls_parking"],
                row["km"],
                row["trips"],
                None,  # 事故次数: not recorded by the system, filled in by hand
            ]
        )
        for key, src in (
            ("fuel", "fuel"),
            ("repair", "repair"),
            ("insurance", "insurance"),
            ("fees", "tolls_parking"),
            ("km", "km"),
        ):
            totals[key] += row[src]
        trips += row["trips"]
    rows.append(
        [
            _("合计（%(n)d 辆）") % {"n": len(rows)},
            *[None] * 7,
            totals["fuel"],
            totals["repair"],
            totals["insurance"],
            totals["fees"],
            totals["km"],
            trips,
            None,
        ]
    )
    return build_workbook(_("%(y)d年公务用车统计") % {"y": year}, COLUMNS, rows)
