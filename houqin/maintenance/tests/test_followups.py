"""Duty follow-ups: a failed preventive item opens a work order, a failed safety-inspection
item a finding; both once per record."""

import datetime as dt

import pytest
from django.utils import timezone

from houqin.core.duties import followups as duty_followups
from houqin.core.duties.models import DutyTask
from houqin.core.duties.recurrence import build_preset_rule
from houqin.core.duties.services import duty_task_complete
from houqin.core.notifications.models import Notification
from houqin.maintenance.models import Category, Finding, WorkOrder
from houqin.maintenance.services import equipment as eq_svc
from houqin.maintenance.services import findings as f_svc
from houqin.maintenance.services import followups

from .conftest import NOW
from .test_equipment import make_equipment

pytestmark = pytest.mark.django_db
DEC_1 = timezone.make_aware(dt.datetime(2026, 12, 1, 10, 0))


@pytest.fixture(autouse=True)
def _registered():
    followups.register_followups()
    yield
    duty_followups.unregister_followup_handler(followups.HANDLER_KEY)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def chiller_plan(manager, **kw):
    equipment = make_equipment(
        manager, kind="chiller", name="1号冷水机组", code="LS-01", location="地下一层冷冻机房"
    )
    plan = eq_svc.maintenance_plan_create(
        actor=manager,
        equipment=equipment,
        title="冷水机组入夏前保养",
        rrule=build_preset_rule("monthly_first"),
        dtstart=NOW,
        checklist=eq_svc.checklist_for("chiller"),
        now=NOW,
        **kw,
    )
    return equipment, DutyTask.objects.get(plan=plan)


GOOD_CHILLER = {
    "cw_in": 30,
    "cw_out": 34,
    "chw_out": 7,
    "evap_pressure": "0.4",
    "compressor": "是",
    "heat_exchanger": "是",
}


def test_failed_preventive_item_opens_one_work_order(manager_a, tech_a):
    equipment, task = chiller_plan(manager_a)
    answers = {**GOOD_CHILLER, "cw_in": 38, "compressor": "否"}
    record = duty_task_complete(
        actor=tech_a, task=task, answers=answers, notes="冷却塔风机皮带松", now=DEC_1
    )
    order = WorkOrder.objects.get()
    assert order.source == WorkOrder.Source.PREVENTIVE and order.duty_record == record
    assert order.equipment == equipment and order.category == Category.AC
    assert order.reporter is None and order.center_id == manager_a.center_id
    assert "冷却水进水温度" in order.description and "压缩机" in order.description
    assert "冷却塔风机皮带松" in order.description
    assert order.events.get().action == "report"
    # Idempotent: running the follow-ups again does not open a second order.
    duty_followups.run_followups(record, record.failed_items)
    assert WorkOrder.objects.count() == 1


def test_passed_checklist_opens_nothing(manager_a, tech_a):
    _equipment, task = chiller_plan(manager_a)
    duty_task_complete(actor=tech_a, task=task, answers=GOOD_CHILLER, now=DEC_1)
    assert not WorkOrder.objects.exists() and not Finding.objects.exists()


def test_elevator_category_and_plain_task(manager_a, tech_a):
    elevator = make_equipment(manager_a)
    plan = eq_svc.maintenance_plan_create(
        actor=manager_a,
        equipment=elevator,
        title="电梯月度维保",
        rrule=build_preset_rule("monthly_first"),
        dtstart=NOW,
        checklist=eq_svc.checklist_for("elevator")[:2],
        now=NOW,
    )
    task = DutyTask.objects.get(plan=plan)
    duty_task_complete(
        actor=tech_a, task=task, answers={"traction": "是", "brake": "否"}, now=DEC_1
    )
    order = WorkOrder.objects.get()
    assert order.category == Category.ELEVATOR and order.equipment == elevator


def test_failed_inspection_items_open_findings(manager_a, staff_x):
    plan = f_svc.inspection_plan_create(
        actor=manager_a,
        center=manager_a.center,
        area="A座一层大厅",
        responsible=staff_x,
        rrule=build_preset_rule("weekly_monday"),
        dtstart=NOW,
        checklist=f_svc.INSPECTION_CHECKLIST[:3],
        now=NOW,
    )
    task = DutyTask.objects.filter(plan=plan).order_by("due_at").first()  # Mon 30 Nov
    monday = timezone.make_aware(dt.datetime(2026, 11, 30, 9, 30))
    record = duty_task_complete(
        actor=staff_x,
        task=task,
        answers={"exits": "否", "signs": "是", "extinguishers": "否"},
        now=monday,
    )
    findings = list(Finding.objects.order_by("id"))
    assert len(findings) == 2
    assert {f.area for f in findings} == {"A座一层大厅"}
    assert all(f.responsible == staff_x and f.duty_record == record for f in findings)
    # Mon 30 Nov + 5 workdays = Mon 7 Dec.
    assert {f.deadline for f in findings} == {dt.date(2026, 12, 7)}
    assert "疏散通道" in findings[0].description and "灭火器" in findings[1].description
    assert Notification.objects.filter(recipient=staff_x, kind="maintenance.finding").count() == 2
    assert not WorkOrder.objects.exists()
    duty_followups.run_followups(record, record.failed_items)
    assert Finding.objects.count() == 2


def test_other_categories_are_ignored(manager_a, staff_x):
    from houqin.core.duties.services import duty_plan_create

    plan = duty_plan_create(
        actor=manager_a,
        center=manager_a.center,
        title="保洁",
        category="cleaning",
        assignees=[staff_x],
        rrule=build_preset_rule("daily"),
        dtstart=NOW,
        checklist=[{"label": "地面干净", "type": "bool"}],
        now=NOW,
    )
    task = DutyTask.objects.filter(plan=plan).order_by("due_at").first()
    duty_task_complete(actor=staff_x, task=task, answers={"q1": "否"}, now=NOW)
    assert not WorkOrder.objects.exists() and not Finding.objects.exists()
