"""Overdue reminders (Celery beat hourly; command maintenance_overdue): the assignee and the
center's maintenance managers are told about each open order past due, once a day."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from houqin.core.notifications.models import Notification
from houqin.maintenance import tasks
from houqin.maintenance.models import WorkOrder
from houqin.maintenance.services import work_orders as wo
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import NOW

pytestmark = pytest.mark.django_db
FIELDS = {"category": "water", "description": "卫生间水龙头漏水", "building": "A座", "room": "305"}
# Normal urgency reported at NOW (Wed 09:00) is due Mon 30 Nov 09:00.
LATE = NOW + dt.timedelta(days=5, hours=2)  # Mon 30 Nov 11:00
NEXT_DAY = LATE + dt.timedelta(days=1)


def overdue_notes(**kw):
    return Notification.objects.filter(kind="maintenance.overdue", **kw)


@pytest.fixture
def orders(staff_x, manager_a, tech_a):
    assigned = wo.work_order_report(actor=staff_x, now=NOW, **FIELDS)
    assigned = wo.work_order_assign(actor=manager_a, order=assigned, assignee=tech_a, now=NOW)
    unassigned = wo.work_order_report(actor=staff_x, now=NOW, **{**FIELDS, "room": "306"})
    finished = wo.work_order_report(actor=staff_x, now=NOW, **{**FIELDS, "room": "307"})
    finished = wo.work_order_assign(actor=manager_a, order=finished, assignee=tech_a, now=NOW)
    wo.work_order_start(actor=tech_a, order=finished, now=NOW)
    wo.work_order_finish(actor=tech_a, order=finished, note="修好", now=NOW)
    later = wo.work_order_report(actor=staff_x, now=LATE, **{**FIELDS, "room": "308"})
    return assigned, unassigned, finished, later


def test_nothing_before_the_deadline(orders):
    assert tasks.overdue_reminders(now=NOW + dt.timedelta(days=1)) == 0
    assert not overdue_notes().exists()


def test_assignee_and_managers_are_told_once_a_day(orders, manager_a, tech_a, staff_x, agency_x):
    assigned, unassigned, finished, later = orders
    retired = make_user(
        PersonFactory(agency=agency_x, name="离职管理员"), "maintenance_manager", username="mm_old"
    )
    retired.is_active = False
    retired.save()
    assert tasks.overdue_reminders(now=LATE) == 2
    mine = overdue_notes(target_id=assigned.pk)
    assert set(mine.values_list("recipient", flat=True)) == {manager_a.pk, tech_a.pk}
    note = mine.first()
    assert assigned.number in note.title and "超时" in note.title
    assert "2026-11-30 09:00" in note.body and "水电工甲" in note.body
    assert note.url == f"/maintenance/orders/{assigned.pk}/"
    assert set(overdue_notes(target_id=unassigned.pk).values_list("recipient", flat=True)) == {
        manager_a.pk
    }
    assert not overdue_notes(target_id__in=[finished.pk, later.pk]).exists()
    assert not overdue_notes(recipient=staff_x).exists()
    # Hourly runs the same day send nothing more; the next day the still-open ones again.
    assert tasks.overdue_reminders(now=LATE + dt.timedelta(hours=5)) == 0
    assert overdue_notes().count() == 3
    assert tasks.overdue_reminders(now=NEXT_DAY) == 2
    assert overdue_notes().count() == 6


def test_other_centers_managers_are_not_told(orders, agency_b, manager_a):
    manager_b = make_user(
        PersonFactory(agency=agency_b, name="乙维修管理员"), "maintenance_manager", username="mm_b"
    )
    tasks.overdue_reminders(now=LATE)
    assert not overdue_notes(recipient=manager_b).exists()
    assert overdue_notes(recipient=manager_a).count() == 2


def test_done_or_cancelled_orders_are_not_reminded(orders, staff_x, manager_a):
    assigned, unassigned, *_ = orders
    wo.work_order_cancel(actor=staff_x, order=unassigned, now=NOW)
    WorkOrder.objects.filter(pk=assigned.pk).update(status="merged", merged_into=unassigned)
    assert tasks.overdue_reminders(now=LATE) == 0


def test_command_and_task(orders, settings):
    # The command and the beat task use the real clock: make the orders long overdue.
    WorkOrder.objects.update(
        response_due_at=NOW - dt.timedelta(days=400), due_at=NOW - dt.timedelta(days=400)
    )
    out = io.StringIO()
    call_command("maintenance_overdue", stdout=out)
    assert "已发送 3 张" in out.getvalue()
    assert tasks.overdue_reminders_task.delay().get() == 0  # eager, once a day
    assert "maintenance.overdue_reminders" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
