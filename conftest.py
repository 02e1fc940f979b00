"""Shared fixtures: two centers (A and B) with agencies, people and role holders.

Permission tests use them to prove that center B and another agency see nothing of A's.
"""

import pytest

from houqin.core.roles import Role
from houqin.org.models import OrgUnit
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # PBKDF2 with 1M iterations makes each login ~0.5 s; tests do not need that strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def center_a(db):
    return make_center("甲区机关后勤服务中心", code="A")


@pytest.fixture
def center_b(db):
    return make_center("乙区机关后勤服务中心", code="B")


@pytest.fixture
def agency_x(center_a):
    return make_unit(center_a, "甲区财政局", short_name="财政局", code="X")


@pytest.fixture
def agency_y(center_a):
    return make_unit(center_a, "甲区教育局", short_name="教育局", code="Y")


@pytest.fixture
def section_x(agency_x):
    return make_unit(agency_x, "综合股", kind=OrgUnit.Kind.SECTION)


@pytest.fixture
def agency_b(center_b):
    return make_unit(center_b, "乙区财政局", code="BX")


@pytest.fixture
def admin_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="管理员甲"), Role.CENTER_ADMIN, username="admin_a"
    )


@pytest.fixture
def admin_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="管理员乙"), Role.CENTER_ADMIN, username="admin_b"
    )


@pytest.fixture
def auditor_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="审计员甲"), Role.AUDITOR, username="auditor_a"
    )


@pytest.fixture
def liaison_x(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="联络员甲"), Role.LIAISON, username="liaison_x"
    )


@pytest.fixture
def staff_x(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="职工甲"), username="staff_x")


@pytest.fixture
def person_y(agency_y):
    return PersonFactory(
        agency=agency_y, name="教育局职工", phone="13912345678", id_number="11010519491231002X"
    )


@pytest.fixture
def person_b(agency_b):
    return PersonFactory(agency=agency_b, name="乙区职工")
