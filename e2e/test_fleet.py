"""A member of staff requests a car on the phone; the dispatcher assigns it on the board;
the driver starts and ends the trip on the phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from helpers import login

from houqin.core.approvals.selectors import approval_for_object
from houqin.core.approvals.services import approval_approve
from houqin.core.roles import Role
from houqin.fleet.models import Driver, Trip, TripRequest, Vehicle
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_request_dispatch_start_end(page, desktop_page, live_server, screenshot):
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")
    motor_pool = make_unit(center, "车队", short_name="车队", code="CD")
    staff = make_user(PersonFactory(agency=agency, name="职工小王"), username="staff_w")
    leader = make_user(
        PersonFactory(agency=agency, name="财政局领导"), Role.AGENCY_LEADER, username="leader"
    )
    dispatcher = make_user(
        PersonFactory(agency=motor_pool, name="调度员老陈"),
        Role.FLEET_DISPATCHER,
        username="dispatcher",
    )
    driver = Driver.objects.create(
        center=center,
        user=make_user(
            PersonFactory(agency=motor_pool, name="驾驶员老张"), Role.DRIVER, username="driver"
        ),
    )
    vehicle = Vehicle.objects.create(
        center=center,
        plate="京A12345",
        brand_model="大众帕萨特",
        seats=5,
        odometer_km=Decimal("20000"),
        fixed_fuel_station="中石化城东站",
    )
    departs = timezone.localtime(timezone.now().replace(second=0, microsecond=0)) + dt.timedelta(
        hours=1
    )
    returns = departs + dt.timedelta(hours=2)

    # 1. Staff requests a car on the phone.
    login(page, live_server.url, "staff_w")
    page.goto(f"{live_server.url}{reverse('fleet:request_create')}")
    page.locator("input[name=purpose]").fill("赴市财政局报送决算材料")
    expect(page.locator("select[name=agency]")).to_have_value(str(agency.pk))
    page.locator("input[name=origin]").fill("区政府大院")
    page.locator("input[name=destination]").fill("市财政局")
    page.locator("input[name=passengers]").fill("2")
    page.locator("input[name=depart_date]").fill(departs.date().isoformat())
    page.locator("input[name=depart_time]").fill(departs.strftime("%H:%M"))
    page.locator("input[name=return_date]").fill(returns.date().isoformat())
    page.locator("input[name=return_time]").fill(returns.strftime("%H:%M"))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    expect(page.get_by_text("用车申请已提交，等待审批。")).to_be_visible()
    req = TripRequest.objects.get()
    assert req.requester == staff and req.status == TripRequest.Status.PENDING
    assert req.departs_at == departs
    screenshot(page, "fleet-request-phone")

    # 2. The agency leader and the dispatcher approve (as they would in the approvals inbox).
    for actor in (leader, dispatcher):
        approval_approve(actor=actor, approval=approval_for_object(req, request_type="fleet.trip"))
    req.refresh_from_db()
    assert req.status == TripRequest.Status.APPROVED

    # 3. The dispatcher assigns a vehicle and a driver on the board (desktop).
    login(desktop_page, live_server.url, "dispatcher")
    desktop_page.goto(
        f"{live_server.url}{reverse('fleet:board')}?date={departs.date().isoformat()}"
    )
    item = desktop_page.locator(f"[data-request='{req.pk}']")
    expect(item).to_contain_text("赴市财政局报送决算材料")
    item.locator("select[name=vehicle]").select_option(str(vehicle.pk))
    item.locator("select[name=driver]").select_option(str(driver.pk))
    item.get_by_role("button", name="派车", exact=True).click()
    desktop_page.wait_for_load_state()
    expect(desktop_page.get_by_text("已派车，派车单号")).to_be_visible()
    trip = Trip.objects.get()
    assert trip.vehicle == vehicle and trip.driver == driver
    screenshot(desktop_page, "fleet-trip-detail-desktop")
    assert not desktop_page.console_errors, desktop_page.console_errors

    # 4. The driver starts and ends the trip on the phone.
    page.context.clear_cookies()
    login(page, live_server.url, "driver")
    page.goto(f"{live_server.url}{reverse('fleet:my_trips')}")
    card = page.locator(f"[data-trip='{trip.pk}']")
    expect(card).to_contain_text("京A12345")
    card.get_by_role("link", name="出车").click()
    page.wait_for_load_state()
    page.locator("input[name=odometer]").fill("20010")
    page.get_by_label("出车前已完成车辆清洁消杀").check()
    page.get_by_role("button", name="确认出车").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"已出车：{trip.number}")).to_be_visible()
    trip.refresh_from_db()
    assert trip.status == Trip.Status.IN_PROGRESS and trip.start_odometer == Decimal("20010")

    page.locator(f"[data-trip='{trip.pk}']").get_by_role("link", name="收车").click()
    page.wait_for_load_state()
    page.locator("input[name=odometer]").fill("20068.5")
    page.locator("input[name=parking]").fill("10")
    page.get_by_label("收车后已完成消杀").check()
    page.get_by_role("button", name="确认收车").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"已收车：{trip.number}")).to_be_visible()
    screenshot(page, "fleet-my-trips-phone")

    trip.refresh_from_db()
    req.refresh_from_db()
    vehicle.refresh_from_db()
    assert trip.status == Trip.Status.COMPLETED
    assert trip.end_odometer == Decimal("20068.5") and trip.parking == Decimal("10.00")
    assert req.status == TripRequest.Status.COMPLETED
    assert vehicle.odometer_km == Decimal("20068.5")
    assert not page.console_errors, page.console_errors
