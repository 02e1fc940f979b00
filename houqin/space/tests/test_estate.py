"""Rules of the estate services: leases (vacating and the rent saved), renovation projects,
ownership registration and its documents."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from houqin.space.models import (
    Lease,
    OwnershipDocument,
    OwnershipRecord,
    ProjectItem,
    ProjectUpdate,
    RenovationProject,
)
from houqin.space.services import estate as svc

pytestmark = pytest.mark.django_db
# Wednesday 25 November 2026, 10:00 in Asia/Shanghai.
NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


LEASE = {
    "lessor": "城关镇居民 王某",
    "address": "解放路 18 号民房",
    "area": "420.00",
    "annual_rent": "86000",
    "start_date": dt.date(2020, 1, 1),
    "end_date": dt.date(2027, 12, 31),
    "approval_ref": "区机管〔2020〕12号",
}


def make_lease(actor, center=None, **data):
    return svc.lease_create(actor=actor, center=center or actor.center, **{**LEASE, **data})


def pdf(name="不动产权证书.pdf", size=None):
    body = b"%PDF-1.4\n" + b"0" * ((size or 64) - 9)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name="证书.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# ------------------------------------------------------------------ leases


def test_lease_create(manager_a, agency_x):
    lease = make_lease(manager_a, agency=agency_x, notes="  机构改革前租用  ")
    assert lease.status == Lease.Status.ACTIVE and lease.center_id == manager_a.center_id
    assert lease.area == Decimal("420.00") and lease.annual_rent == Decimal("86000.00")
    assert lease.agency == agency_x and lease.notes == "机构改革前租用"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"lessor": "  "}, "lessor", "请填写出租方"),
        ({"address": ""}, "address", "请填写房屋地址"),
        ({"area": "0"}, "area", "必须大于 0"),
        ({"area": "abc"}, "area", "必须是数字"),
        ({"area": "12.345"}, "area", "最多保留两位小数"),
        ({"area": "NaN"}, "area", "必须是数字"),
        ({"annual_rent": "-1"}, "annual_rent", "不能为负数"),
        ({"annual_rent": "99999999999"}, "annual_rent", "过大"),
        ({"annual_rent": ""}, "annual_rent", "请填写年租金"),
        ({"end_date": dt.date(2019, 12, 31)}, "end_date", "不能早于租期起"),
        ({"start_date": "2020-13-01"}, "start_date", "格式不正确"),
        ({"start_date": None}, "start_date", "请填写租期起"),
        ({"lessor": "甲" * 101}, "lessor", "不能超过 100 个字"),
    ],
)
def test_lease_bad_input_writes_nothing(manager_a, data, field, message):
    with pytest.raises(ValidationError) as exc:
        make_lease(manager_a, **data)
    assert message in exc.value.message_dict[field][0]
    assert not Lease.objects.exists()


def test_lease_agency_of_another_center_refused(manager_a, agency_b):
    with pytest.raises(ValidationError) as exc:
        make_lease(manager_a, agency=agency_b)
    assert "本中心" in exc.value.message_dict["agency"][0]
    assert not Lease.objects.exists()


def test_lease_writes_need_a_space_manager_of_the_center(
    manager_a, manager_b, leader_a, staff_x, center_a
):
    for user in (leader_a, staff_x, manager_b):
        with pytest.raises(PermissionDenied):
            make_lease(user, center=center_a)
    lease = make_lease(manager_a)
    with pytest.raises(PermissionDenied):
        svc.lease_vacate(actor=manager_b, lease=lease, vacated_on=TODAY)
    with pytest.raises(PermissionDenied):
        svc.lease_update(actor=leader_a, lease=lease, **LEASE)
    lease.refresh_from_db()
    assert lease.status == Lease.Status.ACTIVE


def test_vacate_saves_the_annual_rent(manager_a):
    lease = make_lease(manager_a)
    lease = svc.lease_vacate(actor=manager_a, lease=lease, vacated_on=dt.date(2026, 3, 31))
    assert lease.status == Lease.Status.VACATED
    assert lease.vacated_on == dt.date(2026, 3, 31)
    assert lease.annual_saving == Decimal("86000.00")


def test_vacate_with_a_smaller_saving(manager_a):
    lease = make_lease(manager_a)
    lease = svc.lease_vacate(
        actor=manager_a, lease=lease, vacated_on="2026-06-30", annual_saving="60000.5"
    )
    assert lease.annual_saving == Decimal("60000.50")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"vacated_on": dt.date(2019, 12, 31)}, "vacated_on", "不能早于租期起"),
        ({"vacated_on": TODAY + dt.timedelta(days=1)}, "vacated_on", "不能晚于今天"),
        ({"vacated_on": None}, "vacated_on", "请填写腾退日期"),
        ({"vacated_on": TODAY, "annual_saving": "90000"}, "annual_saving", "不能超过年租金"),
        ({"vacated_on": TODAY, "annual_saving": "-5"}, "annual_saving", "不能为负数"),
    ],
)
def test_vacate_refusals(manager_a, data, field, message):
    lease = make_lease(manager_a)
    with pytest.raises(ValidationError) as exc:
        svc.lease_vacate(actor=manager_a, lease=lease, **data)
    assert message in exc.value.message_dict[field][0]
    lease.refresh_from_db()
    assert lease.status == Lease.Status.ACTIVE and lease.annual_saving is None


def test_vacate_only_once(manager_a):
    lease = make_lease(manager_a)
    svc.lease_vacate(actor=manager_a, lease=lease, vacated_on=dt.date(2026, 3, 31))
    with pytest.raises(ValidationError, match="不能重复办理"):
        svc.lease_vacate(actor=manager_a, lease=lease, vacated_on=TODAY, annual_saving="1")
    lease.refresh_from_db()
    assert lease.vacated_on == dt.date(2026, 3, 31) and lease.annual_saving == Decimal("86000")


def test_savings_summed_over_several_leases(manager_a, manager_b):
    rents = ["86000", "78000", "102000", "64000"]
    for i, rent in enumerate(rents):
        lease = make_lease(manager_a, address=f"民房 {i}", annual_rent=rent)
        svc.lease_vacate(actor=manager_a, lease=lease, vacated_on=dt.date(2026, 3 + i, 1))
    old = make_lease(manager_a, address="旧租房", annual_rent="50000")
    svc.lease_vacate(actor=manager_a, lease=old, vacated_on=dt.date(2025, 6, 1))
    make_lease(manager_a, address="在租", annual_rent="138000", area="650")
    other = make_lease(manager_b, address="乙区民房", annual_rent="99999")
    svc.lease_vacate(actor=manager_b, lease=other, vacated_on=dt.date(2026, 5, 1))

    leases = Lease.objects.filter(center_id=manager_a.center_id)
    year = svc.lease_totals(leases, year=2026)
    assert year["vacated"] == 4 and year["saving"] == Decimal("330000.00")
    everything = svc.lease_totals(leases)
    assert everything["vacated"] == 5 and everything["saving"] == Decimal("380000.00")
    assert everything["active"] == 1 and everything["active_rent"] == Decimal("138000.00")
    assert everything["active_area"] == Decimal("650.00")
    empty = svc.lease_totals(Lease.objects.none())
    assert empty["saving"] == Decimal("0.00") and empty["active"] == 0


def test_renewal_rearms_the_expiry_reminder(manager_a):
    lease = make_lease(manager_a)
    Lease.objects.filter(pk=lease.pk).update(expiry_notified_on=TODAY)
    svc.lease_update(actor=manager_a, lease=lease, **{**LEASE, "notes": "改备注"})
    lease.refresh_from_db()
    assert lease.expiry_notified_on == TODAY  # same end date: still told
    svc.lease_update(actor=manager_a, lease=lease, **{**LEASE, "end_date": dt.date(2030, 12, 31)})
    lease.refresh_from_db()
    assert lease.expiry_notified_on is None and lease.end_date == dt.date(2030, 12, 31)


def test_vacated_lease_dates_stay_consistent(manager_a):
    lease = make_lease(manager_a)
    svc.lease_vacate(
        actor=manager_a, lease=lease, vacated_on=dt.date(2026, 3, 31), annual_saving="80000"
    )
    with pytest.raises(ValidationError) as exc:
        svc.lease_update(actor=manager_a, lease=lease, **{**LEASE, "start_date": "2026-04-01"})
    assert "晚于腾退日期" in exc.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as exc:
        svc.lease_update(actor=manager_a, lease=lease, **{**LEASE, "annual_rent": "70000"})
    assert "annual_rent" in exc.value.message_dict
    lease.refresh_from_db()
    assert lease.start_date == dt.date(2020, 1, 1) and lease.annual_rent == Decimal("86000")


# ------------------------------------------------------------------ projects


def make_project(actor, **data):
    fields = {"title": "报告厅改造", "budget": "650000", "contractor": "区装饰公司"}
    return svc.project_create(actor=actor, center=actor.center, **{**fields, **data})


def test_project_create(manager_a, building_a):
    project = make_project(manager_a, building=building_a, start_date="2026-03-15")
    assert project.status == RenovationProject.Status.PLANNED and project.progress == 0
    assert project.building == building_a and project.budget == Decimal("650000.00")
    assert project.start_date == dt.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "请填写项目名称"),
        ({"budget": "-1"}, "budget", "不能为负数"),
        ({"budget": "x"}, "budget", "必须是数字"),
        ({"start_date": "15/03/2026"}, "start_date", "格式不正确"),
    ],
)
def test_project_bad_input(manager_a, data, field, message):
    with pytest.raises(ValidationError) as exc:
        make_project(manager_a, **data)
    assert message in exc.value.message_dict[field][0]
    assert not RenovationProject.objects.exists()


def test_project_building_of_another_center_refused(manager_a, building_b):
    with pytest.raises(ValidationError) as exc:
        make_project(manager_a, building=building_b)
    assert "本中心的楼栋" in exc.value.message_dict["building"][0]
    assert not RenovationProject.objects.exists()


def test_project_writes_need_a_manager(manager_a, manager_b, leader_a, staff_x):
    for user in (leader_a, staff_x):
        with pytest.raises(PermissionDenied):
            make_project(user)
    project = make_project(manager_a)
    for call in (
        lambda u: svc.project_item_add(actor=u, project=project, name="椅", quantity=1, unit="张"),
        lambda u: svc.project_progress(actor=u, project=project, progress=10, note="开工"),
        lambda u: svc.project_cancel(actor=u, project=project, reason="不做了"),
    ):
        with pytest.raises(PermissionDenied):
            call(manager_b)
    project.refresh_from_db()
    assert project.status == RenovationProject.Status.PLANNED
    assert not ProjectItem.objects.exists() and not ProjectUpdate.objects.exists()


def test_items_add_and_remove(manager_a):
    project = make_project(manager_a)
    chairs = svc.project_item_add(
        actor=manager_a, project=project, name="礼堂椅", quantity="420", unit="张", amount="294000"
    )
    floor = svc.project_item_add(
        actor=manager_a, project=project, name="木地板", quantity="380.5", unit="㎡"
    )
    assert chairs.amount == Decimal("294000.00") and floor.amount is None
    assert floor.quantity == Decimal("380.50")
    svc.project_item_remove(actor=manager_a, item=floor)
    assert list(project.items.all()) == [chairs]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "必须大于 0"),
        ({"quantity": "-3"}, "quantity", "必须大于 0"),
        ({"unit": ""}, "unit", "请填写单位"),
        ({"unit": "十一个字的单位名称啊啊"}, "unit", "不能超过 10 个字"),
        ({"name": " "}, "name", "请填写内容"),
        ({"amount": "-1"}, "amount", "不能为负数"),
    ],
)
def test_item_bad_input(manager_a, data, field, message):
    project = make_project(manager_a)
    fields = {"name": "会议椅", "quantity": "24", "unit": "张", "amount": ""}
    with pytest.raises(ValidationError) as exc:
        svc.project_item_add(actor=manager_a, project=project, **{**fields, **data})
    assert message in exc.value.message_dict[field][0]
    assert not ProjectItem.objects.exists()


def test_first_progress_starts_the_project(manager_a):
    project = make_project(manager_a)
    update = svc.project_progress(actor=manager_a, project=project, progress="30", note="拆除完毕")
    project.refresh_from_db()
    assert project.status == RenovationProject.Status.IN_PROGRESS
    assert project.progress == 30 and project.start_date == TODAY
    assert update.progress == 30 and update.note == "拆除完毕" and update.created_by == manager_a
    svc.project_progress(actor=manager_a, project=project, progress=30, note="等材料")
    assert project.updates.count() == 2


@pytest.mark.parametrize(
    ("progress", "note", "field", "message"),
    [
        (20, "倒退", "progress", "不能低于当前的 30%"),
        (101, "超过", "progress", "0—100"),
        (-1, "负数", "progress", "0—100"),
        ("abc", "乱填", "progress", "0—100"),
        (50, "  ", "note", "请填写进展情况"),
    ],
)
def test_progress_refusals(manager_a, progress, note, field, message):
    project = make_project(manager_a)
    svc.project_progress(actor=manager_a, project=project, progress=30, note="拆除完毕")
    with pytest.raises(ValidationError) as exc:
        svc.project_progress(actor=manager_a, project=project, progress=progress, note=note)
    assert message in exc.value.message_dict[field][0]
    project.refresh_from_db()
    assert project.progress == 30 and project.updates.count() == 1


def test_complete_with_final_cost(manager_a):
    project = make_project(manager_a, start_date="2026-03-15")
    svc.project_progress(actor=manager_a, project=project, progress=80, note="安装完成")
    project = svc.project_complete(
        actor=manager_a, project=project, finish_date="2026-07-20", final_cost="608100"
    )
    assert project.status == RenovationProject.Status.COMPLETED
    assert project.progress == 100 and project.final_cost == Decimal("608100.00")
    assert project.finish_date == dt.date(2026, 7, 20)
    assert "608100" in project.updates.first().note
    # A completed project is closed to every change.
    for call in (
        lambda: svc.project_item_add(
            actor=manager_a, project=project, name="椅", quantity=1, unit="张"
        ),
        lambda: svc.project_progress(actor=manager_a, project=project, progress=100, note="x"),
        lambda: svc.project_cancel(actor=manager_a, project=project, reason="x"),
        lambda: svc.project_update(actor=manager_a, project=project, title="改名"),
        lambda: svc.project_complete(
            actor=manager_a, project=project, finish_date=TODAY, final_cost="1"
        ),
    ):
        with pytest.raises(ValidationError, match="已竣工"):
            call()
    project.refresh_from_db()
    assert project.final_cost == Decimal("608100.00") and project.title == "报告厅改造"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"final_cost": ""}, "final_cost", "请填写决算金额"),
        ({"final_cost": "-1"}, "final_cost", "不能为负数"),
        ({"finish_date": None}, "finish_date", "请填写竣工日期"),
        ({"finish_date": "2026-03-01"}, "finish_date", "不能早于开工日期"),
        ({"finish_date": TODAY + dt.timedelta(days=1)}, "finish_date", "不能晚于今天"),
    ],
)
def test_complete_refusals(manager_a, data, field, message):
    project = make_project(manager_a, start_date="2026-03-15")
    fields = {"finish_date": "2026-07-20", "final_cost": "608100"}
    with pytest.raises(ValidationError) as exc:
        svc.project_complete(actor=manager_a, project=project, **{**fields, **data})
    assert message in exc.value.message_dict[field][0]
    project.refresh_from_db()
    assert project.status == RenovationProject.Status.PLANNED and project.final_cost is None
    assert not project.updates.exists()


def test_cancel_needs_a_reason(manager_a):
    project = make_project(manager_a)
    with pytest.raises(ValidationError) as exc:
        svc.project_cancel(actor=manager_a, project=project, reason="")
    assert "请填写取消原因" in exc.value.message_dict["reason"][0]
    project = svc.project_cancel(actor=manager_a, project=project, reason="并入明年计划")
    assert project.status == RenovationProject.Status.CANCELLED
    assert "并入明年计划" in project.updates.get().note
    with pytest.raises(ValidationError, match="已取消"):
        svc.project_progress(actor=manager_a, project=project, progress=10, note="x")


# ------------------------------------------------------------------ ownership


def test_ownership_create_then_update_one_record(manager_a, building_a):
    record = svc.ownership_save(actor=manager_a, building=building_a, status="pending")
    assert record.status == OwnershipRecord.Status.PENDING
    again = svc.ownership_save(
        actor=manager_a,
        building=building_a,
        status="registered",
        right_holder="甲区机关事务管理局",
        certificate_no="区（2023）不动产权第0001200号",
        certificate_date="2023-06-18",
    )
    assert again.pk == record.pk and OwnershipRecord.objects.count() == 1
    assert again.certificate_date == dt.date(2023, 6, 18)
    filed = svc.ownership_save(
        actor=manager_a,
        building=building_a,
        status="filed",
        filing_no="备〔2025〕3号",
        filing_date=dt.date(2025, 11, 8),
    )
    assert filed.status == OwnershipRecord.Status.FILED and filed.certificate_no == ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "registered", "certificate_date": "2023-06-18"}, "certificate_no", "证号"),
        ({"status": "registered", "certificate_no": "第1号"}, "certificate_date", "登簿日期"),
        ({"status": "filed", "filing_date": "2025-11-08"}, "filing_no", "备案编号"),
        ({"status": "filed", "filing_no": "备1号"}, "filing_date", "备案日期"),
        ({"status": "sold"}, "status", "请选择登记状态"),
        (
            {"status": "registered", "certificate_no": "第1号", "certificate_date": "2027-01-01"},
            "certificate_date",
            "不能晚于今天",
        ),
    ],
)
def test_ownership_rules(manager_a, building_a, data, field, message):
    with pytest.raises(ValidationError) as exc:
        svc.ownership_save(actor=manager_a, building=building_a, **data)
    assert message in exc.value.message_dict[field][0]
    assert not OwnershipRecord.objects.exists()


def test_ownership_needs_a_manager_of_the_center(manager_b, leader_a, building_a):
    for user in (manager_b, leader_a):
        with pytest.raises(PermissionDenied):
            svc.ownership_save(actor=user, building=building_a, status="pending")
    assert not OwnershipRecord.objects.exists()


@pytest.fixture
def record(manager_a, building_a):
    return svc.ownership_save(actor=manager_a, building=building_a, status="pending")


def test_documents_pdf_and_scans(manager_a, record):
    doc = svc.ownership_document_add(actor=manager_a, record=record, file=pdf(), title="")
    assert doc.title == "不动产权证书" and doc.size == 64 and doc.file.name.endswith(".pdf")
    assert "不动产权证书" not in doc.file.name  # the user's name never reaches the path
    svc.ownership_document_add(actor=manager_a, record=record, file=png(), title="证书照片")
    assert record.documents.count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"), "不支持"),
        (SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00\x03\x00\x00\x00"), "内容与文件类型不符"),
        (SimpleUploadedFile("说明书.docx", b"PK\x03\x04rest"), "不支持"),
        (SimpleUploadedFile("图纸.dwg", b"AC1032\x00"), "不支持"),
        (SimpleUploadedFile("假的.jpg", b"not an image"), "不是有效的图片"),
        (SimpleUploadedFile("空.pdf", b""), "空文件"),
    ],
)
def test_document_refusals(manager_a, record, upload, message):
    with pytest.raises(ValidationError) as exc:
        svc.ownership_document_add(actor=manager_a, record=record, file=upload)
    assert message in exc.value.message_dict["file"][0]
    assert not OwnershipDocument.objects.exists()


def test_document_size_limit(manager_a, record, monkeypatch):
    monkeypatch.setattr(svc, "DOCUMENT_MAX_BYTES", 1024)
    svc.ownership_document_add(actor=manager_a, record=record, file=pdf(size=1024))
    with pytest.raises(ValidationError) as exc:
        svc.ownership_document_add(actor=manager_a, record=record, file=pdf(size=1025))
    assert "过大" in exc.value.message_dict["file"][0]
    assert record.documents.count() == 1


def test_document_writes_need_a_manager(manager_b, leader_a, record):
    for user in (manager_b, leader_a):
        with pytest.raises(PermissionDenied):
            svc.ownership_document_add(actor=user, record=record, file=pdf())
    assert not OwnershipDocument.objects.exists()


def test_document_delete_removes_the_file_after_commit(
    manager_a, record, django_capture_on_commit_callbacks
):
    doc = svc.ownership_document_add(actor=manager_a, record=record, file=pdf())
    name = doc.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        svc.ownership_document_delete(actor=manager_a, document=doc)
    assert not OwnershipDocument.objects.exists() and not default_storage.exists(name)
