"""meetings API: /api/v1/meeting-rooms/ (with availability) and /api/v1/meeting-bookings/.

Scoping (ARCHITECTURE rule 2): center B sees nothing of A's (404 on detail); a liaison sees
their agency's bookings, not another agency's; bad input is a 400 in Chinese and writes nothing.
"""

import datetime as dt

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from houqin.core.roles import Role
from houqin.meetings import services
from houqin.meetings.defaults import ensure_services
from houqin.meetings.models import Booking, MeetingService
from houqin.org.tests.factories import PASSWORD, PersonFactory, make_user

pytestmark = pytest.mark.django_db
ROOMS = "/api/v1/meeting-rooms/"
BOOKINGS = "/api/v1/meeting-bookings/"
H = dt.timedelta(hours=1)


def session_client(user):
    client = APIClient()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def book(actor, room, start, hours=1, **kw):
    data = {"title": "周例会", "agency": actor.person.agency, "attendees_expected": 10}
    data.update(kw)
    return services.booking_create(
        actor=actor, room=room, starts_at=start, ends_at=start + hours * H, **data
    )


def titles(response):
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


@pytest.fixture
def liaison_y(agency_y):
    return make_user(PersonFactory(agency=agency_y, name="联络员乙"), Role.LIAISON, username="ly")


# --- rooms ---------------------------------------------------------------------------------


def test_anonymous_refused():
    assert APIClient().get(ROOMS).status_code == 401
    assert APIClient().get(BOOKINGS).status_code == 401
    assert APIClient().post(BOOKINGS, {}, format="json").status_code == 401


def test_rooms_scoped_to_center(liaison_x, admin_b, room, room_b):
    rows = session_client(liaison_x).get(ROOMS).json()["results"]
    assert [r["name"] for r in rows] == [room.name]
    assert rows[0]["kind"] == "medium"
    assert session_client(liaison_x).get(f"{ROOMS}{room_b.pk}/").status_code == 404
    assert session_client(admin_b).get(f"{ROOMS}{room.pk}/").status_code == 404
    assert session_client(admin_b).get(f"{ROOMS}{room_b.pk}/").status_code == 200


def test_availability(liaison_x, liaison_y, meeting_manager, room, auditorium, tomorrow):
    book(liaison_y, room, tomorrow, title="教育局内部会议")
    services.room_block_create(
        actor=meeting_manager,
        room=room,
        starts_at=tomorrow + 3 * H,
        ends_at=tomorrow + 5 * H,
        reason="更换桌椅",
    )
    client = session_client(liaison_x)
    response = client.get(
        f"{ROOMS}availability/",
        {"start": tomorrow.isoformat(), "end": (tomorrow + 24 * H).isoformat()},
    )
    assert response.status_code == 200, response.content
    by_room = {row["room"]["name"]: row["busy"] for row in response.json()}
    assert by_room[auditorium.name] == []
    busy = by_room[room.name]
    assert [b["kind"] for b in busy] == ["booking", "block"]
    assert busy[0]["label"] == "教育局"  # the agency, not another agency's meeting title
    assert "教育局内部会议" not in response.content.decode()
    assert busy[1]["label"] == "更换桌椅"
    assert dt.datetime.fromisoformat(busy[0]["starts_at"]) == tomorrow


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "start", "开始时间"),
        ({"start": "bad", "end": "2026-01-02T00:00:00+08:00"}, "start", "有效"),
        ({"start": "2026-01-02T00:00:00+08:00", "end": "2026-01-01T00:00:00+08:00"}, "end", "晚于"),
        ({"start": "2026-01-01T00:00:00+08:00", "end": "2026-03-01T00:00:00+08:00"}, "end", "31"),
    ],
)
def test_availability_bad_input(liaison_x, room, params, field, message):
    response = session_client(liaison_x).get(f"{ROOMS}availability/", params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


# --- bookings: create ------------------------------------------------------------------------


def test_create_booking(liaison_x, room, tomorrow):
    ensure_services(room.center)
    tea = MeetingService.objects.get(center=room.center, name="茶水")
    response = session_client(liaison_x).post(
        BOOKINGS,
        {
            "room": room.pk,
            "title": "预算编制会",
            "starts_at": tomorrow.isoformat(),
            "ends_at": (tomorrow + 2 * H).isoformat(),
            "attendees_expected": 12,
            "services": [tea.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "confirmed"
    assert data["agency"]["name"] == liaison_x.person.agency.name  # defaults to own agency
    assert data["services"] == [{"id": tea.pk, "name": "茶水"}]
    assert data["ics_url"].endswith(f"/bookings/{data['id']}/booking.ics")
    booking = Booking.objects.get()
    assert booking.booker == liaison_x
    assert booking.starts_at == tomorrow


def test_create_naive_time_is_beijing_time(liaison_x, room, tomorrow):
    response = session_client(liaison_x).post(
        BOOKINGS,
        {
            "room": room.pk,
            "title": "本地时间",
            "starts_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (tomorrow + H).strftime("%Y-%m-%dT%H:%M"),
            "attendees_expected": 5,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Booking.objects.get().starts_at == tomorrow


def test_create_series(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow + 7 * 24 * H)
    payload = {
        "room": room.pk,
        "title": "周例会",
        "starts_at": tomorrow.isoformat(),
        "ends_at": (tomorrow + H).isoformat(),
        "attendees_expected": 8,
        "rrule": "FREQ=WEEKLY",
        "until": (tomorrow + 20 * 24 * H).isoformat(),
    }
    client = session_client(liaison_x)
    refused = client.post(BOOKINGS, payload, format="json")
    assert refused.status_code == 400
    assert "已被预订" in " ".join(refused.json()["rrule"])
    assert Booking.objects.count() == 1
    response = client.post(BOOKINGS, {**payload, "skip_conflicts": True}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert len(data["created"]) == 2
    assert len(data["skipped"]) == 1
    assert Booking.objects.filter(series_id=data["series_id"]).count() == 2


def test_create_needing_approval_is_pending(liaison_x, meeting_manager, auditorium, tomorrow):
    response = session_client(liaison_x).post(
        BOOKINGS,
        {
            "room": auditorium.pk,
            "title": "全区大会",
            "starts_at": tomorrow.isoformat(),
            "ends_at": (tomorrow + H).isoformat(),
            "attendees_expected": 200,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "会议名称"),
        ({"attendees_expected": 0}, "attendees_expected", "至少"),
        ({"attendees_expected": "many"}, "attendees_expected", "人数"),
        ({"starts_at": "not a time"}, "starts_at", "有效"),
        ({"level": "galactic"}, "level", "级别"),
        ({"room": 999999}, "room", "不存在"),
        ({"shift": -3}, "starts_at", "已经过去"),
        ({"hours": 10}, "ends_at", "不能超过"),
        ({"rrule": "FREQ=WEEKLY"}, "until", "截止"),
    ],
)
def test_create_bad_input_is_400_in_chinese_and_writes_nothing(
    liaison_x, room, tomorrow, change, field, message
):
    start = tomorrow + dt.timedelta(days=change.pop("shift", 0))
    hours = change.pop("hours", 1)
    payload = {
        "room": room.pk,
        "title": "会议",
        "starts_at": start.isoformat(),
        "ends_at": (start + hours * H).isoformat(),
        "attendees_expected": 10,
        **change,
    }
    response = session_client(liaison_x).post(BOOKINGS, payload, format="json")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert not Booking.objects.exists()


def test_create_conflict_is_400(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow)
    response = session_client(liaison_x).post(
        BOOKINGS,
        {
            "room": room.pk,
            "title": "冲突",
            "starts_at": (tomorrow + H / 2).isoformat(),
            "ends_at": (tomorrow + 2 * H).isoformat(),
            "attendees_expected": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "已被预订" in response.json()["starts_at"][0]
    assert Booking.objects.count() == 1


def test_create_in_other_center_room_or_for_other_agency_refused(
    liaison_x, room_b, agency_y, room, tomorrow
):
    client = session_client(liaison_x)
    base = {
        "title": "会议",
        "starts_at": tomorrow.isoformat(),
        "ends_at": (tomorrow + H).isoformat(),
        "attendees_expected": 5,
    }
    response = client.post(BOOKINGS, {**base, "room": room_b.pk}, format="json")
    assert response.status_code == 400
    assert "room" in response.json()
    response = client.post(
        BOOKINGS, {**base, "room": room.pk, "agency": agency_y.pk}, format="json"
    )
    assert response.status_code == 400
    assert "agency" in response.json()
    assert not Booking.objects.exists()


def test_manager_only_room_is_400(liaison_x, room, tomorrow):
    room.bookable_by = "manager"
    room.save()
    response = session_client(liaison_x).post(
        BOOKINGS,
        {
            "room": room.pk,
            "title": "会议",
            "starts_at": tomorrow.isoformat(),
            "ends_at": (tomorrow + H).isoformat(),
            "attendees_expected": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "权限" in response.json()["room"][0]


# --- bookings: scoping ---------------------------------------------------------------------


def test_list_scoping(liaison_x, liaison_y, staff_x, meeting_manager, admin_b, room, tomorrow):
    book(liaison_x, room, tomorrow, title="财政局会议")
    book(liaison_y, room, tomorrow + H, title="教育局会议")
    book(staff_x, room, tomorrow + 2 * H, title="职工会议")
    assert titles(session_client(liaison_x).get(BOOKINGS)) == {"财政局会议", "职工会议"}
    assert titles(session_client(liaison_y).get(BOOKINGS)) == {"教育局会议"}
    assert titles(session_client(staff_x).get(BOOKINGS)) == {"职工会议"}
    assert titles(session_client(meeting_manager).get(BOOKINGS)) == {
        "财政局会议",
        "教育局会议",
        "职工会议",
    }
    assert titles(session_client(admin_b).get(BOOKINGS)) == set()
    mine = session_client(liaison_x).get(BOOKINGS, {"box": "mine"})
    assert titles(mine) == {"财政局会议"}
    agency = session_client(meeting_manager).get(BOOKINGS, {"box": "agency"})
    assert titles(agency) == {"财政局会议", "职工会议"}  # the manager is of agency X


def test_list_date_range(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow, title="明天")
    book(liaison_x, room, tomorrow + 48 * H, title="后天之后")
    day = tomorrow.date()
    response = session_client(liaison_x).get(
        BOOKINGS, {"date_from": day.isoformat(), "date_to": day.isoformat()}
    )
    assert titles(response) == {"明天"}


def test_detail_scoping(liaison_x, liaison_y, admin_b, room, tomorrow):
    booking = book(liaison_y, room, tomorrow)
    url = f"{BOOKINGS}{booking.pk}/"
    assert session_client(liaison_y).get(url).status_code == 200
    assert session_client(liaison_x).get(url).status_code == 404
    assert session_client(admin_b).get(url).status_code == 404
    assert session_client(liaison_x).get(f"{BOOKINGS}999999/").status_code == 404


def test_list_query_count_is_constant(liaison_x, meeting_manager, room, tomorrow):
    ensure_services(room.center)
    tea = MeetingService.objects.filter(center=room.center)[:2]
    client = session_client(meeting_manager)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BOOKINGS).status_code == 200
        return len(ctx)

    book(liaison_x, room, tomorrow, services=tea)
    few = count()
    for i in range(1, 6):
        book(liaison_x, room, tomorrow + i * H, services=tea)
    assert count() == few


# --- cancel --------------------------------------------------------------------------------


def test_cancel(liaison_x, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    client = session_client(liaison_x)
    refused = client.post(f"{BOOKINGS}{booking.pk}/cancel/", {"reason": " "}, format="json")
    assert refused.status_code == 400
    assert "取消原因" in refused.json()["reason"][0]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    response = client.post(f"{BOOKINGS}{booking.pk}/cancel/", {"reason": "改期"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "改期"
    again = client.post(f"{BOOKINGS}{booking.pk}/cancel/", {"reason": "再取消"}, format="json")
    assert again.status_code == 400
    assert "不能取消" in again.json()["non_field_errors"][0]


def test_cancel_scoping_and_permission(liaison_x, staff_x, liaison_y, admin_b, room, tomorrow):
    booking = book(staff_x, room, tomorrow)
    url = f"{BOOKINGS}{booking.pk}/cancel/"
    assert session_client(liaison_y).post(url, {"reason": "x"}, format="json").status_code == 404
    assert session_client(admin_b).post(url, {"reason": "x"}, format="json").status_code == 404
    # The liaison of the same agency sees it but may not cancel someone else's booking.
    assert session_client(liaison_x).post(url, {"reason": "x"}, format="json").status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_token_authentication(liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow, title="令牌")
    client = token_client(liaison_x)
    assert titles(client.get(BOOKINGS)) == {"令牌"}
    response = client.post(
        BOOKINGS,
        {
            "room": room.pk,
            "title": "令牌预订",
            "starts_at": (tomorrow + H).isoformat(),
            "ends_at": (tomorrow + 2 * H).isoformat(),
            "attendees_expected": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Booking.objects.filter(title="令牌预订", booker=liaison_x).exists()
