"""Fixtures of the indicator page tests: the hand-computed example of test_indicators.py in
2026 (10,000 kWh + 1,000 m³ gas + 500 L gasoline, 200 m³ water on 1,000 ㎡ and 10 people →
2,980.361 kgce) and a 2025 to compare with (20,000 kWh = 2,458 kgce, 250 m³ water, same area
and people)."""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.energy.models import EnergyTarget, Institution, InstitutionYear, Meter
from houqin.energy.services.readings import reading_record

YEAR = 2026


def make_meter(institution, kind, code, parent=None):
    return Meter.objects.create(
        center_id=institution.center_id,
        institution=institution,
        kind=kind,
        code=code,
        name=code,
        mode=Meter.Mode.CONSUMPTION,
        parent=parent,
    )


def month(m, year=YEAR):
    return dt.date(year, m, 1)


def add_institution(center, name, year=YEAR, *, area="500", people=5, establishment=4):
    institution = Institution.objects.create(center=center, name=name)
    if year is not None:
        InstitutionYear.objects.create(
            institution=institution,
            year=year,
            floor_area=Decimal(area),
            headcount=people,
            establishment=establishment,
        )
    return institution


@pytest.fixture
def example(office, energy_a):
    """The office's meters and readings of 2025 and 2026 (consumption entered monthly)."""
    InstitutionYear.objects.filter(institution=office, year=YEAR).update(establishment=8)
    InstitutionYear.objects.create(
        institution=office, year=YEAR - 1, floor_area=Decimal("1000"), headcount=10
    )
    meters = {
        "power": make_meter(office, "electricity", "E1"),
        "gas": make_meter(office, "natural_gas", "G1"),
        "fuel": make_meter(office, "gasoline", "F1"),
        "water": make_meter(office, "water", "W1"),
    }
    meters["sub"] = make_meter(office, "electricity", "E1-1", parent=meters["power"])
    for key, when, value in (
        ("power", month(3, YEAR - 1), "20000"),
        ("water", month(3, YEAR - 1), "250"),
        ("power", month(3), "6000"),
        ("power", month(4), "4000"),
        ("sub", month(3), "2500"),  # a breakdown of E1: not added again
        ("gas", month(3), "1000"),
        ("fuel", month(4), "500"),
        ("water", month(3), "200"),
    ):
        reading_record(actor=energy_a, meter=meters[key], month=when, value=value)
    return meters


@pytest.fixture
def target(center_a):
    """2026 against 2025: −5 % per area, −6 % per capita, −6 % water per capita."""
    return EnergyTarget.objects.create(
        center=center_a,
        base_year=YEAR - 1,
        target_year=YEAR,
        per_area_pct=Decimal("5"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
