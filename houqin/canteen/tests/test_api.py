"""canteen API: /api/v1/canteen/menus/, orders/, wallet/, wallet/statement/, pickup/verify/.

The clock is fixed (timezone.now is patched) so the cut-offs do not depend on the real date.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from houqin.canteen.models import LedgerEntry, MealOrder, MenuItem, Wallet
from houqin.canteen.services import devices, orders
from houqin.org.models import User
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu

pytestmark = pytest.mark.django_db

MENUS = "/api/v1/canteen/menus/"
ORDERS = "/api/v1/canteen/orders/"
WALLET = "/api/v1/canteen/wallet/"
STATEMENT = "/api/v1/canteen/wallet/statement/"
VERIFY = "/api/v1/canteen/pickup/verify/"
NOON = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 45))


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """timezone.now() returns clock["now"] (08:00 on DAY unless a test moves it)."""
    state = {"now": MORNING}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def device_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def rows(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def place(user, menu, items, key="k-1", **extra):
    body = {"menu": menu.pk, "items": [{"item": i.pk, "quantity": q} for i, q in items]}
    return client_for(user).post(ORDERS, {**body, **extra}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def ledger_sum(wallet):
    return sum((e.amount for e in LedgerEntry.objects.filter(wallet=wallet)), Decimal("0"))


@pytest.fixture
def staff_y(agency_y):
    return make_user(PersonFactory(agency=agency_y, name="教育局职工乙"), username="staff_y")


@pytest.fixture
def staff_b(agency_b):
    return make_user(PersonFactory(agency=agency_b, name="乙区职工"), username="staff_b")


@pytest.fixture
def device(canteen_manager, center_a):
    device, token = devices.pickup_device_create(
        actor=canteen_manager, center=center_a, name="一号窗口"
    )
    return device, token


# ------------------------------------------------------------------ menus


def test_week_menu_with_items_cutoff_and_my_order(
    center_a, center_b, lunch, dishes, staff_x, canteen_manager, clock
):
    make_menu(center_a, DAY, "dinner", dishes[:1], published=False)  # a draft: not shown
    make_menu(center_b, DAY, "lunch", [make_dish(center_b, "乙区套餐")])  # another center
    dishes[1].allergens = "花生"
    dishes[1].save()
    MenuItem.objects.filter(menu=lunch, dish=dishes[1]).update(daily_limit=30, ordered_count=4)

    response = client_for(staff_x).get(MENUS, {"week": "2026-11-27"})  # Friday: same week
    assert response.status_code == 200
    [card] = response.json()
    assert card["id"] == lunch.pk and card["date"] == "2026-11-25"
    assert card["meal"] == "lunch" and card["meal_display"] == "午餐"
    assert card["can_order"] is True and card["closed_reason"] is None
    assert card["cutoff"].startswith("2026-11-25T09:30:00+08:00")
    assert card["order"] is None
    meat, veg = card["items"]
    assert meat["dish_name"] == "红烧肉套餐" and meat["price"] == "15.00"
    assert meat["category"] == "set_meal" and meat["remaining"] is None
    assert veg["allergens"] == "花生" and veg["daily_limit"] == 30 and veg["remaining"] == 26

    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch, [(lunch.items.get(dish=dishes[0]), 1)]).json()
    card = client_for(staff_x).get(MENUS, {"week": "2026-11-23"}).json()[0]
    assert card["order"]["id"] == order["id"]
    assert card["order"]["pickup_code"] == order["pickup_code"]
    assert card["order"]["total"] == "15.00"

    clock["now"] = MORNING.replace(hour=9, minute=31)
    card = client_for(staff_x).get(MENUS, {"week": "2026-11-25"}).json()[0]
    assert card["can_order"] is False and "截止订餐" in card["closed_reason"]

    # Another week is empty; the default is the current week.
    assert client_for(staff_x).get(MENUS, {"week": "2026-12-07"}).json() == []
    assert [c["id"] for c in client_for(staff_x).get(MENUS).json()] == [lunch.pk]


def test_week_menu_bad_date_is_400_in_chinese(staff_x):
    response = client_for(staff_x).get(MENUS, {"week": "下周"})
    assert response.status_code == 400
    assert "有效的日期" in response.json()["week"][0]


def test_week_menu_query_count_is_constant(center_a, slots, staff_x, canteen_manager):
    client = client_for(staff_x)
    fund(staff_x.person, 100, canteen_manager)
    client.get(MENUS, {"week": "2026-11-23"})  # warm-up

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(MENUS, {"week": "2026-11-23"}).status_code == 200
        return len(ctx)

    menu = make_menu(center_a, DAY, "lunch", [make_dish(center_a)])
    orders.meal_order_place(actor=staff_x, menu=menu, lines=[(menu.items.get(), 1)], now=MORNING)
    few = count()
    for day in (23, 24, 26, 27):
        for meal in ("lunch", "dinner"):
            menu = make_menu(center_a, dt.date(2026, 11, day), meal, [make_dish(center_a)])
            if day > 25:
                orders.meal_order_place(
                    actor=staff_x, menu=menu, lines=[(menu.items.get(), 1)], now=MORNING
                )
    assert count() == few


# ------------------------------------------------------------------ placing orders


def test_place_order_charges_and_replay_returns_the_same_order(lunch, staff_x, canteen_manager):
    wallet = fund(staff_x.person, 50, canteen_manager)
    meat, veg = lunch.items.order_by("sort")
    response = place(staff_x, lunch, [(meat, 1), (veg, 2)], key="order-abc")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["total"] == "24.00" and data["balance_after"] == "26.00"
    assert len(data["pickup_code"]) == 6 and data["pickup_code"].isdigit()
    assert data["pickup_qr"] == "HQMEAL:" + data["pickup_token"]
    assert data["status"] == "placed" and data["menu"]["id"] == lunch.pk
    assert [(line["dish_name"], line["quantity"], line["amount"]) for line in data["lines"]] == [
        ("红烧肉套餐", 1, "15.00"),
        ("清炒时蔬", 2, "9.00"),
    ]

    again = place(staff_x, lunch, [(meat, 1), (veg, 2)], key="order-abc")
    assert again.status_code == 200
    assert again.json()["id"] == data["id"] and again.json()["balance_after"] == "26.00"
    assert MealOrder.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="charge").count() == 1
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("26.00") == ledger_sum(wallet)
    meat.refresh_from_db()
    assert meat.ordered_count == 1


def test_idempotency_key_in_the_body(lunch, staff_x, canteen_manager):
    fund(staff_x.person, 50, canteen_manager)
    item = lunch.items.first()
    body = {"menu": lunch.pk, "items": [{"item": item.pk, "quantity": 1}], "idempotency_key": "b1"}
    first = client_for(staff_x).post(ORDERS, body, format="json")
    second = client_for(staff_x).post(ORDERS, body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert LedgerEntry.objects.filter(kind="charge").count() == 1


ONE = [{"item": "ITEM", "quantity": 1}]


@pytest.mark.parametrize(
    ("body", "key", "field", "needle"),
    [
        ({"items": [{"item": 0, "quantity": 1}]}, "k", "menu", "请选择餐次"),
        ({"menu": "MENU", "items": []}, "k", "items", "至少选择一样"),
        ({"menu": "MENU", "items": [{"item": "ITEM", "quantity": 0}]}, "k", "items", "1 到 20"),
        ({"menu": "MENU", "items": [{"item": "ITEM", "quantity": 21}]}, "k", "items", "1 到 20"),
        ({"menu": "MENU", "items": [{"item": "ITEM", "quantity": "两"}]}, "k", "items", "整数"),
        ({"menu": "MENU", "items": ONE}, "", "idempotency_key", "请求编号"),
        ({"menu": "MENU", "items": ONE}, "x" * 101, "idempotency_key", "100"),
        ({"menu": "MENU", "items": [{"item": "OTHER", "quantity": 1}]}, "k", "items", "不在该餐次"),
        ({"menu": "ELSEWHERE", "items": ONE}, "k", "menu", "餐次不存在"),
        ({"menu": 999999, "items": ONE}, "k", "menu", "餐次不存在"),
        ({"menu": "MENU", "items": "ITEM"}, "k", "items", "列表"),
    ],
)  # fmt: skip
def test_bad_order_input_is_400_and_writes_nothing(
    center_a, center_b, lunch, staff_x, canteen_manager, body, key, field, needle
):
    wallet = fund(staff_x.person, 50, canteen_manager)
    item = lunch.items.first()
    dinner = make_menu(center_a, DAY, "dinner", [make_dish(center_a, "晚餐面")])
    elsewhere = make_menu(center_b, DAY, "lunch", [make_dish(center_b, "乙区面")])
    ids = {"MENU": lunch.pk, "ITEM": item.pk, "OTHER": dinner.items.get().pk}
    ids["ELSEWHERE"] = elsewhere.pk
    body = {
        k: (
            ids.get(v, v)
            if not isinstance(v, list)
            else [{kk: ids.get(vv, vv) for kk, vv in row.items()} for row in v]
        )
        for k, v in body.items()
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = client_for(staff_x).post(ORDERS, body, format="json", **headers)
    assert response.status_code == 400
    assert needle in str(response.json()[field]), response.json()
    assert not MealOrder.objects.exists()
    assert LedgerEntry.objects.filter(wallet=wallet).count() == 1  # the top-up only
    assert set(MenuItem.objects.values_list("ordered_count", flat=True)) == {0}


def test_refused_orders_give_the_reason(center_a, lunch, staff_x, canteen_manager, clock):
    item = lunch.items.order_by("sort").first()  # 15.00
    fund(staff_x.person, 10, canteen_manager)
    poor = place(staff_x, lunch, [(item, 1)], key="a")
    assert poor.status_code == 400 and "余额不足" in poor.json()["non_field_errors"][0]

    fund(staff_x.person, 100, canteen_manager)
    limited = make_menu(center_a, DAY, "dinner", [make_dish(center_a, "限量菜")], limit=1)
    sold_out = place(staff_x, limited, [(limited.items.get(), 2)], key="b")
    assert sold_out.status_code == 400 and "仅剩 1 份" in sold_out.json()["items"][0]

    assert place(staff_x, lunch, [(item, 1)], key="c").status_code == 201
    twice = place(staff_x, lunch, [(item, 1)], key="d")
    assert twice.status_code == 400 and "已订过" in twice.json()["non_field_errors"][0]

    clock["now"] = MORNING.replace(hour=15, minute=0)
    late = place(staff_x, limited, [(limited.items.get(), 1)], key="e")
    assert late.status_code == 400 and "截止订餐" in late.json()["non_field_errors"][0]
    assert MealOrder.objects.count() == 1


def test_account_without_person_cannot_order(center_a, lunch):
    user = User.objects.create_user(username="nobody", password="x", center_id=center_a.pk)
    response = place(user, lunch, [(lunch.items.first(), 1)])
    assert response.status_code == 400
    assert "未关联在职人员" in response.json()["non_field_errors"][0]


def test_anonymous_is_401(lunch):
    for url in (MENUS, ORDERS, WALLET, STATEMENT):
        assert APIClient().get(url).status_code == 401
    assert APIClient().post(VERIFY, {"code": "123456"}).status_code == 401


# ------------------------------------------------------------------ my orders


@pytest.fixture
def two_orders(center_a, lunch, staff_x, staff_y, canteen_manager):
    """staff_x: lunch on DAY (collected later in some tests) and dinner; staff_y: lunch."""
    dinner = make_menu(center_a, DAY, "dinner", [make_dish(center_a, "牛肉面", "12.00")])
    fund(staff_x.person, 100, canteen_manager)
    fund(staff_y.person, 100, canteen_manager)
    mine_lunch = orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(lunch.items.first(), 1)], now=MORNING
    )
    mine_dinner = orders.meal_order_place(
        actor=staff_x, menu=dinner, lines=[(dinner.items.get(), 1)], now=MORNING
    )
    theirs = orders.meal_order_place(
        actor=staff_y, menu=lunch, lines=[(lunch.items.first(), 1)], now=MORNING
    )
    return mine_lunch, mine_dinner, theirs


def test_my_orders_list_filters_and_detail(staff_x, two_orders):
    mine_lunch, mine_dinner, _theirs = two_orders
    api = client_for(staff_x)
    listed = api.get(ORDERS)
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert {o["id"] for o in rows(listed)} == {mine_lunch.pk, mine_dinner.pk}
    assert [o["id"] for o in rows(api.get(ORDERS, {"meal": "dinner"}))] == [mine_dinner.pk]
    orders.meal_order_cancel(actor=staff_x, order=mine_dinner, now=MORNING)
    assert [o["id"] for o in rows(api.get(ORDERS, {"status": "placed"}))] == [mine_lunch.pk]
    assert rows(api.get(ORDERS, {"date_from": "2026-11-26"})) == []
    assert len(rows(api.get(ORDERS, {"date_from": "2026-11-25", "date_to": "2026-11-25"}))) == 2
    bad = api.get(ORDERS, {"date_from": "昨天"})
    assert bad.status_code == 400
    detail = api.get(f"{ORDERS}{mine_lunch.pk}/")
    assert detail.status_code == 200 and detail.json()["pickup_code"] == mine_lunch.pickup_code


def test_another_persons_or_centers_order_is_404(
    staff_x, staff_y, staff_b, admin_b, canteen_manager, two_orders
):
    _lunch, _dinner, theirs = two_orders
    # The canteen manager sees every order in the manager pages, but "my orders" is their own.
    for user in (staff_x, canteen_manager, staff_b, admin_b):
        api = client_for(user)
        assert api.get(f"{ORDERS}{theirs.pk}/").status_code == 404
        assert theirs.pk not in [o["id"] for o in rows(api.get(ORDERS))]
        item = theirs.lines.get().item_id
        change = api.post(
            f"{ORDERS}{theirs.pk}/change/",
            {"items": [{"item": item, "quantity": 2}]},
            format="json",
        )
        assert change.status_code == 404
        assert api.post(f"{ORDERS}{theirs.pk}/cancel/").status_code == 404
    assert client_for(staff_x).get(f"{ORDERS}abc/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "placed" and theirs.lines.get().quantity == 1


def test_change_and_cancel(lunch, staff_x, canteen_manager, clock):
    wallet = fund(staff_x.person, 50, canteen_manager)
    meat, veg = lunch.items.order_by("sort")
    order = place(staff_x, lunch, [(meat, 1)]).json()
    api = client_for(staff_x)
    url = f"{ORDERS}{order['id']}/"

    changed = api.post(
        url + "change/",
        {"items": [{"item": meat.pk, "quantity": 1}, {"item": veg.pk, "quantity": 2}]},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["total"] == "24.00" and changed.json()["balance_after"] == "26.00"

    empty = api.post(url + "change/", {"items": []}, format="json")
    assert empty.status_code == 400 and "取消接口" in empty.json()["items"][0]
    assert MealOrder.objects.get().status == "placed"
    too_many = api.post(
        url + "change/", {"items": [{"item": meat.pk, "quantity": 30}]}, format="json"
    )
    assert too_many.status_code == 400

    cancelled = api.post(url + "cancel/")
    assert cancelled.status_code == 200
    assert (
        cancelled.json()["status"] == "cancelled" and cancelled.json()["balance_after"] == "50.00"
    )
    again = api.post(url + "cancel/")
    assert again.status_code == 400 and "不能取消" in again.json()["non_field_errors"][0]
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("50.00") == ledger_sum(wallet)
    assert set(MenuItem.objects.values_list("ordered_count", flat=True)) == {0}


def test_cancel_after_cutoff_refused(lunch, staff_x, canteen_manager, clock):
    fund(staff_x.person, 50, canteen_manager)
    order = place(staff_x, lunch, [(lunch.items.first(), 1)]).json()
    clock["now"] = MORNING.replace(hour=10)
    response = client_for(staff_x).post(f"{ORDERS}{order['id']}/cancel/")
    assert response.status_code == 400 and "截止" in response.json()["non_field_errors"][0]
    assert MealOrder.objects.get().status == "placed"


def test_orders_and_statement_query_counts_are_constant(center_a, slots, staff_x, canteen_manager):
    """3 orders or 12: the same number of queries for my orders and my statement."""
    fund(staff_x.person, 1000, canteen_manager)
    days = [DAY + dt.timedelta(days=i) for i in (0, 1, 2, 5, 6, 7)]  # the workdays ahead
    menus = [
        make_menu(center_a, day, meal, [make_dish(center_a)])
        for day in days
        for meal in ("lunch", "dinner")
    ]
    api = client_for(staff_x)

    def order(some):
        for menu in some:
            orders.meal_order_place(
                actor=staff_x, menu=menu, lines=[(menu.items.get(), 1)], now=MORNING
            )

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200
        return len(rows(response)), len(ctx)

    order(menus[:3])
    api.get(ORDERS)  # warm-up (permission cache)
    few_orders, few_statement = count(ORDERS), count(STATEMENT)
    order(menus[3:])
    many_orders, many_statement = count(ORDERS), count(STATEMENT)
    assert (few_orders[0], many_orders[0]) == (3, 12)
    assert few_orders[1] == many_orders[1]
    assert (few_statement[0], many_statement[0]) == (4, 13)
    assert few_statement[1] == many_statement[1]


# ------------------------------------------------------------------ wallet


def test_wallet_and_statement(lunch, staff_x, staff_y, canteen_manager):
    api = client_for(staff_x)
    empty = api.get(WALLET)
    assert empty.status_code == 200
    assert empty.json() == {
        "id": None,
        "holder": "职工甲",
        "balance": "0.00",
        "status": "open",
        "status_display": "正常",
        "closed_at": None,
    }
    assert api.get(STATEMENT).json()["count"] == 0

    wallet = fund(staff_x.person, 50, canteen_manager)
    fund(staff_y.person, 80, canteen_manager)
    place(staff_x, lunch, [(lunch.items.order_by("sort").first(), 1)])
    data = api.get(WALLET).json()
    assert data["id"] == wallet.pk and data["balance"] == "35.00" and data["status"] == "open"

    statement = api.get(STATEMENT)
    assert statement.status_code == 200 and statement.json()["count"] == 2
    charge, topup = rows(statement)
    assert (charge["kind"], charge["amount"], charge["balance_after"]) == (
        "charge",
        "-15.00",
        "35.00",
    )
    assert charge["kind_display"] == "消费" and charge["order"] is not None
    assert (topup["kind"], topup["amount"], topup["method_display"]) == ("topup", "50.00", "现金")
    assert [r["kind"] for r in rows(api.get(STATEMENT, {"kind": "topup"}))] == ["topup"]
    assert rows(api.get(STATEMENT, {"date_from": "2026-11-26"})) == []
    assert len(rows(api.get(STATEMENT, {"date_to": "2026-11-25"}))) == 2
    # Only their own wallet: the finance-style view of all wallets is not in this API.
    other = client_for(staff_y).get(STATEMENT).json()
    assert other["count"] == 1 and rows(client_for(staff_y).get(STATEMENT))[0]["amount"] == "80.00"
    assert client_for(canteen_manager).get(STATEMENT).json()["count"] == 0


def test_wallet_without_person_is_404(center_a):
    user = User.objects.create_user(username="nobody", password="x", center_id=center_a.pk)
    response = client_for(user).get(WALLET)
    assert response.status_code == 404 and "没有餐卡" in response.json()["detail"]
    assert client_for(user).get(STATEMENT).json()["count"] == 0


# ------------------------------------------------------------------ pickup


@pytest.fixture
def placed(lunch, staff_x, canteen_manager):
    fund(staff_x.person, 50, canteen_manager)
    return orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(lunch.items.order_by("sort").first(), 2)], now=MORNING
    )


def test_device_verifies_code_once(placed, device, clock, agency_x):
    device, token = device
    clock["now"] = NOON
    api = device_client(token)
    first = api.post(VERIFY, {"code": placed.pickup_code}, format="json")  # the current meal
    assert first.status_code == 200, first.json()
    data = first.json()
    assert data["result"] == "collected" and data["order"] == placed.pk
    assert data["person"] == "职工甲" and data["agency"] == agency_x.name
    assert data["lines"] == [{"dish_name": "红烧肉套餐", "quantity": 2}]
    assert data["collected_at"].startswith("2026-11-25T11:45:00+08:00")
    assert data["menu"]["name"] == "11月25日午餐"

    clock["now"] = NOON + dt.timedelta(minutes=5)
    second = api.post(VERIFY, {"code": placed.pickup_code, "menu": placed.menu_id}, format="json")
    assert second.status_code == 200
    assert second.json()["result"] == "already_collected"
    assert second.json()["collected_at"] == data["collected_at"]
    assert "11:45" in second.json()["message"]
    placed.refresh_from_db()
    device.refresh_from_db()
    assert placed.status == "collected" and placed.collected_device == device
    assert placed.collected_by is None and device.last_used_at == NOON


def test_user_with_permission_verifies_qr_token(placed, canteen_manager, clock):
    clock["now"] = NOON
    api = client_for(canteen_manager)
    response = api.post(VERIFY, {"code": "HQMEAL:" + placed.pickup_token}, format="json")
    assert response.status_code == 200 and response.json()["result"] == "collected"
    placed.refresh_from_db()
    assert placed.collected_by == canteen_manager
    again = api.post(VERIFY, {"code": placed.pickup_token}, format="json")
    assert again.json()["result"] == "already_collected"


@pytest.mark.parametrize(
    ("code", "menu", "clock_at", "field", "needle"),
    [
        ("", None, NOON, "code", "请输入取餐码"),
        ("000000", None, NOON, "code", "取餐码无效"),
        ("not-a-token", None, NOON, "code", "取餐码无效"),
        ("CODE", 999999, NOON, "menu", "餐次不存在"),
        ("CODE", None, MORNING, "code", "未到取餐时间"),
        ("CODE", None, NOON + dt.timedelta(days=1), "code", None),
    ],
)
def test_verify_bad_input_is_400_and_collects_nothing(
    placed, device, clock, code, menu, clock_at, field, needle
):
    _device, token = device
    clock["now"] = clock_at
    body = {"code": placed.pickup_code if code == "CODE" else code}
    if menu:
        body["menu"] = menu
    if needle is None:  # the next day: no current menu for the code, or the QR is stale
        body = {"code": placed.pickup_token}
        needle = "不是今天的订单"
    response = device_client(token).post(VERIFY, body, format="json")
    assert response.status_code == 400
    assert needle in str(response.json()[field]), response.json()
    placed.refresh_from_db()
    assert placed.status == "placed" and placed.collected_at is None


def test_cancelled_order_cannot_be_collected(placed, staff_x, device, clock):
    orders.meal_order_cancel(actor=staff_x, order=placed, now=MORNING)
    clock["now"] = NOON
    response = device_client(device[1]).post(VERIFY, {"code": placed.pickup_token}, format="json")
    assert response.status_code == 400 and "已取消" in response.json()["code"][0]


def test_device_token_works_only_on_verify(placed, device, clock):
    _device, token = device
    api = device_client(token)
    for url in (MENUS, ORDERS, f"{ORDERS}{placed.pk}/", WALLET, STATEMENT, "/api/v1/vehicles/"):
        assert api.get(url).status_code == 401, url
    assert api.post(f"{ORDERS}{placed.pk}/cancel/").status_code == 401
    body = {"menu": placed.menu_id, "items": [{"item": placed.lines.get().item_id, "quantity": 1}]}
    assert api.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="dev").status_code == 401
    assert api.get("/api/schema/").status_code in (401, 403)
    placed.refresh_from_db()
    assert placed.status == "placed"


def test_revoked_unknown_and_malformed_device_tokens_are_refused(
    placed, device, canteen_manager, clock
):
    device, token = device
    clock["now"] = NOON
    body = {"code": placed.pickup_code}
    for header in (f"Device {token}x", "Device hqd_unknown", "Device", "Device a b"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.post(VERIFY, body, format="json")
        assert response.status_code == 401, header
        assert "终端令牌" in response.json()["detail"]
    devices.pickup_device_revoke(actor=canteen_manager, device=device)
    response = device_client(token).post(VERIFY, body, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Device"
    placed.refresh_from_db()
    assert placed.status == "placed"


def test_verify_scoping_and_permission(placed, staff_x, admin_b, center_b, clock, canteen_manager):
    clock["now"] = NOON
    # A plain staff user (and the orderer) may not hand out meals: 403.
    response = client_for(staff_x).post(VERIFY, {"code": placed.pickup_code}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == "无权执行此操作。"
    # Center B: its manager and its device do not find center A's orders.
    manager_b = make_user(
        PersonFactory(agency=admin_b.person.agency, name="乙区食堂"),
        "canteen_manager",
        username="canteen_b",
    )
    _device_b, token_b = devices.pickup_device_create(
        actor=manager_b, center=center_b, name="乙区窗口"
    )
    for api in (client_for(manager_b), device_client(token_b)):
        for body in (
            {"code": placed.pickup_token},
            {"code": placed.pickup_code, "menu": placed.menu_id},
        ):
            response = api.post(VERIFY, body, format="json")
            assert response.status_code == 400, response.json()
    placed.refresh_from_db()
    assert placed.status == "placed"


def test_wallet_balance_equals_ledger_after_api_round_trip(lunch, staff_x, canteen_manager):
    wallet = fund(staff_x.person, 100, canteen_manager)
    meat, veg = lunch.items.order_by("sort")
    order = place(staff_x, lunch, [(meat, 2)], key="r1").json()
    api = client_for(staff_x)
    api.post(
        f"{ORDERS}{order['id']}/change/",
        {"items": [{"item": veg.pk, "quantity": 3}]},
        format="json",
    )
    place(staff_x, lunch, [(meat, 2)], key="r1")  # replay after a change: no new charge
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("86.50") == ledger_sum(wallet)
    assert Wallet.objects.get().balance == Decimal(api.get(WALLET).json()["balance"])
