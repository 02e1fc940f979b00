"""The finance API: projects with spent and rate, expenditures (list, filters, POST through
the service with the approval threshold, bad input), the execution at a date, assets and
procurement; scoping (center B gets 404, staff 403) and constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from houqin.core.approvals.models import ApprovalRequest
from houqin.finance.models import Expenditure, FixedAsset, Procurement
from houqin.finance.services.budgets import expenditure_record, project_save

pytestmark = pytest.mark.django_db
SEP30 = dt.date(2021, 9, 30)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _project(center, code="A", amount="1000000", year=2021, **kwargs):
    return project_save(
        actor=None,
        center=center,
        year=year,
        code=code,
        name=f"项目{code}",
        category="project",
        source="general",
        amount=Decimal(amount),
        **kwargs,
    )


def _spend(center, project, day, amount, actor=None):
    return expenditure_record(
        actor=actor,
        center=center,
        project=project,
        date=day,
        amount=Decimal(amount),
        payee="某公司",
        purpose="服务费",
    )


def _asset(center, agency, code, value="5000", **kwargs):
    return FixedAsset.objects.create(
        center=center,
        code=code,
        name=f"资产{code}",
        asset_class="equipment",
        value=Decimal(value),
        purchase_date=dt.date(2020, 1, 1),
        custodian_agency=agency,
        **kwargs,
    )


def test_anonymous_is_refused():
    assert api().get("/api/v1/finance/projects/").status_code == 401


def test_projects_with_spent_and_rate(finance_a, leader_a, center_a):
    project = _project(center_a, amount="200000")
    _spend(center_a, project, dt.date(2021, 3, 1), "5000")
    _spend(center_a, project, dt.date(2021, 4, 1), "45000", finance_a)  # ≥ 10,000: pending
    response = api(finance_a).get("/api/v1/finance/projects/", {"year": 2021})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["code"] == "A" and row["amount"] == "200000.00"
    assert row["spent"] == "5000.00" and row["pending"] == "45000.00" and row["rate"] == "2.50"
    detail = api(finance_a).get(f"/api/v1/finance/projects/{project.pk}/")
    assert detail.json()["spent"] == "5000.00"
    assert api(finance_a).get("/api/v1/finance/projects/", {"year": 2022}).json()["count"] == 0


def test_post_expenditure_below_threshold_is_recorded(finance_a, center_a):
    project = _project(center_a, year=2026)
    response = api(finance_a).post(
        "/api/v1/finance/expenditures/",
        {
            "project": project.pk,
            "date": "2026-11-20",
            "amount": "3200.50",
            "payee": "区印刷厂",
            "purpose": "印制材料",
            "voucher_no": "记-112",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "recorded" and data["amount"] == "3200.50"
    assert data["project"] == {"id": project.pk, "name": str(project)}
    assert data["recorded_by"]["id"] == finance_a.pk
    assert not ApprovalRequest.objects.exists()


def test_post_expenditure_above_threshold_waits_for_approval(finance_a, center_a, leader_a):
    response = api(finance_a).post(
        "/api/v1/finance/expenditures/",
        {"date": "2026-11-20", "amount": "10000", "payee": "区物业公司", "purpose": "物业费"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and response.json()["project"] is None
    expenditure = Expenditure.objects.get()
    approval = ApprovalRequest.objects.get()
    assert approval.object_id == expenditure.pk and approval.request_type == "finance.expenditure"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "必须大于 0"),
        ({"amount": "12.345"}, "amount", "两位小数"),
        ({"amount": "abc"}, "amount", "必须是数字"),
        ({"payee": "  "}, "payee", "不能为空"),
        ({"date": "2025-12-31"}, "date", "所属年度"),
        ({"project": 999999}, "project", "预算项目不存在"),
    ],
)
def test_post_expenditure_bad_input(finance_a, center_a, payload, field, message):
    project = _project(center_a, year=2026)
    body = {
        "project": project.pk,
        "date": "2026-11-20",
        "amount": "100",
        "payee": "某公司",
        "purpose": "用途",
        **payload,
    }
    response = api(finance_a).post("/api/v1/finance/expenditures/", body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Expenditure.objects.exists()


def test_post_expenditure_refusals(finance_a, finance_b, admin_a, staff_x, center_a):
    body = {"date": "2026-11-20", "amount": "100", "payee": "x", "purpose": "y"}
    # An administrator and a leader read, only finance officers write; staff see nothing.
    assert api(admin_a).post("/api/v1/finance/expenditures/", body).status_code == 403
    assert api(staff_x).post("/api/v1/finance/expenditures/", body).status_code == 403
    assert api(staff_x).get("/api/v1/finance/expenditures/").status_code == 403
    # Another center's project is "not found" for center B's finance officer.
    project = _project(center_a, year=2026)
    response = api(finance_b).post(
        "/api/v1/finance/expenditures/", {**body, "project": project.pk}, format="json"
    )
    assert response.status_code == 400 and "project" in response.json()
    assert not Expenditure.objects.exists()


def test_expenditure_filters_and_scoping(
    finance_a, finance_b, admin_a, leader_a, center_a, center_b
):
    project = _project(center_a, year=2026)
    a = _spend(center_a, project, dt.date(2026, 3, 1), "100")
    b = _spend(center_a, None, dt.date(2026, 5, 1), "200")
    c = _spend(center_a, project, dt.date(2026, 7, 1), "20000", finance_a)  # pending
    other = _spend(center_b, None, dt.date(2026, 5, 1), "300")
    client = api(finance_a)

    def ids(**query):
        response = client.get("/api/v1/finance/expenditures/", query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [c.pk, b.pk, a.pk]
    assert ids(project=project.pk) == [c.pk, a.pk]
    assert ids(unassigned="true") == [b.pk]
    assert ids(status="pending") == [c.pk]
    assert ids(date_from="2026-04-01", date_to="2026-06-30") == [b.pk]
    assert api(admin_a).get("/api/v1/finance/expenditures/").json()["count"] == 3
    assert client.get(f"/api/v1/finance/expenditures/{other.pk}/").status_code == 404
    assert api(finance_b).get(f"/api/v1/finance/expenditures/{a.pk}/").status_code == 404
    assert api(finance_b).get(f"/api/v1/finance/projects/{project.pk}/").status_code == 404


def test_execution_at_30_september(finance_a, leader_a, staff_x, center_a):
    """The hand-computed example: 900,000 ÷ 1,200,000 = 75.00 % at 30 September 2021."""
    a = _project(center_a, "A", "1000000")
    plan = ["0", "0", "10", "20", "30", "40", "40", "45", "50", "80", "90", "100"]
    b = _project(center_a, "B", "200000", monthly_plan=plan)
    for project, amount in ((a, "700000"), (b, "200000")):
        Expenditure.objects.create(
            center=center_a, project=project, date=SEP30, amount=amount, payee="x", purpose="y"
        )
    Expenditure.objects.create(
        center=center_a, project=a, date=dt.date(2021, 10, 1), amount=50000, payee="x", purpose="y"
    )
    response = api(leader_a).get("/api/v1/finance/execution/", {"date": "2021-09-30"})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2021 and data["date"] == "2021-09-30"
    assert data["time_pct"] == "74.79"
    assert data["total"]["rate"] == "75.00" and data["total"]["spent"] == "900000.00"
    assert data["total"]["project"] is None
    [line_a, line_b] = data["projects"]
    assert line_a["project"]["id"] == a.pk and line_a["rate"] == "70.00"
    assert line_a["behind"] is False and line_b["plan_pct"] == "50.00"
    assert line_b["rate"] == "100.00" and line_b["remaining"] == "0.00"
    bad = api(finance_a).get("/api/v1/finance/execution/", {"date": "30/09/2021"})
    assert bad.status_code == 400 and "date" in bad.json()
    assert api(staff_x).get("/api/v1/finance/execution/").status_code == 403


def test_assets_and_procurements(finance_a, finance_b, agency_x, center_a):
    asset = _asset(center_a, agency_x, "ZC-001", location="三楼")
    _asset(center_a, agency_x, "ZC-002", status="idle")
    procurement = Procurement.objects.create(
        center=center_a,
        item="办公家具",
        method="inquiry",
        budget=Decimal("80000"),
        supplier="区家具厂",
        amount=Decimal("76500"),
        contract_date=dt.date(2026, 5, 1),
        status="contracted",
    )
    response = api(finance_a).get("/api/v1/finance/assets/", {"status": "in_use"})
    [row] = response.json()["results"]
    assert row["code"] == "ZC-001" and row["value"] == "5000.00"
    assert row["custodian_agency"]["id"] == agency_x.pk and row["location"] == "三楼"
    response = api(finance_a).get("/api/v1/finance/procurements/", {"method": "inquiry"})
    [row] = response.json()["results"]
    assert row["item"] == "办公家具" and row["amount"] == "76500.00"
    assert api(finance_b).get(f"/api/v1/finance/assets/{asset.pk}/").status_code == 404
    url = f"/api/v1/finance/procurements/{procurement.pk}/"
    assert api(finance_b).get(url).status_code == 404
    assert api(finance_a).get(url).status_code == 200


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_lists_run_a_constant_number_of_queries(finance_a, center_a, agency_x):
    client = api(finance_a)
    urls = [
        "/api/v1/finance/projects/",
        "/api/v1/finance/expenditures/",
        "/api/v1/finance/assets/",
        "/api/v1/finance/procurements/",
        "/api/v1/finance/execution/?date=2026-11-26",
    ]

    def add(n, start):
        for i in range(start, start + n):
            project = _project(center_a, f"P{i:02}", year=2026)
            _spend(center_a, project, dt.date(2026, 3, 1), "100")
            _asset(center_a, agency_x, f"ZC-{i:03}")
            Procurement.objects.create(
                center=center_a, item=f"采购{i}", method="self", budget=Decimal("1000")
            )

    add(2, 0)
    [_count(client, url) for url in urls]  # warm the permission cache
    few = [_count(client, url) for url in urls]
    add(18, 2)
    assert [_count(client, url) for url in urls] == few
