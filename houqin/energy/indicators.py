"""Energy indicators (DOMAIN.md §3), computed from the monthly consumption of main meters
(sub-meters are a breakdown, never added again):

  total energy (kgce)  Σ consumption × factor (× density for fuels metered in litres), water
                       excluded; the factor in force on 1 January of the year
  单位建筑面积能耗      total ÷ floor area (kgce/㎡)
  人均综合能耗          total ÷ energy-using headcount (kgce/人)
  人均用水量            water ÷ headcount (m³/人)
  CO₂ (kg)             Σ consumption × emission factor, where one is configured
  official vehicles    the fleet module's fuel and charging records (its selector), a row of
                       their own in the total: gasoline/diesel in litres, electric in kWh

per institution and for all of them (areas and headcounts added), by month and for the year;
progress against the five-year target (reduction vs the base year). Five queries per call.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from houqin.fleet.selectors import fuel_by_month

from .models import (
    EnergyFactor,
    EnergyKind,
    EnergyTarget,
    Institution,
    InstitutionYear,
    MeterReading,
)

ZERO = Decimal("0")
# The fleet's vehicle energy → what its fuel records measure.
VEHICLE_KINDS = {
    "gasoline": EnergyKind.GASOLINE,
    "hybrid": EnergyKind.GASOLINE,
    "diesel": EnergyKind.DIESEL,
    "electric": EnergyKind.ELECTRICITY,
}
PLACES = Decimal("0.01")


def factors_on(day) -> dict:
    """kind → EnergyFactor in force on `day`."""
    found = {}
    for factor in EnergyFactor.objects.filter(effective_from__lte=day).order_by(
        "kind", "-effective_from"
    ):
        found.setdefault(factor.kind, factor)
    return found


def to_kgce(kind, amount, factors) -> Decimal:
    factor = factors.get(kind)
    if kind == EnergyKind.WATER or factor is None:
        return ZERO
    mass = amount * factor.density if factor.density is not None else amount
    return mass * factor.factor


def to_co2(kind, amount, factors) -> Decimal:
    factor = factors.get(kind)
    if factor is None or factor.co2_factor is None:
        return ZERO
    return amount * factor.co2_factor


def _ratio(numerator, denominator):
    return (numerator / denominator).quantize(PLACES) if denominator else None


@dataclass
class Figures:
    label: str
    floor_area: Decimal = ZERO
    headcount: int = 0
    amounts: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    kgce: Decimal = ZERO
    co2: Decimal = ZERO
    monthly_kgce: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def water(self):
        return self.amounts[EnergyKind.WATER]

    @property
    def per_area(self):
        return _ratio(self.kgce, self.floor_area)

    @property
    def per_capita(self):
        return _ratio(self.kgce, Decimal(self.headcount))

    @property
    def water_per_capita(self):
        return _ratio(self.water, Decimal(self.headcount))

    @property
    def co2_per_area(self):
        return _ratio(self.co2, self.floor_area) if self.co2 else None


@dataclass
class Report:
    year: int
    rows: list  # Figures per institution
    total: Figures
    missing_base: list  # institutions without the year's floor area / headcount
    vehicles: Figures  # official vehicles' fuel and charging (in the total)
    months: set = field(default_factory=set)  # months with any consumption entered
    through: int | None = None  # only January..`through` counted (None: the whole year)


def comparable_through(report, today) -> int | None:
    """For a year not over yet, the last month with data: other years are compared over the
    same months (year-to-date against the same months), never a part year against a whole
    one. None (the whole year) for a past year, a complete one or one without data."""
    if report.year < today.year or not report.months:
        return None
    last = max(report.months)
    return last if last < 12 else None


def indicators(center_id, year, *, through=None) -> Report:
    factors = factors_on(dt.date(year, 1, 1))
    institutions = list(
        Institution.objects.filter(center_id=center_id, is_active=True).order_by("name", "id")
    )
    bases = {
        y.institution_id: y
        for y in InstitutionYear.objects.filter(institution__in=institutions, year=year)
    }
    rows = {i.pk: Figures(label=i.name) for i in institutions}
    total = Figures(label="合计")
    missing = []
    for institution in institutions:
        base = bases.get(institution.pk)
        if base is None:
            missing.append(institution)
            continue
        rows[institution.pk].floor_area = base.floor_area
        rows[institution.pk].headcount = base.headcount
        total.floor_area += base.floor_area
        total.headcount += base.headcount
    consumption = (
        MeterReading.objects.filter(
            meter__center_id=center_id,
            meter__parent__isnull=True,
            meter__institution__in=[i.pk for i in institutions],
            month__year=year,
            **({"month__month__lte": through} if through else {}),
        )
        .annotate(m=ExtractMonth("month"))
        .values("meter__institution_id", "meter__kind", "m")
        .annotate(amount=Sum("consumption"))
    )
    months = set()
    for item in consumption:
        row = rows[item["meter__institution_id"]]
        kind, amount, month = item["meter__kind"], item["amount"] or ZERO, item["m"]
        if amount:
            months.add(month)
        energy = to_kgce(kind, amount, factors)
        carbon = to_co2(kind, amount, factors)
        for figures in (row, total):
            figures.amounts[kind] += amount
            figures.kgce += energy
            figures.co2 += carbon
            figures.monthly_kgce[month] += energy
    vehicles = Figures(label="公务用车")
    for energy, month, quantity in fuel_by_month(center_id, year):
        kind = VEHICLE_KINDS.get(energy)
        if kind is None or quantity is None or (through and month > through):
            continue
        for figures in (vehicles, total):
            figures.amounts[kind] += quantity
            figures.kgce += to_kgce(kind, quantity, factors)
            figures.co2 += to_co2(kind, quantity, factors)
            figures.monthly_kgce[month] += to_kgce(kind, quantity, factors)
    return Report(
        year=year,
        rows=list(rows.values()),
        total=total,
        missing_base=missing,
        vehicles=vehicles,
        months=months,
        through=through,
    )


@dataclass
class Progress:
    """An indicator in the base year and now: `base`/`current` are (numerator, denominator)
    so the change is computed before rounding. `share` is the part of the target period
    elapsed (1 in the target year): before it, the reduction expected so far is the target's
    pro rata (a five-year −5 % expects −2 % after two years)."""

    name: str
    base: tuple
    current: tuple
    target_pct: Decimal
    share: Decimal = Decimal(1)

    @staticmethod
    def _value(pair):
        numerator, denominator = pair
        return numerator / denominator if denominator else None

    @property
    def base_value(self):
        value = self._value(self.base)
        return value.quantize(PLACES) if value is not None else None

    @property
    def current_value(self):
        value = self._value(self.current)
        return value.quantize(PLACES) if value is not None else None

    @property
    def change_pct(self):
        base, current = self._value(self.base), self._value(self.current)
        if not base or current is None:
            return None
        return ((current - base) / base * 100).quantize(PLACES)

    @property
    def final(self):
        """The target year (or later): the target itself is due."""
        return self.share >= 1

    @property
    def expected_pct(self):
        """The reduction (%) due by now: the target, pro rata of the period elapsed."""
        return (self.target_pct * min(self.share, Decimal(1))).quantize(PLACES)

    @property
    def on_track(self):
        """达标 in the target year; before it, 进度正常 (at least the pro-rata reduction)."""
        change = self.change_pct
        return change is not None and change <= -self.expected_pct


def elapsed_share(target, year) -> Decimal:
    """The part of `target`'s period elapsed in `year` (0 < share ≤ 1)."""
    span = target.target_year - target.base_year
    return min(Decimal(year - target.base_year) / Decimal(span), Decimal(1))


def target_for(center_id, year):
    """The center's target covering `year` (the nearest whose target year is not before it)."""
    return (
        EnergyTarget.objects.filter(center_id=center_id, target_year__gte=year, base_year__lt=year)
        .order_by("target_year")
        .first()
    )


def target_progress(center_id, year, *, today=None):
    """The center's target covering `year`, with base-year and `year` indicators for all
    institutions, or None without a target. A year not over yet is compared with the same
    months of the base year."""
    target = target_for(center_id, year)
    if target is None:
        return None
    report = indicators(center_id, year)
    through = comparable_through(report, today or timezone.localdate())
    base = indicators(center_id, target.base_year, through=through).total
    return target, progress(target, base, report.total, year=year)


def progress(target, base, current, *, year=None):
    """The three indicators of `current` (Figures of `year`; the target year when not given)
    against `base` (the base year's Figures of the same scope: all institutions, or one)."""
    people = Decimal(base.headcount), Decimal(current.headcount)
    share = elapsed_share(target, year or target.target_year)
    return [
        Progress(
            "单位建筑面积能耗",
            (base.kgce, base.floor_area),
            (current.kgce, current.floor_area),
            target.per_area_pct,
            share,
        ),
        Progress(
            "人均综合能耗",
            (base.kgce, people[0]),
            (current.kgce, people[1]),
            target.per_capita_pct,
            share,
        ),
        Progress(
            "人均用水量",
            (base.water, people[0]),
            (current.water, people[1]),
            target.water_pct,
            share,
        ),
    ]
