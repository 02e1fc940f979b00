"""The xlsx room import: the whole file is checked first, every bad row is reported in
Chinese, and nothing is written unless every row is right. Service and pages."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import ImportFileError
from houqin.space.models import SpaceRoom
from houqin.space.services import register
from houqin.space.services.register import ImportRowsError, rooms_import

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in register.ROOM_COLUMNS]
GOOD = [
    ["行政中心大楼", "3", "301", "局长办公室", "24.5", "办公室用房", "办公室", "1", ""],
    ["行政中心大楼", "-1", "B101", "", 40, "", "配电室", "", "地下"],
    ["A", "3F", "302", "", "18", "", "会议室", "", ""],
    ["行政中心大楼", "B1", "B102", "", "12.25", "附属用房", "其他", "2", ""],
]


def xlsx(rows, headers=HEADERS, name="rooms.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def errors_of(manager, center, rows):
    before = SpaceRoom.objects.count()
    with pytest.raises(ImportRowsError) as exc:
        rooms_import(actor=manager, center=center, uploaded=xlsx(rows))
    assert SpaceRoom.objects.count() == before  # all or nothing
    return exc.value.errors


def test_import_creates_every_row(manager_a, center_a, building_a):
    assert rooms_import(actor=manager_a, center=center_a, uploaded=xlsx(GOOD)) == 4
    rooms = {r.number: r for r in SpaceRoom.objects.select_related("floor")}
    assert rooms["301"].floor.level == 3 and rooms["301"].use_kind == "office"
    assert rooms["301"].name == "局长办公室" and str(rooms["301"].usable_area) == "24.50"
    assert rooms["B101"].floor.level == -1 and rooms["B101"].use_kind == "equipment"
    assert rooms["B101"].notes == "地下" and rooms["B101"].capacity == 1
    assert rooms["302"].building == building_a and rooms["302"].use_kind == "service"
    assert rooms["B102"].use_kind == "auxiliary" and rooms["B102"].capacity == 2
    assert all(r.status == "idle" and r.center_id == center_a.pk for r in rooms.values())


@pytest.mark.parametrize(
    "row, message",
    [
        (["科技大楼", "3", "301", "", "20", "", "办公室", "", ""], "楼栋“科技大楼”不存在"),
        (["行政中心大楼", "9", "901", "", "20", "", "办公室", "", ""], "没有第 9 层"),
        (["行政中心大楼", "三楼", "301", "", "20", "", "办公室", "", ""], "楼层“三楼”无法识别"),
        (["行政中心大楼", "3", "301", "", "0", "", "办公室", "", ""], "使用面积必须大于 0"),
        (["行政中心大楼", "3", "301", "", "大约20", "", "办公室", "", ""], "使用面积必须是数字"),
        (["行政中心大楼", "3", "301", "", "", "", "办公室", "", ""], "使用面积必须是数字"),
        (["行政中心大楼", "3", "", "", "20", "", "办公室", "", ""], "请填写房间号"),
        (["行政中心大楼", "3", "301", "", "20", "", "舞厅", "", ""], "具体用途“舞厅”不存在"),
        (
            ["行政中心大楼", "3", "301", "", "20", "办公用房", "办公室", "", ""],
            "用房类别“办公用房”",
        ),
        (
            ["行政中心大楼", "3", "301", "", "20", "服务用房", "办公室", "", ""],
            "与用房类别“服务用房”不符",
        ),
        (["行政中心大楼", "3", "301", "", "20", "", "其他", "", ""], "请填写用房类别"),
        (["行政中心大楼", "3", "301", "", "20", "", "办公室", "0", ""], "核定使用人数应为 1—50"),
        (["行政中心大楼", "3", "301", "x" * 61, "20", "", "办公室", "", ""], "房间名称不能超过 60"),
    ],
)
def test_each_error_kind_reported_and_nothing_written(
    manager_a, center_a, building_a, row, message
):
    errors = errors_of(manager_a, center_a, [GOOD[2], row])
    assert len(errors) == 1
    assert errors[0][0] == 3 and message in errors[0][1]
    assert not SpaceRoom.objects.exists()  # the good row 2 was not written either


def test_inactive_building_refused(manager_a, center_a, building_a):
    register.building_update(
        actor=manager_a,
        building=building_a,
        name=building_a.name,
        address=building_a.address,
        floor_area=building_a.floor_area,
        floors_above=6,
        floors_below=1,
        is_active=False,
    )
    errors = errors_of(manager_a, center_a, [GOOD[0]])
    assert "已停用" in errors[0][1]


def test_duplicates_in_file_and_in_database(manager_a, center_a, building_a, make_room):
    make_room(number="B101", level=-1)
    rows = [GOOD[0], GOOD[1], ["行政中心大楼", "4", "301", "", "20", "", "办公室", "", ""]]
    errors = errors_of(manager_a, center_a, rows)
    assert errors == [
        (3, "楼栋“行政中心大楼”已有房间号 B101。"),
        (4, "房间号 301 与第 2 行重复。"),
    ]
    assert SpaceRoom.objects.count() == 1


def test_every_bad_row_and_every_problem_listed(manager_a, center_a, building_a):
    rows = [
        GOOD[0],
        ["无名楼", "三楼", "", "", "-1", "", "舞厅", "99", ""],
        GOOD[2],
        ["行政中心大楼", "3", "303", "", "20", "", "其他", "", ""],
    ]
    errors = errors_of(manager_a, center_a, rows)
    assert {row for row, _ in errors} == {3, 5}
    assert (
        len([e for e in errors if e[0] == 3]) == 6
    )  # building, floor, number, area, use, capacity


def test_same_number_in_another_building_is_fine(manager_a, center_a, building_a, make_room):
    make_room(number="301", level=3)
    other = register.building_create(
        actor=manager_a,
        center=center_a,
        name="综合楼",
        address="2 号",
        floor_area="100",
        floors_above=1,
    )
    assert other.floors.count() == 1
    rows = [["综合楼", "1", "301", "", "20", "", "办公室", "", ""]]
    assert rooms_import(actor=manager_a, center=center_a, uploaded=xlsx(rows)) == 1


def test_other_centers_buildings_are_unknown(manager_a, center_a, building_a, building_b):
    errors = errors_of(manager_a, center_a, [["乙区办公楼", "1", "101", "", "20", "", "办公室"]])
    assert "楼栋“乙区办公楼”不存在" in errors[0][1]


def test_file_problems(manager_a, center_a, building_a):
    with pytest.raises(ImportFileError, match="缺少必需的列：使用面积"):
        rooms_import(
            actor=manager_a,
            center=center_a,
            uploaded=xlsx([GOOD[0]], headers=[h for h in HEADERS if h != "使用面积"]),
        )
    with pytest.raises(ImportFileError, match=r"不是有效的 \.xlsx"):
        rooms_import(
            actor=manager_a, center=center_a, uploaded=SimpleUploadedFile("r.xlsx", b"garbage")
        )
    with pytest.raises(ImportFileError, match="没有数据行"):
        rooms_import(actor=manager_a, center=center_a, uploaded=xlsx([]))
    assert not SpaceRoom.objects.exists()


def test_only_managers_import(leader_a, manager_b, center_a, building_a):
    for actor in (leader_a, manager_b):
        with pytest.raises(PermissionDenied):
            rooms_import(actor=actor, center=center_a, uploaded=xlsx(GOOD))
    assert not SpaceRoom.objects.exists()


# ------------------------------------------------------------------ pages


def test_import_page_happy_path(client, manager_a, building_a):
    client.force_login(manager_a)
    assert client.get(reverse("space:room_import")).status_code == 200
    response = client.post(reverse("space:room_import"), {"file": xlsx(GOOD)})
    assert response.status_code == 302 and response.url == reverse("space:room_list")
    assert SpaceRoom.objects.count() == 4
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORT)
    assert event.detail["model"] == "space.SpaceRoom" and event.detail["rows"] == 4
    page = client.get(reverse("space:room_list")).content.decode()
    assert "导入成功：新增 4 个房间" in page


def test_import_page_lists_row_errors_escaped(client, manager_a, building_a):
    client.force_login(manager_a)
    rows = [GOOD[0], ["<b>楼</b>", "3", "301", "", "20", "", "办公室", "", ""]]
    response = client.post(reverse("space:room_import"), {"file": xlsx(rows)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "有 1 行存在问题，未导入任何数据" in html
    assert "楼栋“&lt;b&gt;楼&lt;/b&gt;”不存在" in html and "<b>楼</b>" not in html
    assert not SpaceRoom.objects.exists()


def test_import_page_file_error_on_the_field(client, manager_a, building_a):
    client.force_login(manager_a)
    upload = SimpleUploadedFile("rooms.csv", b"a,b")
    response = client.post(reverse("space:room_import"), {"file": upload})
    assert response.status_code == 422
    assert "只支持 .xlsx 格式" in response.content.decode()
    response = client.post(reverse("space:room_import"), {})
    assert "请选择要导入的 Excel 文件" in response.content.decode()


def test_template_download_round_trips(client, manager_a, center_a, building_a):
    client.force_login(manager_a)
    response = client.get(reverse("space:room_import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook.worksheets
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A2"].value == "行政中心大楼"
    listed = [row[0] for row in notes.iter_rows(values_only=True)]
    assert "行政中心大楼" in listed and "配电室" in listed
    # The template's example row imports as is.
    upload = SimpleUploadedFile("t.xlsx", response.content)
    assert rooms_import(actor=manager_a, center=center_a, uploaded=upload) == 1


@pytest.mark.parametrize("name", ["room_import", "room_import_template"])
def test_import_pages_forbidden_to_others(client, liaison_x, staff_x, leader_a, name):
    for user in (liaison_x, staff_x, leader_a):
        client.force_login(user)
        assert client.get(reverse(f"space:{name}")).status_code == 403
