"""Fixtures of the energy API tests: meters of the `office` institution (center A) and of an
institution of center B."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from houqin.energy.models import Institution, InstitutionYear, Meter


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def meter(office):
    """The office's main electricity meter, a running register."""
    return Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="electricity",
        code="E-01",
        name="配电房总表",
    )


@pytest.fixture
def water_meter(office):
    return Meter.objects.create(
        center_id=office.center_id,
        institution=office,
        kind="water",
        code="W-01",
        name="自来水总表",
        mode=Meter.Mode.CONSUMPTION,
    )


@pytest.fixture
def office_b(center_b):
    institution = Institution.objects.create(center=center_b, name="乙区行政中心")
    InstitutionYear.objects.create(
        institution=institution, year=2026, floor_area=Decimal("500"), headcount=5
    )
    return institution


@pytest.fixture
def meter_b(office_b):
    return Meter.objects.create(
        center_id=office_b.center_id,
        institution=office_b,
        kind="electricity",
        code="E-01",
        name="乙区总表",
    )


def month(year, m):
    return dt.date(year, m, 1)
