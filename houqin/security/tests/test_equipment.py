"""Fire equipment and camera services: each rule, bad input (Chinese message, nothing
written), permissions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.security.models import Camera, FireEquipment, FireEquipmentCheck
from houqin.security.services import equipment as services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
S = FireEquipment.Status


def make(manager, center, code="MHQ-001", **kw):
    fields = {
        "kind": "extinguisher_abc",
        "location": "主楼1楼东侧",
        "produced_on": TODAY - dt.timedelta(days=400),
        "expires_on": TODAY + dt.timedelta(days=200),
    }
    return services.fire_equipment_create(
        actor=manager, center=center, code=code, **{**fields, **kw}
    )


def update(manager, piece, **kw):
    fields = {
        "code": piece.code,
        "kind": piece.kind,
        "location": piece.location,
        "model": piece.model,
        "quantity": piece.quantity,
        "produced_on": piece.produced_on,
        "expires_on": piece.expires_on,
        "notes": piece.notes,
    }
    return services.fire_equipment_update(actor=manager, equipment=piece, **{**fields, **kw})


def errors(exc_info):
    return exc_info.value.message_dict


def test_create_normalises_the_code_and_keeps_it_unique(manager_a, center_a, manager_b, center_b):
    piece = make(manager_a, center_a, code=" mhq-001 ")
    assert piece.code == "MHQ-001" and piece.status == S.IN_SERVICE
    with pytest.raises(ValidationError) as exc:
        make(manager_a, center_a, code="Mhq-001")
    assert "MHQ-001" in errors(exc)["code"][0]
    # Another center may use the same code.
    assert make(manager_b, center_b, code="MHQ-001").center_id == center_b.pk


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"kind": "rocket"}, "kind", "请选择器材类别"),
        ({"location": "  "}, "location", "请填写位置"),
        ({"quantity": 0}, "quantity", "数量应在"),
        ({"quantity": "两"}, "quantity", "数量必须是整数"),
        ({"code": "MHQ 1"}, "code", "编号不能包含空格"),
        ({"produced_on": TODAY + dt.timedelta(days=1)}, "produced_on", "生产日期不能晚于今天"),
        ({"expires_on": TODAY - dt.timedelta(days=500)}, "expires_on", "有效期至必须晚于生产日期"),
        ({"status": "scrapped"}, "status", "只能是"),
    ],
)
def test_create_refuses_bad_input(manager_a, center_a, kw, field, message):
    with pytest.raises(ValidationError) as exc:
        make(manager_a, center_a, **kw)
    assert message in errors(exc)[field][0]
    assert not FireEquipment.objects.exists()


def test_guards_and_staff_cannot_register(guard_a, staff_x, center_a, manager_b):
    for user in (guard_a, staff_x, manager_b):
        with pytest.raises(PermissionDenied):
            make(user, center_a)
    assert not FireEquipment.objects.exists()


def test_update_rearms_the_expiry_reminder_only_when_the_date_changes(manager_a, center_a):
    piece = make(manager_a, center_a)
    FireEquipment.objects.filter(pk=piece.pk).update(expiry_notified_on=TODAY)
    piece.refresh_from_db()
    piece = update(manager_a, piece, location="主楼1楼西侧")
    assert piece.expiry_notified_on == TODAY
    piece = update(manager_a, piece, expires_on=TODAY + dt.timedelta(days=900))
    assert piece.expiry_notified_on is None


def test_update_code_clash_and_status_rules(manager_a, center_a):
    make(manager_a, center_a, code="A-1")
    piece = make(manager_a, center_a, code="A-2")
    with pytest.raises(ValidationError) as exc:
        update(manager_a, piece, code="a-1")
    assert "A-1" in errors(exc)["code"][0]
    with pytest.raises(ValidationError) as exc:
        update(manager_a, piece, status=S.REPLACED)
    assert "更换/报废" in errors(exc)["status"][0]
    assert update(manager_a, piece, status=S.FAULTY).status == S.FAULTY


def test_a_guard_checks_and_the_latest_check_sets_the_status(guard_a, manager_a, center_a):
    piece = make(manager_a, center_a)
    check = services.fire_equipment_check(
        actor=guard_a, equipment=piece, checked_on=TODAY - dt.timedelta(days=3)
    )
    assert check.checked_by == guard_a and check.is_ok
    piece.refresh_from_db()
    assert piece.last_checked_on == TODAY - dt.timedelta(days=3)

    services.fire_equipment_check(
        actor=guard_a, equipment=piece, checked_on=TODAY, is_ok=False, note="压力不足"
    )
    piece.refresh_from_db()
    assert piece.status == S.FAULTY and piece.last_checked_on == TODAY
    # An older check does not move the date back or change the status.
    services.fire_equipment_check(
        actor=guard_a, equipment=piece, checked_on=TODAY - dt.timedelta(days=10)
    )
    piece.refresh_from_db()
    assert piece.status == S.FAULTY and piece.last_checked_on == TODAY
    services.fire_equipment_check(actor=guard_a, equipment=piece, checked_on=TODAY)
    piece.refresh_from_db()
    assert piece.status == S.IN_SERVICE


def test_check_refuses_bad_input(guard_a, manager_a, center_a, staff_x, guard_b):
    piece = make(manager_a, center_a)
    with pytest.raises(ValidationError) as exc:
        services.fire_equipment_check(actor=guard_a, equipment=piece, is_ok=False, note=" ")
    assert "请填写问题说明" in errors(exc)["note"][0]
    with pytest.raises(ValidationError) as exc:
        services.fire_equipment_check(
            actor=guard_a, equipment=piece, checked_on=TODAY + dt.timedelta(days=1)
        )
    assert "不能晚于今天" in errors(exc)["checked_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.fire_equipment_check(
            actor=guard_a, equipment=piece, checked_on=TODAY - dt.timedelta(days=500)
        )
    assert "不能早于生产日期" in errors(exc)["checked_on"][0]
    for user in (staff_x, guard_b):
        with pytest.raises(PermissionDenied):
            services.fire_equipment_check(actor=user, equipment=piece)
    assert not FireEquipmentCheck.objects.exists()
    piece.refresh_from_db()
    assert piece.last_checked_on is None


def test_replace_with_a_new_piece_in_one_step(manager_a, center_a, guard_a):
    piece = make(manager_a, center_a, model="MFZ/ABC4", quantity=2)
    with pytest.raises(PermissionDenied):
        services.fire_equipment_replace(actor=guard_a, equipment=piece, status=S.REPLACED, on=TODAY)
    old, new = services.fire_equipment_replace(
        actor=manager_a,
        equipment=piece,
        status=S.REPLACED,
        on=TODAY,
        note="筒体锈蚀",
        new_code="mhq-101",
        new_produced_on=TODAY - dt.timedelta(days=30),
        new_expires_on=TODAY + dt.timedelta(days=1800),
    )
    assert old.status == S.REPLACED and old.replaced_on == TODAY and "筒体锈蚀" in old.notes
    assert (new.code, new.kind, new.location, new.model, new.quantity) == (
        "MHQ-101",
        piece.kind,
        piece.location,
        "MFZ/ABC4",
        2,
    )
    with pytest.raises(ValidationError) as exc:
        services.fire_equipment_check(actor=guard_a, equipment=old)
    assert "已更换" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.fire_equipment_replace(actor=manager_a, equipment=old, status=S.SCRAPPED, on=TODAY)


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"status": "in_service"}, "status", "请选择更换或报废"),
        ({"on": None}, "on", "请填写更换/报废日期"),
        ({"on": TODAY + dt.timedelta(days=1)}, "on", "不能晚于今天"),
        ({"new_code": "MHQ-001"}, "new_code", "已有编号"),
        ({"new_expires_on": TODAY}, "new_code", "请填写新编号"),
        (
            {
                "new_code": "N-1",
                "new_produced_on": TODAY,
                "new_expires_on": TODAY - dt.timedelta(days=1),
            },
            "new_expires_on",
            "必须晚于生产日期",
        ),
    ],
)
def test_replace_refuses_bad_input_and_writes_nothing(manager_a, center_a, kw, field, message):
    piece = make(manager_a, center_a)
    args = {"status": S.SCRAPPED, "on": TODAY, **kw}
    with pytest.raises(ValidationError) as exc:
        services.fire_equipment_replace(actor=manager_a, equipment=piece, **args)
    assert message in errors(exc)[field][0]
    piece.refresh_from_db()
    assert piece.status == S.IN_SERVICE and FireEquipment.objects.count() == 1


def test_camera_rules(manager_a, center_a, guard_a):
    camera = services.camera_create(actor=manager_a, center=center_a, code="jk-01", location="东门")
    assert camera.code == "JK-01" and camera.status == Camera.Status.IN_SERVICE
    with pytest.raises(ValidationError) as exc:
        services.camera_create(actor=manager_a, center=center_a, code="JK-01", location="北门")
    assert "已有编号" in errors(exc)["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.camera_update(
            actor=manager_a, camera=camera, code="JK-01", location="东门", status="retired"
        )
    assert "请填写拆除/更换日期" in errors(exc)["retired_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.camera_update(
            actor=manager_a,
            camera=camera,
            code="JK-01",
            location="东门",
            installed_on=TODAY,
            status="retired",
            retired_on=TODAY - dt.timedelta(days=1),
        )
    assert "不能早于安装日期" in errors(exc)["retired_on"][0]
    camera = services.camera_update(
        actor=manager_a,
        camera=camera,
        code="JK-01",
        location="东门",
        status="retired",
        retired_on=TODAY,
    )
    assert camera.retired_on == TODAY
    # Back in service: the date goes away.
    camera = services.camera_update(
        actor=manager_a, camera=camera, code="JK-01", location="东门", retired_on=TODAY
    )
    assert camera.status == "in_service" and camera.retired_on is None
    with pytest.raises(PermissionDenied):
        services.camera_create(actor=guard_a, center=center_a, code="JK-02", location="东门")
