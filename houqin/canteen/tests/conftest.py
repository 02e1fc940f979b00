import datetime as dt

import pytest
from django.utils import timezone

from houqin.org.tests.factories import PersonFactory, make_user

from .factories import make_dish, make_menu, make_slots

# A Wednesday that is a workday; 08:00 in Shanghai, before lunch's 09:30 cut-off.
DAY = dt.date(2026, 11, 25)
MORNING = timezone.make_aware(dt.datetime(2026, 11, 25, 8, 0))


@pytest.fixture
def canteen_manager(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="食堂管理员"), "canteen_manager", username="canteen_a"
    )


@pytest.fixture
def slots(center_a):
    return make_slots(center_a)


@pytest.fixture
def dishes(center_a):
    return [
        make_dish(center_a, "红烧肉套餐", "15.00"),
        make_dish(center_a, "清炒时蔬", "4.50", category="vegetable"),
    ]


@pytest.fixture
def lunch(center_a, slots, dishes):
    return make_menu(center_a, DAY, "lunch", dishes)
