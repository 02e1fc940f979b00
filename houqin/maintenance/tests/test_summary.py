"""The maintenance figures on a small known data set (November 2026), and their query budget."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.tests.factories import make_plan
from houqin.maintenance import summary
from houqin.maintenance.models import Finding, WorkOrder
from houqin.maintenance.services import work_orders as wo
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import NOW

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def at(m, d, hh, mm=0):
    return timezone.make_aware(dt.datetime(2026, m, d, hh, mm))


def report(user, now=NOW, **kw):
    fields = {"category": "water", "description": "水龙头漏水", "building": "A座", "room": "305"}
    order = wo.work_order_report(actor=user, now=now, **{**fields, **kw})
    # created_at is auto_now_add: put it at the reporting time of the data set.
    WorkOrder.objects.filter(pk=order.pk).update(created_at=now)
    order.refresh_from_db()
    return order


def repair(order, manager, tech, reporter, *, accept, finish, labor, material=None, rating=None):
    order = wo.work_order_assign(actor=manager, order=order, assignee=tech, now=accept)
    order = wo.work_order_accept(actor=tech, order=order, now=accept)
    order = wo.work_order_start(actor=tech, order=order, now=accept)
    if material is not None:
        order = wo.work_order_add_material(
            actor=tech, order=order, name="水龙头", quantity=1, unit_price=material, now=accept
        )
    order = wo.work_order_finish(
        actor=tech, order=order, note="已修复", labor_cost=labor, now=finish
    )
    if rating is not None:
        order = wo.work_order_confirm(actor=reporter, order=order, rating=rating, now=finish)
    return order


def build(center_a, manager_a, tech_a, staff_x, agency_b):
    """Reported at NOW (Wed 25 Nov 09:00):
    o1 water:    accepted 10:00 (1 h), finished 11:30 (2.5 h) — 20 + 45.50 元, ★5, on time
    o2 electric urgent (due Thu 09:00): accepted 14:00 (3 h), finished Thu 09:30 (7.5 h,
       late) — 100 元, ★3
    o3 water new; o4 merged into o3 (not counted); o5 ac cancelled (counted)
    o6 water reported in October (outside); an order of center B (outside).
    """
    o1 = report(staff_x)
    repair(
        o1,
        manager_a,
        tech_a,
        staff_x,
        accept=at(11, 25, 10),
        finish=at(11, 25, 11, 30),
        labor=20,
        material="45.50",
        rating=5,
    )
    o2 = report(staff_x, category="electric", urgency="urgent")
    assert o2.due_at == at(11, 26, 9)
    repair(
        o2,
        manager_a,
        tech_a,
        staff_x,
        accept=at(11, 25, 14),
        finish=at(11, 26, 9, 30),
        labor=100,
        rating=3,
    )
    o3 = report(staff_x)
    o4 = report(staff_x)
    wo.work_order_merge(actor=manager_a, order=o4, into=o3, now=NOW)
    o5 = report(staff_x, category="ac")
    wo.work_order_cancel(actor=staff_x, order=o5, now=NOW)
    report(staff_x, now=at(10, 20, 9))
    staff_b = make_user(PersonFactory(agency=agency_b, name="乙区职工"), username="staff_b")
    report(staff_b)
    return o1, o2


def findings(center_a, tech_a):
    def make(status, created, rectified_at=None):
        finding = Finding.objects.create(
            center=center_a,
            area="配电室",
            description="灭火器过期",
            responsible=tech_a,
            deadline=dt.date(2026, 12, 1),
            status=status,
            rectification="已更换" if status != Finding.Status.OPEN else "",
            rectified_at=rectified_at,
        )
        Finding.objects.filter(pk=finding.pk).update(created_at=created)

    make(Finding.Status.OPEN, NOW)
    make(Finding.Status.RECTIFIED, NOW, rectified_at=at(11, 26, 10))
    make(Finding.Status.CLOSED, at(10, 10, 9), rectified_at=at(11, 2, 10))


def duty_plans(center_a, manager_a, tech_a):
    """Preventive maintenance every day at 09:00 from 1 Nov (tasks generated for 1–14 Nov):
    2 done on time, 1 late. Safety inspection every Monday: 1 done on time."""
    preventive = make_plan(
        center_a,
        actor=manager_a,
        title="水泵月度保养",
        category=DutyPlan.Category.MAINTENANCE,
        assignee_role="technician",
    )
    inspection = make_plan(
        center_a,
        actor=manager_a,
        title="配电室安全检查",
        category=DutyPlan.Category.SAFETY_INSPECTION,
        assignee_role="technician",
        rrule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
    )
    tasks = list(DutyTask.objects.filter(plan=preventive).order_by("due_at"))
    for task in tasks[:2]:
        duties.duty_task_complete(actor=tech_a, task=task, answers={}, now=task.due_at)
    duties.duty_task_complete(
        actor=tech_a, task=tasks[2], answers={}, now=tasks[2].due_at + dt.timedelta(days=2)
    )
    first = DutyTask.objects.filter(plan=inspection).order_by("due_at").first()
    duties.duty_task_complete(actor=tech_a, task=first, answers={}, now=first.due_at)
    return preventive, inspection


def test_figures_on_known_data(center_a, manager_a, tech_a, staff_x, agency_b):
    build(center_a, manager_a, tech_a, staff_x, agency_b)
    findings(center_a, tech_a)
    preventive, inspection = duty_plans(center_a, manager_a, tech_a)
    f = summary.figures(center_a, START, END, now=NOW)

    assert f["repairs_received"] == 4
    by_category = {row["category"]: row["count"] for row in f["repairs_by_category"]}
    assert by_category["water"] == 2 and by_category["electric"] == 1 and by_category["ac"] == 1
    assert by_category["elevator"] == 0
    assert f["repairs_by_source"]["report"] == 4
    assert f["repairs_completed"] == 2
    assert f["avg_response_hours"] == 2.0  # (1 + 3) / 2
    assert f["avg_completion_hours"] == 5.0  # (2.5 + 7.5) / 2
    assert f["completed_within_sla"] == 1 and f["within_sla_pct"] == 50.0
    assert f["ratings"] == 2 and f["rating_avg"] == 4.0 and f["satisfied_pct"] == 50.0
    assert f["labor_total"] == Decimal("120.00")
    assert f["material_total"] == Decimal("45.50")
    assert f["spending_total"] == Decimal("165.50")

    preventive_tasks = DutyTask.objects.filter(plan=preventive, due_at__lte=NOW).count()
    assert preventive_tasks >= 3
    assert f["preventive_due"] == preventive_tasks
    assert f["preventive_done"] == 3 and f["preventive_on_time"] == 2
    assert f["preventive_on_time_pct"] == round(100 * 2 / preventive_tasks, 1)
    assert f["inspections_done"] == 1
    assert f["inspections_due"] == DutyTask.objects.filter(plan=inspection, due_at__lte=NOW).count()

    assert f["findings_found"] == 2
    assert f["findings_rectified"] == 2
    assert f["findings_open"] == 1
    assert set(summary.DEFINITIONS) <= set(f)


def test_empty_period(center_a):
    f = summary.figures(center_a, dt.date(2020, 1, 1), dt.date(2021, 1, 1), now=NOW)
    assert f["repairs_received"] == 0 and f["repairs_completed"] == 0
    assert f["avg_response_hours"] is None and f["within_sla_pct"] is None
    assert f["rating_avg"] is None and f["spending_total"] == Decimal("0")
    assert f["preventive_on_time_pct"] is None


def test_records_match_figures(center_a, manager_a, tech_a, staff_x, agency_b):
    build(center_a, manager_a, tech_a, staff_x, agency_b)
    findings(center_a, tech_a)
    f = summary.figures(center_a, START, END, now=NOW)
    for key in ("repairs_received", "repairs_completed", "findings_found", "findings_rectified"):
        assert sum(qs.count() for qs in summary.records(center_a, START, END, key)) == f[key]
    with pytest.raises(KeyError):
        summary.records(center_a, START, END, "nope")


def test_figure_url():
    url = summary.figure_url("repairs_received", START, END)
    assert url.startswith("/maintenance/orders/?")
    assert "date_from=2026-11-01" in url and "date_to=2026-11-30" in url
    assert summary.figure_url("findings_found", START, END) is None


def _queries(center):
    with CaptureQueriesContext(connection) as ctx:
        summary.figures(center, START, END, now=NOW)
    return len(ctx.captured_queries)


def test_query_count_is_constant(center_a, manager_a, tech_a, staff_x, agency_b):
    build(center_a, manager_a, tech_a, staff_x, agency_b)
    findings(center_a, tech_a)
    duty_plans(center_a, manager_a, tech_a)
    few = _queries(center_a)
    for i in range(12):
        order = report(staff_x, category=["water", "ac", "network"][i % 3])
        repair(
            order,
            manager_a,
            tech_a,
            staff_x,
            accept=at(11, 25, 10),
            finish=at(11, 25, 16),
            labor=10,
            rating=4,
        )
    findings(center_a, tech_a)
    assert _queries(center_a) == few
