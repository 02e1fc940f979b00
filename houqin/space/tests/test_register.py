"""Rules of the register services: buildings and their floors, floor plans, rooms."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from houqin.space.models import Building, Floor, SpaceRoom, SubUse
from houqin.space.services import allocation as alloc
from houqin.space.services import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="plan.png", size=(8, 6), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


BUILDING = {
    "name": "综合楼",
    "code": "B",
    "address": "人民路 2 号",
    "floor_area": "3000.50",
    "floors_above": "4",
    "floors_below": "2",
}


# ------------------------------------------------------------------ buildings


def test_building_create_makes_floors(manager_a, center_a):
    building = register.building_create(actor=manager_a, center=center_a, **BUILDING)
    levels = list(building.floors.order_by("level").values_list("level", "name"))
    assert levels == [(-2, "B2"), (-1, "B1"), (1, "1F"), (2, "2F"), (3, "3F"), (4, "4F")]
    assert building.center == center_a and str(building.floor_area) == "3000.50"


def test_building_update_adds_floors_never_removes(manager_a, building_a, make_room):
    make_room(level=6)
    register.building_update(
        actor=manager_a, building=building_a, **{**BUILDING, "floors_above": "3"}
    )
    assert building_a.floors.filter(level=6).exists()  # a room is on it: kept
    register.building_update(
        actor=manager_a, building=building_a, **{**BUILDING, "floors_above": "8"}
    )
    assert set(building_a.floors.values_list("level", flat=True)) >= {7, 8, -2}


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": ""}, "name", "请填写楼栋名称"),
        ({"floor_area": "0"}, "floor_area", "建筑面积必须大于 0"),
        ({"floor_area": "abc"}, "floor_area", "建筑面积必须是数字"),
        ({"floor_area": "1.234"}, "floor_area", "最多保留两位小数"),
        ({"floors_above": "0"}, "floors_above", "地上层数至少为 1"),
        ({"floors_below": "x"}, "floors_below", "地下层数必须是整数"),
        ({"built_year": "1800"}, "built_year", "建成年份应在 1900—2100 之间"),
        ({"ownership": "stolen"}, "ownership", "请选择产权性质"),
    ],
)
def test_building_bad_input(manager_a, center_a, change, field, message):
    with pytest.raises(ValidationError) as exc:
        register.building_create(actor=manager_a, center=center_a, **{**BUILDING, **change})
    assert message in " ".join(exc.value.message_dict[field])
    assert not Building.objects.exists()


def test_building_name_unique_per_center(manager_a, center_a, building_a, building_b, manager_b):
    with pytest.raises(ValidationError, match="已有同名楼栋"):
        register.building_create(
            actor=manager_a, center=center_a, **{**BUILDING, "name": building_a.name}
        )
    # Another center may use the same name.
    register.building_create(
        actor=manager_b, center=manager_b.center, **{**BUILDING, "name": building_a.name}
    )


def test_only_the_centers_manager_writes(manager_b, leader_a, center_a, building_a):
    with pytest.raises(PermissionDenied):
        register.building_create(actor=manager_b, center=center_a, **BUILDING)
    with pytest.raises(PermissionDenied):
        register.building_update(actor=leader_a, building=building_a, **BUILDING)


# ------------------------------------------------------------------ floor plans


def test_floor_plan_set_and_replace(manager_a, building_a, django_capture_on_commit_callbacks):
    floor = building_a.floors.get(level=1)
    register.floor_plan_set(actor=manager_a, floor=floor, file=png("一层.PNG"))
    floor.refresh_from_db()
    first = floor.plan.name
    assert first.startswith("space/plans/") and first.endswith(".png")
    assert floor.plan_uploaded_by == manager_a
    storage = floor.plan.storage
    assert storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        register.floor_plan_set(actor=manager_a, floor=floor, file=png("新.jpg", fmt="JPEG"))
    floor.refresh_from_db()
    assert floor.plan.name.endswith(".jpg") and floor.plan.name != first
    assert not storage.exists(first)  # the replaced plan is removed once committed


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("plan.png", b"not an image at all"), "不是有效的图片文件"),
        (SimpleUploadedFile("plan.png", b""), "空文件"),
        (None, "请选择平面图图片"),
    ],
)
def test_floor_plan_refuses_bad_files(manager_a, building_a, upload, message):
    floor = building_a.floors.get(level=1)
    with pytest.raises(ValidationError) as exc:
        register.floor_plan_set(actor=manager_a, floor=floor, file=upload)
    assert message in " ".join(exc.value.message_dict["plan"])
    floor.refresh_from_db()
    assert not floor.plan


def test_floor_plan_size_limit(manager_a, building_a, monkeypatch):
    monkeypatch.setattr(register, "PLAN_MAX_BYTES", 100)
    floor = building_a.floors.get(level=1)
    with pytest.raises(ValidationError, match="过大"):
        register.floor_plan_set(actor=manager_a, floor=floor, file=png(size=(200, 200)))


def test_floor_plan_other_center_refused(manager_b, building_a):
    with pytest.raises(PermissionDenied):
        register.floor_plan_set(actor=manager_b, floor=building_a.floors.first(), file=png())
    assert not Floor.objects.exclude(plan="").exists()


# ------------------------------------------------------------------ rooms


def _room(building, **change):
    return {
        "floor": building.floors.get(level=2),
        "number": "201",
        "name": "科员办公室",
        "usable_area": "24.5",
        "sub_use": SubUse.OFFICE,
        "capacity": "2",
        **change,
    }


def test_room_create_derives_kind(manager_a, building_a):
    room = register.room_create(actor=manager_a, building=building_a, **_room(building_a))
    assert room.use_kind == "office" and room.status == SpaceRoom.Status.IDLE
    assert str(room.usable_area) == "24.50" and room.capacity == 2
    other = register.room_create(
        actor=manager_a,
        building=building_a,
        **_room(building_a, number="202", sub_use=SubUse.OTHER, use_kind="auxiliary"),
    )
    assert other.use_kind == "auxiliary"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"number": " "}, "number", "请填写房间号"),
        ({"usable_area": "-3"}, "usable_area", "使用面积必须大于 0"),
        ({"sub_use": "ballroom"}, "sub_use", "请选择具体用途"),
        ({"sub_use": SubUse.OTHER}, "use_kind", "请选择用房类别"),
        ({"use_kind": "service"}, "sub_use", "与所选用房类别不符"),
        ({"capacity": "0"}, "capacity", "核定使用人数应在 1—50 之间"),
        ({"capacity": "two"}, "capacity", "核定使用人数必须是整数"),
    ],
)
def test_room_bad_input(manager_a, building_a, change, field, message):
    with pytest.raises(ValidationError) as exc:
        register.room_create(actor=manager_a, building=building_a, **_room(building_a, **change))
    assert message in " ".join(exc.value.message_dict[field])
    assert not SpaceRoom.objects.exists()


def test_room_floor_must_be_in_building(manager_a, building_a, center_a):
    other = register.building_create(actor=manager_a, center=center_a, **BUILDING)
    with pytest.raises(ValidationError, match="请选择该楼栋的楼层"):
        register.room_create(
            actor=manager_a, building=building_a, **_room(building_a, floor=other.floors.first())
        )


def test_room_number_unique_in_building(manager_a, building_a, make_room):
    make_room(number="201")
    with pytest.raises(ValidationError, match="该楼栋已有房间号 201"):
        register.room_create(actor=manager_a, building=building_a, **_room(building_a))


def test_room_update_keeps_people_rules(manager_a, agency_x, make_room, make_person):
    room = make_room(capacity=2, number="301", level=3)
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x)
    alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_x))
    alloc.occupancy_add(actor=manager_a, room=room, person=make_person(agency_x))
    data = _room(room.building, number="301", floor=room.floor, capacity="1")
    with pytest.raises(ValidationError, match="核定人数不能少于此数"):
        register.room_update(actor=manager_a, room=room, **data)
    with pytest.raises(ValidationError, match="不能改为非办公室用房"):
        register.room_update(
            actor=manager_a, room=room, **{**data, "capacity": "2", "sub_use": SubUse.MEETING}
        )
    register.room_update(actor=manager_a, room=room, **{**data, "capacity": "3", "name": "新"})
    room.refresh_from_db()
    assert room.capacity == 3 and room.name == "新"


def test_room_repair_toggle_follows_allocation(manager_a, agency_x, make_room):
    room = make_room()
    alloc.allocation_create(actor=manager_a, room=room, agency=agency_x)
    assert register.room_set_repair(actor=manager_a, room=room, repair=True).status == "repair"
    assert register.room_set_repair(actor=manager_a, room=room, repair=False).status == "occupied"
