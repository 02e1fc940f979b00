"""Fixtures of the cost integration tests: the writers of the other modules (fleet
dispatcher and vehicle, maintenance manager and technician, space manager)."""

from decimal import Decimal

import pytest

from houqin.core.roles import Role
from houqin.fleet.models import Vehicle
from houqin.org.tests.factories import PersonFactory, make_user


@pytest.fixture
def dispatcher_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="调度员甲"), Role.FLEET_DISPATCHER, username="disp_a"
    )


@pytest.fixture
def vehicle_a(center_a):
    return Vehicle.objects.create(
        center=center_a,
        plate="桂K·A0001",
        brand_model="大众帕萨特",
        category=Vehicle.Category.OTHER,
        energy=Vehicle.Energy.GASOLINE,
        seats=5,
        displacement=Decimal("1.8"),
        purchase_price=Decimal("180000.00"),
        funding_source="财政拨款",
        fixed_parking="中心停车场",
        fixed_fuel_station="中石化城东站",
        fixed_repair_shop="区汽修厂",
        odometer_km=Decimal("10000.0"),
    )


@pytest.fixture
def maint_manager_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="维修管理员"), "maintenance_manager", username="mm_a"
    )


@pytest.fixture
def tech_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="水电工甲"), "technician", username="tech_a"
    )


@pytest.fixture
def space_manager_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="用房管理员"), Role.SPACE_MANAGER, username="space_a"
    )
