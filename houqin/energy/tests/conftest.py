"""Fixtures shared by the energy tests."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.core.roles import Role
from houqin.energy.models import (
    Institution,
    InstitutionYear,
    ScoringArea,
    ScoringItem,
    ScoringSheet,
)
from houqin.energy.services.conservation import batch_save, campaign_create, unit_enroll
from houqin.org.tests.factories import PersonFactory, make_user

# Energy figures of a year not over yet are compared over the same months (year to date):
# the tests run on a fixed day so that what "this year" means does not move with the calendar.
TODAY = dt.datetime(2026, 11, 26, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TODAY)


@pytest.fixture
def energy_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="节能股长"), Role.ENERGY_MANAGER, username="energy_a"
    )


@pytest.fixture
def energy_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙中心节能"), Role.ENERGY_MANAGER, username="energy_b"
    )


@pytest.fixture
def office(center_a):
    institution = Institution.objects.create(center=center_a, name="区行政中心")
    InstitutionYear.objects.create(
        institution=institution, year=2026, floor_area=Decimal("1000"), headcount=10
    )
    return institution


@pytest.fixture
def sheet(center_a):
    """Four areas, 100 points: 40 + 30 + 20 + 10."""
    sheet = ScoringSheet.objects.create(center=center_a, name="节约型机关评价标准")
    for order, (name, points) in enumerate(
        [("完善制度体系", 40), ("推行绿色办公", 30), ("实行生活垃圾分类", 20), ("开展宣传教育", 10)]
    ):
        area = ScoringArea.objects.create(sheet=sheet, name=name, order=order)
        ScoringItem.objects.create(area=area, text=f"{name}落实情况", points=Decimal(points))
    return sheet


@pytest.fixture
def campaign(center_a, sheet):
    return campaign_create(
        actor=None,
        center=center_a,
        name="节约型机关创建行动",
        sheet=sheet,
        start_year=2024,
        end_year=2026,
    )


@pytest.fixture
def batch(campaign):
    return batch_save(
        actor=None,
        campaign=campaign,
        number_value=2,
        year=2026,
        target_units=3,
        deadline=dt.date(2026, 12, 31),
    )


@pytest.fixture
def unit_x(batch, agency_x):
    return unit_enroll(actor=None, batch=batch, agency=agency_x)


def item_points(sheet, *values):
    """{item id: points} in the sheet's order."""
    items = ScoringItem.objects.filter(area__sheet=sheet).order_by("area__order", "id")
    return {item.pk: Decimal(str(v)) for item, v in zip(items, values, strict=True)}
