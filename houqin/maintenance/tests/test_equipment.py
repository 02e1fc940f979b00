"""The equipment register through its services: validation, unique codes, documents (type
and size limits), preventive maintenance plans on the duties engine."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.recurrence import build_preset_rule
from houqin.core.roles import Role
from houqin.maintenance.models import Category, Equipment, EquipmentDocument
from houqin.maintenance.services import equipment as svc

from .conftest import NOW

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    """Wednesday 25 November 2026, 09:00 Shanghai."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def png(name="photo.png", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="一次系统图.pdf", size=None):
    body = b"%PDF-1.4\n%test\n"
    if size:
        body += b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def make_equipment(actor, center=None, **fields):
    data = {
        "kind": Equipment.Kind.ELEVATOR,
        "name": "1号客梯",
        "code": "DT-01",
        "location": "A座电梯井",
        "install_date": dt.date(2018, 5, 1),
        "warranty_until": dt.date(2020, 5, 1),
    }
    data.update(fields)
    return svc.equipment_create(actor=actor, center=center or actor.center, **data)


def test_create_and_update(manager_a):
    eq = make_equipment(manager_a, vendor_name="奥的斯维保", contract_until=dt.date(2027, 1, 1))
    assert eq.center_id == manager_a.center_id and eq.status == Equipment.Status.IN_USE
    eq = svc.equipment_update(actor=manager_a, equipment=eq, status="faulty", notes="  停梯  ")
    eq.refresh_from_db()
    assert eq.status == "faulty" and eq.notes == "停梯" and eq.code == "DT-01"


def test_required_fields_and_choices(manager_a):
    with pytest.raises(ValidationError) as exc:
        svc.equipment_create(actor=manager_a, center=manager_a.center, kind="rocket", name="")
    errors = exc.value.message_dict
    assert errors["kind"] == ["请选择设备类别。"]
    assert errors["name"] == ["请填写设备名称。"]
    assert "code" in errors and "location" in errors
    assert not Equipment.objects.exists()


def test_code_unique_per_center(manager_a, center_b, agency_b):
    make_equipment(manager_a)
    with pytest.raises(ValidationError) as exc:
        make_equipment(manager_a, code="dt-01", name="2号客梯")
    assert exc.value.message_dict["code"] == ["设备编号“dt-01”已被使用。"]
    # Another center may use the same code.
    from houqin.org.tests.factories import PersonFactory, make_user

    manager_b = make_user(PersonFactory(agency=agency_b), Role.MAINTENANCE_MANAGER, username="mm_b")
    assert make_equipment(manager_b).center_id == center_b.pk
    # Updating keeps its own code; taking another's is refused.
    other = make_equipment(manager_a, code="DT-02")
    svc.equipment_update(actor=manager_a, equipment=other, code="DT-02", name="改名")
    with pytest.raises(ValidationError, match="已被使用"):
        svc.equipment_update(actor=manager_a, equipment=other, code="DT-01")


def test_dates_must_be_sane(manager_a):
    with pytest.raises(ValidationError) as exc:
        make_equipment(
            manager_a,
            install_date=dt.date(2020, 1, 1),
            warranty_until=dt.date(2019, 12, 31),
            contract_until=dt.date(2019, 1, 1),
            vendor_name="维保公司",
        )
    errors = exc.value.message_dict
    assert errors["warranty_until"] == ["保修期截止日期不能早于安装日期。"]
    assert errors["contract_until"] == ["维保合同到期日不能早于安装日期。"]
    with pytest.raises(ValidationError) as exc:
        make_equipment(manager_a, install_date=TODAY + dt.timedelta(days=1), warranty_until=None)
    assert exc.value.message_dict["install_date"] == ["安装日期不能晚于今天。"]
    with pytest.raises(ValidationError) as exc:
        make_equipment(manager_a, contract_until=dt.date(2027, 1, 1))
    assert "contract_no" in exc.value.message_dict


def test_only_editors_of_the_center(manager_a, tech_a, staff_x, admin_b):
    with pytest.raises(PermissionDenied):
        make_equipment(tech_a)
    with pytest.raises(PermissionDenied):
        make_equipment(staff_x)
    eq = make_equipment(manager_a)
    with pytest.raises(PermissionDenied):
        svc.equipment_update(actor=admin_b, equipment=eq, name="x")
    with pytest.raises(PermissionDenied):
        svc.equipment_document_add(actor=tech_a, equipment=eq, file=pdf())


def test_category_for_kind():
    def cat(kind):
        return svc.category_for(Equipment(kind=kind))

    assert cat("elevator") == Category.ELEVATOR
    assert cat("chiller") == cat("cooling_tower") == cat("ac_unit") == Category.AC
    assert cat("generator") == cat("switchgear") == Category.ELECTRIC
    assert cat("pump") == cat("irrigation") == Category.WATER
    assert cat("fire_system") == cat("other") == Category.OTHER
    assert svc.category_for(None) == Category.OTHER


# ------------------------------------------------------------------ documents


def test_documents_of_allowed_types(manager_a):
    eq = make_equipment(manager_a)
    doc = svc.equipment_document_add(actor=manager_a, equipment=eq, file=pdf(), title="")
    assert doc.title == "一次系统图" and doc.size > 0 and doc.file.name.endswith(".pdf")
    assert "一次系统图" not in doc.file.name  # the user's name never reaches the storage path
    svc.equipment_document_add(actor=manager_a, equipment=eq, file=png("标签.png"), title="标签")
    svc.equipment_document_add(actor=manager_a, equipment=eq, file=jpeg("现场.JPG"))
    dwg = SimpleUploadedFile("图纸.dwg", b"AC1032\x00\x00data")
    svc.equipment_document_add(actor=manager_a, equipment=eq, file=dwg)
    docx = SimpleUploadedFile("说明书.docx", b"PK\x03\x04rest-of-zip")
    svc.equipment_document_add(actor=manager_a, equipment=eq, file=docx)
    assert eq.documents.count() == 5


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"), "不支持"),
        (SimpleUploadedFile("说明.doc", b"\xd0\xcf\x11\xe0"), "不支持"),
        (SimpleUploadedFile("假的.pdf", b"<html>not a pdf"), "内容与文件类型不符"),
        (SimpleUploadedFile("假的.png", b"not an image at all"), "不是有效的图片"),
        (SimpleUploadedFile("空.pdf", b""), "空文件"),
    ],
)
def test_document_type_refused(manager_a, upload, message):
    eq = make_equipment(manager_a)
    with pytest.raises(ValidationError) as exc:
        svc.equipment_document_add(actor=manager_a, equipment=eq, file=upload)
    assert message in exc.value.message_dict["file"][0]
    assert not EquipmentDocument.objects.exists()


def test_document_size_limit(manager_a):
    eq = make_equipment(manager_a)
    limit = svc.MAX_DOCUMENT_BYTES
    svc.equipment_document_add(actor=manager_a, equipment=eq, file=pdf(size=limit))
    with pytest.raises(ValidationError) as exc:
        svc.equipment_document_add(actor=manager_a, equipment=eq, file=pdf(size=limit + 1))
    assert "上限为 20 MB" in exc.value.message_dict["file"][0]
    assert eq.documents.count() == 1


# ------------------------------------------------------------------ preventive plans


def test_templates_by_kind():
    elevator = svc.checklist_for("elevator")
    labels = " ".join(item["label"] for item in elevator)
    for word in ("曳引机", "制动器", "门锁", "应急通话"):
        assert word in labels
    assert all(item["type"] == "bool" for item in elevator)
    chiller = {item["key"]: item for item in svc.checklist_for("chiller")}
    assert chiller["cw_in"]["type"] == "number" and chiller["cw_in"]["unit"] == "℃"
    assert chiller["cw_in"]["min"] < chiller["cw_in"]["max"]
    assert svc.schedule_for("elevator") == ("monthly_first", [])
    assert svc.schedule_for("chiller") == ("yearly_months", [4])  # before summer
    assert svc.schedule_for("pump") == ("quarterly", [])
    assert svc.checklist_for("other") == svc.DEFAULT_CHECKLIST


def test_plan_on_equipment(manager_a, tech_a):
    eq = make_equipment(manager_a)
    plan = svc.maintenance_plan_create(
        actor=manager_a,
        equipment=eq,
        title="1号客梯月度维保",
        rrule=build_preset_rule("monthly_first"),
        dtstart=NOW,
        checklist=svc.checklist_for(eq.kind),
        now=NOW,
    )
    assert plan.category == DutyPlan.Category.MAINTENANCE
    assert plan.target == eq and plan.manager == manager_a
    assert plan.assignee_role == Role.TECHNICIAN
    assert "A座电梯井" in plan.location_text
    assert len(plan.checklist) == len(svc.checklist_for("elevator"))
    # The 1 December task is generated within the 14-day window, linked to the equipment.
    task = DutyTask.objects.get(plan=plan)
    assert task.target_type == ContentType.objects.get_for_model(Equipment)
    assert task.target_id == eq.pk


def test_plan_errors(manager_a, tech_a):
    eq = make_equipment(manager_a)
    with pytest.raises(PermissionDenied):
        svc.maintenance_plan_create(
            actor=tech_a,
            equipment=eq,
            title="x",
            rrule=build_preset_rule("monthly_first"),
            dtstart=NOW,
            checklist=[],
        )
    with pytest.raises(ValidationError) as exc:
        svc.maintenance_plan_create(
            actor=manager_a,
            equipment=eq,
            title="",
            rrule="FREQ=SOMETIMES",
            dtstart=NOW,
            checklist=[],
        )
    assert "title" in exc.value.message_dict and "rrule" in exc.value.message_dict
    svc.equipment_update(actor=manager_a, equipment=eq, status="scrapped")
    eq.refresh_from_db()
    with pytest.raises(ValidationError, match="已报废"):
        svc.maintenance_plan_create(
            actor=manager_a,
            equipment=eq,
            title="x",
            rrule=build_preset_rule("monthly_first"),
            dtstart=NOW,
            checklist=[],
        )
    assert not DutyPlan.objects.exists()
