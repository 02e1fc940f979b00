"""Finance figures for the annual summary: budget total and execution rate at the period's
end, expenditures by project, assets held and procurement; None without data; constant
queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.finance import summary
from houqin.finance.models import Expenditure, FixedAsset, Procurement
from houqin.finance.services.budgets import project_save

pytestmark = pytest.mark.django_db
Y2021 = (dt.date(2021, 1, 1), dt.date(2021, 10, 1))  # through 30 September
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


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


def _spend(center, project, day, amount, status=Expenditure.Status.RECORDED):
    return Expenditure.objects.create(
        center=center,
        project=project,
        date=day,
        amount=amount,
        payee="x",
        purpose="y",
        status=status,
    )


def _asset(center, agency, code, value, bought, disposed=None):
    return FixedAsset.objects.create(
        center=center,
        code=code,
        name=code,
        asset_class="furniture",
        value=Decimal(value),
        purchase_date=bought,
        custodian_agency=agency,
        status="disposed" if disposed else "in_use",
        disposed_on=disposed,
    )


def _data(center_a, agency_x):
    a = _project(center_a, "A", "1000000")
    plan = ["0", "0", "10", "20", "30", "40", "40", "45", "50", "80", "90", "100"]
    b = _project(center_a, "B", "200000", monthly_plan=plan)
    _spend(center_a, a, dt.date(2021, 6, 1), 700000)
    _spend(center_a, b, dt.date(2021, 9, 30), 200000)
    _spend(center_a, None, dt.date(2021, 8, 1), 3000)  # 待归集
    _spend(center_a, a, dt.date(2021, 9, 1), 50000, Expenditure.Status.PENDING)  # not spent
    _spend(center_a, a, dt.date(2021, 10, 1), 50000)  # after the period
    _asset(center_a, agency_x, "Z1", "5000", dt.date(2019, 1, 1))
    _asset(center_a, agency_x, "Z2", "3000", dt.date(2021, 3, 1), disposed=dt.date(2021, 11, 1))
    _asset(center_a, agency_x, "Z3", "2000", dt.date(2018, 1, 1), disposed=dt.date(2021, 2, 1))
    _asset(center_a, agency_x, "Z4", "9000", dt.date(2021, 12, 1))  # bought after the period
    Procurement.objects.create(
        center=center_a,
        item="办公家具",
        method="inquiry",
        budget=Decimal("80000"),
        supplier="区家具厂",
        amount=Decimal("76500"),
        contract_date=dt.date(2021, 5, 1),
        status="contracted",
    )
    Procurement.objects.create(
        center=center_a, item="空调", method="framework", budget=Decimal("50000")
    )  # not contracted: not counted


def test_figures_hand_computed(center_a, agency_x):
    _data(center_a, agency_x)
    figures = summary.figures(center_a, *Y2021, now=NOW)
    assert figures["budget_year"] == 2021
    assert figures["budget_total"] == Decimal("1200000")
    assert figures["spent"] == Decimal("900000") and figures["execution_rate"] == Decimal("75.00")
    assert figures["time_pct"] == Decimal("74.79") and figures["behind_projects"] == 0
    assert figures["expenditures_total"] == Decimal("903000")
    assert [(r["code"], r["amount"]) for r in figures["expenditures_by_project"]] == [
        ("A", Decimal("700000")),
        ("B", Decimal("200000")),
        ("", Decimal("3000")),
    ]
    assert figures["expenditures_by_project"][2]["project_id"] is None
    assert figures["assets_count"] == 2 and figures["assets_value"] == Decimal("8000")
    assert figures["procurements"] == 1 and figures["procurement_amount"] == Decimal("76500")
    assert set(figures) <= set(summary.DEFINITIONS) | {"budget_year"}


def test_period_not_ended_is_taken_at_today(center_a, agency_x):
    _data(center_a, agency_x)
    now = dt.datetime(2021, 9, 30, 4, 0, tzinfo=dt.UTC)  # 30 September, noon in Shanghai
    figures = summary.figures(center_a, dt.date(2021, 1, 1), dt.date(2022, 1, 1), now=now)
    assert figures["execution_rate"] == Decimal("75.00")


def test_none_without_data(center_a, center_b, agency_x):
    _data(center_a, agency_x)
    figures = summary.figures(center_b, *Y2021, now=NOW)
    for key in (
        "budget_total",
        "execution_rate",
        "behind_projects",
        "expenditures_total",
        "expenditures_by_project",
        "assets_count",
        "assets_value",
        "procurements",
        "procurement_amount",
    ):
        assert figures[key] is None, key
    # Data exists but none in the period: zero, not None.
    later = summary.figures(center_a, dt.date(2022, 1, 1), dt.date(2022, 2, 1), now=NOW)
    assert later["procurements"] == 0 and later["assets_count"] == 2  # Z1 and Z4


def test_constant_queries(center_a, agency_x):
    with CaptureQueriesContext(connection) as empty:
        summary.figures(center_a, *Y2021, now=NOW)
    _data(center_a, agency_x)
    for i in range(10):
        project = _project(center_a, f"P{i}", "1000")
        _spend(center_a, project, dt.date(2021, 2, 1), 10)
    with CaptureQueriesContext(connection) as full:
        summary.figures(center_a, *Y2021, now=NOW)
    assert len(full.captured_queries) == len(empty.captured_queries) == 5
