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
The 节约型机关, project, garbage-sorting and event seeding is in demo_programmes.py.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.org.models import OrgUnit
from houqin.space.models import Building

from . import demo_data as data
from .demo_programmes import seed_campaign, seed_events, seed_project, seed_sheet, seed_sorting
from .models import EnergyTarget, Institution, InstitutionYear, Meter, MeterReading
from .services import readings, register

ONE = Decimal("1")


def _users(center):
    return {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=["energy", "liaison"], center_id=center.pk, is_active=True)
        .select_related("person")
    }


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
