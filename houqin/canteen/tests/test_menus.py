"""Menu management services: meal settings, dishes, menus, publishing and copying a week."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from houqin.canteen.models import Dish, MealSlot, Menu, MenuItem
from houqin.canteen.services import menus, orders
from houqin.core.notifications.models import Notification
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu

pytestmark = pytest.mark.django_db

MONDAY = DAY - dt.timedelta(days=DAY.weekday())  # 2026-11-23
PRE_HOLIDAY_WEEK = dt.date(2026, 9, 21)  # Mon–Thu workdays, Fri 9/25 中秋节
HOLIDAY_WEEK = dt.date(2026, 9, 28)  # Mon–Wed workdays, Thu 10/1 国庆节 onwards


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="dish.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区食堂"), Role.CANTEEN_MANAGER, username="cm_b"
    )


def order(staff, menu, *lines):
    return orders.meal_order_place(actor=staff, menu=menu, lines=list(lines), now=MORNING)


# ------------------------------------------------------------------ meal slots


SLOT = {
    "serve_from": dt.time(11, 30),
    "serve_until": dt.time(13, 0),
    "cutoff_days_before": 0,
    "cutoff_time": dt.time(9, 30),
    "order_days_ahead": 7,
    "charge_uncollected": True,
    "is_active": True,
}


def test_slot_created_then_updated(center_a, canteen_manager):
    slot = menus.meal_slot_save(actor=canteen_manager, center=center_a, meal="lunch", **SLOT)
    assert slot.pk and slot.cutoff_time == dt.time(9, 30)
    again = menus.meal_slot_save(
        actor=canteen_manager,
        center=center_a,
        meal="lunch",
        **{**SLOT, "cutoff_time": dt.time(10, 0), "charge_uncollected": False},
    )
    assert again.pk == slot.pk and MealSlot.objects.count() == 1
    assert again.cutoff_time == dt.time(10, 0) and again.charge_uncollected is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"serve_until": dt.time(11, 0)}, "serve_until", "收餐时间须晚于开餐时间"),
        ({"cutoff_days_before": 8}, "cutoff_days_before", "0 到 7"),
        ({"cutoff_time": dt.time(12, 0)}, "cutoff_time", "不能晚于开餐时间"),
        ({"order_days_ahead": 0}, "order_days_ahead", "1 到 31"),
        ({"order_days_ahead": 40}, "order_days_ahead", "1 到 31"),
        ({"serve_from": None}, "serve_from", "请填写时间"),
    ],
)
def test_slot_validation(center_a, canteen_manager, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        menus.meal_slot_save(
            actor=canteen_manager, center=center_a, meal="lunch", **{**SLOT, **changes}
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert not MealSlot.objects.exists()


def test_slot_day_before_cutoff_may_be_later_than_serving(center_a, canteen_manager):
    slot = menus.meal_slot_save(
        actor=canteen_manager,
        center=center_a,
        meal="breakfast",
        **{
            **SLOT,
            "serve_from": dt.time(7, 0),
            "serve_until": dt.time(8, 30),
            "cutoff_days_before": 1,
            "cutoff_time": dt.time(17, 0),
        },
    )
    assert slot.cutoff_days_before == 1


def test_slot_unknown_meal_and_permissions(center_a, canteen_manager, staff_x, manager_b):
    with pytest.raises(ValidationError, match="请选择餐次"):
        menus.meal_slot_save(actor=canteen_manager, center=center_a, meal="supper", **SLOT)
    with pytest.raises(PermissionDenied):
        menus.meal_slot_save(actor=staff_x, center=center_a, meal="lunch", **SLOT)
    with pytest.raises(PermissionDenied):
        menus.meal_slot_save(actor=manager_b, center=center_a, meal="lunch", **SLOT)


# ------------------------------------------------------------------ dishes


def test_dish_create_and_update(center_a, canteen_manager):
    dish = menus.dish_create(
        actor=canteen_manager,
        center=center_a,
        name=" 宫保鸡丁 ",
        category="meat",
        price="18.5",
        allergens="花生",
        photo=png(),
    )
    assert dish.name == "宫保鸡丁" and dish.price == Decimal("18.50") and dish.photo
    dish = menus.dish_update(
        actor=canteen_manager,
        dish=dish,
        name="宫保鸡丁",
        category="meat",
        price="19",
        is_active=False,
        remove_photo=True,
    )
    dish.refresh_from_db()
    assert dish.price == Decimal("19.00") and not dish.is_active and not dish.photo


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "请填写菜名"),
        ({"name": "红烧肉套餐"}, "name", "已有同名菜品"),
        ({"category": "x"}, "category", "请选择类别"),
        ({"price": "-1"}, "price", "不能为负数"),
        ({"price": "abc"}, "price", "有效的价格"),
        ({"price": "1.234"}, "price", "两位小数"),
        ({"price": "1000"}, "price", "999"),
    ],
)
def test_dish_validation(center_a, canteen_manager, dishes, data, field, message):
    fields = {"name": "新菜", "category": "meat", "price": "10", **data}
    with pytest.raises(ValidationError) as exc:
        menus.dish_create(actor=canteen_manager, center=center_a, **fields)
    assert message in " ".join(exc.value.message_dict[field])
    assert Dish.objects.count() == 2


def test_dish_photo_must_be_an_image(center_a, canteen_manager):
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        menus.dish_create(
            actor=canteen_manager, center=center_a, name="a", category="meat", price=1, photo=fake
        )
    assert "不是有效的图片" in exc.value.message_dict["photo"][0]


def test_same_dish_name_allowed_in_another_center(center_a, dishes, manager_b):
    dish = menus.dish_create(
        actor=manager_b, center=manager_b.center, name="红烧肉套餐", category="meat", price=9
    )
    assert dish.center_id != center_a.pk


# ------------------------------------------------------------------ menus


def test_menu_save_creates_draft_with_prices_and_limits(center_a, canteen_manager, dishes):
    meat, veg = dishes
    menu = menus.menu_save(
        actor=canteen_manager,
        center=center_a,
        date=DAY,
        meal="lunch",
        items=[{"dish": veg.pk, "daily_limit": "30"}, {"dish": meat, "price": "16.00"}],
        note="周三特色",
    )
    assert menu.status == Menu.Status.DRAFT and menu.note == "周三特色"
    items = list(menu.items.order_by("sort"))
    assert [(i.dish, i.daily_limit, i.price) for i in items] == [
        (veg, 30, Decimal("4.50")),
        (meat, None, Decimal("16.00")),
    ]
    # Saving again replaces the dish list.
    menus.menu_save(
        actor=canteen_manager, center=center_a, date=DAY, meal="lunch", items=[{"dish": meat}]
    )
    assert list(menu.items.values_list("dish", flat=True)) == [meat.pk]
    assert Menu.objects.count() == 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"daily_limit": "-1"}, "0 到 10000"),
        ({"daily_limit": "many"}, "0 到 10000"),
        ({"price": "-2"}, "不能为负数"),
        ({"price": "x"}, "价格无效"),
    ],
)
def test_menu_save_item_validation(center_a, canteen_manager, dishes, spec, message):
    with pytest.raises(ValidationError) as exc:
        menus.menu_save(
            actor=canteen_manager,
            center=center_a,
            date=DAY,
            meal="lunch",
            items=[{"dish": dishes[0], **spec}],
        )
    assert message in " ".join(exc.value.message_dict["items"])
    assert not Menu.objects.exists()


def test_menu_save_refuses_foreign_and_duplicate_dishes(
    center_a, canteen_manager, dishes, center_b
):
    foreign = make_dish(center_b, "乙区菜")
    with pytest.raises(ValidationError, match="所选菜品不存在"):
        menus.menu_save(
            actor=canteen_manager,
            center=center_a,
            date=DAY,
            meal="lunch",
            items=[{"dish": foreign}],
        )
    with pytest.raises(ValidationError, match="重复"):
        menus.menu_save(
            actor=canteen_manager,
            center=center_a,
            date=DAY,
            meal="lunch",
            items=[{"dish": dishes[0]}, {"dish": dishes[0].pk}],
        )
    assert not Menu.objects.exists()


def test_new_menu_needs_a_dish(center_a, canteen_manager):
    with pytest.raises(ValidationError, match="请至少选择一样菜品"):
        menus.menu_save(actor=canteen_manager, center=center_a, date=DAY, meal="lunch", items=[])
    assert not Menu.objects.exists()


def test_menu_save_bad_meal_date_note(center_a, canteen_manager, dishes):
    base = {"actor": canteen_manager, "center": center_a, "items": [{"dish": dishes[0]}]}
    with pytest.raises(ValidationError, match="请选择餐次"):
        menus.menu_save(**base, date=DAY, meal="tea")
    with pytest.raises(ValidationError, match="请选择日期"):
        menus.menu_save(**base, date="2026-11-25", meal="lunch")
    with pytest.raises(ValidationError, match="200"):
        menus.menu_save(**base, date=DAY, meal="lunch", note="长" * 201)


def test_limit_cannot_drop_below_ordered(lunch, canteen_manager, staff_x, dishes):
    fund(staff_x.person, 100, canteen_manager)
    meat_item = lunch.items.get(dish=dishes[0])
    order(staff_x, lunch, (meat_item.pk, 3))
    with pytest.raises(ValidationError) as exc:
        menus.menu_save(
            actor=canteen_manager,
            center=lunch.center,
            date=DAY,
            meal="lunch",
            items=[{"dish": dishes[0], "daily_limit": 2}, {"dish": dishes[1]}],
        )
    assert "已订 3 份，限量不能低于此数" in exc.value.message_dict["items"][0]
    meat_item.refresh_from_db()
    assert meat_item.daily_limit is None and meat_item.ordered_count == 3
    # Exactly the ordered number is fine.
    menus.menu_save(
        actor=canteen_manager,
        center=lunch.center,
        date=DAY,
        meal="lunch",
        items=[{"dish": dishes[0], "daily_limit": 3}, {"dish": dishes[1]}],
    )
    meat_item.refresh_from_db()
    assert meat_item.daily_limit == 3 and meat_item.remaining == 0


def test_ordered_dish_cannot_be_removed_or_repriced(lunch, canteen_manager, staff_x, dishes):
    fund(staff_x.person, 100, canteen_manager)
    meat_item = lunch.items.get(dish=dishes[0])
    order(staff_x, lunch, (meat_item.pk, 1))
    with pytest.raises(ValidationError, match="已有人订，不能从菜单移除"):
        menus.menu_save(
            actor=canteen_manager,
            center=lunch.center,
            date=DAY,
            meal="lunch",
            items=[{"dish": dishes[1]}],
        )
    with pytest.raises(ValidationError, match="不能改价"):
        menus.menu_save(
            actor=canteen_manager,
            center=lunch.center,
            date=DAY,
            meal="lunch",
            items=[{"dish": dishes[0], "price": "99"}, {"dish": dishes[1]}],
        )
    assert lunch.items.count() == 2
    assert lunch.items.get(dish=dishes[0]).price == Decimal("15.00")
    # A dish nobody ordered may go.
    menus.menu_save(
        actor=canteen_manager,
        center=lunch.center,
        date=DAY,
        meal="lunch",
        items=[{"dish": dishes[0]}],
    )
    assert list(lunch.items.values_list("dish", flat=True)) == [dishes[0].pk]


def test_published_menu_cannot_be_emptied(lunch, canteen_manager):
    with pytest.raises(ValidationError, match="至少要保留一样菜品"):
        menus.menu_save(
            actor=canteen_manager, center=lunch.center, date=DAY, meal="lunch", items=[]
        )
    assert lunch.items.count() == 2


def test_cancelled_or_settled_menu_is_frozen(lunch, canteen_manager, dishes):
    orders.menu_cancel(actor=canteen_manager, menu=lunch, reason="停水", now=MORNING)
    with pytest.raises(ValidationError, match="已停供"):
        menus.menu_save(
            actor=canteen_manager,
            center=lunch.center,
            date=DAY,
            meal="lunch",
            items=[{"dish": dishes[0]}],
        )


def test_menu_save_permissions(center_a, staff_x, manager_b, dishes):
    for actor in (staff_x, manager_b):
        with pytest.raises(PermissionDenied):
            menus.menu_save(
                actor=actor, center=center_a, date=DAY, meal="lunch", items=[{"dish": dishes[0]}]
            )


# ------------------------------------------------------------------ publishing


def test_publish_empty_menu_refused(center_a, canteen_manager):
    menu = make_menu(center_a, DAY, "dinner", published=False)
    with pytest.raises(ValidationError, match="还没有菜品，不能发布"):
        menus.menu_publish(actor=canteen_manager, menu=menu)
    menu.refresh_from_db()
    assert menu.status == Menu.Status.DRAFT and menu.published_at is None


def test_publish_sets_time_and_publisher_once(center_a, canteen_manager, dishes):
    menu = make_menu(center_a, DAY, "dinner", dishes, published=False)
    published = menus.menu_publish(actor=canteen_manager, menu=menu, now=MORNING)
    assert published.status == Menu.Status.PUBLISHED
    assert published.published_at == MORNING and published.published_by == canteen_manager
    later = MORNING + dt.timedelta(hours=1)
    assert menus.menu_publish(actor=canteen_manager, menu=menu, now=later).published_at == MORNING


def test_publish_on_holiday_needs_holiday_open(center_a, canteen_manager, dishes):
    national_day = dt.date(2026, 10, 1)
    menu = make_menu(center_a, national_day, "lunch", dishes, published=False)
    with pytest.raises(ValidationError, match="节假日开餐"):
        menus.menu_publish(actor=canteen_manager, menu=menu)
    menus.menu_save(
        actor=canteen_manager,
        center=center_a,
        date=national_day,
        meal="lunch",
        items=[{"dish": d} for d in dishes],
        holiday_open=True,
    )
    assert menus.menu_publish(actor=canteen_manager, menu=menu).is_published


def test_cancelled_menu_cannot_be_published(center_a, canteen_manager, dishes):
    menu = make_menu(center_a, DAY, "dinner", dishes, published=False)
    orders.menu_cancel(actor=canteen_manager, menu=menu, reason="检修")
    with pytest.raises(ValidationError, match="已停供"):
        menus.menu_publish(actor=canteen_manager, menu=menu)


def test_week_publish_skips_empty_and_closed_days(center_a, canteen_manager, dishes, staff_x):
    monday = HOLIDAY_WEEK
    for offset in range(5):  # Mon–Fri lunches; Thu and Fri are 国庆节
        make_menu(center_a, monday + dt.timedelta(days=offset), "lunch", dishes, published=False)
    make_menu(center_a, monday, "dinner", published=False)  # no dishes
    opened = make_menu(
        center_a, dt.date(2026, 10, 2), "dinner", dishes, published=False, holiday_open=True
    )
    published = menus.menu_week_publish(
        actor=canteen_manager, center=center_a, week_start=monday, now=MORNING, notify_staff=True
    )
    assert sorted((m.date, m.meal) for m in published) == [
        (monday, "lunch"),
        (monday + dt.timedelta(days=1), "lunch"),
        (monday + dt.timedelta(days=2), "lunch"),
        (opened.date, "dinner"),
    ]
    assert Menu.objects.filter(status=Menu.Status.DRAFT).count() == 3
    # Staff are told once; the publisher is not notified of their own action.
    note = Notification.objects.get(kind="canteen.menu_published")
    assert note.recipient == staff_x and "09月28日" in note.title


def test_week_publish_without_notice(center_a, canteen_manager, dishes, staff_x):
    make_menu(center_a, DAY, "lunch", dishes, published=False)
    assert menus.menu_week_publish(actor=canteen_manager, center=center_a, week_start=MONDAY)
    assert not Notification.objects.exists()


# ------------------------------------------------------------------ copying a week


def test_copy_week_into_next(center_a, canteen_manager, dishes):
    meat, veg = dishes
    for offset in range(3):
        make_menu(center_a, MONDAY + dt.timedelta(days=offset), "lunch", dishes, limit=40)
    source = Menu.objects.get(date=MONDAY)
    MenuItem.objects.filter(menu=source, dish=veg).update(daily_limit=None)
    retired = make_dish(center_a, "停售菜", is_active=False)
    make_menu(center_a, MONDAY + dt.timedelta(days=3), "lunch", [retired])
    next_monday = MONDAY + dt.timedelta(days=7)
    make_menu(center_a, next_monday + dt.timedelta(days=2), "lunch", [veg], published=False)
    meat.price = Decimal("16.00")
    meat.save()
    created = menus.menu_week_copy(
        actor=canteen_manager, center=center_a, source_start=MONDAY, target_start=next_monday
    )
    assert created == 2  # Wed already had a menu; Thu had only a retired dish
    copied = Menu.objects.get(date=next_monday, meal="lunch")
    assert copied.status == Menu.Status.DRAFT
    assert [(i.dish, i.daily_limit, i.price) for i in copied.items.order_by("sort")] == [
        (meat, 40, Decimal("16.00")),
        (veg, None, Decimal("4.50")),
    ]
    kept = Menu.objects.get(date=next_monday + dt.timedelta(days=2))
    assert list(kept.items.values_list("dish", flat=True)) == [veg.pk]
    assert not Menu.objects.filter(date=next_monday + dt.timedelta(days=3)).exists()


def test_copy_week_skips_holidays(center_a, canteen_manager, dishes):
    for offset in range(5):
        make_menu(center_a, PRE_HOLIDAY_WEEK + dt.timedelta(days=offset), "lunch", dishes)
    created = menus.menu_week_copy(
        actor=canteen_manager,
        center=center_a,
        source_start=PRE_HOLIDAY_WEEK,
        target_start=HOLIDAY_WEEK,
    )
    assert created == 3
    assert sorted(Menu.objects.filter(date__gte=HOLIDAY_WEEK).values_list("date", flat=True)) == [
        HOLIDAY_WEEK + dt.timedelta(days=i) for i in range(3)
    ]


def test_copy_week_same_week_and_cancelled_source(center_a, canteen_manager, dishes):
    with pytest.raises(ValidationError, match="相同"):
        menus.menu_week_copy(
            actor=canteen_manager, center=center_a, source_start=MONDAY, target_start=MONDAY
        )
    menu = make_menu(center_a, MONDAY, "lunch", dishes)
    orders.menu_cancel(actor=canteen_manager, menu=menu, reason="停电")
    assert (
        menus.menu_week_copy(
            actor=canteen_manager,
            center=center_a,
            source_start=MONDAY,
            target_start=MONDAY + dt.timedelta(days=7),
        )
        == 0
    )
