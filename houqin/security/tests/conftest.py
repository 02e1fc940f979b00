"""Fixtures of the security tests: a security manager and a guard of center A, a manager of
center B, a gate of center A."""

import pytest

from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.security.models import Gate


@pytest.fixture
def manager_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="安保股长"), Role.SECURITY_MANAGER, username="sec_a"
    )


@pytest.fixture
def guard_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="保安小陈"), Role.GUARD, username="guard_a"
    )


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区安保"), Role.SECURITY_MANAGER, username="sec_b"
    )


@pytest.fixture
def guard_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区保安"), Role.GUARD, username="guard_b"
    )


@pytest.fixture
def gate_a(center_a):
    return Gate.objects.create(center=center_a, name="东门")


@pytest.fixture
def gate_b(center_b):
    return Gate.objects.create(center=center_b, name="乙区大门")
