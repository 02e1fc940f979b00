"""Demo canteen for the demo center (seed_demo): meal slots, dishes, published menus, the
monthly meal subsidy, a few orders of the demo logins "staff" and "liaison", walk-in sales.

`seed(center, actor=None, now=None)` is idempotent: slots by meal, dishes by name, menus by
(date, meal), the subsidy and the top-up by their ledger keys, orders by their idempotency keys
and walk-in sales by theirs, so a second run writes nothing. Run on a later day it fills in
what that day needs (the new weeks' menus, this month's subsidy) and leaves the rest alone.

Everything goes through the services, with an injected `now` where the rules depend on the
time: menus are published the Friday before their week, orders are placed before their cut-off,
past meals are collected at the counter and then settled like the 15-minute job would (the
uncollected dinner refunded, the uncollected breakfast or lunch charged). Dates are relative to
`now` (the last three service days, today and the next two), so the demo always looks alive.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from houqin.core.duties.recurrence import local_today
from houqin.core.workdays.calendar import workdays_between

from .models import CanteenWorker, Dish, LedgerEntry, MealOrder, MealSlot, Menu, WalkInSale
from .models.menus import Meal
from .services import counter as counter_services
from .services import menus as menu_services
from .services import orders as order_services
from .services import wallets as wallet_services

C = Dish.Category
SUBSIDY = Decimal("300.00")
STAFF_TOPUP = Decimal("200.00")

# meal: serve_from, serve_until, cut-off days before, cut-off time, uncollected charged
SLOTS = {
    Meal.BREAKFAST: (dt.time(7, 0), dt.time(8, 30), 1, dt.time(17, 0), True),
    Meal.LUNCH: (dt.time(11, 30), dt.time(13, 0), 0, dt.time(9, 30), True),
    Meal.DINNER: (dt.time(17, 30), dt.time(19, 0), 0, dt.time(15, 0), False),
}

# name, category, price, allergens, notes
DISHES = [
    ("红烧肉套餐", C.SET_MEAL, "15.00", "", "一荤两素一汤，含米饭"),
    ("宫保鸡丁套餐", C.SET_MEAL, "14.00", "花生", "一荤两素一汤，含米饭"),
    ("清蒸鲈鱼套餐", C.SET_MEAL, "18.00", "鱼类", "一荤两素一汤，含米饭"),
    ("素食养生套餐", C.SET_MEAL, "10.00", "大豆", "三素一汤，含杂粮饭"),
    ("梅菜扣肉", C.MEAT, "12.00", "", ""),
    ("糖醋里脊", C.MEAT, "10.00", "小麦", ""),
    ("白切鸡", C.MEAT, "12.00", "", "配沙姜蘸料"),
    ("啤酒鸭", C.MEAT, "13.00", "小麦（啤酒）", ""),
    ("黄焖鸡", C.MEAT, "11.00", "大豆", ""),
    ("油焖大虾", C.MEAT, "20.00", "虾", ""),
    ("清炒时蔬", C.VEGETABLE, "4.00", "", "当季蔬菜"),
    ("麻婆豆腐", C.VEGETABLE, "5.00", "大豆", "微辣"),
    ("手撕包菜", C.VEGETABLE, "4.00", "", ""),
    ("番茄炒蛋", C.VEGETABLE, "5.00", "鸡蛋", ""),
    ("地三鲜", C.VEGETABLE, "5.00", "", ""),
    ("凉拌黄瓜", C.VEGETABLE, "3.00", "芝麻", ""),
    ("米饭", C.STAPLE, "1.00", "", ""),
    ("生榨米粉", C.STAPLE, "6.00", "", "玉林特色"),
    ("扬州炒饭", C.STAPLE, "8.00", "鸡蛋", ""),
    ("馒头", C.STAPLE, "1.00", "小麦", ""),
    ("紫菜蛋花汤", C.SOUP, "2.00", "鸡蛋", ""),
    ("冬瓜排骨汤", C.SOUP, "5.00", "", ""),
    ("玉米胡萝卜猪骨汤", C.SOUP, "6.00", "", ""),
    ("鲜肉包", C.SNACK, "1.50", "小麦", ""),
    ("烧卖", C.SNACK, "2.00", "小麦", ""),
    ("油条", C.SNACK, "1.50", "小麦", ""),
    ("水煮蛋", C.SNACK, "1.00", "鸡蛋", ""),
    ("豆浆", C.DRINK, "1.50", "大豆", "现磨"),
]

# Menus by weekday (Saturday 调休 workdays take Monday's, and so on).
BREAKFAST = [
    "鲜肉包 烧卖 馒头 水煮蛋 豆浆 生榨米粉",
    "鲜肉包 油条 馒头 水煮蛋 豆浆",
    "鲜肉包 烧卖 水煮蛋 豆浆 生榨米粉",
    "鲜肉包 油条 馒头 水煮蛋 豆浆",
    "鲜肉包 烧卖 馒头 水煮蛋 豆浆 生榨米粉",
]
LUNCH = [
    "红烧肉套餐 素食养生套餐 白切鸡 糖醋里脊 清炒时蔬 麻婆豆腐 米饭 紫菜蛋花汤",
    "宫保鸡丁套餐 素食养生套餐 梅菜扣肉 黄焖鸡 手撕包菜 番茄炒蛋 米饭 冬瓜排骨汤",
    "清蒸鲈鱼套餐 红烧肉套餐 啤酒鸭 油焖大虾 地三鲜 清炒时蔬 米饭 玉米胡萝卜猪骨汤",
    "宫保鸡丁套餐 素食养生套餐 白切鸡 梅菜扣肉 麻婆豆腐 凉拌黄瓜 米饭 紫菜蛋花汤",
    "红烧肉套餐 清蒸鲈鱼套餐 糖醋里脊 黄焖鸡 番茄炒蛋 手撕包菜 米饭 冬瓜排骨汤",
]
DINNER = [
    "素食养生套餐 黄焖鸡 番茄炒蛋 清炒时蔬 米饭 扬州炒饭 紫菜蛋花汤",
    "白切鸡 麻婆豆腐 凉拌黄瓜 米饭 生榨米粉 冬瓜排骨汤",
    "素食养生套餐 糖醋里脊 手撕包菜 地三鲜 米饭 扬州炒饭 紫菜蛋花汤",
    "啤酒鸭 番茄炒蛋 清炒时蔬 米饭 生榨米粉 冬瓜排骨汤",
    "素食养生套餐 梅菜扣肉 麻婆豆腐 凉拌黄瓜 米饭 扬州炒饭 紫菜蛋花汤",
]
MENUS = {Meal.BREAKFAST: BREAKFAST, Meal.LUNCH: LUNCH, Meal.DINNER: DINNER}
# The lunch dishes sold in limited portions a day.
LIMITS = {"清蒸鲈鱼套餐": 40, "油焖大虾": 30, "白切鸡": 50, "梅菜扣肉": 60}

# What a demo order takes: (category, quantity) of the first such dish on the menu.
SET = [(C.SET_MEAL, 1), (C.SOUP, 1)]
PLATE = [(C.MEAT, 1), (C.VEGETABLE, 1), (C.STAPLE, 1)]
MORNING = [(C.SNACK, 2), (C.DRINK, 1)]
# login, day (index into the demo days: 0-2 the last three service days, 3 today when it is
# one, then the next two), meal, what, collected (if the meal is already being served).
ORDERS = [
    ("staff", 0, Meal.BREAKFAST, MORNING, False),  # forgotten: uncollected, still charged
    ("staff", 0, Meal.LUNCH, SET, True),
    ("staff", 1, Meal.LUNCH, PLATE, True),
    ("staff", 1, Meal.DINNER, PLATE, True),
    ("staff", 2, Meal.BREAKFAST, MORNING, True),
    ("staff", 2, Meal.LUNCH, SET, True),
    ("staff", 3, Meal.BREAKFAST, MORNING, True),
    ("staff", 3, Meal.LUNCH, PLATE, True),
    ("staff", 4, Meal.LUNCH, SET, True),
    ("staff", 5, Meal.LUNCH, PLATE, True),
    ("liaison", 0, Meal.LUNCH, PLATE, True),
    ("liaison", 1, Meal.DINNER, PLATE, False),  # overtime cancelled: refunded at settling
    ("liaison", 2, Meal.LUNCH, SET, True),
    ("liaison", 3, Meal.LUNCH, SET, True),
    ("liaison", 4, Meal.DINNER, PLATE, True),
]
PAST_DAYS, NEXT_DAYS = 3, 2


def _users(center, actor):
    """The demo logins of this center: the canteen manager (or `actor`), staff, liaison."""
    names = ["canteen", "staff", "liaison"]
    users = {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=names, person__center=center)
        .select_related("person")
    }
    if actor is not None:
        users["canteen"] = actor
    return users


def seed_slots(center, manager):
    created = []
    existing = set(MealSlot.objects.filter(center=center).values_list("meal", flat=True))
    for meal, (start, end, days, cutoff, charge) in SLOTS.items():
        if meal in existing:
            continue  # a manager's own settings are never overwritten
        created.append(
            menu_services.meal_slot_save(
                actor=manager,
                center=center,
                meal=meal,
                serve_from=start,
                serve_until=end,
                cutoff_days_before=days,
                cutoff_time=cutoff,
                order_days_ahead=7,
                charge_uncollected=charge,
                is_active=True,
            )
        )
    return created


def seed_dishes(center, manager):
    created = []
    existing = set(Dish.objects.filter(center=center).values_list("name", flat=True))
    for name, category, price, allergens, notes in DISHES:
        if name in existing:
            continue
        created.append(
            menu_services.dish_create(
                actor=manager,
                center=center,
                name=name,
                category=category,
                price=Decimal(price),
                allergens=allergens,
                notes=notes,
            )
        )
    return created


def service_days(today):
    """Workdays of last week, this week and next week (Asia/Shanghai, with 调休)."""
    monday = today - dt.timedelta(days=today.weekday())
    return workdays_between(monday - dt.timedelta(days=7), monday + dt.timedelta(days=14))


def _published_at(day, now):
    """Menus are published on the Friday afternoon before their week (never after `now`)."""
    monday = day - dt.timedelta(days=day.weekday())
    friday = order_services.aware(monday - dt.timedelta(days=3), dt.time(16, 0))
    return min(friday, now)


def seed_menus(center, manager, days, now):
    created = []
    slots = {s.meal for s in MealSlot.objects.filter(center=center, is_active=True)}
    existing = set(Menu.objects.filter(center=center, date__in=days).values_list("date", "meal"))
    dishes = {d.name: d for d in Dish.objects.filter(center=center, is_active=True)}
    for day in days:
        for meal, variants in MENUS.items():
            if meal not in slots or (day, meal) in existing:
                continue
            names = variants[day.weekday() % len(variants)].split()
            items = [
                {"dish": dishes[name], "daily_limit": LIMITS.get(name) if meal == "lunch" else None}
                for name in names
                if name in dishes
            ]
            if not items:
                continue
            menu = menu_services.menu_save(
                actor=manager, center=center, date=day, meal=meal, items=items
            )
            created.append(
                menu_services.menu_publish(actor=manager, menu=menu, now=_published_at(day, now))
            )
    return created


def seed_wallets(center, manager, users, now):
    """This month's meal subsidy for every active person; a cash top-up for "staff"."""
    created = []
    month = local_today(now).replace(day=1)
    credited = wallet_services.wallet_subsidy_credit(
        actor=manager, center=center, month=month, amount=SUBSIDY
    )
    if credited:
        created += LedgerEntry.objects.filter(
            center=center, idempotency_key=wallet_services.subsidy_key(month)
        ).order_by("-pk")[:credited]
    staff = users.get("staff")
    if staff is not None:
        wallet = wallet_services.wallet_get_or_open(person=staff.person)
        key = f"demo:{month:%Y-%m}"
        if not LedgerEntry.objects.filter(wallet=wallet, idempotency_key=f"topup:{key}").exists():
            created.append(
                wallet_services.wallet_topup(
                    actor=manager,
                    wallet=wallet,
                    amount=STAFF_TOPUP,
                    method=LedgerEntry.Method.CASH,
                    idempotency_key=key,
                    reason="窗口现金充值",
                )
            )
    return created


def demo_days(days, today):
    """The last three service days before today, today if it is one, and the next two."""
    before = [d for d in days if d < today][-PAST_DAYS:]
    after = [d for d in days if d > today][:NEXT_DAYS]
    before = [None] * (PAST_DAYS - len(before)) + before
    return before + ([today] if today in days else [None]) + after


def _lines(menu, what):
    items = list(menu.items.select_related("dish").order_by("sort", "pk"))
    lines = []
    for category, quantity in what:
        item = next((i for i in items if i.dish.category == category), None)
        if item is not None:
            lines.append((item.pk, quantity))
    return lines


def seed_orders(center, manager, users, days, now):
    created = []
    today = local_today(now)
    picked = demo_days(days, today)
    menus = {
        (m.date, m.meal): m
        for m in Menu.objects.filter(center=center, date__in=[d for d in picked if d])
    }
    slots = {s.meal: s for s in MealSlot.objects.filter(center=center)}
    for n, (login, index, meal, what, collect) in enumerate(ORDERS):
        user = users.get(login)
        day = picked[index] if index < len(picked) else None
        menu = menus.get((day, meal))
        slot = slots.get(meal)
        if user is None or menu is None or slot is None:
            continue
        if not menu.is_published or menu.settled_at is not None:
            continue
        key = f"demo:{day:%Y%m%d}:{meal}"
        order = MealOrder.objects.filter(person=user.person, idempotency_key=key).first()
        if order is None:
            if (
                MealOrder.objects.filter(menu=menu, person=user.person)
                .exclude(status=MealOrder.Status.CANCELLED)
                .exists()
            ):
                continue  # ordered by hand already
            placed_at = min(now, order_services.cutoff_at(slot, day) - dt.timedelta(hours=2))
            try:
                order = order_services.meal_order_place(
                    actor=user,
                    menu=menu,
                    lines=_lines(menu, what),
                    idempotency_key=key,
                    now=placed_at,
                )
            except ValidationError:
                continue  # e.g. the balance was spent on other orders meanwhile
            created.append(order)
        collected_at = order_services.aware(day, slot.serve_from) + dt.timedelta(minutes=8 + 4 * n)
        if collect and order.status == MealOrder.Status.PLACED and collected_at <= now:
            result = counter_services.meal_order_collect(
                actor=manager,
                center=center,
                code=order.pickup_code,
                menu=menu,
                now=collected_at,
            )
            created.append(result.order)
    return created


def seed_walk_ins(center, manager, users, now):
    """Two counter sales at the latest lunch already being served: guests paying cash, and
    the liaison's extra dish paid by wallet."""
    created = []
    slot = MealSlot.objects.filter(center=center, meal=Meal.LUNCH).first()
    if slot is None:
        return created
    today = local_today(now)
    menu = next(
        (
            m
            for m in Menu.objects.filter(
                center=center, meal=Meal.LUNCH, status=Menu.Status.PUBLISHED, date__lte=today
            ).order_by("-date")
            if order_services.aware(m.date, slot.serve_from) <= now
        ),
        None,
    )
    if menu is None:
        return created
    liaison = users.get("liaison")
    sales = [("cash", "来访人员工作餐", 2, Decimal("30.00"), None)]
    if liaison is not None:
        wallet = wallet_services.wallet_get_or_open(person=liaison.person)
        sales.append(("wallet", "窗口加购：白切鸡", 1, Decimal("12.00"), wallet))
    for payment, description, meals, amount, wallet in sales:
        key = f"demo:{menu.date:%Y%m%d}:{payment}"
        if WalkInSale.objects.filter(center=center, idempotency_key=key).exists():
            continue
        try:
            created.append(
                counter_services.walk_in_sale_create(
                    actor=manager,
                    menu=menu,
                    amount=amount,
                    meals=meals,
                    payment=payment,
                    wallet=wallet,
                    description=description,
                    idempotency_key=key,
                )
            )
        except ValidationError:
            continue  # not enough left on the card
    return created


def settle_past_meals(center, now):
    """Settle the meals that are over, as the 15-minute job would have (at most 15 minutes
    after the meal ends)."""
    created = []
    slots = {s.meal: s for s in MealSlot.objects.filter(center=center)}
    due = Menu.objects.filter(
        center=center,
        status=Menu.Status.PUBLISHED,
        settled_at__isnull=True,
        date__lte=local_today(now),
    ).order_by("date", "pk")
    for menu in due:
        slot = slots.get(menu.meal)
        if slot is None:
            continue
        ends = order_services.aware(menu.date, slot.serve_until)
        if ends > now:
            continue
        counter_services.menu_settle(menu=menu, now=min(now, ends + dt.timedelta(minutes=15)))
        created.append(menu)
    return created


def seed(center, *, actor=None, now=None):
    """Create what is missing; returns the objects created (or changed, for pickups)."""
    now = now or timezone.now()
    users = _users(center, actor)
    manager = users.get("canteen")
    created = seed_slots(center, manager)
    created += seed_dishes(center, manager)
    days = service_days(local_today(now))
    created += seed_menus(center, manager, days, now)
    created += seed_wallets(center, manager, users, now)
    created += seed_orders(center, manager, users, days, now)
    created += seed_walk_ins(center, manager, users, now)
    created += settle_past_meals(center, now)
    created += seed_food_safety(center, manager, now)
    return created


WORKERS = [
    ("王建国", "厨师长", "XX餐饮管理有限公司", 300),
    ("李秀英", "面点师", "XX餐饮管理有限公司", 200),
    ("张伟", "切配", "XX餐饮管理有限公司", 20),  # certificate expiring soon: shows on the overview
    ("刘芳", "窗口售餐", "XX餐饮管理有限公司", 150),
    ("陈强", "洗消", "XX餐饮管理有限公司", 90),
]


def seed_food_safety(center, manager, now):
    """The four food-safety duty plans, and the operator's food handlers with certificates."""
    from .services import food_safety

    created = list(food_safety.food_safety_plans_ensure(actor=manager, center=center, now=now))
    existing = set(CanteenWorker.objects.filter(center=center).values_list("name", flat=True))
    today = local_today(now)
    for n, (name, post, employer, days) in enumerate(WORKERS, start=1):
        if name in existing:
            continue
        created.append(
            food_safety.canteen_worker_create(
                actor=manager,
                center=center,
                name=name,
                post=post,
                employer=employer,
                health_cert_no=f"JK{today:%Y}{n:04d}",
                health_cert_expires=today + dt.timedelta(days=days),
            )
        )
    return created
