"""Fixtures shared by the finance tests."""

import pytest

from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user


@pytest.fixture
def finance_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="财务股长"), Role.FINANCE_OFFICER, username="finance_a"
    )


@pytest.fixture
def finance_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙中心财务"),
        Role.FINANCE_OFFICER,
        username="finance_b",
    )


@pytest.fixture
def leader_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="中心主任"), Role.LEADER, username="leader_a"
    )
