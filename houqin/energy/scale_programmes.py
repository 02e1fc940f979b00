"""The 节能 scale year's programmes (part of houqin/energy/scale.py).

The 节约型机关 campaign of the two years with its scoring sheet, units, item scores and
meetings; the city's charging-station project; a garbage-sorting site per institution with
monthly inspections and the weekly weights of the larger ones; the publicity events.
"""

import datetime as dt
from decimal import Decimal

from houqin.core.scale import CENT, at, bulk_stamped

from . import demo_data as data
from .models import (
    CampaignBatch,
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyProject,
    EventActivity,
    GarbageCollection,
    PublicityEvent,
    ScoringArea,
    ScoringItem,
    ScoringSheet,
    SortingInspection,
    SortingSite,
    UnitScore,
)

U = ConservationUnit.Status


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
                self_assessed_at=at(decided - dt.timedelta(days=40), 16),
                review_score=review_score,
                reviewed_by=energy,
                decided_on=decided,
                review_comment="材料齐全，措施落实到位。"
                if review_score >= 80
                else "部分指标未达标。",
                created_at=at(dt.date(batch.year, 3, 1), 9),
                updated_at=at(decided, 17),
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
                created_at=at(dt.date(year, month, day), 18),
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
                    created_at=at(day, 16),
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
                        created_at=at(day, 17),
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
                created_at=at(end, 18),
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
            created_at=at(day, 18),
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
                    created_at=at(on, 18),
                )
            )
    return len(events) + len(bulk_stamped(ctx, EventActivity, activities))
