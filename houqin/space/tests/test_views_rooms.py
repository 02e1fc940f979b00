"""The room register pages: the list (filters, sorting, htmx, xlsx export), the form, the
under-repair toggle and the detail page (holder, people and their share, history).
Permissions: staff 403, another center 404, liaisons read their own agency's rooms only;
query budgets; escaping of user text."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.space.models import SpaceRoom, SubUse
from houqin.space.services import allocation as alloc
from houqin.space.services import register

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"space:{name}", args=args)


def today():
    return timezone.localdate()


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return manager_a


# ------------------------------------------------------------------ rooms: list


def test_room_list_filters(client, manager, building_a, make_room, agency_x, agency_y):
    office = make_room(number="101", level=1)
    office.name = "局长办公室"
    office.save()
    meeting = make_room(number="501", level=5, sub_use=SubUse.MEETING, area="60")
    make_room(number="102", level=1)
    alloc.allocation_create(actor=manager, room=office, agency=agency_x)
    alloc.allocation_create(actor=manager, room=meeting, agency=agency_y)

    def numbers(**params):
        html = client.get(url("room_list"), params).content.decode()
        return {n for n in ("101", "102", "501") if f">{n}</a>" in html}

    assert numbers() == {"101", "102", "501"}
    assert numbers(use_kind="service") == {"501"}
    assert numbers(sub_use="office") == {"101", "102"}
    assert numbers(status="idle") == {"102"}
    assert numbers(agency=agency_x.pk) == {"101"}
    assert numbers(floor=building_a.floors.get(level=5).pk) == {"501"}
    assert numbers(building=building_a.pk) == {"101", "102", "501"}
    assert numbers(q="局长") == {"101"}
    assert numbers(q="50") == {"501"}
    html = client.get(url("room_list")).content.decode()
    assert "甲区财政局" in html and "甲区教育局" in html


def test_room_list_htmx_partial(client, manager, make_room):
    make_room(number="101")
    response = client.get(url("room_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert ">101</a>" in html and "<html" not in html


@pytest.mark.parametrize(
    "sort", ["building", "-floor", "number", "holder_name", "-people", "usable_area", "status"]
)
def test_room_list_sorts(client, manager, make_room, agency_x, sort):
    make_room(number="101")
    alloc.allocation_create(actor=manager, room=make_room(number="102"), agency=agency_x)
    html = client.get(url("room_list"), {"sort": sort}).content.decode()
    assert ">101</a>" in html and ">102</a>" in html


def test_room_list_query_count_constant(client, manager, make_room, agency_x, make_person):
    def rooms(n):
        for _ in range(n):
            room = make_room(capacity=2)
            alloc.allocation_create(actor=manager, room=room, agency=agency_x)
            alloc.occupancy_add(actor=manager, room=room, person=make_person(agency_x))

    rooms(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("room_list")).status_code == 200
    rooms(25)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("room_list")).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as export:
        client.get(url("room_list"), {"export": "xlsx"})
    rooms(5)
    with CaptureQueriesContext(connection) as bigger_export:
        client.get(url("room_list"), {"export": "xlsx"})
    assert len(bigger_export) == len(export)


def test_room_export(client, manager, make_room, agency_x, make_person):
    room = make_room(area="18.5", number="301", level=3, capacity=2)
    alloc.allocation_create(actor=manager, room=room, agency=agency_x)
    alloc.occupancy_add(actor=manager, room=room, person=make_person(agency_x))
    make_room(number="302", level=3)
    response = client.get(url("room_list"), {"export": "xlsx", "status": "occupied"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("楼栋", "楼层", "房间号")
    assert len(rows) == 2
    assert rows[1][:4] == ("行政中心大楼", "3F", "301", None)
    assert rows[1][4:11] == ("办公室用房", "办公室", 18.5, 2, 1, "甲区财政局", "使用中")
    event = AuditEvent.objects.get(kind="export")
    assert event.detail["model"] == "space.SpaceRoom" and event.detail["rows"] == 1
    assert event.detail["filters"] == {"status": "occupied"}


def test_liaison_sees_only_own_agency_rooms_read_only(
    client, liaison_x, manager_a, make_room, agency_x, agency_y
):
    mine = make_room(number="101")
    theirs = make_room(number="102")
    idle = make_room(number="103")
    alloc.allocation_create(actor=manager_a, room=mine, agency=agency_x)
    alloc.allocation_create(actor=manager_a, room=theirs, agency=agency_y)
    client.force_login(liaison_x)
    html = client.get(url("room_list")).content.decode()
    assert ">101</a>" in html and ">102</a>" not in html and ">103</a>" not in html
    assert url("room_create") not in html and url("room_import") not in html
    assert "甲区教育局" not in html  # not even as a filter choice
    assert client.get(url("room_detail", mine.pk)).status_code == 200
    assert client.get(url("room_detail", theirs.pk)).status_code == 404
    assert client.get(url("room_detail", idle.pk)).status_code == 404
    response = client.get(url("room_list"), {"export": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 2


def test_room_pages_forbidden_to_staff(client, staff_x, make_room):
    room = make_room()
    client.force_login(staff_x)
    for page in (url("room_list"), url("room_detail", room.pk), url("room_create")):
        assert client.get(page).status_code == 403


def test_room_pages_other_center(client, manager_b, make_room, building_b):
    room = make_room(number="101")
    client.force_login(manager_b)
    assert ">101</a>" not in client.get(url("room_list")).content.decode()
    assert client.get(url("room_detail", room.pk)).status_code == 404
    assert client.get(url("room_edit", room.pk)).status_code == 404
    assert client.post(url("room_repair", room.pk), {"repair": "1"}).status_code == 404
    assert client.get(url("room_create"), {"building": room.building_id}).status_code == 404
    room.refresh_from_db()
    assert room.status == "idle"


# ------------------------------------------------------------------ rooms: form, repair


ROOM = {
    "number": "201",
    "name": "科员办公室",
    "sub_use": "office",
    "use_kind": "",
    "usable_area": "24.5",
    "capacity": "2",
    "notes": "",
}


def test_room_create_from_building(client, manager, building_a):
    floor = building_a.floors.get(level=2)
    page = client.get(url("room_create"), {"building": building_a.pk}).content.decode()
    assert f'value="{floor.pk}"' in page and 'name="building"' not in page
    response = client.post(
        url("room_create") + f"?building={building_a.pk}", {**ROOM, "floor": floor.pk}
    )
    room = SpaceRoom.objects.get()
    assert response.status_code == 302 and response.url == url("room_detail", room.pk)
    assert room.building == building_a and room.floor == floor and room.use_kind == "office"


def test_room_create_choosing_building(client, manager, building_a, center_a):
    other = register.building_create(
        actor=manager, center=center_a, name="综合楼", address="路", floor_area="9", floors_above=1
    )
    wrong_floor = other.floors.get()
    data = {**ROOM, "building": building_a.pk, "floor": wrong_floor.pk}
    response = client.post(url("room_create"), data)
    assert response.status_code == 422
    assert "请选择该楼栋的楼层。" in response.content.decode()
    assert not SpaceRoom.objects.exists()
    data["floor"] = building_a.floors.get(level=1).pk
    assert client.post(url("room_create"), data).status_code == 302
    assert SpaceRoom.objects.get().building == building_a


def test_room_create_bad_input(client, manager, building_a, make_room):
    make_room(number="201", level=2)
    floor = building_a.floors.get(level=2).pk
    target = url("room_create") + f"?building={building_a.pk}"
    cases = [
        ({"usable_area": "abc"}, "使用面积必须是数字。"),
        ({"number": "201"}, "该楼栋已有房间号 201。"),
        ({"number": "202", "sub_use": "other"}, "请选择用房类别。"),
        ({"number": "202", "use_kind": "equipment"}, "与所选用房类别不符"),
        ({"number": "202", "capacity": "0"}, "核定使用人数应在 1—50 之间。"),
        ({"number": "202", "floor": "999999"}, "请选择该楼栋的楼层。"),
    ]
    for change, message in cases:
        response = client.post(target, {**ROOM, "floor": floor, **change})
        assert response.status_code == 422, change
        assert message in response.content.decode(), change
    assert SpaceRoom.objects.count() == 1


def test_room_edit(client, manager, make_room):
    room = make_room(number="201", level=2)
    page = client.get(url("room_edit", room.pk)).content.decode()
    assert 'value="201"' in page
    data = {**ROOM, "floor": room.floor_id, "name": "档案室", "sub_use": "archives"}
    assert client.post(url("room_edit", room.pk), data).status_code == 302
    room.refresh_from_db()
    assert room.name == "档案室" and room.use_kind == "service"


def test_room_repair_toggle(client, manager, make_room):
    room = make_room()
    response = client.post(url("room_repair", room.pk), {"repair": "1"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.status == "repair"
    html = client.get(url("room_detail", room.pk)).content.decode()
    assert "维修完毕" in html and "暂不能分配" in html
    client.post(url("room_repair", room.pk), {"repair": "0"})
    room.refresh_from_db()
    assert room.status == "idle"
    assert client.get(url("room_repair", room.pk)).status_code == 405


def test_room_writes_forbidden_to_liaison_and_leader(
    client, liaison_x, leader_a, manager_a, make_room, agency_x
):
    room = make_room()
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x)
    for user in (liaison_x, leader_a):
        client.force_login(user)
        assert client.get(url("room_create")).status_code == 403
        assert client.get(url("room_edit", room.pk)).status_code == 403
        assert client.post(url("room_repair", room.pk), {"repair": "1"}).status_code == 403
        html = client.get(url("room_detail", room.pk)).content.decode()
        assert url("room_edit", room.pk) not in html and url("room_vacate", room.pk) not in html
    room.refresh_from_db()
    assert room.status == "occupied"


# ------------------------------------------------------------------ rooms: detail


def test_room_detail_holder_people_and_history(
    client, manager, make_room, agency_x, agency_y, make_person
):
    room = make_room(area="20.00", capacity=2, number="301", level=3)
    alloc.allocation_create(
        actor=manager, room=room, agency=agency_y, start_date=today() - dt.timedelta(days=100)
    )
    alloc.allocation_vacate(actor=manager, room=room, end_date=today() - dt.timedelta(days=50))
    alloc.allocation_create(
        actor=manager,
        room=room,
        agency=agency_x,
        start_date=today() - dt.timedelta(days=10),
        certificate_no="甲配字〔2026〕7号",
    )
    clerk = make_person(agency_x, name="张科员")
    chief = make_person(agency_x, "section-head", name="李科长")
    alloc.occupancy_add(actor=manager, room=room, person=clerk)
    html = client.get(url("room_detail", room.pk)).content.decode()
    assert "甲配字〔2026〕7号" in html and "甲区教育局" in html  # history
    assert "张科员" in html and "超标 11.00㎡" in html  # 20 ㎡ alone, limit 9
    alloc.occupancy_add(actor=manager, room=room, person=chief)
    html = client.get(url("room_detail", room.pk)).content.decode()
    assert "超标 1.00㎡" in html  # 10 ㎡ each: the clerk is 1 over, the chief is within 18
    assert "未超标" in html
    assert url("occupancy_add", room.pk) not in html  # the room is full


def test_room_detail_escapes_names(client, manager, make_room, agency_x, make_person):
    room = make_room()
    room.name = "<img src=x onerror=alert(1)>"
    room.save()
    alloc.allocation_create(actor=manager, room=room, agency=agency_x)
    alloc.occupancy_add(actor=manager, room=room, person=make_person(agency_x, name="<i>王</i>"))
    html = client.get(url("room_detail", room.pk)).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<i>王</i>" not in html and "&lt;i&gt;王&lt;/i&gt;" in html
    html = client.get(url("room_list")).content.decode()
    assert "<img src=x" not in html


def test_room_detail_query_count_constant(client, manager, make_room, agency_x, make_person):
    def room_with_history(n):
        room = make_room(area="30", capacity=5)
        for i in range(n):
            day = today() - dt.timedelta(days=100 - 3 * i)
            alloc.allocation_create(actor=manager, room=room, agency=agency_x, start_date=day)
            person = make_person(agency_x)
            alloc.occupancy_add(actor=manager, room=room, person=person, start_date=day)
            alloc.allocation_vacate(actor=manager, room=room, end_date=day + dt.timedelta(days=1))
        alloc.allocation_create(actor=manager, room=room, agency=agency_x)
        for _ in range(1 + n // 3):
            alloc.occupancy_add(actor=manager, room=room, person=make_person(agency_x))
        return room

    short, long = room_with_history(1), room_with_history(9)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("room_detail", short.pk)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("room_detail", long.pk)).status_code == 200
    assert len(many) == len(few)
