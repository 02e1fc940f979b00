# ruff: noqa: F811  (fixtures imported from fixtures_costs are used as parameters)
"""Other modules' costs arrive in finance as expenditures through the finance service
(services.costs.cost_record), driven here only through those modules' own services: vehicle
fuel and repairs (fleet), completed work orders (maintenance), finished renovation projects
(space). Each lands on the project of its year collecting that kind, or stays unassigned."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from houqin.finance.execution import execution
from houqin.finance.models import CostKind, Expenditure
from houqin.finance.services.budgets import expenditure_cancel, project_save
from houqin.fleet import services as fleet
from houqin.maintenance.services import work_orders as wo
from houqin.space.services import estate

from .fixtures_costs import (  # noqa: F401
    dispatcher_a,
    maint_manager_a,
    space_manager_a,
    tech_a,
    vehicle_a,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _project(center, code, kind, amount="100000"):
    return project_save(
        actor=None,
        center=center,
        year=TODAY.year,
        code=code,
        name=f"项目{code}",
        category="basic",
        source="general",
        amount=Decimal(amount),
        cost_kind=kind,
    )


def _costs(label):
    return list(Expenditure.objects.filter(source_label=label).order_by("id"))


def test_fuel_and_repair_records_become_expenditures(center_a, dispatcher_a, vehicle_a):
    fuel_project = _project(center_a, "CL01", CostKind.VEHICLE_FUEL)
    fuel = fleet.fuel_record_add(
        actor=dispatcher_a,
        vehicle=vehicle_a,
        date=TODAY,
        liters=40,
        cost="312.80",
        station="中石化城东站",
    )
    repair = fleet.repair_record_add(
        actor=dispatcher_a,
        vehicle=vehicle_a,
        kind="repair",
        date=TODAY,
        shop="区汽修厂",
        description="更换刹车片",
        cost=800,
    )
    [fuel_cost] = _costs("fleet.fuelrecord")
    assert (fuel_cost.source_id, fuel_cost.amount) == (fuel.pk, Decimal("312.80"))
    assert fuel_cost.cost_kind == CostKind.VEHICLE_FUEL and fuel_cost.project == fuel_project
    assert fuel_cost.status == Expenditure.Status.RECORDED and fuel_cost.payee == "中石化城东站"
    assert fuel_cost.center_id == center_a.pk and fuel_cost.recorded_by == dispatcher_a
    [repair_cost] = _costs("fleet.repairrecord")
    # No project collects vehicle repairs this year: the cost waits to be assigned (待归集).
    assert (repair_cost.source_id, repair_cost.amount) == (repair.pk, Decimal("800.00"))
    assert repair_cost.project is None and repair_cost.cost_kind == CostKind.VEHICLE_REPAIR
    assert "刹车片" in repair_cost.purpose and repair_cost.payee == "区汽修厂"
    report = execution(center_a.pk, TODAY.year, TODAY)
    assert report.total.spent == Decimal("312.80") and report.unassigned == Decimal("800.00")


def test_large_module_cost_needs_no_second_approval(center_a, dispatcher_a, vehicle_a):
    """A repair above the approval threshold has been through fleet already: recorded."""
    fleet.repair_record_add(
        actor=dispatcher_a,
        vehicle=vehicle_a,
        kind="insurance",
        date=TODAY,
        shop="人保财险",
        description="交强险+商业险",
        cost=24000,
    )
    [cost] = _costs("fleet.repairrecord")
    assert cost.status == Expenditure.Status.RECORDED and cost.amount == Decimal("24000.00")


def test_free_fuel_records_no_expenditure(dispatcher_a, vehicle_a):
    fleet.fuel_record_add(
        actor=dispatcher_a, vehicle=vehicle_a, date=TODAY, liters=10, cost=0, station="中石化城东站"
    )
    assert not Expenditure.objects.exists()


def test_bad_fleet_input_writes_no_expenditure(dispatcher_a, vehicle_a):
    with pytest.raises(ValidationError):
        fleet.fuel_record_add(
            actor=dispatcher_a, vehicle=vehicle_a, date=TODAY, liters=0, cost=100, station="x"
        )
    with pytest.raises(ValidationError):
        fleet.repair_record_add(
            actor=dispatcher_a,
            vehicle=vehicle_a,
            kind="repair",
            date=TODAY,
            shop="区汽修厂",
            description="换胎",
            cost=-5,
        )
    assert not Expenditure.objects.exists()


def _finished_order(staff, manager, tech, *, vendor=""):
    order = wo.work_order_report(
        actor=staff, category="water", description="卫生间水龙头漏水", building="A座"
    )
    if vendor:
        wo.work_order_assign(actor=manager, order=order, vendor_name=vendor)
    else:
        wo.work_order_assign(actor=manager, order=order, assignee=tech)
    wo.work_order_start(actor=manager if vendor else tech, order=order)
    wo.work_order_add_material(
        actor=manager if vendor else tech,
        order=order,
        name="水龙头",
        quantity=2,
        unit_price="45.50",
    )
    # Not finished yet: nothing reaches finance.
    assert not _costs("maintenance.workorder")
    return wo.work_order_finish(
        actor=manager if vendor else tech, order=order, note="更换水龙头", labor_cost=50
    )


def test_completed_work_order_cost_and_later_changes(center_a, staff_x, maint_manager_a, tech_a):
    project = _project(center_a, "WX01", CostKind.MAINTENANCE)
    order = _finished_order(staff_x, maint_manager_a, tech_a)
    [cost] = _costs("maintenance.workorder")
    assert (cost.source_id, cost.amount) == (order.pk, Decimal("141.00"))  # 50 + 2 × 45.50
    assert cost.project == project and cost.cost_kind == CostKind.MAINTENANCE
    assert cost.payee == "水电工甲" and order.number in cost.purpose
    assert cost.date == timezone.localdate(order.finished_at)
    # A material added after completion updates the same expenditure.
    wo.work_order_add_material(
        actor=tech_a, order=order, name="密封圈", quantity=1, unit_price="9.00"
    )
    wo.work_order_confirm(actor=staff_x, order=order, rating=5)
    wo.work_order_close(actor=maint_manager_a, order=order)
    [cost] = _costs("maintenance.workorder")
    assert cost.amount == Decimal("150.00")
    assert Expenditure.objects.count() == 1


def test_vendor_work_order_pays_the_vendor(center_a, staff_x, maint_manager_a, tech_a):
    _finished_order(staff_x, maint_manager_a, tech_a, vendor="区水电安装公司")
    [cost] = _costs("maintenance.workorder")
    assert cost.payee == "区水电安装公司" and cost.project is None


def test_module_cost_is_changed_only_in_its_module(center_a, staff_x, maint_manager_a, tech_a):
    _finished_order(staff_x, maint_manager_a, tech_a)
    [cost] = _costs("maintenance.workorder")
    with pytest.raises(ValidationError, match="原模块"):
        expenditure_cancel(actor=None, expenditure=cost)


def test_finished_renovation_project_cost(center_a, space_manager_a):
    last_year = dt.date(TODAY.year - 1, 12, 20)
    project_save(
        actor=None,
        center=center_a,
        year=TODAY.year - 1,
        code="GZ01",
        name="维修改造项目",
        category="project",
        source="special",
        amount=Decimal("800000"),
        cost_kind=CostKind.RENOVATION,
    )
    this_year = _project(center_a, "GZ01", CostKind.RENOVATION)
    project = estate.project_create(
        actor=space_manager_a,
        center=center_a,
        title="报告厅改造",
        budget="650000",
        contractor="区装饰公司",
        start_date=str(last_year - dt.timedelta(days=60)),
    )
    # In progress: no cost yet.
    estate.project_progress(actor=space_manager_a, project=project, progress=50, note="过半")
    assert not Expenditure.objects.exists()
    estate.project_complete(
        actor=space_manager_a, project=project, finish_date=str(last_year), final_cost="608100"
    )
    [cost] = _costs("space.renovationproject")
    assert cost.amount == Decimal("608100.00") and cost.date == last_year
    assert cost.payee == "区装饰公司" and "报告厅改造" in cost.purpose
    # It lands on last year's renovation project, not on this year's.
    assert cost.project.year == TODAY.year - 1 and cost.project != this_year
    assert cost.cost_kind == CostKind.RENOVATION


def test_failed_completion_writes_no_expenditure(center_a, space_manager_a):
    project = estate.project_create(
        actor=space_manager_a, center=center_a, title="食堂改造", budget="100000"
    )
    with pytest.raises(ValidationError):
        estate.project_complete(
            actor=space_manager_a, project=project, finish_date=str(TODAY), final_cost="-1"
        )
    assert not Expenditure.objects.exists()


def test_costs_stay_in_their_center(center_a, center_b, dispatcher_a, vehicle_a):
    _project(center_a, "CL01", CostKind.VEHICLE_FUEL)
    other = _project(center_b, "CL01", CostKind.VEHICLE_FUEL)
    fleet.fuel_record_add(
        actor=dispatcher_a, vehicle=vehicle_a, date=TODAY, liters=40, cost=300, station="中石化"
    )
    [cost] = _costs("fleet.fuelrecord")
    assert cost.center_id == center_a.pk and cost.project.center_id == center_a.pk
    assert not other.expenditures.exists()
