"""A department liaison books a meeting room on the phone from the availability grid."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from helpers import login

from houqin.core.roles import Role
from houqin.meetings.defaults import ensure_services
from houqin.meetings.models import Booking, Room
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_liaison_books_a_free_slot_on_the_phone(page, live_server, screenshot):
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")
    make_user(PersonFactory(agency=agency, name="联络员小王"), Role.LIAISON, username="liaison_w")
    room = Room.objects.create(
        center=center, name="三楼第一会议室", kind=Room.Kind.MEDIUM, capacity=30
    )
    Room.objects.create(center=center, name="五楼小会议室", kind=Room.Kind.SMALL, capacity=8)
    ensure_services(center)
    day = timezone.localdate() + dt.timedelta(days=1)

    login(page, live_server.url, "liaison_w")
    grid = f"{live_server.url}{reverse('meetings:grid')}?date={day.isoformat()}"
    page.goto(grid)
    expect(page.get_by_role("row", name="三楼第一会议室").first).to_be_visible()
    slot = page.get_by_role("link", name="预订 三楼第一会议室 10:00")
    slot.scroll_into_view_if_needed()
    slot.click()
    page.wait_for_load_state()

    expect(page.locator("select[name=room]")).to_have_value(str(room.pk))
    expect(page.locator("input[name=start_time]")).to_have_value("10:00")
    page.locator("input[name=end_time]").fill("11:30")
    page.locator("input[name=title]").fill("预算执行分析会")
    page.locator("input[name=attendees_expected]").fill("15")
    page.get_by_label("茶水").check()
    page.get_by_label("桌签").check()
    page.get_by_role("button", name="提交预订").click()
    page.wait_for_load_state()

    expect(page.get_by_text("预订成功，已确认")).to_be_visible()
    expect(page.get_by_role("heading", name="预算执行分析会")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert timezone.localtime(booking.starts_at).time() == dt.time(10, 0)
    assert timezone.localtime(booking.ends_at).time() == dt.time(11, 30)
    assert sorted(s.name for s in booking.services.all()) == ["桌签", "茶水"]
    screenshot(page, "meetings-booking-detail-phone")

    page.goto(grid)
    expect(page.get_by_role("link", name="财政局 预算执行分析会")).to_be_visible()
    expect(page.get_by_role("link", name="预订 三楼第一会议室 10:00")).to_have_count(0)
    expect(page.get_by_role("link", name="预订 三楼第一会议室 11:30")).to_have_count(1)
    screenshot(page, "meetings-grid-phone")
    assert not page.console_errors, page.console_errors
