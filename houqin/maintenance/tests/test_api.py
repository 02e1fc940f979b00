"""maintenance API: /api/v1/maintenance/work-orders/ and /api/v1/maintenance/equipment/."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from houqin.maintenance.models import Equipment, MaterialUse, WorkOrder, WorkOrderPhoto
from houqin.maintenance.services import work_orders as wo
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/maintenance/work-orders/"
EQUIPMENT = "/api/v1/maintenance/equipment/"
S = WorkOrder.Status


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def png(name="p.png", size=(8, 8)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


FIELDS = {
    "category": "water",
    "description": "三楼卫生间水龙头漏水",
    "building": "A座",
    "room": "305",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_y(agency_y):
    return make_user(PersonFactory(agency=agency_y, name="另一科员"), username="staff_y")


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙维修管理员"), "maintenance_manager", username="mm_b"
    )


@pytest.fixture
def order(staff_x):
    return wo.work_order_report(actor=staff_x, **FIELDS)


@pytest.fixture
def assigned(order, manager_a, tech_a):
    return wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a)


def status_of(order):
    return WorkOrder.objects.values_list("status", flat=True).get(pk=order.pk)


# ------------------------------------------------------------------ report


def test_report_with_photos_multipart(staff_x):
    r = client_for(staff_x).post(
        ORDERS,
        {**FIELDS, "urgency": "urgent", "phone": "13800000000", "photos": [png(), png("b.png")]},
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["number"].startswith("WX") and data["status"] == "new"
    assert data["urgency"] == "urgent" and data["reporter"]["id"] == staff_x.pk
    assert [e["action"] for e in data["events"]] == ["report"]
    assert len(data["photos"]) == 2
    photo = WorkOrderPhoto.objects.filter(order_id=data["id"]).order_by("pk").first()
    assert data["photos"][0] == {
        "id": photo.pk,
        "stage": "report",
        "url": f"/maintenance/photos/{photo.pk}/",
        "size": photo.size,
    }
    assert not data["overdue"] and data["due_at"] > data["response_due_at"]


def test_report_json_without_photos(staff_x):
    r = client_for(staff_x).post(ORDERS, {**FIELDS, "category": "ac"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["photos"] == [] and r.json()["category_display"] == "空调"


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image at all", "image/png"), "不是有效的图片"),
        (SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), "image/png"), "过大"),
        (SimpleUploadedFile("e.png", b"", "image/png"), "空文件"),
    ],
)
def test_report_photo_type_and_size_limits(staff_x, photo, message):
    r = client_for(staff_x).post(ORDERS, {**FIELDS, "photos": [png(), photo]}, format="multipart")
    assert r.status_code == 400
    assert message in str(r.json()["photos"])
    assert not WorkOrder.objects.exists() and not WorkOrderPhoto.objects.exists()


def test_report_at_most_nine_photos(staff_x):
    r = client_for(staff_x).post(
        ORDERS, {**FIELDS, "photos": [png(f"{i}.png") for i in range(10)]}, format="multipart"
    )
    assert r.status_code == 400 and "9" in str(r.json()["photos"])
    assert not WorkOrder.objects.exists() and not WorkOrderPhoto.objects.exists()


def test_report_field_errors_are_chinese(staff_x, center_b):
    api = client_for(staff_x)
    r = api.post(ORDERS, {**FIELDS, "description": " "}, format="json")
    assert r.status_code == 400 and "故障描述" in r.json()["description"][0]
    r = api.post(ORDERS, {"category": "water", "description": "漏水"}, format="json")
    assert r.status_code == 400 and "报修位置" in r.json()["location_text"][0]
    r = api.post(ORDERS, {**FIELDS, "category": "spaceship"}, format="json")
    assert r.status_code == 400 and "报修类别" in r.json()["category"][0]
    other = Equipment.objects.create(
        center=center_b, kind="pump", name="水泵", code="B-1", location="乙"
    )
    r = api.post(ORDERS, {**FIELDS, "equipment": other.pk}, format="json")
    assert r.status_code == 400 and "设备不存在" in r.json()["equipment"][0]
    assert not WorkOrder.objects.exists()


# ------------------------------------------------------------------ technician and reporter


def test_technician_works_the_order_and_the_reporter_confirms(assigned, staff_x, tech_a):
    tech = client_for(tech_a)
    url = f"{ORDERS}{assigned.pk}/"
    r = tech.post(url + "accept/")
    assert r.status_code == 200 and r.json()["accepted_at"]
    assert tech.post(url + "start/").json()["status"] == "in_progress"
    r = tech.post(url + "wait-parts/", {"note": ""}, format="json")
    assert r.status_code == 400 and "所需配件" in r.json()["note"][0]
    r = tech.post(url + "wait-parts/", {"note": "等待 DN20 角阀"}, format="json")
    assert r.json()["status"] == "waiting_parts"
    assert tech.post(url + "start/").json()["status"] == "in_progress"
    bad = tech.post(url + "materials/", {"name": "角阀", "quantity": 1, "unit_price": -3})
    assert bad.status_code == 400 and "不能为负数" in bad.json()["unit_price"][0]
    r = tech.post(
        url + "materials/",
        {"name": "角阀", "spec": "DN20", "quantity": "2", "unit": "个", "unit_price": "18.50"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["material_cost"] == "37.00"
    assert r.json()["materials"][0]["amount"] == "37.00"
    r = tech.post(url + "photos/", {"photos": [png()]}, format="multipart")
    assert r.status_code == 201 and [p["stage"] for p in r.json()["photos"]] == ["progress"]
    r = tech.post(url + "finish/", {"note": " ", "labor_cost": "30"}, format="multipart")
    assert r.status_code == 400 and "维修情况" in r.json()["completion_note"][0]
    r = tech.post(
        url + "finish/",
        {"note": "更换角阀，试水正常", "labor_cost": "30", "photos": [png()]},
        format="multipart",
    )
    assert r.status_code == 200, r.json()
    data = r.json()
    assert data["status"] == "done" and data["total_cost"] == "67.00"
    assert sorted(p["stage"] for p in data["photos"]) == ["finish", "progress"]

    reporter = client_for(staff_x)
    r = reporter.post(url + "confirm/", {"rating": 6}, format="json")
    assert r.status_code == 400 and "1 到 5" in r.json()["rating"][0]
    r = reporter.post(url + "confirm/", {"rating": 5, "comment": "很及时"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert r.json()["rating"] == 5
    actions = [e["action"] for e in r.json()["events"]]
    assert actions == [
        "report",
        "assign",
        "accept",
        "start",
        "wait_parts",
        "start",
        "finish",
        "confirm",
    ]
    assert r.json()["events"][2]["actor"] == {"id": tech_a.pk, "name": "水电工甲"}
    assert r.json()["events"][2]["action_display"] == "接单"


def test_illegal_transitions_are_400_and_change_nothing(order, assigned, staff_x, manager_a):
    url = f"{ORDERS}{order.pk}/"
    r = client_for(manager_a).post(url + "finish/", {"note": "好了"}, format="json")
    assert r.status_code == 400 and "不能完工" in r.json()["non_field_errors"][0]
    r = client_for(staff_x).post(url + "confirm/", {"rating": 5}, format="json")
    assert r.status_code == 400 and "不能确认" in r.json()["non_field_errors"][0]
    r = client_for(manager_a).post(url + "reopen/", {"reason": "又坏了"}, format="json")
    assert r.status_code == 400 and "不能重新打开" in r.json()["non_field_errors"][0]
    assert status_of(order) == S.ASSIGNED
    assert order.events.count() == 2


def test_who_may_act(assigned, staff_x, tech_a, tech_a2):
    url = f"{ORDERS}{assigned.pk}/"
    # The reporter may not do the technician's work; another technician does not see it.
    assert client_for(staff_x).post(url + "start/").status_code == 403
    assert client_for(tech_a2).post(url + "start/").status_code == 404
    r = client_for(staff_x).post(url + "materials/", {"name": "x", "quantity": 1, "unit_price": 1})
    assert r.status_code == 403
    assert status_of(assigned) == S.ASSIGNED and not MaterialUse.objects.exists()
    # The assignee may not confirm their own work.
    client_for(tech_a).post(url + "start/")
    client_for(tech_a).post(url + "finish/", {"note": "修好"}, format="json")
    assert client_for(tech_a).post(url + "confirm/", {"rating": 5}).status_code == 403


def test_reporter_cancels_and_reopens(staff_x, manager_a, tech_a):
    api = client_for(staff_x)
    first = api.post(ORDERS, FIELDS, format="json").json()
    r = api.post(f"{ORDERS}{first['id']}/cancel/", {"reason": "已自行处理"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    second = wo.work_order_report(actor=staff_x, **FIELDS)
    second = wo.work_order_assign(actor=manager_a, order=second, assignee=tech_a)
    wo.work_order_start(actor=tech_a, order=second)
    wo.work_order_finish(actor=tech_a, order=second, note="修好")
    url = f"{ORDERS}{second.pk}/reopen/"
    r = api.post(url, {"reason": ""}, format="json")
    assert r.status_code == 400 and "重新打开原因" in r.json()["reason"][0]
    r = api.post(url, {"reason": "又漏水了"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    assert r.json()["assignee"]["id"] == tech_a.pk and r.json()["finished_at"] is None


def test_reporter_adds_report_photos_with_limits(order, staff_x):
    url = f"{ORDERS}{order.pk}/photos/"
    api = client_for(staff_x)
    r = api.post(url, {"photos": [png()]}, format="multipart")
    assert r.status_code == 201 and r.json()["photos"][0]["stage"] == "report"
    bad = SimpleUploadedFile("doc.pdf", b"%PDF-1.4 nothing", "application/pdf")
    r = api.post(url, {"photos": [png(), bad]}, format="multipart")
    assert r.status_code == 400 and "doc.pdf" in str(r.json()["photos"])
    r = api.post(url, {}, format="multipart")
    assert r.status_code == 400 and "请选择照片" in str(r.json()["photos"])
    assert WorkOrderPhoto.objects.filter(order=order).count() == 1


# ------------------------------------------------------------------ scoping and filters


def test_scoping(order, assigned, staff_x, staff_y, tech_a, tech_a2, manager_a, manager_b):
    mine = wo.work_order_report(actor=staff_y, **{**FIELDS, "room": "101"})
    assert [o["id"] for o in rows(client_for(staff_x).get(ORDERS))] == [order.pk]
    assert [o["id"] for o in rows(client_for(staff_y).get(ORDERS))] == [mine.pk]
    assert client_for(staff_y).get(f"{ORDERS}{order.pk}/").status_code == 404
    assert [o["id"] for o in rows(client_for(tech_a).get(ORDERS))] == [order.pk]
    assert rows(client_for(tech_a2).get(ORDERS)) == []
    assert client_for(tech_a2).get(f"{ORDERS}{order.pk}/").status_code == 404
    assert {o["id"] for o in rows(client_for(manager_a).get(ORDERS))} == {order.pk, mine.pk}
    assert rows(client_for(manager_b).get(ORDERS)) == []
    assert client_for(manager_b).get(f"{ORDERS}{order.pk}/").status_code == 404
    assert client_for(manager_b).post(f"{ORDERS}{order.pk}/start/").status_code == 404
    assert APIClient().get(ORDERS).status_code == 401


def test_filters(order, assigned, staff_x, staff_y, tech_a, manager_a):
    late = wo.work_order_report(actor=staff_y, **{**FIELDS, "category": "electric"})
    WorkOrder.objects.filter(pk=late.pk).update(
        response_due_at=late.created_at, due_at=late.created_at
    )
    api = client_for(manager_a)
    ids = lambda q: [o["id"] for o in rows(api.get(ORDERS + q))]  # noqa: E731
    assert ids("?category=electric") == [late.pk]
    assert ids("?status=assigned") == [order.pk]
    assert ids("?overdue=true") == [late.pk]
    assert rows(api.get(ORDERS + "?overdue=true"))[0]["overdue"] is True
    assert ids("?overdue=false") == [order.pk]
    assert ids(f"?q={order.number}") == [order.pk]
    assert ids("?box=mine") == []
    assert [o["id"] for o in rows(client_for(tech_a).get(ORDERS + "?box=assigned"))] == [order.pk]
    assert api.get(ORDERS + "?status=bogus").status_code == 400


def test_list_runs_a_constant_number_of_queries(staff_x, staff_y, manager_a, tech_a):
    api = client_for(manager_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(ORDERS).status_code == 200
        return len(ctx)

    for user in (staff_x, staff_y):
        o = wo.work_order_report(actor=user, **FIELDS)
        wo.work_order_assign(actor=manager_a, order=o, assignee=tech_a)
    few = count()
    for i in range(8):
        o = wo.work_order_report(actor=staff_x if i % 2 else staff_y, **FIELDS)
        if i % 3:
            wo.work_order_assign(actor=manager_a, order=o, assignee=tech_a)
    assert count() == few


def test_detail_runs_a_constant_number_of_queries(assigned, tech_a):
    api = client_for(tech_a)
    url = f"{ORDERS}{assigned.pk}/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx)

    few = count()
    wo.work_order_start(actor=tech_a, order=assigned)
    for i in range(3):
        wo.work_order_add_material(
            actor=tech_a, order=assigned, name=f"料{i}", quantity=1, unit_price=1
        )
    wo.work_order_add_photos(actor=tech_a, order=assigned, photos=[png(), png()])
    assert count() == few


# ------------------------------------------------------------------ equipment


@pytest.fixture
def equipment(center_a, center_b):
    Equipment.objects.create(
        center=center_a, kind="elevator", name="1号客梯", code="DT-01", location="A座"
    )
    pump = Equipment.objects.create(
        center=center_a, kind="pump", name="生活水泵", code="SB-01", location="地下一层泵房"
    )
    other = Equipment.objects.create(
        center=center_b, kind="pump", name="乙中心水泵", code="SB-01", location="乙"
    )
    return pump, other


def test_equipment_lookup(equipment, tech_a, staff_x, manager_b):
    pump, other = equipment
    api = client_for(tech_a)
    assert [e["code"] for e in rows(api.get(EQUIPMENT))] == ["DT-01", "SB-01"]
    assert [e["id"] for e in rows(api.get(EQUIPMENT + "?q=水泵"))] == [pump.pk]
    assert [e["id"] for e in rows(api.get(EQUIPMENT + "?q=sb-"))] == [pump.pk]
    detail = api.get(f"{EQUIPMENT}{pump.pk}/").json()
    assert detail["kind_display"] == "水泵" and detail["location"] == "地下一层泵房"
    assert api.get(f"{EQUIPMENT}{other.pk}/").status_code == 404
    assert client_for(staff_x).get(EQUIPMENT).status_code == 403
    assert [e["id"] for e in rows(client_for(manager_b).get(EQUIPMENT))] == [other.pk]


def test_report_on_a_piece_of_equipment(equipment, staff_x):
    pump, _other = equipment
    r = client_for(staff_x).post(
        ORDERS,
        {"category": "water", "description": "水泵异响", "equipment": pump.pk},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["equipment"] == {"id": pump.pk, "name": "生活水泵（SB-01）"}
