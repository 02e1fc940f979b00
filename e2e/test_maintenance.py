"""维修 on a phone (390×844): a member of staff reports a fault with a photo, the manager
assigns it (through the service, to keep the test short), the technician starts and finishes
it on the phone, and the reporter confirms the repair with five stars."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from helpers import login
from PIL import Image

from houqin.core.roles import Role
from houqin.maintenance.models import WorkOrder
from houqin.maintenance.services import work_orders
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def switch_user(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username)


def test_report_repair_and_confirm_on_the_phone(page, live_server, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")
    make_user(PersonFactory(agency=agency, name="职工小王", phone="13800001234"), username="wang")
    manager = make_user(
        PersonFactory(agency=agency, name="维修老张"), Role.MAINTENANCE_MANAGER, username="zhang"
    )
    tech = make_user(
        PersonFactory(agency=agency, name="水电工小李"), Role.TECHNICIAN, username="li"
    )
    base = live_server.url

    # 1. Staff reports a leaking tap with a photo.
    login(page, base, "wang")
    page.goto(f"{base}{reverse('maintenance:report')}")
    expect(page.get_by_label("联系电话")).to_have_value("13800001234")
    page.locator("label[for='maint-cat-water']").click()
    page.get_by_label("楼栋").fill("1号楼")
    page.get_by_label("楼层").fill("3")
    page.get_by_label("房间").fill("301")
    page.get_by_label("故障描述").fill("卫生间水龙头漏水，关不紧")
    page.get_by_label("照片").set_input_files(
        files=[{"name": "leak.png", "mimeType": "image/png", "buffer": tiny_png()}]
    )
    expect(page.locator("[data-maint-previews] img")).to_have_count(1)
    screenshot(page, "maintenance-report-phone")
    page.get_by_role("button", name="提交报修").click()
    page.wait_for_load_state()
    order = WorkOrder.objects.get()
    expect(page.get_by_text(f"报修已提交，工单号 {order.number}")).to_be_visible()
    expect(page.locator("[data-order-status]")).to_contain_text("待派单")
    photo = page.get_by_role("img", name="报修照片 1")
    expect(photo).to_be_visible()
    # under load the photo may still be arriving: wait for it rather than sample once
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert order.category == "water" and order.room == "301" and order.photos.count() == 1

    # 2. The manager assigns it to the technician.
    work_orders.work_order_assign(actor=manager, order=order, assignee=tech)

    # 3. The technician starts and finishes it on the phone.
    switch_user(page, base, "li")
    page.goto(f"{base}{reverse('maintenance:my_tasks')}")
    expect(page.locator("[data-count='new']")).to_have_text("1")
    page.locator(f"#maint-new [data-order='{order.pk}']").click()
    page.wait_for_load_state()
    expect(page.get_by_text("卫生间水龙头漏水，关不紧")).to_be_visible()
    page.get_by_role("button", name="开始维修").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已开始维修。")).to_be_visible()
    expect(page.locator("[data-order-status]")).to_contain_text("维修中")
    page.locator("[data-action='finish'] summary").click()
    page.get_by_label("维修情况").fill("更换阀芯，试水正常")
    page.get_by_label("人工费（元）").fill("30")
    screenshot(page, "maintenance-finish-phone")
    page.get_by_role("button", name="确认完工").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已完工，已通知报修人确认。")).to_be_visible()
    expect(page.locator("[data-order-status]")).to_contain_text("已完工")
    assert not page.console_errors, page.console_errors

    # 4. The reporter confirms with five stars.
    switch_user(page, base, "wang")
    page.goto(f"{base}{reverse('maintenance:order_detail', args=[order.pk])}")
    expect(page.locator("[data-completion-note]")).to_have_text("更换阀芯，试水正常")
    page.locator("[data-action='confirm'] summary").click()
    page.get_by_label("5 星").check()
    page.get_by_label("评价", exact=True).fill("修得很快")
    screenshot(page, "maintenance-confirm-phone")
    page.get_by_role("button", name="确认维修完成").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已确认维修完成，感谢您的评价。")).to_be_visible()
    expect(page.locator("[data-order-status]")).to_contain_text("已确认")
    expect(page.locator("[data-rating]")).to_have_attribute("data-rating", "5")
    screenshot(page, "maintenance-confirmed-phone")
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.CONFIRMED and order.rating == 5
    assert order.labor_cost == Decimal("30.00") and order.rating_comment == "修得很快"
    assert [e.action for e in order.events.all()] == [
        "report",
        "assign",
        "start",
        "finish",
        "confirm",
    ]
    assert not page.console_errors, page.console_errors
