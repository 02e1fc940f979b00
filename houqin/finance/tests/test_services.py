"""Budget execution on a hand-computed example at 30 September, the approval threshold, and
other modules' costs through the finance service."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.services import approval_approve
from houqin.finance.execution import execution, planned, time_progress
from houqin.finance.models import Expenditure
from houqin.finance.services.budgets import expenditure_record, project_save
from houqin.finance.services.costs import cost_record

pytestmark = pytest.mark.django_db
SEP30 = dt.date(2021, 9, 30)


def _project(center, code, amount, **kwargs):
    return project_save(
        actor=None,
        center=center,
        year=2021,
        code=code,
        name=f"项目{code}",
        category="project",
        source="general",
        amount=Decimal(amount),
        **kwargs,
    )


def _spend(center, project, day, amount):
    return expenditure_record(
        actor=None,
        center=center,
        project=project,
        date=day,
        amount=Decimal(amount),
        payee="某公司",
        purpose="服务费",
    )


def test_execution_rate_at_30_september(center_a):
    """Budget 1,000,000 + 200,000; spent 700,000 + 200,000 by 30 September (and 50,000 on
    1 October, not counted): 900,000 ÷ 1,200,000 = 75.00 %. Time progress: 273 ÷ 365 =
    74.79 %. Project A planned evenly (74.79 %) is at 70 %: within 5 points. Project B's plan
    says 50 % by the end of September: at 100 % it is ahead."""
    a = _project(center_a, "A", "1000000")
    plan = ["0", "0", "10", "20", "30", "40", "40", "45", "50", "80", "90", "100"]
    b = _project(center_a, "B", "200000", monthly_plan=plan)
    for day, amount in ((dt.date(2021, 3, 1), 5000), (dt.date(2021, 9, 30), 5000)):
        _spend(center_a, a, day, amount)  # below the 10,000 threshold: recorded at once
    Expenditure.objects.create(
        center=center_a, project=a, date=dt.date(2021, 6, 1), amount=690000, payee="x", purpose="y"
    )
    Expenditure.objects.create(
        center=center_a, project=b, date=dt.date(2021, 5, 1), amount=200000, payee="x", purpose="y"
    )
    Expenditure.objects.create(
        center=center_a, project=a, date=dt.date(2021, 10, 1), amount=50000, payee="x", purpose="y"
    )
    result = execution(center_a.pk, 2021, SEP30)
    assert result.total.rate == Decimal("75.00")
    assert result.time_pct == time_progress(SEP30) == Decimal("74.79")
    line_a, line_b = result.lines
    assert (line_a.spent, line_a.rate, line_a.plan_pct) == (
        Decimal("700000"),
        Decimal("70.00"),
        Decimal("74.79"),
    )
    assert not line_a.behind
    assert line_b.plan_pct == Decimal("50.00") and line_b.rate == Decimal("100.00")
    assert planned(b, dt.date(2021, 10, 15)) == Decimal("64.52")  # 50 + 30 × 15/31


def test_project_behind_plan_is_flagged(center_a):
    a = _project(center_a, "A", "100000")
    _spend(center_a, a, dt.date(2021, 2, 1), 5000)
    line = execution(center_a.pk, 2021, SEP30).lines[0]
    assert line.rate == Decimal("5.00") and line.behind


def test_expenditure_at_the_threshold_needs_approval(center_a, finance_a, leader_a):
    project = _project(center_a, "A", "100000")
    small = _spend_as(finance_a, project, "9999.99")
    assert small.status == Expenditure.Status.RECORDED
    big = _spend_as(finance_a, project, "10000.00")
    assert big.status == Expenditure.Status.PENDING
    approval = ApprovalRequest.objects.get(request_type="finance.expenditure", object_id=big.pk)
    assert execution(center_a.pk, 2021, SEP30).lines[0].spent == Decimal("9999.99")
    assert execution(center_a.pk, 2021, SEP30).lines[0].pending == Decimal("10000.00")
    approval_approve(actor=leader_a, approval=approval)
    big.refresh_from_db()
    assert big.status == Expenditure.Status.RECORDED
    assert execution(center_a.pk, 2021, SEP30).lines[0].spent == Decimal("19999.99")


def _spend_as(actor, project, amount):
    return expenditure_record(
        actor=actor,
        center=actor.center,
        project=project,
        date=dt.date(2021, 5, 1),
        amount=Decimal(amount),
        payee="某公司",
        purpose="服务费",
    )


def test_bad_amount_writes_nothing(center_a, finance_a):
    project = _project(center_a, "A", "100000")
    with pytest.raises(ValidationError, match="金额必须大于 0"):
        _spend_as(finance_a, project, "-5")
    with pytest.raises(ValidationError, match="两位小数"):
        _spend_as(finance_a, project, "1.234")
    assert not Expenditure.objects.exists()


def test_other_centers_officer_may_not_record(center_a, finance_b):
    project = _project(center_a, "A", "100000")
    with pytest.raises(PermissionDenied):
        expenditure_record(
            actor=finance_b,
            center=center_a,
            project=project,
            date=dt.date(2021, 5, 1),
            amount=Decimal(10),
            payee="x",
            purpose="y",
        )


def test_module_costs_arrive_through_the_finance_service(center_a):
    fuel = _project(center_a, "F", "50000", cost_kind="vehicle_fuel")
    kwargs = {
        "center_id": center_a.pk,
        "kind": "vehicle_fuel",
        "source_label": "fleet.fuelrecord",
        "source_id": 7,
        "payee": "中石化",
        "purpose": "加油",
    }
    first = cost_record(date=dt.date(2021, 4, 2), amount=Decimal("320.50"), **kwargs)
    assert (first.project, first.status, first.amount) == (fuel, "recorded", Decimal("320.50"))
    again = cost_record(date=dt.date(2021, 4, 2), amount=Decimal("300"), **kwargs)
    assert again.pk == first.pk and Expenditure.objects.count() == 1
    assert execution(center_a.pk, 2021, SEP30).lines[0].spent == Decimal("300")
    assert cost_record(date=dt.date(2021, 4, 2), amount=0, **kwargs) is None
    assert not Expenditure.objects.exists()
    # No project collects repairs in 2021: unassigned (待归集).
    repair = cost_record(
        center_id=center_a.pk,
        kind="vehicle_repair",
        source_label="fleet.repairrecord",
        source_id=1,
        date=dt.date(2021, 4, 2),
        amount=Decimal("800"),
        payee="修理厂",
        purpose="维修",
    )
    assert repair.project is None
    assert execution(center_a.pk, 2021, SEP30).unassigned == Decimal("800")
