"""Demo 节约型机关 campaign, charging project, garbage sorting and events (called by demo.seed)."""

import datetime as dt
import random
from decimal import Decimal

from houqin.org.models import OrgUnit
from houqin.org.scoping import user_agency

from . import demo_data as data
from .models import (
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyProject,
    EventActivity,
    GarbageCollection,
    Institution,
    PublicityEvent,
    ScoringItem,
    ScoringSheet,
    SortingInspection,
    SortingSite,
)
from .services import conservation, events, projects, sorting


def _year(which, today):
    return today.year - 1 if which == "last" else today.year


# ------------------------------------------------------------------ 节约型机关


def seed_sheet(center, actor):
    if ScoringSheet.objects.filter(center=center, name=data.SHEET_NAME).exists():
        return []
    sheet = conservation.sheet_create(
        actor=actor,
        center=center,
        name=data.SHEET_NAME,
        pass_mark=Decimal(80),
        description=data.SHEET_DESCRIPTION,
    )
    created = [sheet]
    for order, (area_name, items) in enumerate(data.SHEET, start=1):
        area = conservation.area_add(actor=actor, sheet=sheet, name=area_name, order=order)
        created.append(area)
        for n, (text, points) in enumerate(items, start=1):
            created.append(
                conservation.item_add(
                    actor=actor, area=area, text_value=text, points=Decimal(points), order=n
                )
            )
    return created


def _points(items, score):
    """Item points adding up to `score` (of 100): each item scaled, in half points, the
    remainder taken off the largest items."""
    ratio = Decimal(score) / Decimal(100)
    points = {
        item.pk: min(item.points, (item.points * ratio * 2).to_integral_value() / 2)
        for item in items
    }
    gap = sum(points.values()) - Decimal(score)
    for item in sorted(items, key=lambda i: (-i.points, i.pk)):
        if gap == 0:
            break
        step = max(min(gap, Decimal("1")), Decimal("-1"))
        new = points[item.pk] - step
        if 0 <= new <= item.points:
            points[item.pk] = new
            gap -= step
    return points


def _decide_day(which, today, offset):
    """Decisions: batch 1 in December last year, batch 2 about three weeks before today."""
    if which == "last":
        return dt.date(today.year - 1, 12, 10 + offset)
    return max(dt.date(today.year, 1, 2), today - dt.timedelta(days=21 - offset))


def seed_campaign(center, actor, users, today):
    sheet = ScoringSheet.objects.filter(center=center, name=data.SHEET_NAME).first()
    if sheet is None:
        return []
    created = []
    campaign = ConservationCampaign.objects.filter(center=center, name=data.CAMPAIGN_NAME).first()
    if campaign is None:
        campaign = conservation.campaign_create(
            actor=actor,
            center=center,
            name=data.CAMPAIGN_NAME,
            sheet=sheet,
            start_year=today.year - 1,
            end_year=today.year,
            description=data.CAMPAIGN_DESCRIPTION,
        )
        created.append(campaign)
    items = list(ScoringItem.objects.filter(area__sheet=sheet).order_by("area__order", "order"))
    agencies = {a.code: a for a in OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY)}
    liaison = users.get("liaison")
    liaison_agency = user_agency(liaison) if liaison is not None else None
    enrolled = set(
        ConservationUnit.objects.filter(campaign=campaign).values_list("agency_id", flat=True)
    )
    batches = {b.number: b for b in campaign.batches.all()}
    for number, which, target, units in data.BATCHES:
        year = _year(which, today)
        batch = batches.get(number)
        if batch is None:
            batch = conservation.batch_save(
                actor=actor,
                campaign=campaign,
                number_value=number,
                year=year,
                target_units=target,
                deadline=dt.date(year, 12, 31),
            )
            created.append(batch)
        for offset, (code, outcome, score) in enumerate(units):
            agency = liaison_agency if code == "LIAISON" else agencies.get(code)
            if agency is None or agency.pk in enrolled:
                continue
            if code != "LIAISON" and liaison_agency is not None and agency == liaison_agency:
                continue
            unit = conservation.unit_enroll(actor=actor, batch=batch, agency=agency)
            enrolled.add(agency.pk)
            created.append(unit)
            if outcome == "enrolled":
                continue
            self_score = min(score + 3, 100)
            conservation.unit_self_assess(actor=actor, unit=unit, points=_points(items, self_score))
            if outcome == "self_assessed":
                continue
            conservation.unit_review(
                actor=actor,
                unit=unit,
                points=_points(items, score),
                comment="" if outcome == "reviewed" else _comment(outcome, score),
                decide=outcome in ("passed", "failed"),
                on=_decide_day(which, today, offset),
            )
    existing = set(CampaignMeeting.objects.filter(campaign=campaign).values_list("date", "title"))
    for which, month, day, kind, title, place, people in data.MEETINGS:
        date = dt.date(_year(which, today), month, day)
        if date > today or (date, title) in existing:
            continue
        created.append(
            conservation.meeting_record(
                actor=actor,
                campaign=campaign,
                kind=kind,
                date=date,
                title=title,
                place=place,
                participants=people,
                notes="传达上级部署，通报创建进展，部署下一阶段工作。"
                if kind == CampaignMeeting.Kind.MEETING
                else "讲解创建标准、评分细则和佐证材料要求。",
            )
        )
    return created


def _comment(outcome, score):
    if outcome == "passed":
        return f"评审得分 {score} 分，达到创建标准。"
    return f"评审得分 {score} 分，分项计量和统计台账不完善，未达到 80 分，限期整改后重新申报。"


# ------------------------------------------------------------------ charging stations


def seed_project(center, actor, today):
    created = []
    project = EnergyProject.objects.filter(center=center, name=data.PROJECT_NAME).first()
    if project is None:
        project = projects.project_save(
            actor=actor,
            center=center,
            name=data.PROJECT_NAME,
            kind=EnergyProject.Kind.CHARGING,
            year=today.year - 1,
            target=data.PROJECT_TARGET,
            assigned_by=data.PROJECT_ASSIGNED_BY,
            deadline=dt.date(today.year, 12, 31),
            notes=data.PROJECT_NOTES,
        )
        created.append(project)
    institutions = {i.name: i for i in Institution.objects.filter(center=center)}
    existing = set(ChargingStation.objects.filter(project=project).values_list("name", flat=True))
    for name, site, where, piles, power, status, completed in data.STATIONS:
        if name in existing:
            continue
        day = None
        if completed is not None:
            which, month, d = completed
            day = dt.date(_year(which, today), month, d)
            if day > today:  # not finished yet on this day of the demo
                status, day = ChargingStation.Status.BUILDING, None
        created.append(
            projects.station_save(
                actor=actor,
                project=project,
                name=name,
                site=site,
                piles=piles,
                power_kw=Decimal(power),
                status=status,
                completed_on=day,
                institution=institutions.get(where),
            )
        )
    return created


# ------------------------------------------------------------------ garbage sorting


def _month_day(today, back, day):
    """Day `day` of the month `back` months before this one."""
    month = today.replace(day=1)
    for _ in range(back):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month.replace(day=day)


def seed_sorting(center, actor, today):
    institutions = {i.name: i for i in Institution.objects.filter(center=center)}
    sites = {s.name: s for s in SortingSite.objects.filter(center=center)}
    created = []
    for name, kind, where, address, bins, level, recognized, started in data.SITES:
        if name in sites:
            continue
        recognized_on = None
        if recognized is not None:
            which, month, day = recognized
            recognized_on = dt.date(_year(which, today), month, day)
        sites[name] = sorting.site_save(
            actor=actor,
            center=center,
            name=name,
            kind=kind,
            bins=bins,
            institution=institutions.get(where),
            address=address,
            is_demonstration=bool(level),
            demonstration_level=level,
            recognized_on=recognized_on,
            started_on=dt.date(started, 7, 1),
        )
        created.append(sites[name])
    if actor is not None:
        created += _inspections(sites, actor, today)
    created += _collections(sites, actor, today)
    return created


def _inspections(sites, actor, today):
    done = set(
        SortingInspection.objects.filter(site__in=sites.values()).values_list("site_id", "date")
    )
    created = []
    for index, (name, rate) in enumerate(data.SITE_RATES.items()):
        site = sites.get(name)
        if site is None:
            continue
        for back in range(data.INSPECTION_MONTHS, -1, -1):
            date = _month_day(today, back, 8 + index * 2)
            if date > today or (site.pk, date) in done:
                continue
            checked = site.bins * 4
            month_rate = min(rate + (data.INSPECTION_MONTHS - back), 99)
            wobble = random.Random(f"{name}-{date}").randint(-2, 2)  # noqa: S311
            correct = min(checked, round(checked * (month_rate + wobble) / 100))
            created.append(
                sorting.inspection_record(
                    actor=actor,
                    site=site,
                    date=date,
                    bins_checked=checked,
                    bins_correct=correct,
                    problems=data.SITE_PROBLEMS[(back + index) % len(data.SITE_PROBLEMS)]
                    if correct < checked
                    else "",
                )
            )
    return created


def _collections(sites, actor, today):
    done = set(
        GarbageCollection.objects.filter(site__in=sites.values()).values_list("site_id", "date")
    )
    fields = ("recyclable_kg", "hazardous_kg", "kitchen_kg", "other_kg")
    created = []
    for name, weights in data.COLLECTIONS.items():
        site = sites.get(name)
        if site is None:
            continue
        for back in range(data.COLLECTION_MONTHS, 0, -1):
            date = _month_day(today, back, 25)
            if (site.pk, date) in done:
                continue
            wobble = Decimal(str(1 + random.Random(f"{name}-{date}").uniform(-0.08, 0.08)))  # noqa: S311
            created.append(
                sorting.collection_record(
                    actor=actor,
                    site=site,
                    date=date,
                    weights={
                        field: (Decimal(kg) * wobble).quantize(Decimal("0.1"))
                        for field, kg in zip(fields, weights, strict=True)
                    },
                )
            )
    return created


# ------------------------------------------------------------------ publicity events


def seed_events(center, actor, today):
    existing = {e.title: e for e in PublicityEvent.objects.filter(center=center)}
    activities = set(
        EventActivity.objects.filter(event__center=center).values_list("event_id", "title")
    )
    created = []
    for kind, title, start, end, which, place, organizer, summary, items in data.EVENTS:
        year = _year(which, today)
        start_date, end_date = dt.date(year, *start), dt.date(year, *end)
        if start_date > today:
            continue
        title = title.format(y=year)
        event = existing.get(title)
        if event is None:
            event = events.event_save(
                actor=actor,
                center=center,
                kind=kind,
                title=title,
                start_date=start_date,
                end_date=end_date,
                place=place,
                organizer=organizer,
                participants=sum(item[-1] for item in items),
                summary=summary,
            )
            created.append(event)
        for month, day, name, description, people in items:
            date = dt.date(year, month, day)
            if date > today or (event.pk, name) in activities:
                continue
            created.append(
                events.activity_add(
                    actor=actor,
                    event=event,
                    date=date,
                    title=name,
                    description=description,
                    participants=people,
                )
            )
    return created
