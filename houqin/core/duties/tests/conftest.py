import pytest

from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user


@pytest.fixture
def guard_a(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="保安甲"), Role.GUARD, username="guard_a")


@pytest.fixture
def guard_a2(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="保安乙"), Role.GUARD, username="guard_a2")


@pytest.fixture
def security_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="安保股长"),
        Role.SECURITY_MANAGER,
        username="security_a",
    )


@pytest.fixture
def leader_a(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="主任"), Role.LEADER, username="leader_a")


@pytest.fixture
def guard_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区保安"), Role.GUARD, username="guard_b"
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
