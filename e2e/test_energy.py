"""节能 in the browser: the energy manager opens the indicators page of last year and reads
the monthly chart (ECharts) back, enters March's readings on the reading entry page and sees
March's bar become the hand-computed kgce: 6,000 kWh × 0.1229 = 737.4 and 1,000 m³ of natural
gas × 1.2143 = 1,214.3, together 1,951.7 kgce (water is not energy). No CSP violation on the
way (ECharts styles its elements through the CSSOM, its tooltips are drawn on the canvas)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from helpers import login

from houqin.core.roles import Role
from houqin.energy.models import Institution, InstitutionYear, Meter, MeterReading
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A month in the past whatever the day the test runs: March of last year.
YEAR = dt.date.today().year - 1
MARCH = 2  # index in the chart's 12 months

SERIES = """(el) => echarts.getInstanceByDom(el).getOption().series.map(
    (s) => ({name: s.name, type: s.type, data: s.data}))"""


def monthly_series(page, base):
    page.goto(f"{base}{reverse('energy:indicators')}?year={YEAR}")
    chart = page.locator("#chart-monthly[data-ready='1']")
    expect(chart).to_have_count(1)
    return chart.evaluate(SERIES)


def test_enter_a_month_of_readings_and_see_the_chart_update(desktop_page, live_server, screenshot):
    page = desktop_page
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区机关事务局", short_name="机关事务局", code="JGSW")
    make_user(
        PersonFactory(agency=agency, name="节能股小李", rank=None),
        Role.ENERGY_MANAGER,
        username="li",
    )
    office = Institution.objects.create(center=center, name="区行政中心")
    InstitutionYear.objects.create(
        institution=office, year=YEAR, floor_area=Decimal("1000"), headcount=10
    )
    meters = {
        kind: Meter.objects.create(
            center=center,
            institution=office,
            kind=kind,
            code=code,
            name=name,
            mode=Meter.Mode.CONSUMPTION,
        )
        for kind, code, name in (
            ("electricity", "E1", "总电表"),
            ("natural_gas", "G1", "食堂燃气表"),
            ("water", "W1", "总水表"),
        )
    }
    # February is already in: 5,000 kWh = 614.5 kgce.
    MeterReading.objects.create(
        meter=meters["electricity"],
        month=dt.date(YEAR, 2, 1),
        value=Decimal("5000"),
        consumption=Decimal("5000"),
    )
    base = live_server.url
    login(page, base, "li")

    # Before: February's bar, nothing in March.
    current, previous = monthly_series(page, base)
    assert (current["name"], current["type"]) == (f"{YEAR}年", "bar")
    assert (previous["name"], previous["type"]) == (f"{YEAR - 1}年", "line")
    assert current["data"][1] == 614.5
    assert current["data"][MARCH] is None  # nothing entered yet: no bar
    assert previous["data"] == [None] * 12  # nothing the year before: no line
    expect(page.locator("[data-card='kgce'] [data-value]")).to_contain_text("614.50")

    # Enter March on the reading entry page.
    page.goto(f"{base}{reverse('energy:reading_entry')}?month={YEAR}-03")
    page.locator(f"input[name='value_{meters['electricity'].pk}']").fill("6000")
    page.locator(f"input[name='value_{meters['natural_gas'].pk}']").fill("1000")
    page.locator(f"input[name='value_{meters['water'].pk}']").fill("200")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()
    assert MeterReading.objects.filter(meter__center=center, month=dt.date(YEAR, 3, 1)).count() == 3

    # After: March's bar is the hand-computed kgce, the cards follow.
    current, _previous = monthly_series(page, base)
    assert current["data"][MARCH] == 1951.7
    assert current["data"][1] == 614.5
    expect(page.locator("[data-card='kgce'] [data-value]")).to_contain_text("2566.20")
    expect(page.locator("[data-card='water_per_capita'] [data-value]")).to_contain_text("20.00")
    expect(page.locator("#chart-mix[data-ready='1']")).to_have_count(1)
    page.wait_for_timeout(1500)  # let the animations end before the screenshot
    screenshot(page, "energy-indicators")
    problems = [m for m in page.console_errors if "Content Security Policy" in m]
    assert problems == [] and page.console_errors == []
