"""The scale dataset of 维修 (houqin/maintenance/scale.py) on a small district (60 staff)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.finance.models import Expenditure
from houqin.maintenance import summary
from houqin.maintenance.models import Equipment, Finding, MaterialUse, WorkOrder, WorkOrderEvent
from houqin.org.models import OrgUnit, User

pytestmark = pytest.mark.django_db
S = WorkOrder.Status
YEAR_START = dt.date(2025, 1, 1)


def test_scale_year(client):
    """One seed (the command is the slow part), every check on it."""
    call_command("seed_scale", staff=60, year=2025, only="maintenance", verbosity=0)
    center = OrgUnit.objects.get(code="SCALE-1")
    _volumes_and_states(center)
    _derived_values_hold(center)
    _preventive_plans_and_inspections(center)
    _figures_and_board(center, client)
    _no_row_stamped_with_the_run(center)


def _volumes_and_states(center):
    orders = WorkOrder.objects.filter(center=center)
    # 10,000 orders at 3,000 staff → 200 at 60; 500 pieces of equipment → one of each kind.
    assert orders.count() == 200
    assert 10 <= Equipment.objects.filter(center=center).count() <= 20
    technician = User.objects.get(username="s1tech01")
    assert technician.has_perm("maintenance.work_workorder")
    assert technician.person.section.code == "WYG"
    closed = orders.filter(status=S.CLOSED).count()
    assert closed >= 170  # a year that is over: nearly everything is closed
    assert orders.filter(status__in=(S.NEW, S.ASSIGNED, S.IN_PROGRESS)).count() <= 10
    # Reported over the year, in the year.
    months = orders.dates("created_at", "month")
    assert len(months) >= 10
    assert not orders.filter(created_at__year__lt=2025).exists()


def _derived_values_hold(center):
    orders = WorkOrder.objects.filter(center=center)
    # The number is WX<year><pk>, like the service writes it.
    assert all(o.number == f"WX2025{o.pk:06d}" for o in orders)
    # Material cost is the sum of the materials.
    sums = dict(
        MaterialUse.objects.filter(order__center=center)
        .values("order")
        .annotate(s=Sum("amount"))
        .values_list("order", "s")
    )
    for order in orders:
        assert order.material_cost == sums.get(order.pk, Decimal("0.00"))
    # Completed orders have a note, timestamps in order, and their cost in finance.
    done = orders.filter(status__in=(S.DONE, S.CONFIRMED, S.CLOSED))
    assert not done.filter(completion_note="").exists()
    assert not done.filter(finished_at__lt=F("created_at")).exists()
    assert not done.filter(started_at__gt=F("finished_at")).exists()
    assert not orders.filter(status=S.CLOSED, closed_at__lt=F("finished_at")).exists()
    costed = done.filter(Q(labor_cost__gt=0) | Q(material_cost__gt=0))
    spent = Expenditure.objects.filter(center_id=center.pk, source_label="maintenance.workorder")
    assert spent.count() == costed.count()
    assert spent.aggregate(s=Sum("amount"))["s"] == sum(o.total_cost for o in costed)
    # Every order has its report event, and its last event leads to its status.
    events = WorkOrderEvent.objects.filter(order__center=center)
    assert events.filter(action="report").count() == orders.count()
    for order in orders.filter(status__in=(S.CLOSED, S.CANCELLED, S.MERGED)):
        last = order.events.exclude(action="report").order_by("at", "id").last()
        assert last.to_status == order.status
    assert not orders.filter(status=S.MERGED, merged_into__isnull=True).exists()


def _preventive_plans_and_inspections(center):
    plans = DutyPlan.objects.filter(center=center)
    assert plans.filter(category=DutyPlan.Category.MAINTENANCE).exists()
    assert plans.filter(category=DutyPlan.Category.SAFETY_INSPECTION).count() == 6
    tasks = DutyTask.objects.filter(center=center)
    # Monthly inspection rounds: 12 a year each.
    assert tasks.filter(category=DutyPlan.Category.SAFETY_INSPECTION).count() == 72
    assert not tasks.filter(status=DutyTask.Status.DONE, completed_at__isnull=True).exists()
    assert (
        tasks.filter(status=DutyTask.Status.DONE).count()
        == DutyRecord.objects.filter(center=center).count()
    )
    # Findings come from failed inspection records.
    with_failures = DutyRecord.objects.filter(center=center).exclude(failed_items=[]).count()
    assert Finding.objects.filter(center=center).count() == with_failures


def _figures_and_board(center, client):
    figures = summary.figures(center, YEAR_START, dt.date(2025, 12, 31))
    assert 180 <= figures["repairs_received"] <= 200
    assert figures["repairs_completed"] >= 170
    assert 0 < figures["avg_response_hours"] < 8
    assert 0 < figures["avg_completion_hours"] < 40
    assert 75 <= figures["within_sla_pct"] <= 100
    assert 3.8 <= figures["rating_avg"] <= 5
    assert figures["spending_total"] > 0
    assert figures["preventive_due"] > 0 and figures["preventive_on_time_pct"] > 70
    assert figures["inspections_done"] > 60
    by_category = {row["category"]: row["count"] for row in figures["repairs_by_category"]}
    assert by_category["electric"] > by_category["elevator"]
    client.force_login(User.objects.get(username="s1maintenance"))
    assert client.get(reverse("maintenance:order_list")).status_code == 200
    assert client.get(reverse("maintenance:board")).status_code == 200


def _no_row_stamped_with_the_run(center):
    assert not WorkOrder.objects.filter(center=center, created_at__year__gt=2025).exists()
    assert not DutyTask.objects.filter(center=center, created_at__year__gt=2025).exists()
    assert (
        WorkOrder.objects.filter(center=center)
        .values("created_at__month")
        .annotate(n=Count("pk"))
        .count()
        == 12
    )
