"""Demo energy and conservation data for the demo center (seed_demo).

`seed(center, *, actor=None, today=None)` returns the objects it created and is idempotent:
everything is keyed (institutions, sites, projects, stations, events and sheets by name,
meters by code, readings by meter and month, base data by year, units by agency, meetings
by date and title, inspections and collections by site and date), so a second run writes
nothing, and a run in a later month only adds that month's readings.

Everything goes through the services, acted by the demo login "energy" (节能股长) where it
exists (services accept actor=None; inspections need an inspector, so without the login there
are none). Years are relative to today (Asia/Shanghai); the tables are in demo_data:
- six public institutions linked to the demo agencies and buildings, with their base data for
  2020 (the target base year) up to this year;
- 20 meters: electricity, water, natural gas for the canteens and purchased heat, entered as
  the monthly bills, and four electricity sub-meters keeping a running register; monthly
  readings from January 2020 to last month, chosen so that the 2021–2025 target (base 2020,
  −5 / −6 / −6 %) is met and this year declines slightly further; one sub-meter was replaced
  this year and its lower reading is waiting to be confirmed (待核实);
- the 2020→2025 and 2025→2030 targets;
- a scoring sheet (four areas, 20 items, 100 points, pass mark 80), the campaign
  "节约型机关创建行动" with batch 1 last year (target 8: seven passed, one failed) and batch 2
  this year (target 6: a unit in each status; the demo liaison's agency is enrolled and has its
  self-assessment to do), meetings and trainings;
- the 16 charging stations assigned by the city (11 completed, 3 building, 2 planned);
- six garbage-sorting sites with the 区实验小学 a district demonstration site, monthly
  inspections over the last six months and this one, and the weights collected at three of
  them;
- 节能宣传周 and 全国低碳日 of last year and this June with their activities, and a
  garbage-sorting day at the school.
Anything dated after today (a meeting, a station's completion) is left out until its day.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.org.models import OrgUnit
from houqin.org.scoping import user_agency
from houqin.space.models import Building

from . import demo_data as data
from .models import (
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyProject,
    EnergyTarget,
    EventActivity,
    GarbageCollection,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
    PublicityEvent,
    ScoringItem,
    ScoringSheet,
    SortingInspection,
    SortingSite,
)
from .services import conservation, events, projects, readings, register, sorting

ONE = Decimal("1")


def _users(center):
    return {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=["energy", "liaison"], center_id=center.pk, is_active=True)
        .select_related("person")
    }


def _year(which, today):
    return today.year - 1 if which == "last" else today.year


def _months(first, last):
    """The first days of the months from `first` to `last` (inclusive)."""
    month = first
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _last_month(today):
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# ------------------------------------------------------------------ institutions and meters


def seed_institutions(center, actor, today):
    agencies = {a.code: a for a in OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY)}
    buildings = {b.name: b for b in Building.objects.filter(center=center)}
    existing = {i.name: i for i in Institution.objects.filter(center=center)}
    years = set(
        InstitutionYear.objects.filter(institution__center=center).values_list(
            "institution__name", "year"
        )
    )
    created = []
    for name, code, building, area, people, establishment in data.INSTITUTIONS:
        institution = existing.get(name)
        if institution is None:
            institution = register.institution_save(
                actor=actor,
                center=center,
                name=name,
                agency=agencies.get(code),
                building=buildings.get(building),
            )
            existing[name] = institution
            created.append(institution)
        for year in range(data.BASE_YEAR, today.year + 1):
            if (name, year) in years:
                continue
            growth = ONE + data.HEADCOUNT_GROWTH * (year - data.BASE_YEAR)
            created.append(
                register.institution_year_save(
                    actor=actor,
                    institution=institution,
                    year=year,
                    floor_area=Decimal(area),
                    headcount=int((people * growth).to_integral_value()),
                    establishment=establishment,
                )
            )
    return created


def seed_meters(center, actor):
    institutions = {i.name: i for i in Institution.objects.filter(center=center)}
    meters = {m.code: m for m in Meter.objects.filter(center=center)}
    created = []
    for code, where, kind, name, mode, _amount, _profile, parent in data.METERS:
        if code in meters or where not in institutions:
            continue
        meters[code] = register.meter_save(
            actor=actor,
            center=center,
            institution=institutions[where],
            kind=kind,
            code=code,
            name=name,
            mode=mode,
            parent=meters.get(parent),
        )
        created.append(meters[code])
    return created


def _factor(table, year):
    if year in table:
        return table[year]
    last = max(table)
    return table[last] - data.STEP * (year - last)


def _amount(code, kind, annual, profile, month):
    """A month's consumption of a main meter: the 2020 amount spread by the profile, scaled
    by the year's factor, with a deterministic ±3 % wobble."""
    weights = data.PROFILES[profile]
    share = Decimal(str(weights[month.month - 1])) / Decimal(str(sum(weights)))
    table = data.WATER_FACTOR if kind == "water" else data.ENERGY_FACTOR
    wobble = random.Random(f"{code}-{month:%Y-%m}").uniform(-0.03, 0.03)  # noqa: S311
    value = Decimal(annual) * share * _factor(table, month.year) * Decimal(str(1 + wobble))
    return value.to_integral_value()


def _register_values(code, parent_share, parent_values, first, today):
    """{month: reading} of a sub-meter: its opening register in `first` (December of the year
    before last), then the register growing by its share of the parent's month. The replaced
    meter starts again from a new register in its replacement month."""
    register_value = Decimal(data.SUB_OPENING[code])
    values = {first: register_value}
    replaced = _replacement_month(today) if code == data.REPLACED_METER else None
    for month in _months(first + dt.timedelta(days=32), _last_month(today)):
        month = month.replace(day=1)
        used = (parent_values[month] * parent_share).to_integral_value()
        if month == replaced:
            register_value = Decimal(0)  # the new meter's register
        register_value += used
        values[month] = register_value
    return values


def _replacement_month(today):
    """The month this year the replaced sub-meter was changed (the month before last month,
    or last month in February), or None in January (no reading this year yet)."""
    last = _last_month(today)
    if last.year != today.year:
        return None
    before = (last - dt.timedelta(days=1)).replace(day=1)
    return before if before.year == today.year else last


def seed_readings(center, actor, today):
    meters = {m.code: m for m in Meter.objects.filter(center=center)}
    done = {}
    for meter_id, month in MeterReading.objects.filter(meter__center=center).values_list(
        "meter_id", "month"
    ):
        done.setdefault(meter_id, set()).add(month)
    last = _last_month(today)
    first_main = dt.date(data.BASE_YEAR, 1, 1)
    first_sub = dt.date(today.year - 2, 12, 1)
    main_values = {}
    plan = []  # (meter, month, value) in month order per meter
    for code, _where, kind, _name, mode, annual, profile, _parent in data.METERS:
        meter = meters.get(code)
        if meter is None or mode != data.MAIN:
            continue
        values = {m: _amount(code, kind, annual, profile, m) for m in _months(first_main, last)}
        main_values[code] = values
        plan += [(meter, m, v) for m, v in values.items()]
    for code, _where, _kind, _name, mode, share, _profile, parent in data.METERS:
        meter = meters.get(code)
        if meter is None or mode != data.SUB or parent not in main_values:
            continue
        values = _register_values(code, share, main_values[parent], first_sub, today)
        plan += [(meter, m, v) for m, v in values.items()]
    created = []
    for meter, month, value in plan:
        if month in done.get(meter.pk, ()):
            continue
        created.append(readings.reading_record(actor=actor, meter=meter, month=month, value=value))
    return created


def seed_targets(center, actor):
    existing = set(EnergyTarget.objects.filter(center=center).values_list("target_year", flat=True))
    return [
        register.target_save(
            actor=actor,
            center=center,
            base_year=base,
            target_year=target,
            per_area_pct=Decimal(area),
            per_capita_pct=Decimal(capita),
            water_pct=Decimal(water),
        )
        for base, target, area, capita, water in data.TARGETS
        if target not in existing
    ]


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


def seed(center, *, actor=None, today=None) -> list:
    today = today or timezone.localdate()
    users = _users(center)
    actor = actor or users.get("energy")
    created = seed_institutions(center, actor, today)
    created += seed_meters(center, actor)
    created += seed_readings(center, actor, today)
    created += seed_targets(center, actor)
    created += seed_sheet(center, actor)
    created += seed_campaign(center, actor, users, today)
    created += seed_project(center, actor, today)
    created += seed_sorting(center, actor, today)
    created += seed_events(center, actor, today)
    return created
