"""The demo maintenance (seed_demo): SLA rules, equipment, ~25 orders at every stage; idempotent."""

import datetime as dt

import pytest

from houqin.core.models import AuditLogEntry
from houqin.core.roles import Role
from houqin.maintenance import demo
from houqin.maintenance.models import (
    Equipment,
    MaterialUse,
    SlaRule,
    WorkOrder,
    WorkOrderEvent,
)
from houqin.maintenance.services import work_orders as wo
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import NOW

pytestmark = pytest.mark.django_db
S = WorkOrder.Status


@pytest.fixture
def demo_users(agency_x, agency_y):
    return {
        "maintenance": make_user(
            PersonFactory(agency=agency_x, name="物业股长"),
            Role.MAINTENANCE_MANAGER,
            username="maintenance",
        ),
        "technician": make_user(
            PersonFactory(agency=agency_x, name="水电工"), Role.TECHNICIAN, username="technician"
        ),
        "staff": make_user(PersonFactory(agency=agency_y, name="科员小王"), username="staff"),
        "liaison": make_user(
            PersonFactory(agency=agency_y, name="办公室主任"), Role.LIAISON, username="liaison"
        ),
    }


def snapshot(center):
    models = (SlaRule, Equipment, WorkOrder)
    return (
        {m.__name__: m.objects.filter(center=center).count() for m in models},
        WorkOrderEvent.objects.count(),
        MaterialUse.objects.count(),
        AuditLogEntry.objects.count(),
        list(WorkOrder.objects.order_by("pk").values_list("updated_at", "status")),
    )


def test_seed_builds_a_living_maintenance_service(center_a, demo_users):
    created = demo.seed(center_a, now=NOW)
    assert created
    assert SlaRule.objects.filter(center=center_a).count() == 8 * 3
    equipment = Equipment.objects.filter(center=center_a)
    assert equipment.count() >= 12
    assert {
        "chiller",
        "cooling_tower",
        "elevator",
        "generator",
        "switchgear",
        "pump",
        "irrigation",
        "fire_system",
    } <= set(equipment.values_list("kind", flat=True))
    assert all("应急电话" in e.notes for e in equipment.filter(kind="elevator"))
    assert "重要负荷" in equipment.get(kind="generator").notes

    orders = WorkOrder.objects.filter(center=center_a)
    assert 22 <= orders.count() <= 30
    assert len(set(orders.values_list("category", flat=True))) == 8
    statuses = set(orders.values_list("status", flat=True))
    assert {
        "new",
        "assigned",
        "in_progress",
        "waiting_parts",
        "done",
        "confirmed",
        "closed",
        "merged",
        "cancelled",
    } <= statuses
    # Over the last two months, never in the future; reported by several people.
    events = WorkOrderEvent.objects.filter(order__center=center_a)
    for o in orders:
        assert o.created_at == events.get(order=o, action="report").at
    first = events.filter(action="report").earliest("at").at
    assert NOW - dt.timedelta(days=62) <= first <= NOW - dt.timedelta(days=40)
    assert not events.filter(at__gt=NOW).exists()
    assert orders.values("reporter").distinct().count() >= 2
    # The technician has the work; an elevator vendor the elevator faults.
    tech = demo_users["technician"]
    assert orders.filter(assignee=tech).count() >= 15
    assert orders.filter(assignee__isnull=True).exclude(vendor_name="").exists()
    rated = orders.filter(rating__isnull=False)
    assert rated.count() >= 10 and set(rated.values_list("rating", flat=True)) <= {1, 2, 3, 4, 5}
    assert all(o.completion_note for o in orders.filter(status__in=["done", "confirmed", "closed"]))
    assert MaterialUse.objects.filter(order__center=center_a).count() >= 10
    overdue = [o for o in orders if wo.is_overdue(o, NOW)]
    assert 1 <= len(overdue) <= 6
    merged = orders.get(status="merged")
    assert merged.merged_into.status == "waiting_parts"
    # Materials and labour add up.
    for o in orders.filter(status="closed"):
        assert o.material_cost == sum(m.amount for m in o.materials.all())


def test_second_run_writes_nothing(center_a, demo_users):
    demo.seed(center_a, now=NOW)
    before = snapshot(center_a)
    assert demo.seed(center_a, now=NOW) == []
    assert snapshot(center_a) == before


def test_edited_rules_and_equipment_are_left_alone(center_a, demo_users):
    demo.seed(center_a, now=NOW)
    SlaRule.objects.filter(center=center_a, category="elevator", urgency="normal").update(
        response_hours=2
    )
    SlaRule.objects.filter(center=center_a, category="water", urgency="normal").delete()
    Equipment.objects.filter(center=center_a, code="DT-01").update(name="1号客梯（改）")
    created = demo.seed(center_a, now=NOW)
    assert [(r.category, r.urgency) for r in created if isinstance(r, SlaRule)] == [
        ("water", "normal")
    ]
    assert len(created) == 1
    rule = SlaRule.objects.get(center=center_a, category="elevator", urgency="normal")
    assert rule.response_hours == 2
    assert Equipment.objects.get(center=center_a, code="DT-01").name == "1号客梯（改）"


def test_center_without_demo_logins_gets_nothing(center_a, center_b, demo_users):
    assert demo.seed(center_b, now=NOW) == []
    assert not SlaRule.objects.filter(center=center_b).exists()
    assert not WorkOrder.objects.exists()
