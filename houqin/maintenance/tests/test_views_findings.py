"""Safety-inspection pages: inspection rounds, findings list/create/detail, rectify and close,
photos served only to those who may see the finding, permissions and query budgets."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.core.duties.models import DutyPlan
from houqin.core.roles import Role
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.maintenance.models import Finding
from houqin.maintenance.services import findings as svc
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import NOW
from .test_equipment import png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def security_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="安保科长"), Role.SECURITY_MANAGER, username="sec_a"
    )


@pytest.fixture
def security_b(agency_b):
    return make_user(PersonFactory(agency=agency_b), Role.SECURITY_MANAGER, username="sec_b")


def url(name, *args):
    return reverse(f"maintenance:{name}", args=args)


def make_finding(actor, responsible, **kw):
    data = {"area": "B座地下车库", "description": "消防通道堆放杂物", "responsible": responsible}
    data.update(kw)
    return svc.finding_create(actor=actor, center=actor.center, **data)


def test_create_with_photo(client, security_a, staff_x):
    client.force_login(security_a)
    page = client.get(url("finding_create")).content.decode()
    assert "职工甲" in page  # the responsible person picker shows names
    response = client.post(
        url("finding_create"),
        {
            "area": "食堂后厨",
            "description": "灭火毯缺失",
            "responsible": staff_x.pk,
            "deadline": "",
            "photos": [png(), png("b.png")],
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302 and response.url == url("finding_detail", finding.pk)
    assert finding.deadline == dt.date(2026, 12, 2) and finding.photos.count() == 2


def test_create_errors_show_on_the_form(client, security_a, staff_x):
    client.force_login(security_a)
    response = client.post(
        url("finding_create"),
        {
            "area": "食堂后厨",
            "description": "灭火毯缺失",
            "responsible": staff_x.pk,
            "deadline": "2026-11-01",
        },
    )
    assert response.status_code == 422 and "整改期限不能早于今天。" in response.content.decode()
    response = client.post(
        url("finding_create"),
        {
            "area": "食堂后厨",
            "description": "灭火毯缺失",
            "responsible": staff_x.pk,
            "photos": [SimpleUploadedFile("x.png", b"not an image")],
        },
    )
    assert response.status_code == 422 and "不是有效的图片" in response.content.decode()
    assert not Finding.objects.exists()


def test_rectify_and_close(client, security_a, staff_x, liaison_x):
    finding = make_finding(security_a, staff_x, photos=[png()])
    photo = finding.photos.get()
    # The responsible person sees their finding (not the manager's list) and rectifies it.
    client.force_login(staff_x)
    html = client.get(url("finding_detail", finding.pk)).content.decode()
    assert "登记整改" in html and url("finding_photo", photo.pk) in html
    assert client.get(url("finding_photo", photo.pk)).status_code == 200
    assert client.get(url("finding_list")).status_code == 403
    response = client.post(url("finding_rectify", finding.pk), {"rectification": ""})
    assert response.status_code == 422 and "请填写整改情况。" in response.content.decode()
    response = client.post(
        url("finding_rectify", finding.pk), {"rectification": "杂物已清理", "photos": [png()]}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.RECTIFIED
    assert client.post(url("finding_close", finding.pk)).status_code == 403
    # Someone else of the center sees nothing of it.
    client.force_login(liaison_x)
    assert client.get(url("finding_detail", finding.pk)).status_code == 404
    assert client.get(url("finding_photo", photo.pk)).status_code == 404
    assert (
        client.post(url("finding_rectify", finding.pk), {"rectification": "x"}).status_code == 404
    )
    # The manager closes it (销号).
    client.force_login(security_a)
    html = client.get(url("finding_detail", finding.pk)).content.decode()
    assert "整改到位，销号" in html and "杂物已清理" in html
    assert client.post(url("finding_close", finding.pk)).status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED and finding.closed_by == security_a
    # Closing twice: a message, no change.
    response = client.post(url("finding_close", finding.pk), follow=True)
    assert "整改后才能销号" in response.content.decode()


def test_reject(client, security_a, staff_x):
    finding = make_finding(security_a, staff_x)
    svc.finding_rectify(actor=staff_x, finding=finding, note="已清理")
    client.force_login(security_a)
    response = client.post(url("finding_reject", finding.pk), {"reason": ""})
    assert response.status_code == 422 and "请填写退回原因。" in response.content.decode()
    response = client.post(url("finding_reject", finding.pk), {"reason": "仍有纸箱"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN


def test_list_filters_overdue_and_export(client, security_a, staff_x, liaison_x):
    late = make_finding(security_a, staff_x, area="一号楼", deadline=dt.date(2026, 11, 25))
    Finding.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 11, 20))
    make_finding(security_a, liaison_x, area="二号楼")
    client.force_login(security_a)
    html = client.get(url("finding_list")).content.decode()
    assert "一号楼" in html and "二号楼" in html and "超期" in html
    html = client.get(url("finding_list"), {"overdue": "yes"}).content.decode()
    assert "一号楼" in html and "二号楼" not in html
    html = client.get(url("finding_list"), {"responsible": liaison_x.pk}).content.decode()
    assert "二号楼" in html and "一号楼" not in html
    html = client.get(url("finding_list"), {"status": "closed"}).content.decode()
    assert "一号楼" not in html
    response = client.get(url("finding_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE


def test_inspection_plan_page(client, security_a, staff_x):
    client.force_login(security_a)
    html = client.get(url("inspection_plan_create")).content.decode()
    assert "疏散通道" in html and "区域责任人" in html
    data = {
        "area": "A座 1–3 层",
        "responsible": staff_x.pk,
        "title": "",
        "description": "",
        "preset": "weekly_monday",
        "time": "09:00",
        "dtstart": "2026-11-25T09:00",
        "workdays_only": "on",
        "checklist-TOTAL_FORMS": "1",
        "checklist-INITIAL_FORMS": "0",
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "50",
        "checklist-0-label": "安全出口畅通",
        "checklist-0-type": "bool",
        "checklist-0-required": "on",
    }
    response = client.post(url("inspection_plan_create"), {**data, "responsible": ""})
    assert response.status_code == 200 and not DutyPlan.objects.exists()
    response = client.post(url("inspection_plan_create"), data)
    plan = DutyPlan.objects.get()
    assert response.status_code == 302
    assert plan.category == "safety_inspection" and plan.manager == staff_x
    assert plan.location_text == "A座 1–3 层" and list(plan.assignees.all()) == [staff_x]


def test_permissions(client, security_a, security_b, staff_x, tech_a, manager_a):
    finding = make_finding(security_a, staff_x)
    client.force_login(tech_a)
    for name in ("finding_list", "finding_create", "inspection_plan_create"):
        assert client.get(url(name)).status_code == 403
    assert client.get(url("finding_detail", finding.pk)).status_code == 404
    client.force_login(manager_a)  # maintenance managers run inspections too
    assert client.get(url("finding_list")).status_code == 200
    assert client.get(url("finding_detail", finding.pk)).status_code == 200
    client.force_login(security_b)
    assert client.get(url("finding_detail", finding.pk)).status_code == 404
    assert client.post(url("finding_close", finding.pk)).status_code == 404
    assert "B座地下车库" not in client.get(url("finding_list")).content.decode()


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_list_runs_a_constant_number_of_queries(client, security_a, staff_x, liaison_x):
    for i in range(2):
        make_finding(security_a, staff_x, area=f"区域{i}")
    client.force_login(security_a)
    few = _queries(client, url("finding_list"))
    people = [staff_x, liaison_x, security_a]
    for i in range(30):
        make_finding(security_a, people[i % 3], area=f"更多区域{i}")
    assert _queries(client, url("finding_list")) == few


def test_convert_to_work_order_from_the_page(client, security_a, staff_x):
    finding = make_finding(security_a, staff_x)
    client.force_login(security_a)
    page = client.get(url("finding_detail", finding.pk)).content.decode()
    assert url("finding_work_order", finding.pk) in page
    response = client.post(url("finding_work_order", finding.pk), {"category": "electric"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.work_order is not None and finding.work_order.category == "electric"
    client.force_login(staff_x)  # the responsible person may not convert it
    assert (
        client.post(url("finding_work_order", finding.pk), {"category": "water"}).status_code == 403
    )
