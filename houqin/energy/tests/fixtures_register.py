"""Fixtures of the data-entry tests (institutions, meters, readings, targets). Import the
ones a test module uses: ``from .fixtures_register import …  # noqa: F401``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.core.roles import Role
from houqin.energy.models import Institution, Meter, MeterReading
from houqin.energy.services.register import previous_month
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.space.models import Building


def shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# The grid's default month and the one before it.
PREV = previous_month()
BEFORE = shift(PREV, -1)
THIS_MONTH = timezone.localdate().replace(day=1)


def make_meter(institution, code, kind="electricity", mode=Meter.Mode.REGISTER, **kw):
    return Meter.objects.create(
        center_id=institution.center_id,
        institution=institution,
        kind=kind,
        code=code,
        name=kw.pop("name", f"{code} 表"),
        mode=mode,
        **kw,
    )


def make_reading(meter, month, value, consumption=None, **kw):
    return MeterReading.objects.create(
        meter=meter,
        month=month,
        value=Decimal(str(value)),
        consumption=Decimal(str(consumption if consumption is not None else 0)),
        **kw,
    )


@pytest.fixture
def leader_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="中心领导"), Role.LEADER, username="lead_a"
    )


@pytest.fixture
def building_a(center_a):
    return Building.objects.create(
        center=center_a, name="行政中心主楼", code="A1", address="人民路 1 号", floor_area=5000
    )


@pytest.fixture
def building_b(center_b):
    return Building.objects.create(
        center=center_b, name="乙区办公楼", code="B1", address="乙区路 2 号", floor_area=3000
    )


@pytest.fixture
def school(center_a):
    return Institution.objects.create(center=center_a, name="区实验小学")


@pytest.fixture
def office_b(center_b):
    return Institution.objects.create(center=center_b, name="乙区行政中心")


@pytest.fixture
def main_meter(office):
    """A register electricity meter read 1,000 kWh two months ago."""
    meter = make_meter(office, "E-01", name="总配电房")
    make_reading(meter, BEFORE, "1000.00")
    return meter


@pytest.fixture
def water_meter(office):
    return make_meter(office, "W-01", kind="water", mode=Meter.Mode.CONSUMPTION, name="自来水")


@pytest.fixture
def meter_b(office_b):
    return make_meter(office_b, "B-E-01")
