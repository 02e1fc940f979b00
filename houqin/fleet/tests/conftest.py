"""Fleet fixtures: vehicles, drivers, a dispatcher, an agency leader, an approved request.

The other fleet test modules (views, board, permissions, e2e, lifecycle) build on these.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.roles import Role
from houqin.fleet import services
from houqin.fleet.models import Driver, Vehicle
from houqin.org.tests.factories import PersonFactory, make_user


@pytest.fixture
def tomorrow():
    """09:00 local time tomorrow (aware)."""
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def motor_pool(center_a):
    """The center's own 车队 unit (drivers and the dispatcher belong to it)."""
    from houqin.org.tests.factories import make_unit

    return make_unit(center_a, "车队", short_name="车队", code="FLEET")


@pytest.fixture
def dispatcher(motor_pool):
    return make_user(
        PersonFactory(agency=motor_pool, name="调度员甲"),
        Role.FLEET_DISPATCHER,
        username="dispatcher_a",
    )


@pytest.fixture
def agency_leader_x(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="财政局局长"), Role.AGENCY_LEADER, username="leader_x"
    )


def _driver(unit, name, username):
    user = make_user(PersonFactory(agency=unit, name=name), Role.DRIVER, username=username)
    return Driver.objects.create(
        center_id=user.center_id,
        user=user,
        licence_class="B2",
        licence_expiry=timezone.localdate() + dt.timedelta(days=365 * 3),
    )


@pytest.fixture
def driver(motor_pool):
    return _driver(motor_pool, "驾驶员甲", "driver_a")


@pytest.fixture
def driver2(motor_pool):
    return _driver(motor_pool, "驾驶员乙", "driver_a2")


@pytest.fixture
def vehicle(center_a):
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
def vehicle2(center_a):
    return Vehicle.objects.create(
        center=center_a,
        plate="桂K·A0002",
        brand_model="比亚迪汉",
        category=Vehicle.Category.OTHER,
        energy=Vehicle.Energy.ELECTRIC,
        seats=5,
        fixed_fuel_station="城东充电站",
        fixed_repair_shop="区汽修厂",
        odometer_km=Decimal("5000.0"),
    )


@pytest.fixture
def vehicle_b(center_b):
    return Vehicle.objects.create(
        center=center_b,
        plate="桂K·B0001",
        brand_model="丰田凯美瑞",
        seats=5,
        fixed_fuel_station="中石油乙站",
        fixed_repair_shop="乙区汽修厂",
    )


def approve_fully(req, *, agency_leader, dispatcher):
    """Take a pending TripRequest through both approval steps."""
    approval = approval_for_object(req, request_type="fleet.trip")
    approvals.approval_approve(actor=agency_leader, approval=approval)
    approval.refresh_from_db()
    approvals.approval_approve(actor=dispatcher, approval=approval)
    req.refresh_from_db()
    return req


def make_request(requester, agency, departs_at, hours=3, **kwargs):
    values = {
        "purpose": "赴市财政局报送预算材料",
        "origin": "区政府大院",
        "destination": "市财政局",
        "passengers": 2,
    }
    values.update(kwargs)
    return services.trip_request_create(
        actor=requester,
        agency=agency,
        departs_at=departs_at,
        returns_at=departs_at + dt.timedelta(hours=hours),
        **values,
    )


@pytest.fixture
def make_approved_request(staff_x, agency_x, agency_leader_x, dispatcher, tomorrow):
    """Factory: an approved request by staff_x (defaults: tomorrow 09–12)."""

    def make(departs_at=None, hours=3, requester=None, **kwargs):
        req = make_request(requester or staff_x, agency_x, departs_at or tomorrow, hours, **kwargs)
        return approve_fully(req, agency_leader=agency_leader_x, dispatcher=dispatcher)

    return make


@pytest.fixture
def approved_request(make_approved_request):
    """A TripRequest by staff_x for agency_x tomorrow 09–12, fully approved (待派车)."""
    return make_approved_request()
