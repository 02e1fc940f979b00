"""安保 in the browser, on a tablet at the gate (1024×768): the guard registers a walk-in
visitor, sees the pass with its QR code, then records the exit from the 在访 list."""

import pytest
from django.urls import reverse
from helpers import login

from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user
from houqin.org.validators import id_check_digit
from houqin.security.models import Gate, Visit

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def tablet_page(browser, request):
    """A tablet-sized page (1024×768, zh-CN, touch) in a fresh context."""
    context = browser.new_context(
        viewport=TABLET, locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def test_guard_registers_a_visitor_and_records_the_exit(tablet_page, live_server, screenshot):
    page = tablet_page
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区审计局", short_name="审计局", code="SJJ")
    make_user(PersonFactory(agency=agency, name="保安小陈", rank=None), Role.GUARD, username="chen")
    host = PersonFactory(agency=agency, name="审计局小王", rank=None)
    Gate.objects.create(center=center, name="东门")
    first17 = "45010219900101123"
    id_number = first17 + id_check_digit(first17)
    base = live_server.url
    login(page, base, "chen")

    page.goto(f"{base}{reverse('security:gate')}")
    expect(page.get_by_role("heading", name="门岗登记 · 东门")).to_be_visible()
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("手机号码").fill("13800001111")
    page.get_by_label("单位", exact=True).fill("某某建设公司")
    page.get_by_label("被访单位").select_option(label="测试区审计局")
    # The host select is refreshed for the agency (htmx).
    expect(page.locator("#security-host-person option", has_text="审计局小王")).to_have_count(1)
    page.get_by_label("被访人").select_option(label="审计局小王")
    page.get_by_label("事由").fill("送审计资料")
    page.get_by_role("button", name="登记并生成通行证").click()
    page.wait_for_load_state()

    # The pass: big name, host, a QR code, a print button.
    pass_card = page.locator("[data-pass]")
    expect(pass_card).to_contain_text("张三")
    expect(pass_card).to_contain_text("测试区审计局")
    expect(pass_card.locator("svg.security-qr")).to_be_visible()
    expect(page.get_by_role("button", name="打印通行证")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(id_number)
    screenshot(page, "security-pass")
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.IN and visit.host_person == host
    assert visit.visitor.id_number == id_number

    # Back at the gate: the visitor is in; record the exit.
    page.get_by_role("link", name="继续登记").click()
    row = page.locator(f"[data-section='in'] [data-visit='{visit.pk}']")
    expect(row).to_contain_text("张三")
    row.get_by_role("button", name="离开").click()
    page.wait_for_load_state()
    expect(page.locator("[data-section='in']")).to_contain_text("当前没有在访人员")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.OUT and visit.exited_at is not None
    assert page.console_errors == []
