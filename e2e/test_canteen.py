"""食堂: a member of staff orders tomorrow's lunch on the phone and sees the pickup code; the
canteen manager verifies today's order at the counter (取餐成功, then 已领取 on a second try).

Dates come from the real clock (the browser talks to a live server); menus are holiday_open so
the test runs on any day of the year, and today's order is placed with an injected `now`
before its cut-off.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from helpers import login

from houqin.canteen.models import Dish, MealOrder, MealSlot, Menu, MenuItem
from houqin.canteen.services import orders, wallets
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _menu(center, day, meal, dishes):
    menu = Menu.objects.create(
        center=center,
        date=day,
        meal=meal,
        status=Menu.Status.PUBLISHED,
        published_at=timezone.now(),
        holiday_open=True,
    )
    for i, dish in enumerate(dishes):
        MenuItem.objects.create(center=center, menu=menu, dish=dish, price=dish.price, sort=i)
    return menu


def test_order_on_the_phone_and_collect_at_the_counter(page, desktop_page, live_server, screenshot):
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")
    staff = make_user(PersonFactory(agency=agency, name="职工小王"), username="staff_w")
    manager = make_user(
        PersonFactory(agency=agency, name="食堂老刘"), Role.CANTEEN_MANAGER, username="canteen"
    )
    MealSlot.objects.create(
        center=center,
        meal="lunch",
        serve_from=dt.time(11, 30),
        serve_until=dt.time(13, 0),
        cutoff_time=dt.time(9, 30),
    )
    # Today's meal is served all day, so the counter can hand it out whenever the test runs.
    MealSlot.objects.create(
        center=center,
        meal="dinner",
        serve_from=dt.time(0, 0),
        serve_until=dt.time(23, 59),
        cutoff_time=dt.time(0, 0),
    )
    meat = Dish.objects.create(center=center, name="红烧肉套餐", category="set_meal", price=15)
    veg = Dish.objects.create(
        center=center, name="清炒时蔬", category="vegetable", price="4.50", allergens="大豆"
    )
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    lunch = _menu(center, tomorrow, "lunch", [meat, veg])
    today_meal = _menu(center, today, "dinner", [meat])
    wallet = wallets.wallet_get_or_open(person=staff.person)
    wallets.wallet_topup(
        actor=manager, wallet=wallet, amount="100", method="cash", idempotency_key="e2e-fund"
    )
    before_cutoff = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0))) - dt.timedelta(
        hours=1
    )
    today_order = orders.meal_order_place(
        actor=staff,
        menu=today_meal,
        lines=[(today_meal.items.get().pk, 1)],
        now=before_cutoff,
    )

    # 1. Staff sees the week's menu on the phone and orders tomorrow's lunch.
    login(page, live_server.url, "staff_w")
    page.goto(f"{live_server.url}{reverse('canteen:home')}?week={tomorrow.isoformat()}")
    card = page.locator(f"[data-menu='{lunch.pk}']")
    expect(card).to_contain_text("红烧肉套餐")
    expect(card).to_contain_text("15.00 元")
    expect(card).to_contain_text("含大豆")
    expect(card).to_contain_text("09:30 截止")
    expect(page.locator(f"[data-menu='{today_meal.pk}']")).to_contain_text(
        f"取餐码 {today_order.pickup_code}"
    )
    screenshot(page, "canteen-week-phone")
    card.get_by_role("link", name="订餐").click()
    page.wait_for_load_state()
    total = page.locator("[data-canteen-total]")
    expect(total).to_have_text("0.00")
    page.get_by_role("button", name="增加红烧肉套餐").click()
    page.get_by_role("button", name="增加清炒时蔬").click()
    page.get_by_role("button", name="增加清炒时蔬").click()
    page.get_by_role("button", name="减少清炒时蔬").click()
    expect(total).to_have_text("19.50")
    screenshot(page, "canteen-order-phone")
    page.get_by_role("button", name="确认订餐并支付").click()
    page.wait_for_load_state()
    expect(page.get_by_text("订餐成功：已从餐卡扣款 19.50 元")).to_be_visible()
    order = MealOrder.objects.get(menu=lunch)
    assert order.person == staff.person and order.total == Decimal("19.50")
    expect(page.locator("[data-pickup-code]")).to_have_text(order.pickup_code)
    qr = page.get_by_role("img", name="取餐二维码")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    screenshot(page, "canteen-pickup-code-phone")
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("65.50")
    page.goto(f"{live_server.url}{reverse('canteen:my_wallet')}")
    expect(page.locator("[data-balance]")).to_have_text("65.50")
    expect(page.locator("[data-statement]")).to_contain_text("-19.50 元")
    screenshot(page, "canteen-wallet-phone")
    assert not page.console_errors, page.console_errors

    # 2. The canteen manager opens the counter (desktop) and types today's pickup code.
    login(desktop_page, live_server.url, "canteen")
    desktop_page.goto(f"{live_server.url}{reverse('canteen:counter')}")
    code = desktop_page.locator("[data-canteen-code]")
    expect(code).to_be_focused()
    code.fill(today_order.pickup_code)
    code.press("Enter")
    result = desktop_page.locator("#counter-result")
    expect(result).to_contain_text("取餐成功")
    expect(result).to_contain_text("职工小王 · 财政局")
    expect(result).to_contain_text("红烧肉套餐 × 1")
    expect(code).to_have_value("")
    expect(code).to_be_focused()
    expect(desktop_page.locator("[data-tally-collected]")).to_have_text("1")
    screenshot(desktop_page, "canteen-counter-ok")
    today_order.refresh_from_db()
    assert today_order.status == MealOrder.Status.COLLECTED
    collected = timezone.localtime(today_order.collected_at).strftime("%H:%M")

    code.fill(today_order.pickup_code)
    code.press("Enter")
    expect(result).to_contain_text(re.compile(rf"已领取（{collected} 已取）"))
    expect(result.locator("[data-result='already']")).to_be_visible()
    screenshot(desktop_page, "canteen-counter-already")
    assert not desktop_page.console_errors, desktop_page.console_errors
