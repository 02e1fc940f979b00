# ruff: noqa: F811  (fixtures imported from fixtures_events are used as parameters)
"""安全台账: the figures on a small dataset (today = 15 August 2026), the ✓/✗ rules of DOMAIN.md
§8, links to the lists, who may see it, the export, and a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.tests.factories import make_plan
from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.models import Person
from houqin.org.tests.factories import PersonFactory
from houqin.security.models import Camera, Drill, FireEquipment, Incident, PatrolRoute
from houqin.security.services import board as board_svc
from houqin.security.services import events as svc

from .fixtures_events import NOW, TODAY, clock, leader_a, local  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def rows(center):
    return {row.key: row for row in board_svc.board(center.pk, today=TODAY, now=NOW)}


def drill(actor, kind, held_on, people=(), others=0):
    return svc.drill_create(
        actor=actor,
        center=actor.center_id,
        kind=kind,
        title=f"{kind} {held_on}",
        held_on=held_on,
        participants=list(people),
        other_participants=others or (0 if people else 10),
    )


def inspection(center, actor, guard, day):
    task = duties.duty_task_create_adhoc(
        actor=actor,
        center=center,
        title="季度消防检查",
        due_at=local(day.year, day.month, day.day, 9),
        assignee_role="guard",
        category=DutyPlan.Category.FIRE_INSPECTION,
    )
    duties.duty_task_complete(actor=guard, task=task, answers={}, now=task.due_at)


# ------------------------------------------------------------------ the figures


def test_evacuation_drill_seven_months_ago_is_overdue(manager_a, manager_b, center_a):
    drill(manager_a, Drill.Kind.EVACUATION, dt.date(2026, 1, 15))
    drill(manager_b, Drill.Kind.EVACUATION, dt.date(2026, 8, 1))  # another center's
    row = rows(center_a)["evacuation"]
    assert row.status == board_svc.BAD and "2026-01-15" in row.value
    assert row.figures["due_by"] == dt.date(2026, 7, 15)


def test_evacuation_drill_three_months_ago_is_fine(manager_a, center_a):
    drill(manager_a, Drill.Kind.EVACUATION, dt.date(2026, 1, 15))
    drill(manager_a, Drill.Kind.EVACUATION, dt.date(2026, 5, 15))
    drill(manager_a, Drill.Kind.FIRE_DRILL, dt.date(2026, 8, 1))  # not an evacuation
    row = rows(center_a)["evacuation"]
    assert row.status == board_svc.OK and row.figures["last"] == dt.date(2026, 5, 15)


def test_no_evacuation_drill_at_all(center_a):
    assert rows(center_a)["evacuation"].status == board_svc.BAD


def test_training_coverage_ratio(manager_a, staff_x, liaison_x, agency_x, person_b, center_a):
    retired = PersonFactory(
        agency=agency_x, name="退休职工", status=Person.Status.RETIRED, status_date=TODAY
    )
    drill(manager_a, Drill.Kind.TRAINING, dt.date(2026, 3, 1), [staff_x.person, liaison_x.person])
    drill(manager_a, Drill.Kind.TRAINING, dt.date(2026, 6, 1), [staff_x.person])
    drill(manager_a, Drill.Kind.TRAINING, dt.date(2025, 12, 1), [manager_a.person])  # last year
    drill(manager_a, Drill.Kind.EVACUATION, dt.date(2026, 6, 1), [manager_a.person])  # no training
    # A person who has left since attended this year's training: not in either figure.
    d = drill(manager_a, Drill.Kind.TRAINING, dt.date(2026, 2, 1), [staff_x.person])
    d.participants.add(retired)
    active = Person.objects.filter(center=center_a, status=Person.Status.ACTIVE).count()
    assert active == 3  # 安保股长, 联络员甲, 职工甲
    row = rows(center_a)["training"]
    assert row.figures == {"trained": 2, "active": 3}
    assert row.status == board_svc.PENDING and "2 / 3" in row.value and "67%" in row.value
    drill(manager_a, Drill.Kind.TRAINING, dt.date(2026, 8, 10), [manager_a.person])
    row = rows(center_a)["training"]
    assert row.figures == {"trained": 3, "active": 3} and row.status == board_svc.OK


def test_fire_patrol_compliance_from_the_duties_engine(center_a, manager_a, guard_a):
    plan = make_plan(center_a, actor=manager_a, dtstart=local(2026, 8, 1), now=local(2026, 8, 1))
    due = list(DutyTask.objects.filter(plan=plan, due_at__lte=NOW).order_by("due_at"))
    for task in due[:-3]:
        duties.duty_task_complete(actor=guard_a, task=task, answers={}, now=task.due_at)
    late = due[-3]
    duties.duty_task_complete(
        actor=guard_a, task=late, answers={}, now=late.due_at + dt.timedelta(hours=5)
    )
    row = rows(center_a)["fire_patrol"]
    assert row.figures == {
        "due": len(due),
        "on_time": len(due) - 3,
        "late": 1,
        "missed": 2,
    }
    assert row.status == board_svc.BAD and "2 次巡查逾期未完成" in row.note


def test_no_fire_patrol_plan_is_a_failure(center_a):
    row = rows(center_a)["fire_patrol"]
    assert row.status == board_svc.BAD and "尚未设置" in row.note


def test_quarterly_fire_inspection(center_a, manager_a, guard_a):
    inspection(center_a, manager_a, guard_a, dt.date(2026, 2, 10))
    row = rows(center_a)["fire_inspection"]
    assert [status for _label, status in row.parts] == ["ok", "bad", "pending"]
    assert row.status == board_svc.BAD and row.figures == {"done_quarters": 1, "missing": 1}
    inspection(center_a, manager_a, guard_a, dt.date(2026, 5, 10))
    assert rows(center_a)["fire_inspection"].status == board_svc.PENDING
    inspection(center_a, manager_a, guard_a, dt.date(2026, 8, 10))
    row = rows(center_a)["fire_inspection"]
    assert row.status == board_svc.OK and row.value == "已检查 3 / 3 个季度"


def test_incidents_equipment_cameras_and_patrols(center_a, center_b, guard_a, manager_a):
    def incident(kind, when, center=center_a):
        return Incident.objects.create(
            center=center,
            occurred_at=when,
            place="东门",
            kind=kind,
            description="x",
            reported_by=guard_a,
        )

    incident(Incident.Kind.FIRE, local(2026, 3, 1, 9))
    closed = incident(Incident.Kind.FIRE, local(2026, 4, 1, 9))
    svc.incident_close(actor=manager_a, incident=closed, result="已处置")
    incident(Incident.Kind.SECURITY, local(2026, 5, 1, 9))
    incident(Incident.Kind.SECURITY, local(2025, 12, 31, 9))  # last year
    incident(Incident.Kind.SECURITY, local(2026, 5, 1, 9), center=center_b)

    def equipment(code, expires_on, status=FireEquipment.Status.IN_SERVICE, center=center_a):
        FireEquipment.objects.create(
            center=center,
            code=code,
            kind=FireEquipment.Kind.EXTINGUISHER_ABC,
            location="一楼",
            expires_on=expires_on,
            status=status,
            replaced_on=TODAY if status == FireEquipment.Status.SCRAPPED else None,
        )

    equipment("MH-1", TODAY - dt.timedelta(days=1))
    equipment("MH-2", TODAY + dt.timedelta(days=10))
    equipment("MH-3", TODAY + dt.timedelta(days=100))
    equipment("MH-4", TODAY - dt.timedelta(days=100), FireEquipment.Status.SCRAPPED)
    equipment("MH-5", TODAY - dt.timedelta(days=100), center=center_b)

    for code, status in (("C1", "in_service"), ("C2", "in_service"), ("C3", "faulty")):
        Camera.objects.create(center=center_a, code=code, location="大厅", status=status)
    Camera.objects.create(
        center=center_a, code="C4", location="大厅", status="retired", retired_on=TODAY
    )
    PatrolRoute.objects.create(center=center_a, name="夜间防火巡查", kind="fire", rounds_per_day=2)
    PatrolRoute.objects.update(created_at=local(2025, 6, 1, 9))  # set up before this year

    board = rows(center_a)
    assert board["incidents"].figures == {
        "total": 3,
        "open": 2,
        "by_kind": {"fire": 2, "security": 1},
    }
    assert board["incidents"].status == board_svc.PENDING
    assert [label for label, _s in board["incidents"].parts] == ["治安 1", "火情 2"]
    eq = board["equipment"].figures
    assert (eq["total"], eq["expired"], eq["expiring"]) == (3, 1, 1)
    assert board["equipment"].status == board_svc.BAD
    assert board["cameras"].figures == {"ok": 2, "faulty": 1}
    assert board["cameras"].status == board_svc.BAD
    patrols = board["patrols"].figures
    # Jan 1 – Aug 15 inclusive = 227 days, 2 rounds a day, none done.
    assert (patrols["planned"], patrols["done"]) == (2 * 227, 0)


# ------------------------------------------------------------------ the page


def test_board_page_links_each_row(client, manager_a, staff_x, center_a):
    drill(manager_a, Drill.Kind.EVACUATION, dt.date(2026, 5, 15), [staff_x.person])
    client.force_login(manager_a)
    response = client.get(reverse("security:board"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "安全台账 2026年" in page and "疏散演练" in page and "消防安全培训覆盖率" in page
    assert reverse("security:drill_list") + "?kind=evacuation" in page
    assert reverse("security:incident_list") + "?date_from=2026-01-01" in page
    assert reverse("duties:compliance") + "?category=fire_patrol" in page
    assert 'data-status="ok"' in page and "✓" in page and "✗" in page


def test_board_permissions(client, guard_a, staff_x, leader_a, admin_a, manager_b):
    for user, status in ((guard_a, 403), (staff_x, 403), (leader_a, 200), (admin_a, 200)):
        client.force_login(user)
        assert client.get(reverse("security:board")).status_code == status
    client.force_login(manager_b)  # center B sees its own (empty) board, not A's
    page = client.get(reverse("security:board")).content.decode()
    assert "尚无疏散演练记录" in page


def test_board_export_is_audited(client, manager_a):
    client.force_login(manager_a)
    response = client.get(reverse("security:board"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("security:board")).status_code == 200
    return len(ctx.captured_queries)


def test_board_runs_a_constant_number_of_queries(client, manager_a, guard_a, staff_x, center_a):
    client.force_login(manager_a)
    drill(manager_a, Drill.Kind.TRAINING, dt.date(2026, 3, 1), [staff_x.person])
    few = _queries(client)
    for month in range(1, 8):
        drill(manager_a, Drill.Kind.EVACUATION, dt.date(2026, month, 3), [staff_x.person])
        inspection(center_a, manager_a, guard_a, dt.date(2026, month, 5))
        svc.incident_create(
            actor=guard_a,
            center=center_a.pk,
            occurred_at=local(2026, month, 1, 9),
            place="东门",
            kind="other",
            description="x",
        )
    assert _queries(client) == few
