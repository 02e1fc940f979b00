"""The availability grid runs a constant number of queries whatever the number of rooms."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.meetings import services
from houqin.meetings.models import Room

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def make_rooms(center, actor, start, first, count):
    for n in range(first, first + count):
        room = Room.objects.create(
            center=center, name=f"会议室{n:02d}", kind=Room.Kind.SMALL, capacity=20
        )
        for day in range(3):
            services.booking_create(
                actor=actor,
                room=room,
                title=f"会议{n}-{day}",
                agency=actor.person.agency,
                starts_at=start + dt.timedelta(days=day),
                ends_at=start + dt.timedelta(days=day) + H,
                attendees_expected=5,
            )
        services.room_block_create(
            actor=actor,
            room=room,
            starts_at=start + dt.timedelta(days=4),
            ends_at=start + dt.timedelta(days=4, hours=2),
            reason="保洁",
        )


def count_queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("meetings:grid"), params)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


@pytest.mark.parametrize("view", ["day", "week"])
def test_grid_query_count_constant(client, meeting_manager, center_a, tomorrow, view):
    client.force_login(meeting_manager)
    params = {"date": tomorrow.date().isoformat()}
    if view == "week":
        params["view"] = "week"
    make_rooms(center_a, meeting_manager, tomorrow, 0, 5)
    few, html = count_queries(client, params)
    assert "会议室04" in html
    make_rooms(center_a, meeting_manager, tomorrow, 5, 35)
    many, html = count_queries(client, params)
    assert "会议室19" in html and "会议室20" not in html  # 20 rooms a page
    assert many == few
    last, html = count_queries(client, {**params, "page": "2"})
    assert "会议室39" in html and last == few


def test_grid_only_active_rooms_of_own_center(client, liaison_x, room, room_b, tomorrow):
    Room.objects.create(
        center=room.center, name="停用会议室", kind=Room.Kind.SMALL, capacity=5, is_active=False
    )
    client.force_login(liaison_x)
    html = client.get(reverse("meetings:grid")).content.decode()
    assert room.name in html
    assert room_b.name not in html and "停用会议室" not in html
