"""Safety-inspection findings and inspection rounds through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.recurrence import build_preset_rule
from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.maintenance.models import Finding
from houqin.maintenance.services import findings as svc
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import NOW
from .test_equipment import png

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)
F = Finding.Status


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


def make_finding(actor, responsible, **kw):
    data = {"area": "B座地下车库", "description": "消防通道堆放杂物", "responsible": responsible}
    data.update(kw)
    return svc.finding_create(actor=actor, center=actor.center, **data)


def test_create_defaults_to_five_workdays_and_notifies(security_a, staff_x):
    finding = make_finding(security_a, staff_x, photos=[png()])
    # Wed 25 Nov + 5 workdays = Wed 2 Dec.
    assert finding.deadline == dt.date(2026, 12, 2)
    assert finding.status == F.OPEN and finding.found_by == security_a
    assert finding.photos.get().stage == "found"
    note = Notification.objects.get(recipient=staff_x, kind="maintenance.finding")
    assert "B座地下车库" in note.title and f"/findings/{finding.pk}/" in note.url


def test_create_errors(security_a, staff_x, admin_b, tech_a):
    with pytest.raises(ValidationError) as exc:
        make_finding(security_a, staff_x, area=" ", description="")
    assert exc.value.message_dict == {"area": ["请填写区域/部位。"]}
    with pytest.raises(ValidationError, match="不能早于今天"):
        make_finding(security_a, staff_x, deadline=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="本中心"):
        make_finding(security_a, admin_b)
    with pytest.raises(ValidationError, match="不是有效的图片"):
        make_finding(security_a, staff_x, photos=[SimpleUploadedFile("a.png", b"no image here")])
    with pytest.raises(ValidationError, match="最多上传 9 张"):
        make_finding(security_a, staff_x, photos=[png() for _ in range(10)])
    with pytest.raises(PermissionDenied):
        make_finding(tech_a, staff_x)
    assert not Finding.objects.exists()


def test_rectify_then_close(security_a, manager_a, staff_x):
    finding = make_finding(security_a, staff_x)
    with pytest.raises(ValidationError) as exc:
        svc.finding_rectify(actor=staff_x, finding=finding, note="  ")
    assert exc.value.message_dict == {"rectification": ["请填写整改情况。"]}
    with pytest.raises(ValidationError, match="整改后才能销号"):
        svc.finding_close(actor=manager_a, finding=finding)
    finding = svc.finding_rectify(actor=staff_x, finding=finding, note="杂物已清理", photos=[png()])
    assert finding.status == F.RECTIFIED and finding.rectified_at == NOW
    assert finding.photos.filter(stage="rectified").count() == 1
    with pytest.raises(ValidationError, match="不能再登记整改"):
        svc.finding_rectify(actor=staff_x, finding=finding, note="again")
    with pytest.raises(PermissionDenied):
        svc.finding_close(actor=staff_x, finding=finding)
    finding = svc.finding_close(actor=manager_a, finding=finding)
    assert finding.status == F.CLOSED and finding.closed_by == manager_a


def test_only_the_responsible_or_a_manager_rectifies(security_a, staff_x, liaison_x, admin_b):
    finding = make_finding(security_a, staff_x)
    for outsider in (liaison_x, admin_b):
        with pytest.raises(PermissionDenied):
            svc.finding_rectify(actor=outsider, finding=finding, note="x")
    svc.finding_rectify(actor=security_a, finding=finding, note="代为登记")


def test_reject_sends_it_back(security_a, staff_x):
    finding = make_finding(security_a, staff_x)
    svc.finding_rectify(actor=staff_x, finding=finding, note="已清理")
    with pytest.raises(ValidationError):
        svc.finding_reject(actor=security_a, finding=finding, reason="")
    finding = svc.finding_reject(actor=security_a, finding=finding, reason="仍有纸箱")
    assert finding.status == F.OPEN and "仍有纸箱" in finding.rectification
    assert finding.rectified_at is None


def test_overdue():
    finding = Finding(status=F.OPEN, deadline=TODAY - dt.timedelta(days=1))
    assert svc.is_overdue(finding, TODAY)
    assert not svc.is_overdue(Finding(status=F.OPEN, deadline=TODAY), TODAY)
    assert not svc.is_overdue(
        Finding(status=F.RECTIFIED, deadline=TODAY - dt.timedelta(days=9)), TODAY
    )


def test_inspection_plan(security_a, staff_x, tech_a):
    plan = svc.inspection_plan_create(
        actor=security_a,
        center=security_a.center,
        area="A座 1–3 层",
        responsible=staff_x,
        rrule=build_preset_rule("weekly_monday"),
        dtstart=NOW,
        checklist=svc.INSPECTION_CHECKLIST,
        now=NOW,
    )
    assert plan.category == DutyPlan.Category.SAFETY_INSPECTION
    assert plan.manager == staff_x and plan.location_text == "A座 1–3 层"
    assert plan.title == "安全检查：A座 1–3 层"
    assert list(plan.assignees.all()) == [staff_x]
    assert DutyTask.objects.filter(plan=plan).count() == 2  # the next two Mondays
    with pytest.raises(PermissionDenied):
        svc.inspection_plan_create(
            actor=tech_a,
            center=tech_a.center,
            area="x",
            responsible=staff_x,
            rrule=build_preset_rule("weekly_monday"),
            dtstart=NOW,
            checklist=[],
        )
    with pytest.raises(ValidationError) as exc:
        svc.inspection_plan_create(
            actor=security_a,
            center=security_a.center,
            area="",
            responsible=staff_x,
            rrule=build_preset_rule("weekly_monday"),
            dtstart=NOW,
            checklist=[],
        )
    assert "area" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        svc.inspection_plan_create(
            actor=security_a,
            center=security_a.center,
            area="A座 1–3 层",
            responsible=None,
            rrule=build_preset_rule("weekly_monday"),
            dtstart=NOW,
            checklist=[],
        )
    assert exc.value.message_dict == {"responsible": ["请选择整改责任人。"]}


def test_finding_to_work_order_once(security_a, staff_x):
    finding = make_finding(security_a, staff_x)
    order = svc.finding_to_work_order(actor=security_a, finding=finding, category="electric")
    finding.refresh_from_db()
    assert finding.work_order == order
    assert order.source == "inspection" and order.location_text == finding.area
    assert order.status == "new" and finding.area in order.description
    with pytest.raises(ValidationError, match="已转维修工单"):
        svc.finding_to_work_order(actor=security_a, finding=finding, category="electric")
    with pytest.raises(PermissionDenied):
        svc.finding_to_work_order(actor=staff_x, finding=finding, category="electric")


def test_finding_to_work_order_bad_category_writes_nothing(security_a, staff_x):
    from houqin.maintenance.models import WorkOrder

    finding = make_finding(security_a, staff_x)
    with pytest.raises(ValidationError, match="请选择报修类别"):
        svc.finding_to_work_order(actor=security_a, finding=finding, category="nope")
    finding.refresh_from_db()
    assert finding.work_order is None and not WorkOrder.objects.exists()
