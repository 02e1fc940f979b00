"""Budget project and expenditure pages: a project created and edited through the forms with
its monthly plan (12 cumulative percentages), expenditures recorded below the threshold (at
once) and at it (pending: an approval request, not spent until the leader approves through the
approvals page), bad input (422, Chinese message, nothing written), cancelling, assigning to a
project, the filters (待归集 ?project=none) and xlsx exports, the settings, scoping (center B's
finance officer gets 404), permissions (staff 403, the leader reads only), constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.finance.execution import execution
from houqin.finance.models import BudgetProject, Expenditure, FinanceSettings

from .fixtures_budgets import count_queries, make_project, spend

pytestmark = pytest.mark.django_db
YEAR = 2026
DAY = dt.date(2026, 11, 20)


def url(name, *args):
    return reverse(f"finance:{name}", args=args)


PROJECT = {
    "year": "2026",
    "code": "2026-001",
    "name": "办公区物业服务",
    "category": "project",
    "source": "general",
    "amount": "1200000",
    "responsible": "",
    "cost_kind": "",
    "notes": "全年物业服务合同",
}


def expenditure_data(project, amount="5000", **kw):
    data = {
        "project": str(project.pk) if project else "",
        "date": "2026-11-20",
        "amount": amount,
        "payee": "某物业公司",
        "purpose": "11月物业服务费",
        "voucher_no": "记-1120",
    }
    data.update(kw)
    return data


def spent(project, day=DAY):
    return execution(project.center_id, project.year, day).lines[0].spent


# ------------------------------------------------------------------ projects


def test_finance_officer_creates_edits_and_plans_a_project(client, finance_a, center_a):
    client.force_login(finance_a)
    response = client.get(url("project_create") + "?year=2026")
    assert response.status_code == 200
    response = client.post(url("project_create"), {**PROJECT, "responsible": finance_a.pk})
    project = BudgetProject.objects.get()
    assert response.status_code == 302
    assert response.url == url("project_detail", project.pk)
    assert (project.center, project.amount, project.responsible) == (
        center_a,
        Decimal("1200000"),
        finance_a,
    )
    response = client.post(url("project_edit", project.pk), {**PROJECT, "amount": "1500000"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.amount == Decimal("1500000")

    plan = ["5", "10", "20", "30", "40", "50", "55", "60", "70", "80", "90", "100"]
    response = client.post(
        url("project_plan", project.pk),
        {f"m{m}": v for m, v in zip(range(1, 13), plan, strict=True)},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.monthly_plan == plan
    # Editing the project keeps the plan.
    client.post(url("project_edit", project.pk), {**PROJECT, "amount": "1500000"})
    project.refresh_from_db()
    assert project.monthly_plan == plan
    html = client.get(url("project_detail", project.pk)).content.decode()
    assert "分月支出计划（累计%）" in html and 'value="55"' in html
    # All empty: an even spread again.
    response = client.post(url("project_plan", project.pk), {f"m{m}": "" for m in range(1, 13)})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.monthly_plan == []


def test_bad_plan_is_refused(client, finance_a, center_a):
    project = make_project(center_a, year=YEAR)
    client.force_login(finance_a)
    plan = {f"m{m}": str(m * 10) for m in range(1, 13)}
    plan["m5"] = "10"  # decreasing
    response = client.post(url("project_plan", project.pk), plan)
    assert response.status_code == 422
    assert "分月支出计划是累计数，不能减少。" in response.content.decode()
    plan = {f"m{m}": "50" for m in range(1, 13)}
    response = client.post(url("project_plan", project.pk), plan)
    assert response.status_code == 422
    assert "12 月的累计支出计划应为 100%。" in response.content.decode()
    project.refresh_from_db()
    assert project.monthly_plan == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "-5"}, "预算金额必须大于 0。"),
        ({"amount": "abc"}, "预算金额必须是数字。"),
        ({"name": ""}, "请填写项目名称。"),
        ({"category": ""}, "请选择支出类别。"),
        ({"year": "1999"}, "年度须在 2000—2100 之间。"),
    ],
)
def test_bad_project_input_writes_nothing(client, finance_a, change, message):
    client.force_login(finance_a)
    response = client.post(url("project_create"), {**PROJECT, **change})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not BudgetProject.objects.exists()


def test_duplicate_code_in_a_year_is_refused(client, finance_a, center_a):
    make_project(center_a, code="2026-001", year=YEAR)
    client.force_login(finance_a)
    response = client.post(url("project_create"), PROJECT)
    assert response.status_code == 422
    assert "本年度已有编码为 2026-001 的项目。" in response.content.decode()
    assert BudgetProject.objects.count() == 1


def test_project_list_shows_spent_and_exports(client, finance_a, center_a):
    a = make_project(center_a, "A", "100000", year=YEAR, name="物业服务")
    make_project(center_a, "B", "50000", year=2025, name="旧项目")
    spend(center_a, a, DAY, 25000)
    spend(center_a, a, DAY, 40000, status=Expenditure.Status.PENDING)
    client.force_login(finance_a)
    response = client.get(url("project_list"), {"year": "2026"})
    html = response.content.decode()
    assert "物业服务" in html and "旧项目" not in html
    assert "25,000.00 元" in html and "25.00%" in html
    response = client.get(url("project_list"), {"year": "2026"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and "物业服务" in response.content.decode()
    response = client.get(url("project_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


def test_project_detail_shows_execution_and_expenditures(client, finance_a, center_a):
    project = make_project(center_a, "A", "100000", year=2021)
    spend(center_a, project, dt.date(2021, 2, 1), 5000, payee="甲公司")
    client.force_login(finance_a)
    response = client.get(url("project_detail", project.pk))
    html = response.content.decode()
    assert response.context["line"].rate == Decimal("5.00")  # at 2021-12-31: plan 100 %
    assert "data-behind>滞后</span>" in html
    assert "甲公司" in html


# ------------------------------------------------------------------ expenditures


def test_expenditure_below_the_threshold_is_recorded_at_once(client, finance_a, center_a):
    project = make_project(center_a, year=YEAR)
    client.force_login(finance_a)
    response = client.get(url("expenditure_create") + f"?project={project.pk}")
    html = response.content.decode()
    assert "金额达到 10,000.00 元，提交后须经中心领导审批" in html
    assert response.context["form"].initial["project"] == project.pk
    response = client.post(url("expenditure_create"), expenditure_data(project, "9999.99"))
    expenditure = Expenditure.objects.get()
    assert response.status_code == 302
    assert response.url == url("expenditure_detail", expenditure.pk)
    assert (expenditure.status, expenditure.recorded_by) == ("recorded", finance_a)
    assert not ApprovalRequest.objects.exists()
    assert spent(project) == Decimal("9999.99")
    html = client.get(response.url).content.decode()
    assert "已登记支出。" in html and "已入账" in html and "手工登记" in html


def test_expenditure_at_the_threshold_waits_for_the_leader(client, finance_a, leader_a, center_a):
    project = make_project(center_a, year=YEAR)
    client.force_login(finance_a)
    response = client.post(url("expenditure_create"), expenditure_data(project, "10000.00"))
    expenditure = Expenditure.objects.get()
    assert expenditure.status == Expenditure.Status.PENDING
    approval = ApprovalRequest.objects.get(
        request_type="finance.expenditure", object_id=expenditure.pk
    )
    assert spent(project) == 0
    html = client.get(response.url).content.decode()
    assert "已提交中心领导审批" in html
    assert reverse("approvals:detail", args=[approval.pk]) in html
    assert "审批中" in html

    client.force_login(leader_a)
    response = client.post(
        reverse("approvals:decide", args=[approval.pk]),
        {"action": "approve", "comment": "同意", "position": approval.current_position},
    )
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.status == Expenditure.Status.RECORDED
    assert spent(project) == Decimal("10000.00")
    html = client.get(url("execution"), {"date": "2026-11-26"}).content.decode()
    assert "10,000.00 元" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "1.234"}, "金额最多保留两位小数。"),
        ({"amount": "-5"}, "金额必须大于 0。"),
        ({"amount": ""}, "请填写金额（元）。"),
        ({"payee": ""}, "请填写收款单位/人。"),
        ({"date": "2025-12-31"}, "支出日期应在预算项目所属年度内。"),
        ({"date": "2026-02-30"}, "请填写正确的日期"),
    ],
)
def test_bad_expenditure_input_writes_nothing(client, finance_a, center_a, change, message):
    project = make_project(center_a, year=YEAR)
    client.force_login(finance_a)
    response = client.post(url("expenditure_create"), expenditure_data(project, **change))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Expenditure.objects.exists()
    assert not ApprovalRequest.objects.exists()


def test_another_centers_project_cannot_be_chosen(client, finance_a, center_b):
    other = make_project(center_b, year=YEAR)
    client.force_login(finance_a)
    response = client.post(url("expenditure_create"), expenditure_data(other))
    assert response.status_code == 422
    assert not Expenditure.objects.exists()


def test_cancel_a_recorded_and_a_pending_expenditure(client, finance_a, leader_a, center_a):
    project = make_project(center_a, year=YEAR)
    client.force_login(finance_a)
    client.post(url("expenditure_create"), expenditure_data(project, "500"))
    client.post(url("expenditure_create"), expenditure_data(project, "20000"))
    small, big = Expenditure.objects.order_by("amount")
    for item in (small, big):
        response = client.post(url("expenditure_cancel", item.pk))
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == Expenditure.Status.CANCELLED
    assert ApprovalRequest.objects.get().status == ApprovalRequest.Status.CANCELLED
    assert spent(project) == 0
    response = client.post(url("expenditure_cancel", small.pk))
    assert response.status_code == 422
    assert "该支出已撤销或未通过。" in response.content.decode()
    assert client.get(url("expenditure_cancel", small.pk)).status_code == 405


def test_a_modules_cost_is_cancelled_in_its_module(client, finance_a, center_a):
    cost = spend(
        center_a,
        None,
        DAY,
        800,
        cost_kind="vehicle_repair",
        source_label="fleet.repairrecord",
        source_id=1,
    )
    client.force_login(finance_a)
    html = client.get(url("expenditure_detail", cost.pk)).content.decode()
    assert "公务用车维修费" in html and "请在原模块中修改" in html
    assert url("expenditure_cancel", cost.pk) not in html
    response = client.post(url("expenditure_cancel", cost.pk))
    assert response.status_code == 422
    assert "其他模块产生的费用请在原模块中修改。" in response.content.decode()
    cost.refresh_from_db()
    assert cost.status == Expenditure.Status.RECORDED


def test_assign_an_unassigned_cost_to_a_project(client, finance_a, center_a):
    project = make_project(center_a, year=YEAR)
    old = make_project(center_a, code="OLD", year=2025)
    cost = spend(center_a, None, DAY, 800, cost_kind="vehicle_repair")
    client.force_login(finance_a)
    response = client.post(url("expenditure_assign", cost.pk), {"project": old.pk})
    assert response.status_code == 422
    assert "请选择本中心同一年度的预算项目。" in response.content.decode()
    cost.refresh_from_db()
    assert cost.project is None
    response = client.post(url("expenditure_assign", cost.pk), {"project": project.pk})
    assert response.status_code == 302
    cost.refresh_from_db()
    assert cost.project == project
    assert spent(project) == Decimal("800")


def test_expenditure_list_filters_and_export(client, finance_a, center_a):
    project = make_project(center_a, year=YEAR, name="物业服务")
    spend(center_a, project, DAY, 100, payee="甲物业")
    spend(center_a, None, DAY, 200, payee="乙修理厂")
    spend(center_a, project, DAY, 30000, payee="丙公司", status=Expenditure.Status.PENDING)
    spend(center_a, project, dt.date(2026, 1, 5), 300, payee="丁公司")
    client.force_login(finance_a)

    def payees(**params):
        response = client.get(url("expenditure_list"), params)
        assert response.status_code == 200
        return sorted(row.record.payee for row in response.context["table"].page.object_list)

    assert payees() == ["丁公司", "丙公司", "乙修理厂", "甲物业"]
    assert payees(project="none") == ["乙修理厂"]
    assert payees(project=str(project.pk), status="recorded") == ["丁公司", "甲物业"]
    assert payees(status="pending") == ["丙公司"]
    assert payees(date_from="2026-11-01", date_to="2026-11-30", q="物业") == ["甲物业"]
    assert payees(year="2025") == []
    html = client.get(url("expenditure_list"), {"project": "none"}).content.decode()
    assert "待归集" in html
    response = client.get(url("expenditure_list"), {"project": "none", "export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


def test_lists_run_constant_queries(client, finance_a, center_a):
    client.force_login(finance_a)

    def add(n):
        for _i in range(n):
            p = make_project(center_a, code=f"P{BudgetProject.objects.count()}", year=YEAR)
            spend(center_a, p, DAY, 100, recorded_by=finance_a)
            spend(center_a, None, DAY, 50)

    add(2)
    counts = [count_queries(client, url(name)) for name in ("project_list", "expenditure_list")]
    add(18)
    assert [count_queries(client, url(name)) for name in ("project_list", "expenditure_list")] == (
        counts
    )


# ------------------------------------------------------------------ settings


def test_settings_change_the_threshold(client, finance_a, leader_a, center_a):
    project = make_project(center_a, year=YEAR)
    client.force_login(finance_a)
    assert client.get(url("settings")).status_code == 200
    response = client.post(url("settings"), {"approval_threshold": "abc", "voucher_due_days": "15"})
    assert response.status_code == 422
    assert "须审批的支出金额必须是数字。" in response.content.decode()
    response = client.post(url("settings"), {"approval_threshold": "5000", "voucher_due_days": "0"})
    assert response.status_code == 422
    assert "凭证移交期限须在 1—365 天之间。" in response.content.decode()
    assert not FinanceSettings.objects.exists()
    response = client.post(
        url("settings"), {"approval_threshold": "5000", "voucher_due_days": "20"}
    )
    assert response.status_code == 302
    found = FinanceSettings.objects.get(center=center_a)
    assert (found.approval_threshold, found.voucher_due_days) == (Decimal("5000"), 20)
    assert "金额达到 5,000.00 元" in client.get(url("expenditure_create")).content.decode()
    client.post(url("expenditure_create"), expenditure_data(project, "5000"))
    assert Expenditure.objects.get().status == Expenditure.Status.PENDING


# ------------------------------------------------------------------ scoping and permissions


def test_another_centers_finance_officer_gets_404(client, finance_b, center_a):
    project = make_project(center_a, year=YEAR)
    item = spend(center_a, project, DAY, 100)
    client.force_login(finance_b)
    for name in ("project_detail", "project_edit", "expenditure_detail"):
        pk = project.pk if name.startswith("project") else item.pk
        assert client.get(url(name, pk)).status_code == 404
    assert client.post(url("project_plan", project.pk), {}).status_code == 404
    assert client.post(url("expenditure_cancel", item.pk)).status_code == 404
    assert client.post(url("expenditure_assign", item.pk), {"project": ""}).status_code == 404
    item.refresh_from_db()
    assert (item.status, item.project) == ("recorded", project)
    assert "暂无记录" in client.get(url("expenditure_list")).content.decode()


def test_staff_gets_403(client, staff_x, center_a):
    project = make_project(center_a, year=YEAR)
    item = spend(center_a, project, DAY, 100)
    client.force_login(staff_x)
    for path in (
        url("project_list"),
        url("project_create"),
        url("project_detail", project.pk),
        url("expenditure_list"),
        url("expenditure_create"),
        url("expenditure_detail", item.pk),
        url("settings"),
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(url("expenditure_cancel", item.pk)).status_code == 403


def test_leader_reads_only(client, leader_a, center_a):
    project = make_project(center_a, year=YEAR)
    item = spend(center_a, project, DAY, 100)
    client.force_login(leader_a)
    for path in (
        url("project_list"),
        url("project_detail", project.pk),
        url("expenditure_list"),
        url("expenditure_detail", item.pk),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert url("expenditure_create") not in html
        assert url("expenditure_cancel", item.pk) not in html
    assert '<form method="post" action="' + url("project_plan", project.pk) not in (
        client.get(url("project_detail", project.pk)).content.decode()
    )
    for path in (
        url("project_create"),
        url("project_edit", project.pk),
        url("expenditure_create"),
        url("settings"),
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(url("expenditure_cancel", item.pk)).status_code == 403
    assert client.post(url("expenditure_assign", item.pk), {"project": ""}).status_code == 403
    assert client.post(url("project_plan", project.pk), {}).status_code == 403
    item.refresh_from_db()
    assert item.status == "recorded"
