"""Menu management pages: dishes, meal settings, the week grid, one menu, 停供."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from houqin.canteen.models import Dish, LedgerEntry, MealOrder, MealSlot, Menu
from houqin.canteen.services import orders
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu
from .test_menus import HOLIDAY_WEEK, MONDAY, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区食堂"), Role.CANTEEN_MANAGER, username="cm_b"
    )


@pytest.fixture
def leader_a(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="领导甲"), Role.LEADER, username="ld_a")


@pytest.fixture
def manager(client, canteen_manager):
    client.force_login(canteen_manager)
    return client


def page(response):
    return response.content.decode()


def edit_url(day, meal="lunch"):
    return reverse("canteen:menu_edit", args=[day.isoformat(), meal])


def week_url(monday):
    return f"{reverse('canteen:menu_week')}?week={monday.isoformat()}"


# ------------------------------------------------------------------ dishes


def test_dish_list_filters_and_exports(manager, dishes, center_a):
    make_dish(center_a, "停售菜", is_active=False)
    html = page(manager.get(reverse("canteen:dish_list")))
    assert "红烧肉套餐" in html and "15.00 元" in html and "停售菜" in html
    html = page(manager.get(reverse("canteen:dish_list"), {"category": "vegetable"}))
    assert "清炒时蔬" in html and "红烧肉套餐" not in html
    html = page(manager.get(reverse("canteen:dish_list"), {"is_active": "0"}))
    assert "停售菜" in html and "清炒时蔬" not in html
    html = page(manager.get(reverse("canteen:dish_list"), {"q": "红烧"}))
    assert "红烧肉套餐" in html and "清炒时蔬" not in html
    response = manager.get(reverse("canteen:dish_list"), {"export": "xlsx", "is_active": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("菜名", "类别", "价格（元）")
    assert {r[0] for r in rows[1:]} == {"红烧肉套餐", "清炒时蔬"}
    assert ("红烧肉套餐", "套餐", 15) in [r[:3] for r in rows]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_dish_list_query_count_constant(manager, center_a):
    for i in range(3):
        make_dish(center_a, f"菜{i}", photo="canteen/dishes/x.png")
    few = _count(manager, reverse("canteen:dish_list"))
    for i in range(3, 30):
        make_dish(center_a, f"菜{i}")
    assert _count(manager, reverse("canteen:dish_list")) == few


def test_dish_create_happy_path_and_errors(manager, center_a, dishes):
    url = reverse("canteen:dish_create")
    assert "新增菜品" in page(manager.get(url))
    response = manager.post(
        url,
        {
            "name": "宫保鸡丁",
            "category": "meat",
            "price": "18.50",
            "allergens": "花生",
            "is_active": "on",
            "photo": png(),
        },
    )
    assert response.status_code == 302
    dish = Dish.objects.get(name="宫保鸡丁")
    assert dish.price == Decimal("18.50") and dish.photo and dish.is_active
    html = page(manager.post(url, {"name": "红烧肉套餐", "category": "meat", "price": "-1"}))
    assert "已有同名菜品。" in html and "价格不能为负数。" in html
    html = page(manager.post(url, {"name": "", "category": "", "price": ""}))
    assert "请填写菜名。" in html and "请选择类别。" in html and "请填写价格。" in html
    fake = png("x.png")
    fake.file = io.BytesIO(b"not an image")
    html = page(
        manager.post(url, {"name": "坏图", "category": "meat", "price": "1", "photo": fake})
    )
    assert "不是有效的图片" in html
    assert Dish.objects.count() == 3


def test_dish_edit_photo_and_remove(manager, client, canteen_manager, center_a, staff_x):
    dish = make_dish(center_a, "带图菜")
    url = reverse("canteen:dish_edit", args=[dish.pk])
    data = {"name": "带图菜", "category": "meat", "price": "12.00", "is_active": "on"}
    assert manager.post(url, {**data, "photo": png()}).status_code == 302
    dish.refresh_from_db()
    assert dish.photo
    html = page(manager.get(url))
    assert reverse("canteen:dish_photo", args=[dish.pk]) in html and "删除现有照片" in html
    photo = manager.get(reverse("canteen:dish_photo", args=[dish.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    client.force_login(staff_x)  # everyone of the center sees dish photos on the menu
    assert client.get(reverse("canteen:dish_photo", args=[dish.pk])).status_code == 200
    client.force_login(canteen_manager)
    assert manager.post(url, {**data, "remove_photo": "on", "price": "13"}).status_code == 302
    dish.refresh_from_db()
    assert not dish.photo and dish.price == Decimal("13.00")
    assert manager.get(reverse("canteen:dish_photo", args=[dish.pk])).status_code == 404


def test_dish_edit_error_keeps_dish(manager, dishes):
    meat = dishes[0]
    url = reverse("canteen:dish_edit", args=[meat.pk])
    html = page(manager.post(url, {"name": "清炒时蔬", "category": "meat", "price": "15"}))
    assert "已有同名菜品。" in html
    meat.refresh_from_db()
    assert meat.name == "红烧肉套餐"


def test_dish_pages_scoped(client, manager_b, staff_x, leader_a, dishes):
    meat = dishes[0]
    client.force_login(manager_b)
    assert client.get(reverse("canteen:dish_edit", args=[meat.pk])).status_code == 404
    assert client.get(reverse("canteen:dish_photo", args=[meat.pk])).status_code == 404
    assert "红烧肉套餐" not in page(client.get(reverse("canteen:dish_list")))
    for user in (staff_x, leader_a):
        client.force_login(user)
        assert client.get(reverse("canteen:dish_list")).status_code == 403
        assert client.get(reverse("canteen:dish_create")).status_code == 403
        assert client.get(reverse("canteen:dish_edit", args=[meat.pk])).status_code == 403


# ------------------------------------------------------------------ meal settings


def slot_post(meal="lunch", **changes):
    data = {
        "serve_from": "11:30",
        "serve_until": "13:00",
        "cutoff_days_before": "0",
        "cutoff_time": "09:30",
        "order_days_ahead": "7",
        "charge_uncollected": "on",
        "is_active": "on",
        **changes,
    }
    return {"meal": meal, **{f"{meal}-{k}": v for k, v in data.items() if v is not None}}


def test_slot_settings_saves_one_meal(manager, center_a):
    html = page(manager.get(reverse("canteen:slot_settings")))
    assert html.count('name="meal"') == 3 and "未取餐照常扣费" in html
    assert 'value="09:30"' in html  # default lunch cut-off offered
    data = slot_post(**{"cutoff_time": "10:00"})
    data.pop("lunch-charge_uncollected")
    response = manager.post(reverse("canteen:slot_settings"), data)
    assert response.status_code == 302
    slot = MealSlot.objects.get(center=center_a, meal="lunch")
    assert slot.cutoff_time == dt.time(10, 0) and slot.charge_uncollected is False
    assert MealSlot.objects.count() == 1


def test_slot_settings_errors(manager, slots):
    html = page(manager.post(reverse("canteen:slot_settings"), slot_post(serve_until="11:00")))
    assert "收餐时间须晚于开餐时间。" in html
    html = page(manager.post(reverse("canteen:slot_settings"), slot_post(cutoff_time="12:00")))
    assert "当天截止的餐次，截止时间不能晚于开餐时间。" in html
    html = page(manager.post(reverse("canteen:slot_settings"), slot_post(order_days_ahead="x")))
    assert "请填写 1 到 31 之间的整数。" in html
    lunch = MealSlot.objects.get(meal="lunch")
    assert lunch.serve_until == dt.time(13, 0) and lunch.cutoff_time == dt.time(9, 30)
    response = manager.post(reverse("canteen:slot_settings"), {"meal": "tea"})
    assert response.status_code == 302


def test_slot_settings_forbidden(client, staff_x, leader_a):
    for user in (staff_x, leader_a):
        client.force_login(user)
        assert client.get(reverse("canteen:slot_settings")).status_code == 403
        response = client.post(reverse("canteen:slot_settings"), slot_post())
        assert response.status_code == 403
    assert not MealSlot.objects.exists()


# ------------------------------------------------------------------ the week grid


def test_week_grid_shows_menus_status_and_holidays(manager, center_a, slots, dishes):
    make_menu(center_a, DAY, "lunch", dishes, limit=50)
    make_menu(center_a, DAY, "dinner", dishes[:1], published=False)
    html = page(manager.get(week_url(MONDAY)))
    assert 'data-cell="2026-11-25-lunch"' in html
    assert "已发布" in html and "草稿" in html and "0/50 份" in html
    assert "发布本周" in html and "复制上周" in html
    assert "（1 个草稿）" in html
    html = page(manager.get(week_url(HOLIDAY_WEEK)))
    assert "国庆节" in html and html.count("data-closed") == 4  # Thu–Sun of that week
    # Any day of the week shows the whole week (from its Monday).
    assert "2026年11月23日" in page(manager.get(week_url(DAY)))
    assert manager.get(reverse("canteen:menu_week") + "?week=bad").status_code == 200


def test_week_publish_and_copy(manager, center_a, slots, dishes, staff_x):
    make_menu(center_a, DAY, "lunch", dishes, published=False)
    response = manager.post(
        reverse("canteen:menu_week"), {"week": MONDAY.isoformat(), "action": "publish"}
    )
    assert response.status_code == 302 and response.url == week_url(MONDAY)
    assert Menu.objects.get(date=DAY).status == Menu.Status.PUBLISHED
    html = page(
        manager.post(
            reverse("canteen:menu_week"),
            {"week": (MONDAY + dt.timedelta(days=7)).isoformat(), "action": "copy"},
            follow=True,
        )
    )
    assert "已从上周复制 1 个餐次的菜单（草稿）" in html
    copied = Menu.objects.get(date=DAY + dt.timedelta(days=7))
    assert copied.status == Menu.Status.DRAFT and copied.items.count() == 2
    html = page(
        manager.post(
            reverse("canteen:menu_week"),
            {"week": MONDAY.isoformat(), "action": "publish"},
            follow=True,
        )
    )
    assert "本周没有可发布的草稿菜单。" in html


def test_week_grid_query_count_constant(manager, center_a, slots):
    dishes = [make_dish(center_a, f"菜{i}") for i in range(12)]
    make_menu(center_a, MONDAY, "lunch", dishes[:2])
    few = _count(manager, week_url(MONDAY))
    for offset in range(5):
        for meal in ("breakfast", "lunch", "dinner"):
            day = MONDAY + dt.timedelta(days=offset)
            if not Menu.objects.filter(date=day, meal=meal).exists():
                make_menu(center_a, day, meal, dishes)
    assert _count(manager, week_url(MONDAY)) == few


def test_week_pages_forbidden(client, staff_x, leader_a):
    for user in (staff_x, leader_a):
        client.force_login(user)
        assert client.get(reverse("canteen:menu_week")).status_code == 403
        assert client.get(edit_url(DAY)).status_code == 403
        response = client.post(reverse("canteen:menu_week"), {"action": "copy"})
        assert response.status_code == 403


# ------------------------------------------------------------------ one menu


def menu_post(dishes, *, limits=None, prices=None, action="save", **extra):
    data = {"action": action, "note": "", **extra}
    for i, dish in enumerate(dishes):
        data[f"pick_{dish.pk}"] = "on"
        data[f"limit_{dish.pk}"] = (limits or {}).get(i, "")
        data[f"price_{dish.pk}"] = (prices or {}).get(i, "")
    return data


def test_menu_edit_creates_draft(manager, center_a, slots, dishes):
    html = page(manager.get(edit_url(DAY)))
    assert "未编排" in html and "红烧肉套餐" in html and "节假日开餐" not in html
    response = manager.post(
        edit_url(DAY), menu_post(dishes, limits={0: "30"}, prices={1: "5.00"}, note="周三")
    )
    assert response.status_code == 302 and response.url == week_url(MONDAY)
    menu = Menu.objects.get(date=DAY, meal="lunch")
    assert menu.status == Menu.Status.DRAFT and menu.note == "周三"
    items = {i.dish.name: (i.daily_limit, i.price) for i in menu.items.select_related("dish")}
    assert items == {"红烧肉套餐": (30, Decimal("15.00")), "清炒时蔬": (None, Decimal("5.00"))}
    html = page(manager.get(edit_url(DAY)))
    assert 'data-status="draft"' in html and "停供该餐次" in html


def test_menu_edit_save_and_publish(manager, center_a, slots, dishes):
    response = manager.post(edit_url(DAY), menu_post(dishes, action="save_publish"))
    assert response.status_code == 302
    menu = Menu.objects.get(date=DAY, meal="lunch")
    assert menu.status == Menu.Status.PUBLISHED and menu.published_at


def test_menu_edit_publish_button(manager, center_a, slots, dishes):
    make_menu(center_a, DAY, "dinner", published=False)
    html = page(manager.post(edit_url(DAY, "dinner"), {"action": "publish"}, follow=True))
    assert "还没有菜品，不能发布。" in html
    make_menu(center_a, DAY, "lunch", dishes, published=False)
    html = page(manager.post(edit_url(DAY), {"action": "publish"}, follow=True))
    assert "已发布" in html
    assert Menu.objects.get(date=DAY, meal="lunch").status == Menu.Status.PUBLISHED
    assert manager.post(edit_url(DAY, "breakfast"), {"action": "publish"}).status_code == 404


def test_menu_edit_errors_shown_nothing_written(
    manager, center_a, canteen_manager, lunch, dishes, staff_x
):
    fund(staff_x.person, 100, canteen_manager)
    item = lunch.items.get(dish=dishes[0])
    orders.meal_order_place(actor=staff_x, menu=lunch, lines=[(item.pk, 2)], now=MORNING)
    html = page(manager.post(edit_url(DAY), menu_post(dishes, limits={0: "1"})))
    assert "“红烧肉套餐”已订 2 份，限量不能低于此数。" in html
    html = page(manager.post(edit_url(DAY), menu_post(dishes[1:])))
    assert "“红烧肉套餐”已有人订，不能从菜单移除。" in html
    html = page(manager.post(edit_url(DAY), menu_post(dishes, limits={0: "-3"}, prices={1: "x"})))
    assert "限量须为 0 到 10000 的整数。" in html and "请填写有效的价格。" in html
    html = page(manager.post(edit_url(DAY), {"action": "save"}))
    assert "至少要保留一样菜品" in html
    item.refresh_from_db()
    assert item.daily_limit is None and lunch.items.count() == 2


def test_menu_edit_holiday_open(manager, center_a, slots, dishes):
    national_day = dt.date(2026, 10, 1)
    html = page(manager.get(edit_url(national_day)))
    assert "该日为国庆节" in html and "节假日开餐" in html
    response = manager.post(
        edit_url(national_day), menu_post(dishes, action="save_publish"), follow=True
    )
    assert "已保存为草稿，但未能发布" in page(response)
    assert Menu.objects.get(date=national_day).status == Menu.Status.DRAFT
    manager.post(
        edit_url(national_day), menu_post(dishes, action="save_publish", holiday_open="on")
    )
    menu = Menu.objects.get(date=national_day)
    assert menu.holiday_open and menu.status == Menu.Status.PUBLISHED


def test_menu_edit_bad_urls(manager):
    assert manager.get("/canteen/manage/menus/2026-13-45/lunch/").status_code == 404
    assert manager.get("/canteen/manage/menus/2026-11-25/supper/").status_code == 404


def test_menu_edit_other_center(client, manager_b, lunch, dishes):
    client.force_login(manager_b)
    html = page(client.get(edit_url(DAY)))
    assert "红烧肉套餐" not in html and "未编排" in html  # B sees its own (empty) lunch
    # A's dishes are not offered to B, and posting their ids adds nothing.
    response = client.post(edit_url(DAY), menu_post(dishes))
    assert "请至少选择一样菜品。" in page(response)
    assert not Menu.objects.filter(center=manager_b.center).exists()


# ------------------------------------------------------------------ 停供


def _has_my_orders():
    try:
        reverse("canteen:my_orders")
    except NoReverseMatch:
        return False
    return True


def test_menu_cancel_refunds_and_redirects(manager, canteen_manager, lunch, staff_x):
    if not _has_my_orders():
        pytest.skip("the staff pages (canteen:my_orders) are not merged yet")
    wallet = fund(staff_x.person, 50, canteen_manager)
    orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(lunch.items.first().pk, 1)], now=MORNING
    )
    response = manager.post(reverse("canteen:menu_cancel", args=[lunch.pk]), {"reason": "停水"})
    assert response.status_code == 302 and response.url == week_url(MONDAY)
    lunch.refresh_from_db()
    wallet.refresh_from_db()
    assert lunch.status == Menu.Status.CANCELLED and lunch.note == "停水"
    assert MealOrder.objects.get().status == MealOrder.Status.CANCELLED
    assert wallet.balance == Decimal("50.00")
    assert LedgerEntry.objects.filter(kind="refund").count() == 1


def test_menu_cancel_without_orders(manager, lunch):
    response = manager.post(reverse("canteen:menu_cancel", args=[lunch.pk]), {"reason": "停电"})
    assert response.status_code == 302
    lunch.refresh_from_db()
    assert lunch.status == Menu.Status.CANCELLED
    html = page(manager.get(edit_url(DAY)))
    assert "该餐次已停供：停电" in html and "停供该餐次" not in html


def test_menu_cancel_needs_reason(manager, lunch):
    html = page(manager.post(reverse("canteen:menu_cancel", args=[lunch.pk]), {"reason": ""}))
    assert "请填写停供原因。" in html
    lunch.refresh_from_db()
    assert lunch.status == Menu.Status.PUBLISHED


def test_menu_cancel_scoped(client, manager_b, staff_x, lunch):
    url = reverse("canteen:menu_cancel", args=[lunch.pk])
    client.force_login(manager_b)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(staff_x)
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert client.get(url).status_code == 403
    lunch.refresh_from_db()
    assert lunch.status == Menu.Status.PUBLISHED
