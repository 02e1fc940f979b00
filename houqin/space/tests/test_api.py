"""Office-space API: /api/v1/space/buildings/, rooms/, allocations/, compliance/, requests/.

Scoping (ARCHITECTURE rule 2) exactly like the pages: center B sees nothing of A's (404 on
detail), a liaison sees their agency's rooms, allocations, compliance and requests only, plain
staff are refused; bad input to the one write is a 400 in Chinese and writes nothing.
"""

import datetime as dt

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.roles import Role
from houqin.org.tests.factories import PASSWORD, PersonFactory, make_user
from houqin.space.models import SpaceRequest, SubUse
from houqin.space.services import allocation as alloc

pytestmark = pytest.mark.django_db
BASE = "/api/v1/space/"
BUILDINGS, ROOMS, ALLOCATIONS = BASE + "buildings/", BASE + "rooms/", BASE + "allocations/"
COMPLIANCE, REQUESTS = BASE + "compliance/", BASE + "requests/"
START = dt.date(2025, 1, 1)


def session_client(user):
    client = APIClient()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def juzhang_x(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="局长甲"), Role.AGENCY_LEADER, username="jz_x"
    )


@pytest.fixture
def liaison_y(agency_y):
    return make_user(PersonFactory(agency=agency_y, name="联络员乙"), Role.LIAISON, username="ly")


@pytest.fixture
def estate(manager_a, agency_x, agency_y, make_room, make_person, building_b, manager_b, agency_b):
    """X holds an office (two clerks) and a meeting room; Y an office (its head, 20 ㎡: 2 over)
    and held a store room until June 2025; one room idle; center B holds a room."""
    office_x = make_room("18.00", capacity=2, number="301")
    meeting_x = make_room("40.00", sub_use=SubUse.MEETING, number="302")
    office_y = make_room("20.00", number="401", level=4)
    store = make_room("12.00", sub_use=SubUse.STORAGE, number="402", level=4)
    idle = make_room("15.00", number="501", level=5)
    for room, agency in ((office_x, agency_x), (meeting_x, agency_x), (office_y, agency_y)):
        alloc.allocation_create(
            actor=manager_a, room=room, agency=agency, start_date=START, certificate_no="配 1 号"
        )
    alloc.allocation_create(actor=manager_a, room=store, agency=agency_y, start_date=START)
    alloc.allocation_vacate(actor=manager_a, room=store, end_date=dt.date(2025, 6, 1))
    clerks = [make_person(agency_x, name=f"科员{i}") for i in range(2)]
    for clerk in clerks:
        alloc.occupancy_add(actor=manager_a, room=office_x, person=clerk, start_date=START)
    head = make_person(agency_y, "section-head", name="局长<b>乙</b>")
    alloc.occupancy_add(actor=manager_a, room=office_y, person=head, start_date=START)
    room_b = make_room("30.00", building=building_b, number="101")
    alloc.allocation_create(actor=manager_b, room=room_b, agency=agency_b, start_date=START)
    return {
        "office_x": office_x,
        "meeting_x": meeting_x,
        "office_y": office_y,
        "store": store,
        "idle": idle,
        "room_b": room_b,
        "head": head,
    }


def test_anonymous_refused():
    for url in (BUILDINGS, ROOMS, ALLOCATIONS, COMPLIANCE, REQUESTS):
        assert APIClient().get(url).status_code == 401
    assert APIClient().post(REQUESTS, {}, format="json").status_code == 401


def test_staff_without_a_space_role_is_refused(staff_x, estate):
    api = token_client(staff_x)
    for url in (BUILDINGS, ROOMS, ALLOCATIONS, COMPLIANCE, REQUESTS):
        response = api.get(url)
        assert response.status_code == 403, url
    assert api.get(f"{ROOMS}{estate['office_x'].pk}/").status_code == 403
    response = api.post(REQUESTS, {"reason": "x", "headcount": 3, "area_wanted": "9"})
    assert response.status_code == 403
    assert not SpaceRequest.objects.exists()


# ------------------------------------------------------------------ buildings


def test_buildings(manager_a, manager_b, liaison_x, building_a, estate):
    data = rows(token_client(manager_a).get(BUILDINGS))
    assert [b["name"] for b in data] == [building_a.name]
    row = data[0]
    assert row["room_count"] == 5 and row["usable_area"] == "105.00"
    assert row["ownership"] == "owned" and row["ownership_display"] == "自有"
    assert [f["name"] for f in row["floors"]][:2] == ["B1", "1F"]
    assert session_client(manager_a).get(f"{BUILDINGS}{building_a.pk}/").status_code == 200
    # Center B: its own building only; A's is 404. A liaison may not list buildings.
    assert [b["name"] for b in rows(token_client(manager_b).get(BUILDINGS))] == ["乙区办公楼"]
    assert token_client(manager_b).get(f"{BUILDINGS}{building_a.pk}/").status_code == 404
    assert token_client(liaison_x).get(BUILDINGS).status_code == 403


# ------------------------------------------------------------------ rooms


def test_rooms_with_holder_and_people(manager_a, estate, agency_x):
    data = {r["number"]: r for r in rows(token_client(manager_a).get(ROOMS))}
    assert set(data) == {"301", "302", "401", "402", "501"}
    assert data["301"]["holder"] == {"id": agency_x.pk, "name": "甲区财政局"}
    assert data["301"]["people"] == 2 and data["301"]["status"] == "occupied"
    assert data["501"]["holder"] is None and data["501"]["status_display"] == "闲置"
    assert data["402"]["holder"] is None  # vacated in June 2025
    assert data["302"]["use_kind"] == "service" and data["302"]["sub_use_display"] == "会议室"
    assert data["401"]["floor"]["level"] == 4


def test_room_filters(manager_a, estate, agency_x, building_a):
    api = token_client(manager_a)

    def numbers(**query):
        return sorted(r["number"] for r in rows(api.get(ROOMS, query)))

    assert numbers(agency=agency_x.pk) == ["301", "302"]
    assert numbers(status="idle") == ["402", "501"]
    assert numbers(use_kind="service") == ["302", "402"]
    assert numbers(building=building_a.pk, q="40") == ["401", "402"]
    assert numbers(sub_use="meeting") == ["302"]
    response = api.get(ROOMS, {"status": "nonsense"})
    assert response.status_code == 400


def test_room_detail_lists_occupants(manager_a, estate):
    room = estate["office_y"]
    data = token_client(manager_a).get(f"{ROOMS}{room.pk}/").json()
    assert [o["person"]["name"] for o in data["occupants"]] == ["局长<b>乙</b>"]
    assert data["occupants"][0]["rank"] == "正科"
    assert data["people"] == 1


def test_liaison_sees_only_rooms_of_their_agency(liaison_x, estate):
    api = session_client(liaison_x)
    assert sorted(r["number"] for r in rows(api.get(ROOMS))) == ["301", "302"]
    assert api.get(f"{ROOMS}{estate['office_x'].pk}/").status_code == 200
    assert api.get(f"{ROOMS}{estate['office_y'].pk}/").status_code == 404
    assert api.get(f"{ROOMS}{estate['idle'].pk}/").status_code == 404


def test_other_center_gets_404(manager_b, estate):
    api = token_client(manager_b)
    assert [r["number"] for r in rows(api.get(ROOMS))] == ["101"]
    assert api.get(f"{ROOMS}{estate['office_x'].pk}/").status_code == 404


def test_rooms_query_count_is_constant(manager_a, estate, agency_y, make_room, make_person):
    api = token_client(manager_a)
    api.get(ROOMS)  # warm-up (token, content types)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(ROOMS).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(12):
        room = make_room("27.00", capacity=3, number=f"6{i:02d}", level=6)
        alloc.allocation_create(actor=manager_a, room=room, agency=agency_y, start_date=START)
        for _ in range(3):
            alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_y))
    assert count() == small


# ------------------------------------------------------------------ allocations


def test_allocation_history_and_filters(manager_a, estate, agency_y):
    api = token_client(manager_a)
    data = rows(api.get(ALLOCATIONS))
    assert len(data) == 4
    store = next(a for a in data if a["room"]["number"] == "402")
    assert store["end_date"] == "2025-06-01" and store["is_current"] is False
    assert store["agency"]["name"] == "甲区教育局" and store["source"] == "direct"
    current = rows(api.get(ALLOCATIONS, {"current": "true"}))
    assert sorted(a["room"]["number"] for a in current) == ["301", "302", "401"]
    past = rows(api.get(ALLOCATIONS, {"current": "false"}))
    assert [a["room"]["number"] for a in past] == ["402"]
    by_room = rows(api.get(ALLOCATIONS, {"room": estate["office_x"].pk}))
    assert [a["certificate_no"] for a in by_room] == ["配 1 号"]
    assert len(rows(api.get(ALLOCATIONS, {"agency": agency_y.pk}))) == 2


def test_allocations_scoped(liaison_x, manager_b, estate):
    data = rows(token_client(liaison_x).get(ALLOCATIONS))
    assert sorted(a["room"]["number"] for a in data) == ["301", "302"]
    other = rows(token_client(manager_b).get(ALLOCATIONS))
    assert [a["room"]["number"] for a in other] == ["101"]
    a_row = estate["office_x"].allocations.get()
    assert token_client(manager_b).get(f"{ALLOCATIONS}{a_row.pk}/").status_code == 404


# ------------------------------------------------------------------ compliance


def test_compliance_of_the_center(manager_a, estate, agency_y):
    data = token_client(manager_a).get(COMPLIANCE).json()
    assert data["scope"] == "center"
    assert data["totals"]["people_over"] == 1 and data["totals"]["people_excess"] == "2.00"
    assert data["totals"]["agencies_over"] == 1 and data["totals"]["idle_rooms"] == 2
    over = data["people_over"][0]
    assert over["person"]["name"] == "局长<b>乙</b>"
    assert (over["limit"], over["area"], over["excess"]) == ("18.00", "20.00", "2.00")
    assert over["rank"] == "正科" and over["seats"][0]["room"]["number"] == "401"
    agencies = {row["agency"]["name"]: row for row in data["agencies"]}
    y = agencies["甲区教育局"]
    assert (y["entitlement"], y["office_area"], y["excess"], y["is_over"]) == (
        "18.00",
        "20.00",
        "2.00",
        True,
    )
    x = agencies["甲区财政局"]
    assert x["service_area"] == "40.00" and x["rooms"] == 2 and x["is_over"] is False
    assert {r["number"] for r in data["idle_rooms"]} == {"402", "501"}


def test_compliance_on_a_date(manager_a, estate):
    api = token_client(manager_a)
    data = api.get(COMPLIANCE, {"date": "2025-03-01"}).json()
    assert data["date"] == "2025-03-01"
    assert [r["number"] for r in data["idle_rooms"]] == ["501"]  # the store room was held
    before = api.get(COMPLIANCE, {"date": "2024-12-31"}).json()
    assert before["totals"]["people_over"] == 0 and before["agencies"][0]["rooms"] == 0
    response = api.get(COMPLIANCE, {"date": "2025-13-01"})
    assert response.status_code == 400
    assert response.json()["date"] == ["日期格式应为 YYYY-MM-DD。"]


def test_liaison_gets_only_their_agency(liaison_x, liaison_y, estate):
    data = session_client(liaison_x).get(COMPLIANCE).json()
    assert data["scope"] == "agency"
    assert [row["agency"]["name"] for row in data["agencies"]] == ["甲区财政局"]
    assert data["people_over"] == [] and data["idle_rooms"] == []
    mine = token_client(liaison_y).get(COMPLIANCE).json()
    assert [p["person"]["name"] for p in mine["people_over"]] == ["局长<b>乙</b>"]


def test_compliance_other_center(manager_b, estate):
    data = token_client(manager_b).get(COMPLIANCE).json()
    assert [row["agency"]["name"] for row in data["agencies"]] == ["乙区财政局"]
    assert data["people_over"] == [] and data["totals"]["idle_rooms"] == 0


def test_compliance_query_count_is_constant(manager_a, estate, agency_y, make_room, make_person):
    api = token_client(manager_a)
    api.get(COMPLIANCE)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(COMPLIANCE).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(10):
        room = make_room("30.00", capacity=2, number=f"7{i:02d}", level=6)
        alloc.allocation_create(actor=manager_a, room=room, agency=agency_y, start_date=START)
        for _ in range(2):
            alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_y))
    assert count() == small


# ------------------------------------------------------------------ requests


BODY = {"reason": "档案增加，申请档案室一间", "headcount": 12, "area_wanted": "20.5"}


def test_liaison_submits_a_request(liaison_x, juzhang_x, manager_a, leader_a, agency_x):
    response = token_client(liaison_x).post(REQUESTS, BODY, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["agency"] == {"id": agency_x.pk, "name": "甲区财政局"}
    assert (data["status"], data["area_wanted"], data["headcount"]) == ("pending", "20.50", 12)
    approval = ApprovalRequest.objects.get(pk=data["approval_id"])
    assert approval.request_type == "space.request" and approval.object_id == data["id"]
    assert data["requested_by"]["id"] == liaison_x.pk
    # Shown in the lists of the liaison and of the space manager, with the same id.
    assert [r["id"] for r in rows(session_client(liaison_x).get(REQUESTS))] == [data["id"]]
    assert rows(token_client(manager_a).get(REQUESTS))[0]["approval_id"] == approval.pk
    detail = token_client(manager_a).get(f"{REQUESTS}{data['id']}/").json()
    assert detail["reason"] == BODY["reason"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reason": "  "}, "reason", "请填写申请理由。"),
        ({"headcount": "许多"}, "headcount", "现有人数必须是整数。"),
        ({"headcount": 0}, "headcount", "现有人数应在 1—10000 之间。"),
        ({"area_wanted": "abc"}, "area_wanted", "申请面积必须是数字。"),
        ({"area_wanted": "0"}, "area_wanted", "申请面积必须大于 0。"),
        ({"area_wanted": "1.234"}, "area_wanted", "申请面积最多保留两位小数。"),
        ({"area_wanted": ""}, "area_wanted", "申请面积必须是数字。"),
        ({"reason": "长" * 2001}, "reason", "申请理由不能超过 2000 个字。"),
    ],
)
def test_bad_request_is_a_chinese_400(
    liaison_x, juzhang_x, manager_a, leader_a, body, field, message
):
    response = token_client(liaison_x).post(REQUESTS, {**BODY, **body}, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not SpaceRequest.objects.exists() and not ApprovalRequest.objects.exists()


def test_only_for_their_own_agency(liaison_x, juzhang_x, manager_a, leader_a, agency_y, agency_b):
    api = token_client(liaison_x)
    response = api.post(REQUESTS, {**BODY, "agency": agency_y.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["agency"] == ["只能为本单位申请办公用房。"]
    for bad in (agency_b.pk, 999999):
        response = api.post(REQUESTS, {**BODY, "agency": bad}, format="json")
        assert response.status_code == 400
        assert response.json()["agency"] == ["请选择本中心的部门/单位。"]
    assert not SpaceRequest.objects.exists()


def test_no_approver_is_a_400_and_writes_nothing(liaison_x, manager_a):
    """No agency leader to decide the first step: refused rather than stuck."""
    response = token_client(liaison_x).post(REQUESTS, BODY, format="json")
    assert response.status_code == 400
    assert "没有除申请人以外可以审批的人员" in response.json()["non_field_errors"][0]
    assert not SpaceRequest.objects.exists()


def test_requests_scoped(liaison_x, liaison_y, juzhang_x, manager_a, leader_a, manager_b):
    created = token_client(liaison_x).post(REQUESTS, BODY, format="json").json()
    assert rows(token_client(liaison_y).get(REQUESTS)) == []
    assert token_client(liaison_y).get(f"{REQUESTS}{created['id']}/").status_code == 404
    assert rows(token_client(manager_b).get(REQUESTS)) == []
    assert token_client(manager_b).get(f"{REQUESTS}{created['id']}/").status_code == 404
    assert len(rows(token_client(leader_a).get(REQUESTS, {"status": "pending"}))) == 1
    assert rows(token_client(leader_a).get(REQUESTS, {"status": "approved"})) == []


def test_requests_query_count_is_constant(liaison_x, juzhang_x, manager_a, leader_a):
    api = token_client(manager_a)
    token_client(liaison_x).post(REQUESTS, BODY, format="json")
    api.get(REQUESTS)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(REQUESTS).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    poster = token_client(liaison_x)
    for _ in range(5):
        assert poster.post(REQUESTS, BODY, format="json").status_code == 201
    assert count() == small
