"""Fixtures of the incident, plan, drill and board tests (imported explicitly): a fixed clock
(Saturday 15 August 2026, 10:00 in Asia/Shanghai), a leader of center A, a meeting room and
bookings."""

import datetime as dt

import pytest
from django.utils import timezone

from houqin.core.duties.recurrence import TZ
from houqin.core.roles import Role
from houqin.meetings.models import Booking, Room
from houqin.org.tests.factories import PersonFactory, make_user

NOW = dt.datetime(2026, 8, 15, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


def local(*args):
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def leader_a(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="王主任"), Role.LEADER, username="lead_a")


def make_room(center, name="第一会议室"):
    return Room.objects.create(center=center, name=name, kind=Room.Kind.MEDIUM, capacity=40)


def make_booking(room, agency, booker, *, level=Booking.Level.MAJOR, start=None, hours=3, **kw):
    start = start or local(2026, 9, 1, 9)
    return Booking.objects.create(
        center_id=room.center_id,
        room=room,
        title=kw.pop("title", "区人大常委会会议"),
        agency=agency,
        booker=booker,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        attendees_expected=30,
        level=level,
        major_kind="区人大" if level == Booking.Level.MAJOR else "",
        **kw,
    )
