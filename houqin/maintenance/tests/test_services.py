"""Work orders through the services: the transition graph, SLA clocks, costs, merge."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.maintenance.models import WorkOrder
from houqin.maintenance.services import work_orders as wo

from .conftest import NOW

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


def at(y, m, d, hh, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def report(user, now=NOW, **kw):
    fields = {
        "category": "water",
        "description": "卫生间水龙头漏水",
        "building": "A座",
        "room": "305",
    }
    return wo.work_order_report(actor=user, now=now, **{**fields, **kw})


def test_full_life(staff_x, manager_a, tech_a):
    order = report(staff_x)
    assert order.number.startswith("WX2026") and order.status == S.NEW
    # Normal urgency: respond within 4 working hours, finish within 21 (three working days:
    # 6.5 h on Wednesday, 7 on Thursday and Friday, the last half hour on Monday).
    assert order.response_due_at == at(2026, 11, 25, 15, 0)
    assert order.due_at == at(2026, 11, 30, 9, 0)
    wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a, now=NOW)
    wo.work_order_accept(actor=tech_a, order=order, now=NOW)
    wo.work_order_start(actor=tech_a, order=order, now=NOW)
    wo.work_order_add_material(
        actor=tech_a, order=order, name="水龙头", quantity=1, unit_price="45.50", now=NOW
    )
    order = wo.work_order_finish(
        actor=tech_a, order=order, note="更换水龙头", labor_cost=20, now=NOW
    )
    assert order.total_cost == Decimal("65.50")
    order = wo.work_order_confirm(actor=staff_x, order=order, rating=5, now=NOW)
    order = wo.work_order_close(actor=manager_a, order=order, now=NOW)
    assert order.status == S.CLOSED
    actions = list(order.events.values_list("action", flat=True))
    assert actions == ["report", "assign", "accept", "start", "finish", "confirm", "close"]


def test_illegal_transitions_refused(staff_x, manager_a, tech_a):
    order = report(staff_x)
    with pytest.raises(ValidationError, match="不能完工"):
        wo.work_order_finish(actor=manager_a, order=order, note="x", now=NOW)
    with pytest.raises(ValidationError, match="不能确认"):
        wo.work_order_confirm(actor=staff_x, order=order, rating=5, now=NOW)
    with pytest.raises(ValidationError, match="不能关闭"):
        wo.work_order_close(actor=manager_a, order=WorkOrder.objects.get(pk=order.pk), now=NOW)
    assert WorkOrder.objects.get(pk=order.pk).status == S.NEW


def test_finish_needs_a_note_and_costs_are_not_negative(staff_x, manager_a, tech_a):
    order = report(staff_x)
    wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a, now=NOW)
    wo.work_order_start(actor=tech_a, order=order, now=NOW)
    with pytest.raises(ValidationError, match="请填写维修情况"):
        wo.work_order_finish(actor=tech_a, order=order, note="  ", now=NOW)
    with pytest.raises(ValidationError, match="不能为负数"):
        wo.work_order_finish(actor=tech_a, order=order, note="好了", labor_cost=-1, now=NOW)
    assert WorkOrder.objects.get(pk=order.pk).status == S.IN_PROGRESS


def test_only_the_assignee_or_a_manager_works_an_order(staff_x, manager_a, tech_a, tech_a2):
    order = report(staff_x)
    wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a, now=NOW)
    with pytest.raises(PermissionDenied):
        wo.work_order_start(actor=tech_a2, order=order, now=NOW)
    with pytest.raises(PermissionDenied):
        wo.work_order_assign(actor=tech_a, order=order, assignee=tech_a2, now=NOW)


def test_sla_across_weekend_and_holiday(staff_x):
    friday = report(staff_x, now=at(2026, 11, 27, 16, 30), urgency="urgent")
    # Urgent: 1 working hour to respond (Friday 16:30 → 17:30), 7 to finish (→ Monday 16:30).
    assert friday.response_due_at == at(2026, 11, 27, 17, 30)
    assert friday.due_at == at(2026, 11, 30, 16, 30)
    before_holiday = report(staff_x, now=at(2026, 9, 30, 17, 0), urgency="urgent")
    # 30 September 17:00 + 1 h: 0.5 h that day, then 8 October (after National Day) 09:00.
    assert before_holiday.response_due_at == at(2026, 10, 8, 9, 0)
    emergency = report(staff_x, now=at(2026, 11, 28, 22, 0), urgency="emergency")
    assert emergency.due_at == at(2026, 11, 29, 2, 0)  # around the clock


def test_merge_duplicate(staff_x, person_y, manager_a):
    kept = report(staff_x)
    dup = report(staff_x, description="305 水龙头漏水（重复）")
    wo.work_order_merge(actor=manager_a, order=dup, into=kept, now=NOW)
    dup.refresh_from_db()
    assert dup.status == S.MERGED and dup.merged_into == kept
    with pytest.raises(ValidationError):
        wo.work_order_merge(actor=manager_a, order=kept, into=kept, now=NOW)


def test_reopen_resets_deadlines(staff_x, manager_a, tech_a):
    order = report(staff_x)
    wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a, now=NOW)
    wo.work_order_start(actor=tech_a, order=order, now=NOW)
    wo.work_order_finish(actor=tech_a, order=order, note="已修", now=NOW)
    later = at(2026, 11, 30, 9, 0)
    order = wo.work_order_reopen(actor=staff_x, order=order, reason="又漏了", now=later)
    assert order.status == S.ASSIGNED and order.assignee == tech_a
    assert order.response_due_at == at(2026, 11, 30, 15, 0)


def test_reporter_may_cancel_only_while_new(staff_x, manager_a, tech_a):
    order = report(staff_x)
    wo.work_order_assign(actor=manager_a, order=order, assignee=tech_a, now=NOW)
    with pytest.raises(ValidationError, match="请联系维修管理员撤销"):
        wo.work_order_cancel(actor=staff_x, order=order, now=NOW)
    assert wo.work_order_cancel(actor=manager_a, order=order, now=NOW).status == S.CANCELLED
