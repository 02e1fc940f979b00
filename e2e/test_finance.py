"""财务 in the browser: the finance officer opens the execution page (20,000 of a 100,000 budget
spent: 20.00 %), records a 5,000 expenditure through the form — typing 12,000 first shows the
approval notice (static JS under the CSP), 5,000 hides it — and sees the execution rate become
25.00 % in the cards, the table and the ECharts chart. No CSP violation on the way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from helpers import login

from houqin.core.roles import Role
from houqin.finance.models import BudgetProject, Expenditure
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERIES = """(el) => echarts.getInstanceByDom(el).getOption().series.map(
    (s) => ({name: s.name, type: s.type, data: s.data}))"""


def rate_series(page, base):
    page.goto(f"{base}{reverse('finance:execution')}")
    chart = page.locator("#chart-execution[data-ready='1']")
    expect(chart).to_have_count(1)
    return chart.evaluate(SERIES)


def test_record_an_expenditure_and_see_the_rate_change(desktop_page, live_server, screenshot):
    page = desktop_page
    today = dt.date.today()
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区机关事务局", short_name="机关事务局", code="JGSW")
    make_user(
        PersonFactory(agency=agency, name="财务股小王", rank=None),
        Role.FINANCE_OFFICER,
        username="wang",
    )
    project = BudgetProject.objects.create(
        center=center,
        year=today.year,
        code=f"{today.year}-001",
        name="办公区物业服务",
        category="project",
        source="general",
        amount=Decimal("100000"),
    )
    Expenditure.objects.create(
        center=center,
        project=project,
        date=dt.date(today.year, 1, 10),
        amount=Decimal("20000"),
        payee="某物业公司",
        purpose="一季度物业费",
    )
    base = live_server.url
    login(page, base, "wang")

    # Before: 20 %.
    rate, plan = rate_series(page, base)
    assert (rate["type"], plan["type"]) == ("bar", "line")
    assert rate["data"] == [20.0]
    expect(page.locator("[data-card='rate'] [data-value]")).to_have_text("20.00%")

    # Record 5,000 through the form.
    page.get_by_role("link", name="登记支出").first.click()
    page.wait_for_load_state()
    page.locator("select[name=project]").select_option(str(project.pk))
    page.locator("input[name=date]").fill(today.isoformat())
    notice = page.locator("[data-threshold-notice]")
    page.locator("input[name=amount]").fill("12000")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("金额达到 10,000.00 元，提交后须经中心领导审批")
    page.locator("input[name=amount]").fill("5000")
    expect(notice).to_be_hidden()
    page.locator("input[name=payee]").fill("某保洁公司")
    page.locator("input[name=purpose]").fill("保洁服务费")
    screenshot(page, "finance-expenditure-form")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("已登记支出。")
    expect(page.locator("[data-status]")).to_have_text("已入账")
    assert Expenditure.objects.filter(center=center, status="recorded").count() == 2

    # After: 25 % in the chart, the card and the table.
    rate, _plan = rate_series(page, base)
    assert rate["data"] == [25.0]
    expect(page.locator("[data-card='rate'] [data-value]")).to_have_text("25.00%")
    expect(page.locator(f"tr[data-project='{project.code}'] [data-rate]")).to_have_text("25.00%")
    expect(page.locator("[data-sentence]")).to_contain_text("完成全年支出进度25%")
    page.wait_for_timeout(1500)  # let the animations end before the screenshot
    screenshot(page, "finance-execution")
    problems = [m for m in page.console_errors if "Content Security Policy" in m]
    assert problems == [] and page.console_errors == []
