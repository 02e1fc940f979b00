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
monthly inspections and the weekly weights of the larger ones; the publicity events.
"""

import datetime as dt
from decimal import Decimal

from houqin.core.duties.recurrence import TZ
from houqin.core.duties.scale import bulk_stamped

from . import demo_data as data
from .models import (
    CampaignBatch,
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyKind,
    EnergyProject,
    EnergyTarget,
    EventActivity,
    GarbageCollection,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
    PublicityEvent,
    ScoringArea,
    ScoringItem,
    ScoringSheet,
    SortingInspection,
    SortingSite,
    UnitScore,
)
from .services.readings import HISTORY_MONTHS, SPIKE

CENT = Decimal("0.01")
U = ConservationUnit.Status
# Annual amounts of the base year per 100 people: kWh, m³ of water, m³ of gas.
PER_100 = {EnergyKind.ELECTRICITY: 380_000, EnergyKind.WATER: 4_200, EnergyKind.NATURAL_GAS: 18_000}
PROFILE = {
    EnergyKind.ELECTRICITY: data.PROFILES["office_power"],
    EnergyKind.WATER: data.PROFILES["water"],
    EnergyKind.NATURAL_GAS: data.PROFILES["canteen_gas"],
}
PREFIX = {EnergyKind.ELECTRICITY: "E", EnergyKind.WATER: "W", EnergyKind.NATURAL_GAS: "G"}


def _at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


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
    base = _at(dt.date(data.BASE_YEAR, 1, 5))
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
                    created_at=_at(dt.date(year, 1, 20)),
                )
            )
    bulk_stamped(ctx, InstitutionYear, years)
    return institutions, sizes, len(years)


def seed_meters(ctx, institutions):
    mains, subs = [], []
    set_up = _at(dt.date(data.BASE_YEAR, 1, 5))
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
                        created_at=_at(dt.date(ctx.year - 2, 12, 1)),
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
    entered = _at((month + dt.timedelta(days=40)).replace(day=5), 10)
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


# ------------------------------------------------------------------ programmes
def seed_campaign(ctx):
    rng, energy = ctx.rng, ctx.accounts["energy"]
    sheet = ScoringSheet.objects.create(
        center=ctx.center, name=data.SHEET_NAME, description=data.SHEET_DESCRIPTION
    )
    areas = ctx.bulk(
        ScoringArea,
        [
            ScoringArea(sheet=sheet, name=name, order=i)
            for i, (name, _items) in enumerate(data.SHEET)
        ],
    )
    items = ctx.bulk(
        ScoringItem,
        [
            ScoringItem(area=area, text=text, points=Decimal(points), order=k)
            for area, (_name, rows) in zip(areas, data.SHEET, strict=True)
            for k, (text, points) in enumerate(rows)
        ],
    )
    campaign = ConservationCampaign.objects.create(
        center=ctx.center,
        name=data.CAMPAIGN_NAME,
        sheet=sheet,
        start_year=ctx.year - 1,
        end_year=ctx.year,
        description=data.CAMPAIGN_DESCRIPTION,
    )
    agencies = list(ctx.agencies)
    rng.shuffle(agencies)
    first = agencies[: max(1, len(agencies) * 3 // 10)]
    second = agencies[len(first) : len(first) + max(1, len(agencies) * 3 // 10)]
    batches = ctx.bulk(
        CampaignBatch,
        [
            CampaignBatch(
                campaign=campaign,
                number=1,
                year=ctx.year - 1,
                target_units=len(first),
                deadline=dt.date(ctx.year - 1, 11, 30),
            ),
            CampaignBatch(
                campaign=campaign,
                number=2,
                year=ctx.year,
                target_units=max(1, len(second)),
                deadline=dt.date(ctx.year, 11, 30),
            ),
        ],
    )
    units, scores = [], []
    for batch, enrolled in zip(batches, (first, second), strict=True):
        for agency in enrolled:
            ratio = rng.uniform(0.72, 0.97)
            self_points, review_points = [], []
            for item in items:
                review = item.points * Decimal(str(min(1.0, ratio + rng.uniform(-0.1, 0.1))))
                review = max(Decimal(0), review.quantize(Decimal("0.1")))
                self_points.append(min(item.points, review + Decimal("0.5")))
                review_points.append(review)
            self_score, review_score = sum(self_points), sum(review_points)
            decided = dt.date(batch.year, rng.randint(10, 11), rng.randint(1, 28))
            unit = ConservationUnit(
                campaign=campaign,
                batch=batch,
                agency=agency,
                status=U.PASSED if review_score >= sheet.pass_mark else U.FAILED,
                self_score=self_score,
                self_assessed_at=_at(decided - dt.timedelta(days=40), 16),
                review_score=review_score,
                reviewed_by=energy,
                decided_on=decided,
                review_comment="材料齐全，措施落实到位。"
                if review_score >= 80
                else "部分指标未达标。",
                created_at=_at(dt.date(batch.year, 3, 1)),
                updated_at=_at(decided, 17),
            )
            units.append(unit)
            scores.append((unit, self_points, review_points))
    bulk_stamped(ctx, ConservationUnit, units)
    rows = bulk_stamped(
        ctx,
        UnitScore,
        (
            UnitScore(
                unit=unit,
                item=item,
                self_points=s,
                review_points=r,
                created_at=unit.self_assessed_at,
                updated_at=unit.updated_at,
            )
            for unit, self_points, review_points in scores
            for item, s, r in zip(items, self_points, review_points, strict=True)
        ),
    )
    meetings = []
    for when, month, day, kind, title, place, people in data.MEETINGS:
        year = ctx.year - 1 if when == "last" else ctx.year
        meetings.append(
            CampaignMeeting(
                campaign=campaign,
                kind=kind,
                date=dt.date(year, month, day),
                title=title,
                place=place,
                participants=people,
                created_at=_at(dt.date(year, month, day), 18),
            )
        )
    meetings = bulk_stamped(ctx, CampaignMeeting, meetings)
    return 2 + len(areas) + len(items) + len(batches) + len(units) + len(rows) + len(meetings)


def seed_project(ctx, institutions):
    rng = ctx.rng
    project = EnergyProject.objects.create(
        center=ctx.center,
        name=data.PROJECT_NAME,
        kind=EnergyProject.Kind.CHARGING,
        assigned_by=data.PROJECT_ASSIGNED_BY,
        year=ctx.year,
        target=data.PROJECT_TARGET,
        deadline=dt.date(ctx.year, 12, 31),
        notes=data.PROJECT_NOTES,
    )
    stations = []
    for i in range(data.PROJECT_TARGET):
        institution = institutions[i % len(institutions)]
        building = i == data.PROJECT_TARGET - 1  # one still being built at the year's end
        stations.append(
            ChargingStation(
                center=ctx.center,
                project=project,
                name=f"{institution.name}充电站{i // len(institutions) + 1}",
                site=f"{institution.name}停车场",
                institution=institution,
                piles=rng.choice((4, 6, 8, 10)),
                power_kw=Decimal(rng.choice((28, 42, 56, 70))),
                status=ChargingStation.Status.BUILDING
                if building
                else ChargingStation.Status.IN_USE,
                completed_on=None
                if building
                else dt.date(ctx.year, rng.randint(4, 12), rng.randint(1, 28)),
                notes="年底前完成调试" if building else "",
            )
        )
    return 1 + len(ctx.bulk(ChargingStation, stations))


def seed_sorting(ctx, institutions):
    rng, inspector = ctx.rng, ctx.accounts["energy"].pk
    sites = []
    for i, institution in enumerate(institutions):
        demo = i % 15 == 0
        sites.append(
            SortingSite(
                center=ctx.center,
                name=institution.name,
                kind=SortingSite.Kind.ORGAN,
                institution=institution,
                address=f"XX区解放路 {i + 1} 号",
                bins=rng.randint(2, 8),
                is_demonstration=demo,
                demonstration_level="区级示范点" if demo else "",
                recognized_on=dt.date(ctx.year - 1, 9, 10) if demo else None,
                started_on=dt.date(data.BASE_YEAR + i % 3, 7, 1),
            )
        )
    for name in ("区实验小学", "区第一中学", "区人民医院"):
        kind = SortingSite.Kind.HOSPITAL if "医院" in name else SortingSite.Kind.SCHOOL
        sites.append(
            SortingSite(
                center=ctx.center,
                name=name,
                kind=kind,
                bins=12,
                is_demonstration=name == "区实验小学",
                demonstration_level="区级示范点" if name == "区实验小学" else "",
                recognized_on=dt.date(ctx.year - 1, 9, 10) if name == "区实验小学" else None,
                started_on=dt.date(data.BASE_YEAR, 9, 1),
            )
        )
    sites = ctx.bulk(SortingSite, sites)
    inspections, collections = [], []
    for site in sites:
        rate = rng.uniform(0.78, 0.95)
        for month in range(1, 13):
            day = dt.date(ctx.year, month, rng.randint(8, 25))
            checked = site.bins * 4
            correct = min(checked, round(checked * min(1.0, rate + rng.uniform(-0.06, 0.06))))
            problem = correct < checked and rng.random() < 0.5
            inspections.append(
                SortingInspection(
                    site=site,
                    date=day,
                    inspector_id=inspector,
                    bins_checked=checked,
                    bins_correct=correct,
                    problems=rng.choice(data.SITE_PROBLEMS[1::2]) if problem else "",
                    created_at=_at(day, 16),
                )
            )
        if site.bins >= 6:  # the larger sites weigh what is collected, weekly
            day = dt.date(ctx.year, 1, 3)
            while day.year == ctx.year:
                scale = Decimal(site.bins) / 8
                collections.append(
                    GarbageCollection(
                        site=site,
                        date=day,
                        recyclable_kg=(Decimal(rng.uniform(6, 10)) * scale).quantize(CENT),
                        hazardous_kg=(Decimal(rng.uniform(0, 0.3)) * scale).quantize(CENT),
                        kitchen_kg=(Decimal(rng.uniform(40, 60)) * scale).quantize(CENT),
                        other_kg=(Decimal(rng.uniform(20, 30)) * scale).quantize(CENT),
                        recorded_by_id=inspector,
                        created_at=_at(day, 17),
                    )
                )
                day += dt.timedelta(days=7)
    inspections = bulk_stamped(ctx, SortingInspection, inspections)
    collections = bulk_stamped(ctx, GarbageCollection, collections)
    return len(sites) + len(inspections) + len(collections)


def seed_events(ctx):
    rows, activities = [], []
    for kind, title, first, last, _when, place, organizer, summary, items in data.EVENTS:
        for year in (ctx.year - 1, ctx.year):
            if any(e.kind == kind and e.start_date.year == year for e, _a in rows):
                continue
            start, end = dt.date(year, *first), dt.date(year, *last)
            event = PublicityEvent(
                center=ctx.center,
                kind=kind,
                title=title.format(y=year),
                start_date=start,
                end_date=end,
                place=place,
                organizer=organizer,
                participants=sum(item[-1] for item in items),
                summary=summary,
                created_at=_at(end, 18),
            )
            rows.append((event, items))
    for year in (ctx.year - 1, ctx.year):
        day = dt.date(year, 3, 22)
        event = PublicityEvent(
            center=ctx.center,
            kind=PublicityEvent.Kind.WATER,
            title=f"{year}年“世界水日”节水宣传",
            start_date=day,
            end_date=day,
            place="区委区政府大院",
            organizer="区机关后勤服务中心",
            participants=320,
            summary="发放节水宣传册，开展节水器具展示。",
            created_at=_at(day, 18),
        )
        rows.append((event, [(3, 22, "节水器具展示", "展示节水龙头、节水马桶。", 320)]))
    events = bulk_stamped(ctx, PublicityEvent, [e for e, _a in rows])
    for event, items in rows:
        for month, day, title, description, people in items:
            on = dt.date(event.start_date.year, month, day)
            activities.append(
                EventActivity(
                    event=event,
                    date=on,
                    title=title,
                    description=description,
                    participants=people,
                    created_at=_at(on, 18),
                )
            )
    return len(events) + len(bulk_stamped(ctx, EventActivity, activities))


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
