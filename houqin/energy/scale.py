"""The scale dataset of 节能 (manage.py seed_scale; see houqin/core/scale.py).

One public institution per agency (plus the center's own compound), each with its base data
for the target's base year, the year before and the year; two bill meters per energy kind
(electricity, water, and natural gas where there is a canteen: 按月用量) and two electricity
sub-meters keeping a running register (累计读数); monthly readings of the base year (main
meters) and of the 24 months up to the year's end, so 同比 and the progress against the
2020→2025 target both read; consumption and 待核实 flags derived exactly as
services.readings does (a sub-meter replaced in the year, its reading confirmed by the energy
manager). The 节约型机关 campaign of the two years with its scoring sheet, units, item scores
and meetings; the city's charging-station project; a garbage-sorting site per institution with
monthly inspections and the weekly weights of the larger ones; the publicity events (those
programmes are written by scale_programmes.py).
"""

import datetime as dt
from decimal import Decimal

from houqin.core.scale import CENT, at, bulk_stamped

from . import demo_data as data
from .models import (
    EnergyKind,
    EnergyTarget,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
)
from .scale_programmes import (
    seed_campaign,
    seed_events,
    seed_project,
    seed_sorting,
)
from .services.readings import HISTORY_MONTHS, SPIKE

# Annual amounts of the base year per 100 people: kWh, m³ of water, m³ of gas.
PER_100 = {EnergyKind.ELECTRICITY: 380_000, EnergyKind.WATER: 4_200, EnergyKind.NATURAL_GAS: 18_000}
PROFILE = {
    EnergyKind.ELECTRICITY: data.PROFILES["office_power"],
    EnergyKind.WATER: data.PROFILES["water"],
    EnergyKind.NATURAL_GAS: data.PROFILES["canteen_gas"],
}
PREFIX = {EnergyKind.ELECTRICITY: "E", EnergyKind.WATER: "W", EnergyKind.NATURAL_GAS: "G"}


def _months(first, last):
    month = first
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _factor(kind, year):
    table = data.WATER_FACTOR if kind == EnergyKind.WATER else data.ENERGY_FACTOR
    if year in table:
        return table[year]
    last = max(table)
    return table[last] - data.STEP * (year - last)


# ------------------------------------------------------------------ institutions and meters
def base_year(ctx) -> int:
    """The base year of the five-year target covering the scale year (2020 for 2025)."""
    return next((b for b, t, *_r in data.TARGETS if b < ctx.year <= t), ctx.year - 1)


def seed_institutions(ctx):
    headcounts = {}
    for person in ctx.people:
        headcounts[person.agency_id] = headcounts.get(person.agency_id, 0) + 1
    rows = [
        Institution(center=ctx.center, name=f"{ctx.center.short_name or ctx.center.name}机关大院")
    ]
    rows += [Institution(center=ctx.center, name=a.name, agency=a) for a in ctx.agencies]
    base = at(dt.date(data.BASE_YEAR, 1, 5), 9)
    for row in rows:
        row.created_at = base
    institutions = bulk_stamped(ctx, Institution, rows)
    years, sizes = [], {}
    for institution in institutions:
        people = headcounts.get(institution.agency_id, 40)
        area = Decimal(ctx.rng.randint(22, 34) * people)
        sizes[institution.pk] = (people, area)
        for year in sorted({base_year(ctx), ctx.year - 1, ctx.year}):
            growth = 1 + float(data.HEADCOUNT_GROWTH) * (year - data.BASE_YEAR)
            years.append(
                InstitutionYear(
                    institution=institution,
                    year=year,
                    floor_area=area,
                    headcount=max(1, round(people * growth)),
                    establishment=round(people * 0.85),
                    created_at=at(dt.date(year, 1, 20), 9),
                )
            )
    bulk_stamped(ctx, InstitutionYear, years)
    return institutions, sizes, len(years)


def seed_meters(ctx, institutions):
    mains, subs = [], []
    set_up = at(dt.date(data.BASE_YEAR, 1, 5), 9)
    for n, institution in enumerate(institutions, start=1):
        kinds = [EnergyKind.ELECTRICITY, EnergyKind.WATER]
        if n % 3 == 1:  # the institutions with a canteen
            kinds.append(EnergyKind.NATURAL_GAS)
        for kind in kinds:
            for k in (1, 2):
                mains.append(
                    Meter(
                        center=ctx.center,
                        institution=institution,
                        kind=kind,
                        code=f"I{n:03d}-{PREFIX[kind]}{k}",
                        name=f"{'主楼' if k == 1 else '附楼'}{kind.label}总表",
                        mode=Meter.Mode.CONSUMPTION,
                        created_at=set_up,
                    )
                )
    mains = bulk_stamped(ctx, Meter, mains)
    for main in mains:
        if main.kind == EnergyKind.ELECTRICITY and main.code.endswith("1"):
            for k, name in ((1, "中央空调分表"), (2, "照明插座分表")):
                subs.append(
                    Meter(
                        center=ctx.center,
                        institution_id=main.institution_id,
                        kind=main.kind,
                        code=f"{main.code}-{k}",
                        name=name,
                        mode=Meter.Mode.REGISTER,
                        parent=main,
                        created_at=at(dt.date(ctx.year - 2, 12, 1), 9),
                    )
                )
    subs = bulk_stamped(ctx, Meter, subs)
    return mains, subs


def _assess(mode, history, value):
    """services.readings._assess on the readings written so far: history is the list of
    (value, consumption, flagged) of the earlier months, the latest last."""
    earlier = history[-HISTORY_MONTHS:][::-1]
    reason = ""
    if mode == Meter.Mode.REGISTER:
        if not earlier:
            return Decimal("0.00"), ""
        consumption = value - earlier[0][0]
        if consumption < 0:
            return Decimal("0.00"), (
                f"读数 {value} 小于上月读数 {earlier[0][0]}，请核实（是否换表）。"
            )
    else:
        consumption = value
    usual = [c for _v, c, flagged in earlier if not flagged]
    if usual:
        mean = sum(usual, Decimal(0)) / len(usual)
        if mean > 0 and consumption > SPIKE * mean:
            reason = f"用量 {consumption} 超过此前月均 {mean.quantize(CENT)} 的 3 倍，请核实。"
    return consumption, reason


def seed_readings(ctx, mains, subs, sizes):
    rng = ctx.rng
    energy = ctx.accounts["energy"].pk
    months = {dt.date(base_year(ctx), m, 1) for m in range(1, 13)}
    months = sorted(months | set(_months(dt.date(ctx.year - 1, 1, 1), dt.date(ctx.year, 12, 1))))
    rows, used = [], {}
    for meter in mains:
        people, _area = sizes[meter.institution_id]
        annual = Decimal(PER_100[meter.kind] * people / 100) * Decimal(
            "0.6" if meter.code.endswith("2") else "1"
        )
        weights = PROFILE[meter.kind]
        history = []
        for month in months:
            share = Decimal(str(weights[month.month - 1] / sum(weights)))
            wobble = Decimal(str(1 + rng.uniform(-0.04, 0.04)))
            value = (annual * share * _factor(meter.kind, month.year) * wobble).quantize(CENT)
            consumption, reason = _assess(meter.mode, history, value)
            history.append((value, consumption, bool(reason)))
            used[(meter.pk, month)] = consumption
            rows.append(_reading(meter, month, value, consumption, reason, energy))
    replaced = subs[len(subs) // 2] if subs else None
    replaced_month = dt.date(ctx.year, 6, 1)
    for meter in subs:
        share = Decimal("0.36") if meter.code.endswith("-1") else Decimal("0.41")
        register = Decimal(rng.randint(100_000, 600_000))
        history = []
        for month in _months(dt.date(ctx.year - 2, 12, 1), dt.date(ctx.year, 12, 1)):
            true_use = Decimal(0)
            if history:
                true_use = (used[(meter.parent_id, month)] * share).quantize(CENT)
                register += true_use
            if meter is replaced and month == replaced_month:
                register = true_use  # the new meter's register started from zero
            consumption, reason = _assess(meter.mode, history, register)
            history.append((register, consumption, bool(reason)))
            reading = _reading(meter, month, register, consumption, reason, energy)
            if reason and meter is replaced and month == replaced_month:
                # 核实: the energy manager confirmed it with the true month's use.
                reading.flagged, reading.flag_reason = False, ""
                reading.consumption, reading.confirmed_by_id = true_use, energy
                history[-1] = (register, true_use, False)
            rows.append(reading)
    return len(bulk_stamped(ctx, MeterReading, rows))


def _reading(meter, month, value, consumption, reason, user):
    entered = at((month + dt.timedelta(days=40)).replace(day=5), 10)
    return MeterReading(
        meter=meter,
        month=month,
        value=value,
        consumption=consumption,
        flagged=bool(reason),
        flag_reason=reason[:200],
        entered_by_id=user,
        created_at=entered,
        updated_at=entered,
    )


def seed(ctx) -> int:
    institutions, sizes, rows = seed_institutions(ctx)
    mains, subs = seed_meters(ctx, institutions)
    rows += len(institutions) + len(mains) + len(subs)
    rows += seed_readings(ctx, mains, subs, sizes)
    rows += len(
        ctx.bulk(
            EnergyTarget,
            [
                EnergyTarget(
                    center=ctx.center,
                    base_year=base,
                    target_year=target,
                    per_area_pct=Decimal(area),
                    per_capita_pct=Decimal(capita),
                    water_pct=Decimal(water),
                )
                for base, target, area, capita, water in data.TARGETS
            ],
        )
    )
    rows += seed_campaign(ctx)
    rows += seed_project(ctx, institutions)
    rows += seed_sorting(ctx, institutions)
    rows += seed_events(ctx)
    ctx.log(f"    公共机构 {len(institutions)} 个，计量表 {len(mains) + len(subs)} 块")
    return rows
