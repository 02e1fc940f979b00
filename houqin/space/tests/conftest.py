"""Fixtures of the space tests: a manager of center A, a building with floors, room and
person helpers."""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.core.roles import Role
from houqin.org.models import Rank
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.space.models import SubUse
from houqin.space.services import register

D = dt.date(2026, 11, 25)


def rank(code):
    return Rank.objects.get(code=code)


@pytest.fixture
def manager_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="用房管理员"), Role.SPACE_MANAGER, username="space_a"
    )


@pytest.fixture
def leader_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="中心领导"), Role.LEADER, username="lead_a"
    )


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区用房管理员"),
        Role.SPACE_MANAGER,
        username="space_b",
    )


@pytest.fixture
def building_a(center_a):
    return register.building_create(
        actor=None,
        center=center_a,
        name="行政中心大楼",
        code="A",
        address="XX区人民路 1 号",
        floor_area="12000.00",
        floors_above=6,
        floors_below=1,
        built_year=2005,
    )


@pytest.fixture
def building_b(center_b):
    return register.building_create(
        actor=None,
        center=center_b,
        name="乙区办公楼",
        address="乙区 1 号",
        floor_area="5000",
        floors_above=3,
    )


@pytest.fixture
def make_room(building_a):
    counter = iter(range(100, 10000))

    def make(area="18.00", sub_use=SubUse.OFFICE, capacity=1, building=None, number=None, level=1):
        building = building or building_a
        return register.room_create(
            actor=None,
            building=building,
            floor=building.floors.get(level=level),
            number=number or str(next(counter)),
            usable_area=Decimal(str(area)),
            sub_use=sub_use,
            capacity=capacity,
        )

    return make


@pytest.fixture
def make_person():
    def make(agency, rank_code="below-section", **kwargs):
        return PersonFactory(agency=agency, rank=rank(rank_code), **kwargs)

    return make
