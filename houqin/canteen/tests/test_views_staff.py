"""Staff phone pages: the week's menus, ordering (idempotent), order detail with the pickup
code and QR code, cancelling, my orders, my wallet and its statement."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.canteen.models import LedgerEntry, MealOrder, OnlinePayment, Wallet
from houqin.canteen.qr import qr_svg
from houqin.canteen.services import orders
from houqin.org.models import User
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu

pytestmark = pytest.mark.django_db

NEXT_WEEK = DAY + dt.timedelta(days=7)


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def clock(monkeypatch, settings):
    """Pages read timezone.now(); pin it (08:00 on DAY unless a test moves it). Sessions
    must survive the test moving the clock by hours."""

    class Clock:
        now = MORNING

    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def staff_client(client, staff_x, clock):
    client.force_login(staff_x)
    return client


def balance(person):
    return Wallet.objects.get(person=person).balance


def ledger_sum(person):
    return sum((e.amount for e in LedgerEntry.objects.filter(wallet__person=person)), Decimal("0"))


def order_url(menu):
    return reverse("canteen:order_place", args=[menu.pk])


def items_of(menu):
    return list(menu.items.order_by("sort"))


def post_order(client, menu, quantities, key="key-1"):
    data = {"idempotency_key": key}
    for item, q in zip(items_of(menu), quantities, strict=False):
        data[f"qty_{item.pk}"] = str(q)
    return client.post(order_url(menu), data)


def place(person_user, menu, quantities=(1,), now=MORNING, key=""):
    lines = [(i.pk, q) for i, q in zip(items_of(menu), quantities, strict=False) if q]
    return orders.meal_order_place(
        actor=person_user, menu=menu, lines=lines, now=now, idempotency_key=key
    )


# ------------------------------------------------------------------ the week page


def test_week_page_shows_dishes_prices_cutoff_and_order_button(
    staff_client, center_a, slots, lunch
):
    dish = make_dish(center_a, "宫保鸡丁", "12.00", allergens="花生")
    make_menu(center_a, DAY, "dinner", [dish], limit=5)
    response = staff_client.get(reverse("canteen:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "红烧肉套餐" in html and "15.00 元" in html and "4.50 元" in html
    assert "含花生" in html and "余 5 份" in html
    assert "11月25日 09:30 截止" in html and "11月25日 15:00 截止" in html
    assert order_url(lunch) in html
    assert "餐卡余额" in html and "0.00" in html


def test_week_page_shows_my_order_and_closed_reasons(
    staff_client, clock, staff_x, canteen_manager, lunch
):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch)
    clock.now = at(10)
    html = staff_client.get(reverse("canteen:home")).content.decode()
    assert f"已订 15.00 元 · 取餐码 {order.pickup_code}" in html
    assert reverse("canteen:order_detail", args=[order.pk]) in html
    order.refresh_from_db()
    orders.meal_order_cancel(actor=staff_x, order=order, now=MORNING, force=True)
    html = staff_client.get(reverse("canteen:home")).content.decode()
    assert "11月25日午餐已于 11月25日 09:30 截止订餐。" in html
    assert order_url(lunch) not in html


def test_week_navigation(staff_client, center_a, slots, dishes, lunch):
    later = make_menu(center_a, NEXT_WEEK, "lunch", dishes[:1])
    html = staff_client.get(reverse("canteen:home")).content.decode()
    assert order_url(later) not in html and "11月23日–11月29日" in html
    html = staff_client.get(reverse("canteen:home"), {"week": "2026-12-03"}).content.decode()
    assert "11月30日–12月6日" in html and order_url(later) in html and "回到本周" in html
    response = staff_client.get(reverse("canteen:home"), {"week": "2026-13-45"})
    assert "日期格式不正确" in response.content.decode()


def test_week_page_hides_drafts_and_other_centers(staff_client, center_a, center_b, slots, dishes):
    draft = make_menu(center_a, DAY, "dinner", dishes, published=False)
    other = make_menu(center_b, DAY, "lunch", [make_dish(center_b, "乙区套餐")])
    html = staff_client.get(reverse("canteen:home")).content.decode()
    assert "乙区套餐" not in html and order_url(draft) not in html and order_url(other) not in html
    assert staff_client.get(order_url(draft)).status_code == 404
    assert staff_client.get(order_url(other)).status_code == 404


def test_user_without_person_gets_a_message_not_an_error(client, clock, center_a, lunch):
    user = User.objects.create_user(
        username="noperson", password="x", center_id=center_a.pk, must_change_password=False
    )
    client.force_login(user)
    for name in ("canteen:home", "canteen:my_orders", "canteen:my_wallet"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "未关联人员信息" in response.content.decode()
    response = client.get(order_url(lunch))
    assert response.status_code == 200 and "未关联人员信息" in response.content.decode()
    response = post_order(client, lunch, [1])
    assert response.status_code == 200 and "未关联人员信息" in response.content.decode()
    response = client.post(reverse("canteen:online_topup"), {"amount": "10"}, follow=True)
    assert "未关联人员信息" in response.content.decode()
    assert not MealOrder.objects.exists() and not Wallet.objects.exists()


def _week_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("canteen:home"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill_week(center, *, dishes_per_menu):
    """Breakfast, lunch and dinner menus on three days."""
    menus = []
    for day in (DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)):
        for meal in ("breakfast", "lunch", "dinner"):
            dishes = [
                make_dish(center, f"{day:%d}{meal}{n}", "3.00") for n in range(dishes_per_menu)
            ]
            menus.append(make_menu(center, day, meal, dishes, limit=20))
    return menus


def test_week_page_query_count_is_constant(staff_client, center_a, slots, staff_x, canteen_manager):
    """More dishes and more orders in the same week: the same number of queries."""
    fund(staff_x.person, 500, canteen_manager)
    menus = _fill_week(center_a, dishes_per_menu=1)
    open_menus = [
        m for m in menus if orders.ordering_closed_reason(m, orders.slot_for(m), MORNING) is None
    ]
    place(staff_x, open_menus[0])
    few = _week_queries(staff_client)
    for menu in menus:
        for n in range(6):
            dish = make_dish(center_a, f"加{menu.pk}-{n}", "2.00")
            menu.items.create(center=center_a, dish=dish, price=dish.price, sort=n + 1)
    for menu in open_menus[1:]:
        place(staff_x, menu, (1, 2, 3))
    assert MealOrder.objects.count() >= 5
    assert _week_queries(staff_client) == few


def test_week_page_query_count_does_not_grow_with_menus(
    staff_client, center_a, slots, dishes, staff_x, canteen_manager
):
    make_menu(center_a, DAY + dt.timedelta(days=4), "lunch", dishes)
    few = _week_queries(staff_client)
    _fill_week(center_a, dishes_per_menu=2)
    assert _week_queries(staff_client) == few


# ------------------------------------------------------------------ ordering


def test_order_form_renders_quantities_total_and_key(staff_client, staff_x, lunch):
    response = staff_client.get(order_url(lunch))
    html = response.content.decode()
    assert response.status_code == 200
    meat, veg = items_of(lunch)
    assert f'name="qty_{meat.pk}"' in html and f'name="qty_{veg.pk}"' in html
    assert 'data-price="15.00"' in html and "data-canteen-total>0.00<" in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)
    assert "订餐截止：11月25日 09:30" in html


def test_place_order_charges_wallet_and_shows_pickup_code(
    staff_client, staff_x, canteen_manager, lunch
):
    fund(staff_x.person, 50, canteen_manager)
    response = post_order(staff_client, lunch, [1, 2])
    order = MealOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("canteen:order_detail", args=[order.pk])
    assert order.total == Decimal("24.00") and order.person == staff_x.person
    assert balance(staff_x.person) == Decimal("26.00") == ledger_sum(staff_x.person)
    page = staff_client.get(response["Location"]).content.decode()
    assert f"已从餐卡扣款 24.00 元，取餐码 {order.pickup_code}" in page
    assert f"data-pickup-code>{order.pickup_code}<" in page
    assert reverse("canteen:order_qr", args=[order.pk]) in page
    assert "红烧肉套餐 × 1" in page and "清炒时蔬 × 2" in page and "24.00 元" in page


def test_double_submit_charges_once(staff_client, staff_x, canteen_manager, lunch):
    fund(staff_x.person, 50, canteen_manager)
    first = post_order(staff_client, lunch, [1, 0], key="same")
    second = post_order(staff_client, lunch, [1, 0], key="same")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert MealOrder.objects.count() == 1
    assert balance(staff_x.person) == Decimal("35.00") == ledger_sum(staff_x.person)


@pytest.mark.parametrize(
    ("funds", "quantities", "hour", "message"),
    [
        (10, [1, 0], 8, "餐卡余额不足：余额 10.00 元，需支付 15.00 元。"),
        (50, [1, 0], 10, "已于 11月25日 09:30 截止订餐"),
        (50, [0, 0], 8, "请至少选择一样菜品。"),
        (50, [1, 21], 8, "每样菜品最多 20 份。"),
        (50, [1, -1], 8, "份数不能为负数。"),
    ],
)
def test_order_errors_are_shown_and_nothing_written(
    staff_client, clock, staff_x, canteen_manager, lunch, funds, quantities, hour, message
):
    fund(staff_x.person, funds, canteen_manager)
    clock.now = at(hour)
    response = post_order(staff_client, lunch, quantities)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MealOrder.objects.exists()
    assert balance(staff_x.person) == Decimal(funds) == ledger_sum(staff_x.person)
    assert all(i.ordered_count == 0 for i in items_of(lunch))


def test_sold_out_is_shown(staff_client, center_a, slots, staff_x, person_y, canteen_manager):
    dish = make_dish(center_a, "小炒肉", "10.00")
    menu = make_menu(center_a, DAY, "lunch", [dish], limit=1)
    other = make_user(person_y, username="person_y")
    fund(person_y, 20, canteen_manager)
    place(other, menu)
    fund(staff_x.person, 20, canteen_manager)
    response = post_order(staff_client, menu, [1])
    html = response.content.decode()
    assert response.status_code == 200 and "“小炒肉”余量不足：仅剩 0 份。" in html
    assert MealOrder.objects.count() == 1
    assert balance(staff_x.person) == Decimal("20.00")


def test_editing_an_order_changes_it_and_settles_the_difference(
    staff_client, staff_x, canteen_manager, lunch
):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch, (1, 0), key="first")
    meat = items_of(lunch)[0]
    html = staff_client.get(order_url(lunch)).content.decode()
    assert "修改订餐" in html and "原订单 15.00 元" in html
    assert f'name="qty_{meat.pk}" value="1"' in html
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html).group(1)
    response = post_order(staff_client, lunch, [1, 2], key=key)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.total == Decimal("24.00") and MealOrder.objects.count() == 1
    assert balance(staff_x.person) == Decimal("26.00") == ledger_sum(staff_x.person)
    # The same change sent twice changes nothing more.
    post_order(staff_client, lunch, [1, 2], key=key)
    assert balance(staff_x.person) == Decimal("26.00")
    # Emptying the order is refused with a hint to cancel instead.
    response = post_order(staff_client, lunch, [0, 0], key=key)
    assert "如不再需要，请在订单页取消订单" in response.content.decode()
    order.refresh_from_db()
    assert order.status == MealOrder.Status.PLACED


def test_editing_after_cutoff_is_refused(staff_client, clock, staff_x, canteen_manager, lunch):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch, (1, 0))
    clock.now = at(9, 45)
    response = post_order(staff_client, lunch, [2, 0], key="later")
    assert "截止订餐" in response.content.decode()
    order.refresh_from_db()
    assert order.total == Decimal("15.00")
    assert balance(staff_x.person) == Decimal("35.00")


# ------------------------------------------------------------------ order detail, QR, cancel


def test_order_detail_and_qr_only_for_the_owner(
    client, clock, staff_x, person_y, admin_b, canteen_manager, lunch
):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch)
    detail = reverse("canteen:order_detail", args=[order.pk])
    qr = reverse("canteen:order_qr", args=[order.pk])
    client.force_login(staff_x)
    assert client.get(detail).status_code == 200
    response = client.get(qr)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache
    expected = qr_svg("HQMEAL:" + order.pickup_token, title=f"取餐码 {order.pickup_code}")
    assert response.content == expected and response.content.startswith(b"<svg")
    # Another person of the same center, the canteen manager, another center: 404 alike.
    for other in (make_user(person_y, username="person_y"), canteen_manager, admin_b):
        client.force_login(other)
        assert client.get(detail).status_code == 404
        assert client.get(qr).status_code == 404
        assert client.post(reverse("canteen:order_cancel", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == MealOrder.Status.PLACED


def test_anonymous_is_sent_to_login(client, lunch):
    for url in (reverse("canteen:home"), order_url(lunch), reverse("canteen:my_wallet")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_cancel_refunds(staff_client, staff_x, canteen_manager, lunch):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch, (1, 1))
    detail = staff_client.get(reverse("canteen:order_detail", args=[order.pk])).content.decode()
    assert "取消订单" in detail and "修改订单" in detail
    response = staff_client.post(reverse("canteen:order_cancel", args=[order.pk]), follow=True)
    assert "已取消11月25日午餐的订餐，19.50 元已退回餐卡。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == MealOrder.Status.CANCELLED
    assert balance(staff_x.person) == Decimal("50.00") == ledger_sum(staff_x.person)
    # Cancelled: no QR, no cancel button, and it can be ordered afresh.
    html = response.content.decode()
    assert reverse("canteen:order_qr", args=[order.pk]) not in html and "取消订单" not in html
    assert post_order(staff_client, lunch, [1]).status_code == 302
    assert MealOrder.objects.filter(status=MealOrder.Status.PLACED).count() == 1


def test_cancel_after_cutoff_refused(staff_client, clock, staff_x, canteen_manager, lunch):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch)
    clock.now = at(10)
    detail = staff_client.get(reverse("canteen:order_detail", args=[order.pk])).content.decode()
    assert "取消订单" not in detail and "修改订单" not in detail
    response = staff_client.post(reverse("canteen:order_cancel", args=[order.pk]), follow=True)
    assert "已过订餐截止时间（11月25日 09:30），不能取消。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == MealOrder.Status.PLACED
    assert balance(staff_x.person) == Decimal("35.00")


def test_cancel_needs_post(staff_client, staff_x, canteen_manager, lunch):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch)
    assert staff_client.get(reverse("canteen:order_cancel", args=[order.pk])).status_code == 405


# ------------------------------------------------------------------ my orders


def test_my_orders_upcoming_and_past(
    staff_client, clock, center_a, slots, dishes, staff_x, canteen_manager
):
    fund(staff_x.person, 500, canteen_manager)
    yesterday = make_menu(center_a, DAY - dt.timedelta(days=1), "lunch", dishes)
    old = place(staff_x, yesterday, now=at(8, day=yesterday.date))
    today = make_menu(center_a, DAY, "lunch", dishes)
    tomorrow = make_menu(center_a, DAY + dt.timedelta(days=1), "lunch", dishes)
    soon = place(staff_x, today)
    later = place(staff_x, tomorrow, (0, 1))
    cancelled = place(staff_x, make_menu(center_a, DAY, "dinner", dishes))
    orders.meal_order_cancel(actor=staff_x, order=cancelled, now=MORNING)
    response = staff_client.get(reverse("canteen:my_orders"))
    html = response.content.decode()
    upcoming, past = html.split("data-upcoming")[1].split("data-past")
    assert f'data-order="{soon.pk}"' in upcoming and f'data-order="{later.pk}"' in upcoming
    assert upcoming.index(f'data-order="{soon.pk}"') < upcoming.index(f'data-order="{later.pk}"')
    assert f"取餐码 {soon.pickup_code}" in upcoming
    assert f'data-order="{old.pk}"' in past and f'data-order="{cancelled.pk}"' in past
    assert "已取消" in past


def test_my_orders_only_mine(client, clock, staff_x, person_y, canteen_manager, lunch):
    other = make_user(person_y, username="person_y")
    fund(person_y, 50, canteen_manager)
    theirs = place(other, lunch)
    client.force_login(staff_x)
    html = client.get(reverse("canteen:my_orders")).content.decode()
    assert f'data-order="{theirs.pk}"' not in html and "没有待取餐的订单" in html


def test_my_orders_paginated_with_constant_queries(
    staff_client, clock, center_a, slots, staff_x, canteen_manager
):
    fund(staff_x.person, 2000, canteen_manager)
    dish = make_dish(center_a, "套餐", "5.00")
    start = DAY - dt.timedelta(days=60)

    def add_orders(n, offset):
        for i in range(n):
            day = start + dt.timedelta(days=offset + i)
            menu = make_menu(center_a, day, "lunch", [dish], holiday_open=True)
            place(staff_x, menu, now=at(8, day=day))

    def count(page=1):
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("canteen:my_orders"), {"page": page})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    add_orders(3, 0)
    few, _html = count()
    add_orders(27, 3)
    many, html = count()
    assert many == few
    assert "共 30 条" in html and "第 1/2 页" in html and "?page=2" in html
    _queries, html2 = count(2)
    assert html2.count("data-order=") == 10


# ------------------------------------------------------------------ my wallet


def test_wallet_without_wallet_shows_zero_and_writes_nothing(staff_client, staff_x):
    response = staff_client.get(reverse("canteen:my_wallet"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-balance>0.00<" in html and "暂无流水" in html and "在线充值（模拟支付）" in html
    assert not Wallet.objects.exists()


def test_wallet_statement_and_export(staff_client, staff_x, canteen_manager, lunch, person_y):
    fund(staff_x.person, 50, canteen_manager)
    fund(person_y, 80, canteen_manager)
    place(staff_x, lunch, (1, 1))
    html = staff_client.get(reverse("canteen:my_wallet")).content.decode()
    assert "data-balance>30.50<" in html
    assert "+50.00 元" in html and "-19.50 元" in html and "订餐：11月25日午餐" in html
    assert "80.00" not in html
    response = staff_client.get(reverse("canteen:my_wallet"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "类型", "方式", "金额（元）", "余额（元）")
    assert [r[1] for r in rows[1:]] == ["充值", "消费"]
    assert [Decimal(str(r[4])) for r in rows[1:]] == [Decimal("50"), Decimal("30.5")]


def test_wallet_statement_paginated(staff_client, staff_x, canteen_manager):
    for i in range(25):
        fund(staff_x.person, 1, canteen_manager, key=f"k{i}")
    html = staff_client.get(reverse("canteen:my_wallet")).content.decode()
    assert html.count("+1.00 元") == 20 and "第 1/2 页" in html
    html = staff_client.get(reverse("canteen:my_wallet"), {"page": 2}).content.decode()
    assert html.count("+1.00 元") == 5


def test_online_topup_starts_a_payment(staff_client, staff_x):
    response = staff_client.post(reverse("canteen:online_topup"), {"amount": "100"})
    payment = OnlinePayment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("canteen:fake_pay", args=[payment.reference])
    assert payment.amount == Decimal("100.00") and payment.provider == "fake"
    assert payment.status == OnlinePayment.Status.PENDING
    assert payment.wallet.person == staff_x.person and payment.wallet.balance == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "请填写充值金额。"),
        ("0", "充值金额必须大于 0。"),
        ("abc", "请填写有效的金额。"),
        ("1000.01", "单笔充值不能超过 1000 元。"),
        ("1.234", "金额最多保留两位小数。"),
    ],
)
def test_online_topup_errors(staff_client, amount, message):
    response = staff_client.post(reverse("canteen:online_topup"), {"amount": amount})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OnlinePayment.objects.exists()


def test_closed_wallet_cannot_top_up(staff_client, staff_x, canteen_manager, admin_a):
    from houqin.canteen.services import wallets

    fund(staff_x.person, 10, canteen_manager)
    wallets.wallet_close(actor=admin_a, person=staff_x.person)
    html = staff_client.get(reverse("canteen:my_wallet")).content.decode()
    assert "已销户" in html and "去支付" not in html
    response = staff_client.post(reverse("canteen:online_topup"), {"amount": "10"})
    assert "该餐卡已销户。" in response.content.decode()
    assert not OnlinePayment.objects.exists()


def test_staff_of_another_person_cannot_see_statement(client, clock, staff_x, person_y):
    other = make_user(person_y, username="person_y")
    fund(staff_x.person, 50, make_user(PersonFactory(agency=person_y.agency), "canteen_manager"))
    client.force_login(other)
    html = client.get(reverse("canteen:my_wallet")).content.decode()
    assert "50.00" not in html and "data-balance>0.00<" in html


# ------------------------------------------------------------------ several days at once


def week_of_lunches(center, dishes, limit=None):
    """Lunch menus Wednesday to Friday of DAY's week (the 25th is Wednesday)."""
    return [
        make_menu(center, DAY + dt.timedelta(days=i), "lunch", dishes, limit=limit)
        for i in range(3)
    ]


def test_order_week_places_one_order_per_day(
    staff_client, center_a, slots, dishes, staff_x, canteen_manager
):
    fund(staff_x.person, 100, canteen_manager)
    menus = week_of_lunches(center_a, dishes)
    url = reverse("canteen:order_week") + f"?week={DAY:%Y-%m-%d}"
    page = staff_client.get(url)
    assert page.status_code == 200
    for menu in menus:
        assert f'name="item_{menu.pk}"' in page.content.decode()
    data = {"idempotency_key": "wk-1", "meal": "lunch"}
    meat = items_of(menus[0])[0]
    data[f"item_{menus[0].pk}"], data[f"qty_{menus[0].pk}"] = meat.pk, "2"
    data[f"item_{menus[2].pk}"] = items_of(menus[2])[1].pk  # 清炒时蔬 4.50, quantity default 1
    response = staff_client.post(url, data)
    assert response.status_code == 302
    placed = MealOrder.objects.filter(person=staff_x.person).order_by("menu__date")
    assert [o.menu_id for o in placed] == [menus[0].pk, menus[2].pk]
    assert [o.total for o in placed] == [Decimal("30.00"), Decimal("4.50")]
    assert balance(staff_x.person) == Decimal("65.50") == ledger_sum(staff_x.person)
    # The same form submitted again charges nothing more.
    staff_client.post(url, data)
    assert MealOrder.objects.filter(person=staff_x.person).count() == 2
    assert balance(staff_x.person) == Decimal("65.50")


def test_order_week_one_day_sold_out_does_not_stop_the_others(
    staff_client, center_a, slots, staff_x, person_y, canteen_manager
):
    dish = make_dish(center_a, "限量套餐", "15.00")
    menus = week_of_lunches(center_a, [dish], limit=1)
    rival = make_user(PersonFactory(agency=staff_x.person.agency, name="职工乙"), username="rival")
    fund(rival.person, 50, canteen_manager)
    place(rival, menus[1])  # Thursday's only portion is gone
    fund(staff_x.person, 100, canteen_manager)
    url = reverse("canteen:order_week") + f"?week={DAY:%Y-%m-%d}"
    staff_client.get(url)
    data = {"idempotency_key": "wk-2", "meal": "lunch"}
    for menu in menus:
        data[f"item_{menu.pk}"] = menu.items.get().pk
    response = staff_client.post(url, data, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("已订 2 天" in t for t in texts)
    assert any("余量不足" in t for t in texts)
    assert MealOrder.objects.filter(person=staff_x.person).count() == 2
    assert balance(staff_x.person) == Decimal("70.00") == ledger_sum(staff_x.person)


def test_order_week_bad_quantity_writes_nothing(
    staff_client, center_a, slots, dishes, staff_x, canteen_manager
):
    fund(staff_x.person, 100, canteen_manager)
    menus = week_of_lunches(center_a, dishes)
    url = reverse("canteen:order_week")
    data = {
        "idempotency_key": "wk-3",
        "meal": "lunch",
        f"item_{menus[0].pk}": items_of(menus[0])[0].pk,
    }
    data[f"qty_{menus[0].pk}"] = "99"
    response = staff_client.post(url + f"?week={DAY:%Y-%m-%d}", data)
    assert response.status_code == 200
    assert "份数须在 1 到 20 之间" in response.content.decode()
    assert not MealOrder.objects.exists()


def test_order_week_only_offers_the_users_center_and_open_meals(
    staff_client, center_a, center_b, slots, dishes, staff_x
):
    from houqin.canteen.tests.factories import make_slots

    make_slots(center_b)
    theirs = make_menu(center_b, DAY + dt.timedelta(days=1), "lunch", [make_dish(center_b, "乙餐")])
    closed = make_menu(center_a, DAY - dt.timedelta(days=1), "lunch", dishes)  # yesterday
    page = staff_client.get(
        reverse("canteen:order_week") + f"?week={DAY:%Y-%m-%d}"
    ).content.decode()
    assert f"item_{theirs.pk}" not in page
    assert f"item_{closed.pk}" not in page
