"""报告 in the browser: a center leader opens the dashboard (领导看板), reads today's tiles and
the monthly trend chart (ECharts) back, finds the "save as image" tool on it and downloads the
tables as xlsx; then opens the annual summary preview and downloads the Word file. No CSP
violation on the way (data through json_script, chart heights through
the CSSOM, tooltips on the canvas). The data set is the dashboard tests' one (2 rows per
module: see houqin/reports/tests/test_dashboard.py `build`)."""

import pytest
from django.urls import reverse
from helpers import login

from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user
from houqin.reports.tests.test_dashboard import build

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERIES = """(el) => echarts.getInstanceByDom(el).getOption().series.map(
    (s) => ({name: s.name, data: s.data}))"""
TOOLBOX = """(el) => Object.keys(echarts.getInstanceByDom(el).getOption().toolbox[0].feature)"""


def test_leader_opens_the_dashboard(desktop_page, live_server, screenshot):
    page = desktop_page
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区机关事务局", short_name="机关事务局", code="JGSW")
    make_user(PersonFactory(agency=agency, name="王主任", rank=None), Role.LEADER, username="wang")
    build(center, agency, 2)
    base = live_server.url
    login(page, base, "wang")

    page.goto(f"{base}{reverse('reports:dashboard')}")
    for key in ("meetings_today", "cars_out", "meals_today", "open_orders", "visitors_on_site"):
        expect(page.locator(f"[data-tile='{key}'] [data-value]")).to_have_text("2")
    expect(page.locator("[data-tile='overdue_duties'] [data-value]")).to_have_text("2")

    chart = page.locator("#chart-trends[data-ready='1']")
    expect(chart).to_have_count(1)
    series = {s["name"]: s["data"] for s in chart.evaluate(SERIES)}
    assert series["服务会议"][0] == 2  # January
    assert series["出车"][1] == 2  # February
    assert series["供餐"][2] == 2  # March
    assert series["受理报修"][3] == 3  # April (2 open + 1 closed)
    assert series["登记来访"][4] == 2  # May
    assert "saveAsImage" in chart.evaluate(TOOLBOX)

    with page.expect_download() as download:
        page.locator("[data-export]").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.wait_for_timeout(1200)  # let the animations end before the screenshot
    screenshot(page, "reports-dashboard")

    # From the menu to the annual summary: the preview, then the Word file.
    summary_url = reverse("reports:summary")
    page.locator(f"a[href='{summary_url}']").first.click()
    expect(page.locator("[data-summary] h2")).to_contain_text("工作总结")
    expect(page.locator("[data-part]").first).to_contain_text("工作开展情况")
    expect(page.locator("[data-section]")).to_have_count(8)
    with page.expect_download() as download:
        page.locator("[data-download-docx]").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith("工作总结.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "一、" in text and "二、存在问题" in text and "三、下一步工作计划" in text
    screenshot(page, "reports-summary")

    problems = [m for m in page.console_errors if "Content Security Policy" in m]
    assert problems == [] and page.console_errors == []
