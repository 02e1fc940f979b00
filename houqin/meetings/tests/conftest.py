"""Meetings fixtures: rooms of center A, a meeting manager, and a time tomorrow."""

import datetime as dt

import pytest
from django.utils import timezone

from houqin.core.roles import Role
from houqin.meetings.models import Room
from houqin.org.tests.factories import PersonFactory, make_user


@pytest.fixture
def tomorrow():
    """09:00 local time tomorrow (aware)."""
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def room(center_a):
    return Room.objects.create(
        center=center_a,
        name="301会议室",
        kind=Room.Kind.MEDIUM,
        capacity=30,
        building="A区",
        floor="3",
    )


@pytest.fixture
def auditorium(center_a):
    return Room.objects.create(
        center=center_a,
        name="一楼报告厅",
        kind=Room.Kind.AUDITORIUM,
        capacity=300,
        requires_approval=True,
    )


@pytest.fixture
def room_b(center_b):
    return Room.objects.create(
        center=center_b, name="乙区会议室", kind=Room.Kind.SMALL, capacity=10
    )


@pytest.fixture
def meeting_manager(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="会务管理员"),
        Role.MEETING_MANAGER,
        username="meeting_a",
    )
