"""Pages of leases, renovation projects and ownership registration: happy paths, errors on the
form (nothing written), permissions (staff and liaisons 403, viewers read-only, another
center 404), escaping, documents, exports and query budgets."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.space.models import (
    Lease,
    OwnershipDocument,
    OwnershipRecord,
    ProjectItem,
    RenovationProject,
)
from houqin.space.services import estate as svc
from houqin.space.services import register

from .test_estate import LEASE, NOW, TODAY, make_lease, make_project, pdf

pytestmark = pytest.mark.django_db
XSS = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return manager_a


def url(name, *args):
    return reverse(f"space:{name}", args=args)


def _queries(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx)


def lease_post(**data):
    form = {**LEASE, "start_date": "2020-01-01", "end_date": "2027-12-31", "agency": ""}
    return {**form, **data}


# ------------------------------------------------------------------ leases


def test_lease_create_edit_detail(client, manager, agency_x):
    response = client.post(url("lease_create"), lease_post(agency=agency_x.pk))
    lease = Lease.objects.get()
    assert response.status_code == 302 and response.url == url("lease_detail", lease.pk)
    assert lease.agency == agency_x and lease.annual_rent == Decimal("86000")
    page = client.get(url("lease_edit", lease.pk)).content.decode()
    assert "解放路 18 号民房" in page and "2027-12-31" in page
    response = client.post(url("lease_edit", lease.pk), lease_post(annual_rent="90000"))
    assert response.status_code == 302
    lease.refresh_from_db()
    assert lease.annual_rent == Decimal("90000") and lease.agency is None
    page = client.get(url("lease_detail", lease.pk)).content.decode()
    assert "90000.00" in page and "办理腾退" in page


def test_lease_bad_input_shown_and_nothing_written(client, manager):
    response = client.post(url("lease_create"), lease_post(area="-5", end_date="2019-01-01"))
    assert response.status_code == 200
    assert "必须大于 0" in response.content.decode()
    assert not Lease.objects.exists()
    response = client.post(url("lease_create"), lease_post(end_date="2019-01-01"))
    assert "租期止不能早于租期起" in response.content.decode()
    response = client.post(url("lease_create"), lease_post(start_date="not a date"))
    assert "日期格式不正确" in response.content.decode()
    assert not Lease.objects.exists()


def test_lease_vacate_page(client, manager):
    lease = make_lease(manager)
    page = client.get(url("lease_vacate", lease.pk)).content.decode()
    assert "data-hq-confirm" in page and "86000.00" in page
    response = client.post(url("lease_vacate", lease.pk), {"vacated_on": "2027-01-01"})
    assert response.status_code == 422 and "不能晚于今天" in response.content.decode()
    response = client.post(
        url("lease_vacate", lease.pk), {"vacated_on": "2026-03-31", "annual_saving": ""}
    )
    assert response.status_code == 302
    lease.refresh_from_db()
    assert lease.status == Lease.Status.VACATED and lease.annual_saving == Decimal("86000")
    page = client.get(url("lease_detail", lease.pk)).content.decode()
    assert "每年节约租金" in page and url("lease_vacate", lease.pk) not in page
    response = client.post(url("lease_vacate", lease.pk), {"vacated_on": "2026-04-01"})
    assert response.status_code == 422 and "不能重复办理" in response.content.decode()


def test_lease_list_totals_badges_filters_and_export(client, manager):
    soon = make_lease(manager, address="供销社三层", end_date=TODAY + dt.timedelta(days=45))
    make_lease(manager, address="远期民房", annual_rent="10000")
    for i, rent in enumerate(["86000", "78000"]):
        lease = make_lease(manager, address=f"民房 {i}", annual_rent=rent)
        svc.lease_vacate(actor=manager, lease=lease, vacated_on=dt.date(2026, 3 + i, 1))
    html = client.get(url("lease_list")).content.decode()
    assert "供销社三层" in html and "即将到期" in html
    assert "164000.00" in html  # saved each year by the two vacated houses
    assert "96000.00" in html  # rent still paid: 86,000 + 10,000
    html = client.get(url("lease_list"), {"expiring": "soon"}).content.decode()
    assert "供销社三层" in html and "远期民房" not in html
    html = client.get(url("lease_list"), {"status": "vacated"}).content.decode()
    assert "民房 0" in html and "供销社三层" not in html
    html = client.get(url("lease_list"), {"year": "99999"}).content.decode()
    assert "供销社三层" not in html
    response = client.get(url("lease_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    response = client.get(url("lease_list"), {"export": "xlsx", "status": "active"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.rows]
    assert len(rows) == 3 and any(soon.address in row for row in rows)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["model"] == "space.Lease" and event.detail["rows"] == 2


def test_lease_text_is_escaped(client, manager):
    lease = make_lease(manager, lessor=XSS, notes=XSS)
    for page in (url("lease_list"), url("lease_detail", lease.pk)):
        html = client.get(page).content.decode()
        assert XSS not in html and "&lt;script&gt;" in html


def test_lease_permissions(client, manager_a, leader_a, staff_x, liaison_x, manager_b):
    lease = make_lease(manager_a)
    for user in (staff_x, liaison_x):
        client.force_login(user)
        assert client.get(url("lease_list")).status_code == 403
        assert client.get(url("lease_detail", lease.pk)).status_code == 403
    client.force_login(leader_a)
    assert client.get(url("lease_list")).status_code == 200
    assert (
        url("lease_vacate", lease.pk)
        not in client.get(url("lease_detail", lease.pk)).content.decode()
    )
    assert client.get(url("lease_create")).status_code == 403
    assert client.post(url("lease_edit", lease.pk), lease_post()).status_code == 403
    response = client.post(url("lease_vacate", lease.pk), {"vacated_on": "2026-03-01"})
    assert response.status_code == 403
    client.force_login(manager_b)
    assert client.get(url("lease_detail", lease.pk)).status_code == 404
    assert client.get(url("lease_edit", lease.pk)).status_code == 404
    response = client.post(url("lease_vacate", lease.pk), {"vacated_on": "2026-03-01"})
    assert response.status_code == 404
    assert "解放路" not in client.get(url("lease_list")).content.decode()
    lease.refresh_from_db()
    assert lease.status == Lease.Status.ACTIVE


def test_lease_list_queries_constant(client, manager, agency_x, agency_y):
    for i in range(2):
        make_lease(manager, address=f"A{i}", agency=agency_x)
    few = _queries(client, url("lease_list"))
    for i in range(12):
        lease = make_lease(manager, address=f"B{i}", agency=agency_y if i % 2 else None)
        if i % 3 == 0:
            svc.lease_vacate(actor=manager, lease=lease, vacated_on=TODAY)
    assert _queries(client, url("lease_list")) == few


# ------------------------------------------------------------------ projects


def test_project_create_edit(client, manager, building_a):
    data = {
        "title": "报告厅改造",
        "building": building_a.pk,
        "budget": "650000",
        "contractor": "区装饰公司",
        "start_date": "",
        "description": "座椅、地面",
    }
    response = client.post(url("project_create"), data)
    project = RenovationProject.objects.get()
    assert response.status_code == 302 and response.url == url("project_detail", project.pk)
    assert project.building == building_a and project.budget == Decimal("650000")
    response = client.post(url("project_edit", project.pk), {**data, "budget": "-1"})
    assert "不能为负数" in response.content.decode()
    response = client.post(url("project_edit", project.pk), {**data, "title": "报告厅全面改造"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "报告厅全面改造" and project.budget == Decimal("650000")


def test_project_building_choices_are_the_centers(client, manager, building_a, building_b):
    page = client.get(url("project_create")).content.decode()
    assert building_a.name in page and building_b.name not in page
    data = {"title": "x", "building": building_b.pk, "budget": "0"}
    response = client.post(url("project_create"), data)
    assert response.status_code == 200 and not RenovationProject.objects.exists()


def test_project_detail_actions(client, manager):
    project = make_project(manager, start_date="2026-03-15")
    add = url("project_item_add", project.pk)
    item = {"name": "礼堂椅", "quantity": "420", "unit": "张", "amount": "294000", "note": ""}
    assert client.post(add, item).status_code == 302
    item2 = {**item, "name": "木地板", "quantity": "380", "unit": "㎡", "amount": "136800"}
    assert client.post(add, item2).status_code == 302
    response = client.post(add, {**item, "quantity": "0"})
    assert response.status_code == 422 and "数量必须大于 0" in response.content.decode()
    assert project.items.count() == 2
    page = client.get(url("project_detail", project.pk)).content.decode()
    assert "430800.00" in page and "合计 2 项" in page

    removed = project.items.get(name="木地板")
    assert client.post(url("project_item_remove", removed.pk)).status_code == 302
    assert list(project.items.values_list("name", flat=True)) == ["礼堂椅"]

    progress = url("project_progress", project.pk)
    assert client.post(progress, {"progress": "40", "note": "拆除完毕"}).status_code == 302
    response = client.post(progress, {"progress": "30", "note": "倒退"})
    assert response.status_code == 422 and "不能低于当前的 40%" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "in_progress" and project.progress == 40

    complete = url("project_complete", project.pk)
    response = client.post(complete, {"finish_date": "2026-07-20", "final_cost": ""})
    assert response.status_code == 422 and "请填写决算金额" in response.content.decode()
    response = client.post(complete, {"finish_date": "2026-07-20", "final_cost": "290000"})
    assert response.status_code == 302
    page = client.get(url("project_detail", project.pk)).content.decode()
    assert "290000.00" in page and "拆除完毕" in page and "登记进展" not in page
    assert '<progress class="align-middle" value="100"' in page

    # Closed: the refusal is shown on top, nothing changes.
    response = client.post(progress, {"progress": "100", "note": "再报"})
    assert response.status_code == 422 and "项目已竣工，不能再修改" in response.content.decode()
    assert project.updates.count() == 2


def test_project_cancel(client, manager):
    project = make_project(manager)
    response = client.post(url("project_cancel", project.pk), {"reason": ""})
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.status == "planned"
    assert client.post(url("project_cancel", project.pk), {"reason": "并入明年"}).status_code == 302
    project.refresh_from_db()
    assert project.status == "cancelled"


def test_project_list_export_escaping_and_queries(client, manager, building_a):
    make_project(manager, title=XSS, building=building_a)
    done = make_project(manager, title="楼顶补漏", contractor="修缮队")
    svc.project_progress(actor=manager, project=done, progress=40, note="施工中")
    html = client.get(url("project_list")).content.decode()
    assert XSS not in html and "&lt;script&gt;" in html
    assert '<progress class="align-middle" value="40"' in html
    assert "预算合计 1300000.00 元" in html
    html = client.get(url("project_list"), {"status": "in_progress"}).content.decode()
    assert "楼顶补漏" in html and "&lt;script&gt;" not in html
    response = client.get(url("project_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(detail__model="space.RenovationProject").exists()
    few = _queries(client, url("project_list"))
    for i in range(10):
        make_project(manager, title=f"项目{i}", building=building_a if i % 2 else None)
    assert _queries(client, url("project_list")) == few


def test_project_list_by_building(client, manager, building_a, building_b):
    make_project(manager, title="报告厅改造", building=building_a)
    make_project(manager, title="围墙修缮")
    html = client.get(url("project_list"), {"building": building_a.pk}).content.decode()
    assert "报告厅改造" in html and "围墙修缮" not in html
    # Another center's building is not even a choice.
    html = client.get(url("project_list")).content.decode()
    assert building_a.name in html and building_b.name not in html


def test_project_permissions(client, manager_a, leader_a, staff_x, manager_b):
    project = make_project(manager_a)
    item = svc.project_item_add(actor=manager_a, project=project, name="椅", quantity=1, unit="张")
    client.force_login(staff_x)
    assert client.get(url("project_list")).status_code == 403
    client.force_login(leader_a)
    page = client.get(url("project_detail", project.pk))
    assert page.status_code == 200 and "登记进展" not in page.content.decode()
    for path, data in (
        (url("project_progress", project.pk), {"progress": "10", "note": "x"}),
        (url("project_item_remove", item.pk), {}),
        (url("project_cancel", project.pk), {"reason": "x"}),
    ):
        assert client.post(path, data).status_code == 403
    client.force_login(manager_b)
    assert client.get(url("project_detail", project.pk)).status_code == 404
    assert client.post(url("project_item_remove", item.pk)).status_code == 404
    data = {"finish_date": "2026-07-20", "final_cost": "1"}
    assert client.post(url("project_complete", project.pk), data).status_code == 404
    assert ProjectItem.objects.filter(pk=item.pk).exists()
    project.refresh_from_db()
    assert project.status == "planned"


def test_project_actions_are_post_only(client, manager):
    project = make_project(manager)
    assert client.get(url("project_progress", project.pk)).status_code == 405
    assert client.get(url("project_cancel", project.pk)).status_code == 405


# ------------------------------------------------------------------ ownership


def building(center, name, code):
    return register.building_create(
        actor=None,
        center=center,
        name=name,
        code=code,
        address="人民路",
        floor_area=1000,
        floors_above=1,
    )


def test_ownership_list_and_figures(client, manager, center_a, building_a, building_b):
    annex = building(center_a, "档案馆", "C")
    building(center_a, f"车库{XSS}", "D")
    svc.ownership_save(
        actor=manager,
        building=building_a,
        status="registered",
        certificate_no="区（2023）不动产权第0001200号",
        certificate_date="2023-06-18",
    )
    svc.ownership_save(
        actor=manager, building=annex, status="filed", filing_no="备3号", filing_date=TODAY
    )
    html = client.get(url("ownership_list")).content.decode()
    assert "0001200" in html and "备3号" in html and "待登记" in html
    assert 'data-figure="percent">67%' in html
    assert building_b.name not in html
    assert XSS not in html and "&lt;script&gt;" in html
    html = client.get(url("ownership_list"), {"status": "pending"}).content.decode()
    assert "车库" in html and "档案馆" not in html
    response = client.get(url("ownership_list"), {"export": "xlsx"})
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.rows]
    assert len(rows) == 4 and rows[-1][5] == "待登记"
    assert AuditEvent.objects.filter(detail__model="space.OwnershipRecord").exists()


def test_ownership_list_queries_constant(client, manager, center_a):
    for i in range(2):
        building(center_a, f"楼{i}", f"A{i}")
    few = _queries(client, url("ownership_list"))
    for i in range(8):
        b = building(center_a, f"新楼{i}", f"B{i}")
        if i % 2:
            svc.ownership_save(actor=manager, building=b, status="pending")
    assert _queries(client, url("ownership_list")) == few


def test_ownership_edit(client, manager, building_a):
    page = url("ownership_edit", building_a.pk)
    html = client.get(page).content.decode()
    assert "填写登记信息" in html and "保存登记信息后可上传资料" in html
    data = {"status": "registered", "right_holder": "甲区机关事务管理局", "certificate_no": ""}
    response = client.post(page, {**data, "certificate_date": "2023-06-18"})
    assert response.status_code == 422 and "须填写不动产权证号" in response.content.decode()
    assert not OwnershipRecord.objects.exists()
    data.update(certificate_no="第0001200号", certificate_date="2023-06-18")
    assert client.post(page, data).status_code == 302
    record = OwnershipRecord.objects.get()
    assert record.status == "registered" and record.center_id == manager.center_id
    html = client.get(page).content.decode()
    assert "第0001200号" in html and url("ownership_document_add", record.pk) in html


def test_ownership_permissions(client, manager_a, leader_a, staff_x, manager_b, building_a):
    record = svc.ownership_save(actor=manager_a, building=building_a, status="pending")
    doc = svc.ownership_document_add(actor=manager_a, record=record, file=pdf())
    client.force_login(staff_x)
    assert client.get(url("ownership_list")).status_code == 403
    assert client.get(url("ownership_document", doc.pk)).status_code == 403
    client.force_login(leader_a)
    html = client.get(url("ownership_edit", building_a.pk)).content.decode()
    assert "修改登记信息" not in html and "不动产权证书" in html
    assert (
        client.post(url("ownership_edit", building_a.pk), {"status": "pending"}).status_code == 403
    )
    assert client.get(url("ownership_document", doc.pk)).status_code == 200
    assert client.post(url("ownership_document_delete", doc.pk)).status_code == 403
    client.force_login(manager_b)
    assert client.get(url("ownership_edit", building_a.pk)).status_code == 404
    assert (
        client.post(url("ownership_edit", building_a.pk), {"status": "pending"}).status_code == 404
    )
    assert client.get(url("ownership_document", doc.pk)).status_code == 404
    assert client.get(url("ownership_document_add", record.pk)).status_code == 404
    assert client.post(url("ownership_document_delete", doc.pk)).status_code == 404
    assert OwnershipDocument.objects.count() == 1


def test_documents_upload_download_delete(client, manager, building_a):
    record = svc.ownership_save(actor=manager, building=building_a, status="pending")
    add = url("ownership_document_add", record.pk)
    fake = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00\x03\x00\x00\x00this is an exe")
    response = client.post(add, {"title": "", "file": fake})
    assert response.status_code == 422 and "内容与文件类型不符" in response.content.decode()
    assert not OwnershipDocument.objects.exists()
    response = client.post(add, {"title": f"证书{XSS}", "file": pdf()})
    assert response.status_code == 302 and response.url == url("ownership_edit", building_a.pk)
    doc = OwnershipDocument.objects.get()
    html = client.get(url("ownership_edit", building_a.pk)).content.decode()
    assert XSS not in html and "证书&lt;script&gt;" in html
    response = client.get(url("ownership_document", doc.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.post(url("ownership_document_delete", doc.pk)).status_code == 302
    assert not OwnershipDocument.objects.exists()
