"""The security figures on a small known data set (November 2026), and their query budget."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.recurrence import TZ
from houqin.core.duties.tests.factories import make_plan
from houqin.org.tests.factories import PersonFactory
from houqin.security import summary
from houqin.security.models import (
    Camera,
    Drill,
    FireEquipment,
    Incident,
    Patrol,
    PatrolRoute,
    Visit,
    Visitor,
)

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 15, 10, tzinfo=TZ)


def at(m, d, hh=10):
    return dt.datetime(2026, m, d, hh, tzinfo=TZ)


def visit(center, agency, status, day, party=1):
    visitor = Visitor.objects.create(center=center, name="访客")
    entered = at(*day) if status in ("in", "out") else None
    row = Visit.objects.create(
        center=center,
        visitor=visitor,
        host_agency=agency,
        purpose="办事",
        status=status,
        party_size=party,
        entered_at=entered,
        exited_at=entered + dt.timedelta(hours=1) if status == "out" else None,
    )
    Visit.objects.filter(pk=row.pk).update(created_at=at(*day))
    return row


def patrol(route, guard, status, day):
    return Patrol.objects.create(
        center=route.center,
        route=route,
        guard=guard,
        started_at=at(*day),
        finished_at=None if status == "in_progress" else at(*day, 11),
        status=status,
    )


def equipment(center, code, expires, status="in_service", replaced_on=None):
    piece = FireEquipment.objects.create(
        center=center,
        code=code,
        kind="extinguisher_abc",
        location="主楼",
        expires_on=expires,
        status=status,
        replaced_on=replaced_on,
    )
    FireEquipment.objects.filter(pk=piece.pk).update(created_at=at(10, 1))


def drill(center, kind, day, people, others):
    row = Drill.objects.create(
        center=center, kind=kind, title="演练", held_on=day, other_participants=others
    )
    row.participants.set(people)


def incident(center, user, kind, day):
    Incident.objects.create(
        center=center,
        occurred_at=at(*day),
        place="主楼",
        kind=kind,
        description="经过",
        reported_by=user,
    )


def build(center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a):
    visit(center_a, agency_x, "out", (11, 5), party=3)
    visit(center_a, agency_x, "in", (11, 20), party=2)
    visit(center_a, agency_x, "out", (10, 31))
    visit(center_a, agency_x, "refused", (11, 10))
    visit(center_a, agency_x, "refused", (12, 2))
    visit(center_a, agency_x, "expected", (11, 12))
    visit(center_b, agency_b, "out", (11, 5), party=9)

    security = PatrolRoute.objects.create(center=center_a, name="安保", rounds_per_day=2)
    fire = PatrolRoute.objects.create(center=center_a, name="防火", kind="fire")
    # Both routes set up before the period (a route is not planned before it exists).
    PatrolRoute.objects.update(created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    PatrolRoute.objects.create(center=center_a, name="停用", rounds_per_day=5, is_active=False)
    patrol(security, guard_a, "done", (11, 3))
    patrol(fire, guard_a, "done", (11, 4))
    patrol(security, guard_a, "incomplete", (11, 5))
    patrol(security, guard_a, "done", (12, 3))
    route_b = PatrolRoute.objects.create(center=center_b, name="乙", rounds_per_day=3)
    patrol(route_b, guard_b, "done", (11, 3))

    plan = make_plan(center_a, actor=manager_a, title="每日防火巡查")
    make_plan(
        center_a,
        actor=manager_a,
        title="消防检查",
        category=DutyPlan.Category.FIRE_INSPECTION,
        rrule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
    )
    tasks = list(DutyTask.objects.filter(plan=plan).order_by("due_at"))
    for task in tasks[:2]:
        duties.duty_task_complete(actor=guard_a, task=task, answers={}, now=task.due_at)
    duties.duty_task_complete(
        actor=guard_a, task=tasks[2], answers={}, now=tasks[2].due_at + dt.timedelta(days=2)
    )
    inspection = DutyTask.objects.filter(category="fire_inspection").order_by("due_at").first()
    duties.duty_task_complete(actor=guard_a, task=inspection, answers={}, now=inspection.due_at)

    incident(center_a, guard_a, "fire", (11, 2))
    incident(center_a, guard_a, "fire", (11, 10))
    incident(center_a, guard_a, "medical", (11, 15))
    incident(center_a, guard_a, "security", (10, 20))

    people = [PersonFactory(agency=agency_x) for _ in range(3)]
    drill(center_a, "training", dt.date(2026, 11, 10), people, 5)
    drill(center_a, "guard_training", dt.date(2026, 11, 20), [], 4)
    drill(center_a, "evacuation", dt.date(2026, 11, 25), people[:2], 10)
    drill(center_a, "fire_drill", dt.date(2026, 10, 1), people, 50)

    equipment(center_a, "R1", dt.date(2027, 1, 1), "replaced", dt.date(2026, 11, 15))
    equipment(center_a, "S1", dt.date(2026, 11, 20), "scrapped", dt.date(2026, 12, 3))
    equipment(center_a, "E1", dt.date(2026, 11, 29))
    equipment(center_a, "E2", dt.date(2026, 11, 30))
    equipment(center_a, "OK", dt.date(2028, 1, 1))
    equipment(center_b, "B1", dt.date(2026, 1, 1))

    def camera(code, status="in_service", installed=dt.date(2025, 1, 1), retired=None):
        Camera.objects.create(
            center=center_a,
            code=code,
            location="东门",
            status=status,
            installed_on=installed,
            retired_on=retired,
        )

    camera("C1")
    camera("C2", "faulty")
    camera("C3", "retired", retired=dt.date(2026, 11, 20))
    camera("C4", "retired", retired=dt.date(2026, 12, 5))
    camera("C5", installed=dt.date(2026, 12, 10))
    return plan


def test_figures(center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a):
    build(center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a)
    f = summary.figures(center_a, START, END, now=NOW)
    assert f["as_of"] == dt.date(2026, 11, 30)
    assert (f["visitors_registered"], f["visitors_people"], f["visits_refused"]) == (2, 5, 1)
    assert (f["patrols_planned"], f["patrols_done"], f["patrols_incomplete"]) == (90, 2, 1)
    assert f["patrols_done_pct"] == 2.2
    assert f["patrols_by_kind"]["fire"]["done"] == 1
    due = DutyTask.objects.filter(
        center=center_a, category="fire_patrol", due_at__gte=at(11, 1, 0), due_at__lt=at(12, 1, 0)
    ).count()
    assert due > 3
    assert (f["fire_patrol_due"], f["fire_patrol_done"], f["fire_patrol_on_time"]) == (due, 3, 2)
    assert f["fire_patrol_on_time_pct"] == round(200 / due, 1)
    assert f["fire_inspections_done"] == 1 and f["fire_inspections_due"] >= 1
    assert f["incidents"] == 3
    by_kind = {row["kind"]: row["count"] for row in f["incidents_by_kind"]}
    assert by_kind["fire"] == 2 and by_kind["medical"] == 1 and by_kind["security"] == 0
    assert (f["trainings"], f["training_people"], f["drills"], f["drill_people"]) == (2, 12, 1, 12)
    assert (f["equipment_replaced"], f["equipment_expired"]) == (1, 2)
    assert (f["cameras_in_service"], f["cameras_total"]) == (1, 3)
    assert set(summary.DEFINITIONS) <= set(f)

    # The rows behind the figures agree with them.
    def count(key):
        return sum(qs.count() for qs in summary.records(center_a, START, END, key, now=NOW))

    for key in (
        "visitors_registered",
        "visits_refused",
        "patrols_done",
        "patrols_incomplete",
        "fire_patrol_done",
        "fire_inspections_done",
        "incidents",
        "trainings",
        "drills",
        "equipment_replaced",
        "equipment_expired",
        "cameras_in_service",
        "cameras_total",
    ):
        assert count(key) == f[key], key
    with pytest.raises(KeyError):
        summary.records(center_a, START, END, "nothing")


def test_a_running_period_plans_only_the_days_so_far(center_a):
    PatrolRoute.objects.create(center=center_a, name="安保", rounds_per_day=2)
    PatrolRoute.objects.update(created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    f = summary.figures(center_a, START, END, now=at(11, 10, 12))
    assert f["patrols_planned"] == 2 * 10
    assert f["as_of"] == dt.date(2026, 11, 10)


def test_fixed_number_of_queries(
    center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a
):
    with CaptureQueriesContext(connection) as empty:
        summary.figures(center_a, START, END, now=NOW)
    build(center_a, agency_x, agency_b, center_b, guard_a, guard_b, manager_a)
    with CaptureQueriesContext(connection) as full:
        summary.figures(center_a, START, END, now=NOW)
    assert len(empty) == len(full) == 10


def test_figure_urls():
    assert summary.figure_url("incidents", START, END).startswith("/security/incidents/")
    assert "expiry=expired" in summary.figure_url("equipment_expired", START, END)
    assert summary.figure_url("patrols_planned", START, END) is None
