"""The pickup counter: verifying codes and QR texts (once only), the tally, walk-in sales by
wallet and in cash (idempotent), settling a meal; who may use it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.canteen.models import LedgerEntry, MealOrder, WalkInSale, Wallet
from houqin.canteen.services import orders
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_menu

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 45))
COUNTER = reverse("canteen:counter")
VERIFY = reverse("canteen:counter_verify")
WALK_IN = reverse("canteen:walk_in")


@pytest.fixture
def clock(monkeypatch, settings):
    """Pages read timezone.now(); pin it (11:45 on DAY, lunch being served)."""

    class Clock:
        now = NOON

    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def manager_client(client, canteen_manager, clock):
    client.force_login(canteen_manager)
    return client


@pytest.fixture
def order(lunch, staff_x, canteen_manager):
    fund(staff_x.person, 50, canteen_manager)
    meat, veg = lunch.items.order_by("sort")
    return orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(meat.pk, 1), (veg.pk, 2)], now=MORNING
    )


def verify(client, code, menu=None, htmx=False):
    data = {"code": code, "menu": menu.pk if menu else ""}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(VERIFY, data, headers=headers)


def text(response):
    return response.content.decode()


# ------------------------------------------------------------------ who may use it


def test_staff_without_permission_cannot_open_the_counter(client, clock, staff_x, lunch, order):
    client.force_login(staff_x)
    assert client.get(COUNTER).status_code == 403
    assert verify(client, order.pickup_code, lunch).status_code == 403
    assert client.post(WALK_IN, {}).status_code == 403
    assert client.post(reverse("canteen:counter_settle", args=[lunch.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == MealOrder.Status.PLACED


def test_anonymous_goes_to_login(client, clock):
    response = client.get(COUNTER)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_centers_manager_sees_nothing_of_ours(client, clock, agency_b, lunch, order):
    other = make_user(PersonFactory(agency=agency_b), "canteen_manager", username="canteen_b")
    client.force_login(other)
    html = text(client.get(COUNTER, {"menu": lunch.pk}))
    assert "今天没有已发布的餐次" in html and "红烧肉套餐" not in html
    response = verify(client, "HQMEAL:" + order.pickup_token, lunch)
    assert response.status_code == 422 and "取餐码无效：没有找到该订单。" in text(response)
    assert client.post(reverse("canteen:counter_settle", args=[lunch.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == MealOrder.Status.PLACED


# ------------------------------------------------------------------ the page


def test_counter_defaults_to_the_current_meal_with_its_tally(
    manager_client, center_a, dishes, lunch, order
):
    make_menu(center_a, DAY, "dinner", dishes)
    html = text(manager_client.get(COUNTER))
    assert "11月25日午餐：输入取餐码或扫描二维码" in html
    assert f'name="menu" value="{lunch.pk}"' in html
    assert "autofocus" in html and 'hx-post="/canteen/counter/verify/"' in html
    assert re.search(r"data-tally-ordered>1<", html)
    assert re.search(r"data-tally-remaining>1<", html)
    assert re.search(r"data-tally-collected>0<", html)
    assert "收餐结算" in html


def test_counter_can_switch_to_another_meal_of_today(manager_client, center_a, dishes, lunch):
    dinner = make_menu(center_a, DAY, "dinner", dishes)
    tomorrow = make_menu(center_a, DAY + dt.timedelta(days=1), "lunch", dishes)
    html = text(manager_client.get(COUNTER, {"menu": dinner.pk}))
    assert "11月25日晚餐：输入取餐码或扫描二维码" in html
    html = text(manager_client.get(COUNTER, {"menu": tomorrow.pk}))
    assert "11月25日午餐：输入取餐码或扫描二维码" in html  # not today's: back to the default


# ------------------------------------------------------------------ verifying


def test_code_collects_once_then_says_already_collected(manager_client, clock, lunch, order):
    response = verify(manager_client, order.pickup_code, lunch)
    html = text(response)
    assert response.status_code == 200 and 'data-result="ok"' in html
    assert "取餐成功" in html and "职工甲 · 财政局" in html
    assert "红烧肉套餐 × 1" in html and "清炒时蔬 × 2" in html
    order.refresh_from_db()
    assert order.status == MealOrder.Status.COLLECTED and order.collected_at == NOON
    clock.now = NOON + dt.timedelta(minutes=5)
    response = verify(manager_client, order.pickup_code, lunch)
    html = text(response)
    assert 'data-result="already"' in html and "已领取（11:45 已取）" in html
    order.refresh_from_db()
    assert order.collected_at == NOON


def test_scanned_qr_text_collects(manager_client, lunch, order):
    response = verify(manager_client, "HQMEAL:" + order.pickup_token)
    assert 'data-result="ok"' in text(response)
    order.refresh_from_db()
    assert order.status == MealOrder.Status.COLLECTED


def test_htmx_gets_the_result_fragment_and_the_new_tally(manager_client, lunch, order):
    response = verify(manager_client, order.pickup_code, lunch, htmx=True)
    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html and "取餐成功" in html
    assert 'id="counter-tally" hx-swap-oob="true"' in html
    assert re.search(r"data-tally-collected>1<", html)
    assert re.search(r"data-tally-remaining>0<", html)
    response = verify(manager_client, "HQMEAL:nope", lunch, htmx=True)
    assert response.status_code == 422 and "取餐码无效" in text(response)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请输入取餐码或扫描二维码。"),
        ("12345", "取餐码无效：没有找到该订单。"),
        ("HQMEAL:nope", "取餐码无效：没有找到该订单。"),
    ],
)
def test_invalid_codes(manager_client, lunch, order, code, message):
    response = verify(manager_client, code, lunch)
    assert response.status_code == 422
    assert 'data-result="error"' in text(response) and message in text(response)
    order.refresh_from_db()
    assert order.status == MealOrder.Status.PLACED


def test_six_digits_use_the_current_meal_and_need_one(manager_client, clock, lunch, order):
    # A menu id that is not one of today's falls back to the meal being served.
    response = manager_client.post(VERIFY, {"code": order.pickup_code, "menu": "999999"})
    assert response.status_code == 200 and "取餐成功" in text(response)
    # On a day without any meal a 6-digit code cannot be looked up; the QR text still can.
    clock.now = NOON + dt.timedelta(days=1)
    response = verify(manager_client, "123456")
    assert response.status_code == 422 and "请先选择餐次。" in text(response)


def test_wrong_day_and_cancelled(manager_client, center_a, dishes, staff_x, lunch, order):
    tomorrow = make_menu(center_a, DAY + dt.timedelta(days=1), "lunch", dishes)
    later = orders.meal_order_place(
        actor=staff_x, menu=tomorrow, lines=[(tomorrow.items.first().pk, 1)], now=MORNING
    )
    response = verify(manager_client, "HQMEAL:" + later.pickup_token, lunch)
    assert response.status_code == 422
    assert "这不是今天的订单（11月26日午餐）。" in text(response)
    orders.meal_order_cancel(actor=staff_x, order=order, now=MORNING)
    response = verify(manager_client, order.pickup_code, lunch)
    assert response.status_code == 422 and "该订单已取消。" in text(response)
    later.refresh_from_db()
    assert later.status == MealOrder.Status.PLACED


def test_too_early(manager_client, clock, lunch, order):
    clock.now = MORNING
    response = verify(manager_client, order.pickup_code, lunch)
    assert response.status_code == 422 and "未到取餐时间：11月25日午餐 11:30 开餐。" in text(
        response
    )


# ------------------------------------------------------------------ walk-in sales


def key_of(html):
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html).group(1)


def test_walk_in_cash(manager_client, lunch):
    key = key_of(text(manager_client.get(COUNTER)))
    data = {
        "menu": lunch.pk,
        "idempotency_key": key,
        "payment": "cash",
        "amount": "12.00",
        "meals": "1",
        "description": "访客",
    }
    response = manager_client.post(WALK_IN, data, follow=True)
    assert "已记录窗口消费：12.00 元（现金）。" in text(response)
    assert re.search(r"data-tally-walk-ins>1<", text(response))
    manager_client.post(WALK_IN, data)  # the same form again
    sale = WalkInSale.objects.get()
    assert sale.payment == "cash" and sale.wallet is None and sale.amount == Decimal("12.00")
    assert not LedgerEntry.objects.filter(kind="charge").exists()


def test_walk_in_by_wallet_found_by_search(manager_client, staff_x, canteen_manager, lunch):
    staff_x.person.phone = "13812345678"
    staff_x.person.save()
    wallet = fund(staff_x.person, 30, canteen_manager)
    html = text(manager_client.get(COUNTER, {"q": "职工", "menu": lunch.pk}))
    assert f'name="wallet" value="{wallet.pk}"' in html
    assert "138****5678" in html and "13812345678" not in html and "余额 30.00 元" in html
    by_phone = manager_client.get(COUNTER, {"q": "5678"}, headers={"HX-Request": "true"})
    assert f'value="{wallet.pk}"' in text(by_phone) and "<html" not in text(by_phone)
    data = {
        "menu": lunch.pk,
        "idempotency_key": "walk-1",
        "payment": "wallet",
        "wallet": wallet.pk,
        "amount": "12.50",
        "meals": "1",
    }
    response = manager_client.post(WALK_IN, data, follow=True)
    assert "已记录窗口消费：职工甲 12.50 元（餐卡扣款）。" in text(response)
    manager_client.post(WALK_IN, data)  # double submit
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("17.50") and WalkInSale.objects.count() == 1
    assert wallet.entries.filter(kind="charge").count() == 1


def test_search_does_not_find_other_centers(manager_client, person_b, admin_b, lunch):
    make_user(PersonFactory(agency=person_b.agency), "canteen_manager", username="canteen_b")
    Wallet.objects.create(person=person_b, center_id=person_b.center_id)
    html = text(manager_client.get(COUNTER, {"q": "乙区职工", "menu": lunch.pk}))
    assert "没有找到匹配的餐卡" in html


def test_walk_in_errors_are_shown_and_nothing_written(
    manager_client, staff_x, canteen_manager, lunch
):
    wallet = fund(staff_x.person, 5, canteen_manager)
    base = {"menu": lunch.pk, "idempotency_key": "k1", "meals": "1", "amount": "12.00"}
    cases = [
        ({**base, "payment": "wallet"}, "请先搜索并选择付款人。"),
        ({**base, "payment": "wallet", "wallet": wallet.pk}, "餐卡余额不足"),
        ({**base, "payment": "cash", "amount": "-1"}, "金额不能为负数。"),
        ({**base, "payment": "cash", "meals": "0"}, "份数须在 1 到 50 之间。"),
        ({**base, "payment": "cash", "amount": ""}, "请填写金额。"),
        ({**base, "payment": "wallet", "wallet": "999999"}, "所选餐卡不存在或已销户。"),
    ]
    for data, message in cases:
        response = manager_client.post(WALK_IN, data)
        assert response.status_code == 422, message
        assert message in text(response), message
    assert not WalkInSale.objects.exists()
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("5.00")


def test_walk_in_for_another_centers_menu_is_404(manager_client, center_b):
    other = make_menu(center_b, DAY, "lunch", [])
    data = {"menu": other.pk, "idempotency_key": "k", "payment": "cash", "amount": "1"}
    data["meals"] = "1"
    assert manager_client.post(WALK_IN, data).status_code == 404
    assert not WalkInSale.objects.exists()


# ------------------------------------------------------------------ settling


def test_settle_before_the_end_is_refused_then_counts_uncollected(
    manager_client, clock, lunch, order, slots
):
    settle = reverse("canteen:counter_settle", args=[lunch.pk])
    response = manager_client.post(settle, follow=True)
    assert "11月25日午餐尚未收餐。" in text(response)
    lunch.refresh_from_db()
    assert lunch.settled_at is None
    clock.now = timezone.make_aware(dt.datetime(2026, 11, 25, 13, 30))
    response = manager_client.post(settle, follow=True)
    assert "11月25日午餐已收餐结算：未领取 1 份（照常扣费）。" in text(response)
    order.refresh_from_db()
    assert order.status == MealOrder.Status.UNCOLLECTED
    response = manager_client.post(settle, follow=True)
    assert "11月25日午餐已于此前结算。" in text(response)
    assert "13:30 已结算" in text(response)


def test_settle_with_refund_policy(manager_client, clock, lunch, order, slots, staff_x):
    lunch_slot = next(s for s in slots if s.meal == "lunch")
    lunch_slot.charge_uncollected = False
    lunch_slot.save()
    clock.now = timezone.make_aware(dt.datetime(2026, 11, 25, 13, 30))
    response = manager_client.post(reverse("canteen:counter_settle", args=[lunch.pk]), follow=True)
    assert "未领取 1 份，已退款到餐卡。" in text(response)
    assert Wallet.objects.get(person=staff_x.person).balance == Decimal("50.00")


def test_settle_needs_post(manager_client, lunch):
    assert manager_client.get(reverse("canteen:counter_settle", args=[lunch.pk])).status_code == 405
