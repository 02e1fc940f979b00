"""办公用房 in the browser: the space manager allocates an idle 31 ㎡ office to an agency and
seats its 县级正职 there, and the compliance page turns from "no office" to 1 ㎡ over; moving
the head to a 30 ㎡ office makes them compliant again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from helpers import login

from houqin.core.roles import Role
from houqin.org.models import Rank
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user
from houqin.space.models import Occupancy, SpaceRoom
from houqin.space.services import allocation, register

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_allocate_a_room_and_see_compliance_change(page, live_server, screenshot):
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区审计局", short_name="审计局", code="SJJ")
    make_user(
        PersonFactory(agency=agency, name="房管小周", rank=None),
        Role.SPACE_MANAGER,
        username="zhou",
    )
    head = PersonFactory(
        agency=agency, name="审计局局长", rank=Rank.objects.get(code="county-head")
    )
    building = register.building_create(
        actor=None,
        center=center,
        name="行政中心大楼",
        address="人民路 1 号",
        floor_area="9000",
        floors_above=5,
    )
    big, small = (
        register.room_create(
            actor=None,
            building=building,
            floor=building.floors.get(level=3),
            number=number,
            usable_area=Decimal(area),
            sub_use="office",
        )
        for number, area in (("301", "31.00"), ("302", "30.00"))
    )
    allocation.allocation_create(
        actor=None, room=small, agency=agency, start_date=dt.date(2026, 1, 1)
    )
    base = live_server.url
    login(page, base, "zhou")

    # Before: the agency holds 30 ㎡ and nobody is over.
    page.goto(f"{base}{reverse('space:compliance')}")
    row = page.locator(f"[data-agency='{agency.pk}']")
    expect(row).to_contain_text("30.00")
    expect(page.locator("[data-people-over]")).to_have_text("0")

    # Allocate room 301 to the agency on the room page.
    page.goto(f"{base}{reverse('space:room_detail', args=[big.pk])}")
    page.get_by_label("使用单位").select_option(label="测试区审计局")
    page.get_by_label("使用协议/配置证号").fill("测机管配〔2026〕8号")
    page.get_by_role("button", name="分配").click()
    page.wait_for_load_state()
    expect(page.get_by_text("使用中").first).to_be_visible()
    big.refresh_from_db()
    assert big.status == SpaceRoom.Status.OCCUPIED

    # Seat the head there.
    page.get_by_label("使用人").select_option(label="审计局局长（县级正职）")
    page.get_by_role("button", name="安排使用人").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("审计局局长")
    assert Occupancy.objects.filter(room=big, person=head, end_date__isnull=True).exists()
    screenshot(page, "space-room-detail")

    # After: 61 ㎡ held, the head 1 ㎡ over their 30 ㎡ standard.
    page.goto(f"{base}{reverse('space:compliance')}")
    expect(row).to_contain_text("61.00")
    expect(page.locator("[data-people-over]")).to_have_text("1")
    person = page.locator(f"[data-person='{head.pk}']")
    expect(person).to_contain_text("31.00")
    expect(person).to_contain_text("1.00")
    screenshot(page, "space-compliance")

    # Move the head to the 30 ㎡ office: compliant again.
    page.goto(f"{base}{reverse('space:room_detail', args=[big.pk])}")
    page.get_by_role("link", name="调整").click()
    page.wait_for_load_state()
    page.get_by_label("调入房间").select_option(label="行政中心大楼 302（30.00㎡，核定 1 人）")
    page.locator("form:has(select[name=room]) [type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}{reverse('space:compliance')}")
    expect(page.locator("[data-people-over]")).to_have_text("0")
    assert Occupancy.objects.get(person=head, end_date__isnull=True).room == small
