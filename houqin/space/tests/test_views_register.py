"""The building pages: list (totals, xlsx), form, detail with floors, floor plan upload and
the access-checked plan image. Permissions: staff and liaisons 403, leaders read only,
another center 404; query budget; escaping of user text. Room pages: test_views_rooms.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.space.models import Building, Floor
from houqin.space.services import allocation as alloc
from houqin.space.services import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, *args):
    return reverse(f"space:{name}", args=args)


def png(name="plan.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return manager_a


BUILDING = {
    "name": "综合楼",
    "code": "B",
    "address": "人民路 2 号",
    "ownership": "owned",
    "owner_name": "",
    "floor_area": "3000",
    "built_year": "2010",
    "floors_above": "3",
    "floors_below": "1",
    "notes": "",
}


# ------------------------------------------------------------------ buildings


def test_building_list_with_totals(client, manager, building_a, building_b, make_room, agency_x):
    make_room(area="20", number="101")
    held = make_room(area="30.5", number="102")
    alloc.allocation_create(actor=manager, room=held, agency=agency_x)
    html = client.get(url("building_list")).content.decode()
    assert "行政中心大楼" in html and "乙区办公楼" not in html
    assert "50.50" in html and "地上 6 / 地下 1" in html
    assert 'class="badge text-bg-warning">1<' in html  # one idle room


def test_building_list_query_count_constant(client, manager, center_a, make_room):
    def make_buildings(n, start):
        for i in range(start, start + n):
            building = register.building_create(
                actor=None,
                center=center_a,
                name=f"楼{i}",
                address="路",
                floor_area="100",
                floors_above=2,
            )
            make_room(building=building, number=f"{i}01")

    make_buildings(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("building_list")).status_code == 200
    make_buildings(12, 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("building_list")).status_code == 200
    assert len(many) == len(few)


def test_building_export(client, manager, building_a, make_room):
    make_room(area="18")
    response = client.get(url("building_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "楼栋名称" and sheet["A2"].value == "行政中心大楼"
    assert sheet["J2"].value == 1 and float(sheet["K2"].value) == 18.0
    assert AuditEvent.objects.get(kind="export").detail["model"] == "space.Building"


def test_building_create_and_edit(client, manager):
    response = client.post(url("building_create"), BUILDING)
    building = Building.objects.get()
    assert response.status_code == 302 and response.url == url("building_detail", building.pk)
    assert building.center_id == manager.center_id and building.floors.count() == 4
    page = client.get(url("building_edit", building.pk)).content.decode()
    assert "人民路 2 号" in page
    response = client.post(
        url("building_edit", building.pk), {**BUILDING, "floors_above": "5", "is_active": "on"}
    )
    assert response.status_code == 302
    assert building.floors.count() == 6


def test_building_bad_input_shows_chinese_errors(client, manager, building_a):
    response = client.post(
        url("building_create"), {**BUILDING, "name": "行政中心大楼", "floor_area": "-5"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "建筑面积必须大于 0。" in html
    assert Building.objects.count() == 1
    response = client.post(url("building_create"), {**BUILDING, "name": "行政中心大楼"})
    assert "已有同名楼栋。" in response.content.decode()
    assert Building.objects.count() == 1


def test_building_detail_floors_and_rooms(client, manager, building_a, make_room, agency_x):
    idle = make_room(number="101", level=1)
    held = make_room(number="301", level=3)
    alloc.allocation_create(actor=manager, room=held, agency=agency_x)
    register.room_set_repair(actor=manager, room=make_room(number="B01", level=-1), repair=True)
    html = client.get(url("building_detail", building_a.pk)).content.decode()
    assert "B1" in html and "6F" in html
    assert url("room_detail", idle.pk) in html and "甲区财政局" in html
    assert "text-bg-warning" in html and "text-bg-success" in html and "text-bg-danger" in html
    assert url("floor_plan_upload", building_a.floors.get(level=1).pk) in html


def test_building_pages_escape_user_text(client, manager, center_a):
    register.building_create(
        actor=manager,
        center=center_a,
        name="<script>alert(1)</script>",
        address="<b>路</b>",
        floor_area="10",
        floors_above=1,
    )
    building = Building.objects.get()
    for page in (url("building_list"), url("building_detail", building.pk)):
        html = client.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("building_list", ()),
        ("building_create", ()),
        ("building_detail", (0,)),
        ("building_edit", (0,)),
        ("floor_plan", (1,)),
    ],
)
def test_building_pages_forbidden_to_staff_and_liaison(client, staff_x, liaison_x, name, args):
    for user in (staff_x, liaison_x):
        client.force_login(user)
        assert client.get(url(name, *args)).status_code == 403


def test_leader_reads_but_cannot_write(client, leader_a, building_a):
    client.force_login(leader_a)
    html = client.get(url("building_list")).content.decode()
    assert "行政中心大楼" in html and url("building_create") not in html
    assert client.get(url("building_detail", building_a.pk)).status_code == 200
    assert client.get(url("building_create")).status_code == 403
    assert client.get(url("building_edit", building_a.pk)).status_code == 403


def test_other_center_gets_404(client, manager_b, building_a):
    client.force_login(manager_b)
    floor = building_a.floors.first()
    assert client.get(url("building_detail", building_a.pk)).status_code == 404
    assert client.get(url("building_edit", building_a.pk)).status_code == 404
    assert client.post(url("building_edit", building_a.pk), BUILDING).status_code == 404
    assert client.get(url("floor_plan", floor.pk)).status_code == 404
    response = client.post(url("floor_plan_upload", floor.pk), {"plan": png()})
    assert response.status_code == 404
    assert not Floor.objects.exclude(plan="").exists()


# ------------------------------------------------------------------ floor plans


def test_floor_plan_upload_and_access_checked_download(client, manager, building_a, leader_a):
    floor = building_a.floors.get(level=2)
    assert client.get(url("floor_plan", floor.pk)).status_code == 404  # none yet
    response = client.post(url("floor_plan_upload", floor.pk), {"plan": png("二层.png")})
    assert response.status_code == 302
    assert response.url == url("building_detail", building_a.pk) + f"#floor-{floor.pk}"
    floor.refresh_from_db()
    assert floor.plan and floor.plan_uploaded_by == manager
    html = client.get(url("building_detail", building_a.pk)).content.decode()
    assert f'src="{url("floor_plan", floor.pk)}"' in html
    assert "/media/" not in html  # never a public media URL
    client.force_login(leader_a)
    response = client.get(url("floor_plan", floor.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    Image.open(io.BytesIO(b"".join(response.streaming_content))).verify()


def test_floor_plan_upload_refuses_non_images(client, manager, building_a):
    floor = building_a.floors.get(level=2)
    bad = SimpleUploadedFile("plan.png", b"MZ\x90\x00 not a png")
    response = client.post(url("floor_plan_upload", floor.pk), {"plan": bad}, follow=True)
    html = response.content.decode()
    assert "平面图未上传" in html and "不是有效的图片文件" in html
    floor.refresh_from_db()
    assert not floor.plan
    response = client.post(url("floor_plan_upload", floor.pk), {}, follow=True)
    assert "请选择平面图图片" in response.content.decode()
    assert client.get(url("floor_plan_upload", floor.pk)).status_code == 405


def test_floor_plan_upload_forbidden_to_leader(client, leader_a, building_a):
    client.force_login(leader_a)
    floor = building_a.floors.first()
    assert client.post(url("floor_plan_upload", floor.pk), {"plan": png()}).status_code == 403
