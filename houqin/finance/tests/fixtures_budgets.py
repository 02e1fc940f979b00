"""Helpers of the budget and execution page tests: projects, expenditures, query counts."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.finance.models import Expenditure
from houqin.finance.services.budgets import project_save

SEP30 = dt.date(2021, 9, 30)
EVEN_PLAN = []
PLAN_B = ["0", "0", "10", "20", "30", "40", "40", "45", "50", "80", "90", "100"]


def make_project(center, code="A", amount="1000000", year=2021, **kwargs):
    return project_save(
        actor=None,
        center=center,
        year=year,
        code=code,
        name=kwargs.pop("name", f"项目{code}"),
        category="project",
        source="general",
        amount=Decimal(amount),
        **kwargs,
    )


def spend(center, project, day, amount, status=Expenditure.Status.RECORDED, **kwargs):
    """A row written directly (the example's figures, whatever the threshold)."""
    return Expenditure.objects.create(
        center=center,
        project=project,
        date=day,
        amount=Decimal(amount),
        payee=kwargs.pop("payee", "某公司"),
        purpose=kwargs.pop("purpose", "服务费"),
        status=status,
        **kwargs,
    )


def seed_example(center):
    """test_services.py's example: 900,000 of 1,200,000 spent by 30 September 2021 (75.00 %),
    50,000 on 1 October not counted. A is at 70 % (even plan 74.79 %), B at 100 % (plan 50 %)."""
    a = make_project(center, "A", "1000000", name="办公楼物业服务")
    b = make_project(center, "B", "200000", name="食堂设备更新", monthly_plan=PLAN_B)
    spend(center, a, dt.date(2021, 3, 1), 5000)
    spend(center, a, dt.date(2021, 6, 1), 690000)
    spend(center, a, dt.date(2021, 9, 30), 5000)
    spend(center, b, dt.date(2021, 5, 1), 200000)
    spend(center, a, dt.date(2021, 10, 1), 50000)
    return a, b


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)
