import datetime as dt

import pytest
from django.utils import timezone

from houqin.org.tests.factories import PersonFactory, make_user

# Wednesday 25 November 2026, 09:00 Shanghai: a workday morning.
NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 9, 0))


@pytest.fixture
def manager_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="维修管理员"), "maintenance_manager", username="mm_a"
    )


@pytest.fixture
def tech_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="水电工甲"), "technician", username="tech_a"
    )


@pytest.fixture
def tech_a2(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="水电工乙"), "technician", username="tech_a2"
    )
