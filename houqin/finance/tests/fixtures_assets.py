"""Fixtures and helpers of the asset, count, disposal, procurement and voucher tests."""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.finance.services.assets import asset_save
from houqin.maintenance.models import Equipment
from houqin.org.tests.factories import PersonFactory

PURCHASED = dt.date(2020, 3, 1)


def make_asset(actor, code, value="1000.00", *, center=None, agency, **fields):
    data = {
        "name": f"资产{code}",
        "asset_class": "equipment",
        "value": Decimal(value),
        "purchase_date": PURCHASED,
        "custodian_agency": agency,
        "location": "A座101",
    }
    data.update(fields)
    return asset_save(actor=actor, center=center or actor.center, code=code, **data)


def make_equipment(center, code="DT-01", name="1号客梯"):
    return Equipment.objects.create(
        center=center, kind=Equipment.Kind.ELEVATOR, name=name, code=code, location="A座"
    )


@pytest.fixture
def keeper_x(agency_x):
    return PersonFactory(agency=agency_x, name="保管员甲")


@pytest.fixture
def keeper_y(agency_y):
    return PersonFactory(agency=agency_y, name="保管员乙")
