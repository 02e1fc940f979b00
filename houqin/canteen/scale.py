"""食堂 scale data (seed_scale): one year of a district canteen.

Meal slots and ~40 dishes; a published menu for each meal of every workday; a wallet per
person with the monthly meal subsidy; ~750,000 orders at 3,000 staff (lunch most workdays,
breakfast and dinner for some) with their lines and ledger rows; counter sales; food-safety
records (morning checks, samples, purchase inspections) and the duty tasks they complete.

The three big tables (orders, lines, ledger) are written as plain rows — COPY on PostgreSQL,
executemany on SQLite — with the order ids reserved up front: building ~2.5 M model instances
and going through the ORM's insert compiler would take most of the budget. Their columns are
listed in scale_rows.py (ORDER_COLUMNS…); test_scale checks they still match the models.
The food-safety records and their duty tasks are written by scale_food_safety.py.

What the services derive is computed the same way: an order's total is Σ its lines and is
charged when placed; a cancellation (before the cut-off) is refunded and frees its portions;
at settling an uncollected breakfast or lunch stays charged and an uncollected dinner is
refunded (the slots' `charge_uncollected`); `ordered_count` counts the portions of live
orders within `daily_limit`; ledger rows carry the running balance and are written in time
order, a month at a time (each month's orders are placed after its subsidy, on the 1st at
08:00), so a wallet's latest row holds its balance. A card short of money is topped up in
cash at the counter just before the order: no balance ever goes below zero. Meals not over
at `now` get no orders; records are only made for days that have begun.
"""

import base64
import datetime as dt
import hashlib
from decimal import Decimal

from django.utils import timezone

from houqin.core.scale import own_stamps
from houqin.core.workdays.calendar import workdays_between

from . import demo
from .models import (
    Dish,
    FoodSafetyPlan,
    LedgerEntry,
    MealOrder,
    MealOrderLine,
    MealSlot,
    Menu,
    MenuItem,
    PickupDevice,
    WalkInSale,
    Wallet,
)
from .models.menus import Meal
from .scale_food_safety import FoodSafetyYear
from .scale_rows import LEDGER_COLUMNS, LINE_COLUMNS, ORDER_COLUMNS, MenuPlan, Rows
from .services import menus as menu_services
from .tallies import fill_tallies

C, FS = Dish.Category, FoodSafetyPlan.Kind


BATCH = 5000
SUBSIDY = 30000  # cents: the monthly meal subsidy (300 元), credited on the 1st at 08:00
TOPUPS = (10000, 20000, 30000, 50000)
EXTRA_DISHES = [
    ("中式早餐套餐", C.SET_MEAL, "4.00", "小麦、鸡蛋、大豆", "包点、鸡蛋、豆浆"),
    ("卤肉饭套餐", C.SET_MEAL, "13.00", "大豆", "一荤两素一汤，含米饭"),
    ("香菇滑鸡套餐", C.SET_MEAL, "13.00", "", "一荤两素一汤，含米饭"),
    ("番茄牛腩套餐", C.SET_MEAL, "16.00", "", "一荤两素一汤，含米饭"),
    ("晚餐简餐套餐", C.SET_MEAL, "10.00", "", "一荤一素，含米饭"),
    ("可乐鸡翅", C.MEAT, "12.00", "", ""),
    ("青椒肉丝", C.MEAT, "9.00", "", ""),
    ("酸菜鱼", C.MEAT, "15.00", "鱼类", "微辣"),
    ("酸辣土豆丝", C.VEGETABLE, "4.00", "", ""),
    ("蒜蓉西兰花", C.VEGETABLE, "5.00", "", ""),
    ("花卷", C.SNACK, "1.00", "小麦", ""),
    ("蒸玉米", C.SNACK, "2.00", "", ""),
    ("小米粥", C.STAPLE, "1.00", "", ""),
    ("老火靓汤", C.SOUP, "5.00", "", "每日例汤"),
]
LUNCH_SETS = (
    "红烧肉套餐 宫保鸡丁套餐 清蒸鲈鱼套餐 素食养生套餐 卤肉饭套餐 香菇滑鸡套餐 番茄牛腩套餐"
)
BREAKFAST_POOL = "鲜肉包 烧卖 油条 馒头 花卷 蒸玉米 生榨米粉 小米粥"
LIMITS = {"清蒸鲈鱼套餐": 400, "番茄牛腩套餐": 500, "油焖大虾": 150, "白切鸡": 250}  # a day
MONTH_FACTOR = {1: 0.93, 2: 0.9, 7: 0.93, 8: 0.9, 10: 0.96}  # Spring Festival, summer leave


class Year(FoodSafetyYear):
    """The canteen's year for one center, built step by step by seed()."""

    def __init__(self, ctx, now):
        self.ctx, self.rng, self.now = ctx, ctx.rng, int(now.timestamp())
        self.cid, self.year = ctx.center.pk, ctx.year
        self.manager = ctx.accounts["canteen"]
        self.db = Rows()
        self.rows, self.money, self.topups = 0, {}, 0

    def ts(self, day, hour=0, minute=0):
        return int(self.ctx.at(day, hour, minute).timestamp())

    @staticmethod
    def when(ts):
        return dt.datetime.fromtimestamp(ts, dt.UTC)

    def dec(self, cents):
        value = self.money.get(cents)
        if value is None:
            value = self.money[cents] = Decimal(cents).scaleb(-2)
        return value

    def bulk(self, model, objects):
        with own_stamps(model):
            created = self.ctx.bulk(model, objects, batch_size=BATCH)
        self.rows += len(created)
        return created

    # ------------------------------------------------------------------ setup and menus

    def setup(self):
        ctx, manager = self.ctx, self.manager
        self.rows += len(demo.seed_slots(ctx.center, manager))
        self.rows += len(demo.seed_dishes(ctx.center, manager))
        for name, category, price, allergens, notes in EXTRA_DISHES:
            menu_services.dish_create(
                actor=manager, center=ctx.center, name=name, category=category,
                price=Decimal(price), allergens=allergens, notes=notes,
            )  # fmt: skip
            self.rows += 1
        self.slots = {s.meal: s for s in MealSlot.objects.filter(center=ctx.center)}
        self.dishes = {d.name: d for d in Dish.objects.filter(center=ctx.center)}
        self.workdays = workdays_between(ctx.first_day, ctx.last_day + dt.timedelta(days=1))
        self.devices = [
            PickupDevice.objects.create(
                center=ctx.center,
                name=name,
                created_by=manager,
                token_digest=hashlib.sha256(self.rng.randbytes(32)).hexdigest(),
                token_hint=f"{self.rng.randrange(16**6):06x}",
            )
            for name in ("一号取餐终端", "二号取餐终端")
        ]
        self.device_used = [0, 0]
        self.rows += 2
        opened = self.when(self.ts(ctx.first_day) - 20 * 86400)
        self.wallets = self.bulk(
            Wallet,
            (
                Wallet(center_id=self.cid, person_id=p.pk, created_at=opened, updated_at=opened)
                for p in ctx.people
            ),
        )
        self.balance = [0] * len(self.wallets)

    def menu_dishes(self, meal):
        rng, pick = self.rng, self.rng.sample
        cat = {c: sorted(n for n, d in self.dishes.items() if d.category == c) for c in C.values}
        if meal == Meal.BREAKFAST:
            return ["中式早餐套餐", *pick(BREAKFAST_POOL.split(), 5), "水煮蛋", "豆浆"]
        if meal == Meal.LUNCH:
            return [
                *pick(LUNCH_SETS.split(), 3), *pick(cat[C.MEAT], 3), *pick(cat[C.VEGETABLE], 3),
                "米饭", rng.choice(cat[C.SOUP]),
            ]  # fmt: skip
        return [
            "晚餐简餐套餐", "素食养生套餐", *pick(cat[C.MEAT], 2), *pick(cat[C.VEGETABLE], 2),
            "米饭", rng.choice(["扬州炒饭", "生榨米粉"]), rng.choice(cat[C.SOUP]),
        ]  # fmt: skip

    def menus(self):
        """Every meal of every workday, published on the Friday before its week at 16:00."""
        self.plans = []
        labels = {m: str(Meal(m).label) for m in Meal.values}
        for day in self.workdays:
            monday = day - dt.timedelta(days=day.weekday())
            published = self.ts(monday - dt.timedelta(days=3), 16)
            for meal in (Meal.BREAKFAST, Meal.LUNCH, Meal.DINNER):
                slot, p = self.slots[meal], MenuPlan()
                p.day, p.meal, p.label = day, meal, f"{day:%m月%d日}{labels[meal]}"
                p.dishes = [self.dishes[n] for n in self.menu_dishes(meal)]
                p.prices = [int(d.price * 100) for d in p.dishes]
                p.counts, p.items = [0] * len(p.dishes), []
                p.limits = [
                    self.ctx.scaled(LIMITS[d.name])
                    if meal == Meal.LUNCH and d.name in LIMITS
                    else None
                    for d in p.dishes
                ]
                cut = day - dt.timedelta(days=slot.cutoff_days_before)
                p.cutoff = self.ts(cut, slot.cutoff_time.hour, slot.cutoff_time.minute)
                p.serve_from = self.ts(day, slot.serve_from.hour, slot.serve_from.minute)
                p.serve_until = self.ts(day, slot.serve_until.hour, slot.serve_until.minute)
                p.settle = p.serve_until + 15 * 60  # the 15-minute settling job
                p.published = published if published <= self.now else None
                p.done = p.settle <= self.now
                made = self.when(min(published - 6 * 3600, self.now))
                p.menu = Menu(
                    center_id=self.cid, date=day, meal=meal,
                    status=Menu.Status.PUBLISHED if p.published else Menu.Status.DRAFT,
                    published_at=self.when(p.published) if p.published else None,
                    published_by=self.manager if p.published else None,
                    settled_at=self.when(p.settle) if p.done else None,
                    created_at=made, updated_at=self.when(p.settle) if p.done else made,
                )  # fmt: skip
                self.plans.append(p)
        self.bulk(Menu, [p.menu for p in self.plans])

    def insert_items(self, plans):
        items = []
        for p in plans:
            p.items = [
                MenuItem(
                    center_id=self.cid,
                    menu_id=p.menu.pk,
                    dish=d,
                    price=d.price,
                    daily_limit=p.limits[i],
                    ordered_count=p.counts[i],
                    sort=i,
                    created_at=p.menu.created_at,
                    updated_at=p.menu.updated_at,
                )
                for i, d in enumerate(p.dishes)
            ]
            items += p.items
        self.bulk(MenuItem, items)

    # ------------------------------------------------------------------ who orders what

    def habits(self):
        rng = self.rng
        self.habit = [
            {
                Meal.LUNCH: 0.25 if rng.random() < 0.08 else rng.uniform(0.82, 0.99),
                Meal.BREAKFAST: 0.35 if rng.random() < 0.25 else 0.02,
                Meal.DINNER: 0.25 if rng.random() < 0.15 else 0.01,
            }
            for _person in self.ctx.people
        ]

    @staticmethod
    def free(p, i, quantity=1):
        return p.limits[i] is None or p.counts[i] + quantity <= p.limits[i]

    def choose(self, p, by_cat):
        """{dish index: quantity} of one order: mostly a set meal, else a plate."""
        rng = self.rng
        share = {Meal.BREAKFAST: 0.6, Meal.LUNCH: 0.87, Meal.DINNER: 0.6}[p.meal]
        if rng.random() < share:
            sets = [i for i in by_cat[C.SET_MEAL] if self.free(p, i)]
            if sets:
                return {rng.choice(sets): 1}
        if p.meal == Meal.BREAKFAST:
            picked = rng.sample(by_cat[C.SNACK] + by_cat.get(C.STAPLE, []), rng.choice((1, 2)))
            lines = {i: rng.choice((1, 1, 2)) for i in picked}
            lines[by_cat[C.DRINK][0]] = 1
            return lines
        meats = [i for i in by_cat[C.MEAT] if self.free(p, i)]
        lines = {rng.choice(meats): 1} if meats else {}
        lines[rng.choice(by_cat[C.VEGETABLE])] = 1
        lines[rng.choice(by_cat[C.STAPLE])] = 1
        if rng.random() < 0.3:
            lines[rng.choice(by_cat[C.SOUP])] = 1
        return lines

    def orders_for(self, p, lo):
        """(placed, person index, plan, lines, status) of one meal; counts live portions."""
        rng, out = self.rng, []
        factor = MONTH_FACTOR.get(p.day.month, 1.0) * (0.9 if p.day.weekday() >= 5 else 1.0)
        ahead = self.ts(p.day - dt.timedelta(days=self.slots[p.meal].order_days_ahead))
        start = max(lo, p.published, ahead)
        window = p.cutoff - 60 - start
        if window <= 0:
            return out
        by_cat = {}
        for i, d in enumerate(p.dishes):
            by_cat.setdefault(d.category, []).append(i)
        missed = 0.04 if p.meal == Meal.DINNER else 0.015
        for n, habit in enumerate(self.habit):
            if rng.random() >= habit[p.meal] * factor:
                continue
            r = rng.random()
            status = (
                "cancelled" if r < 0.015 else "uncollected" if r < 0.015 + missed else "collected"
            )
            lines = self.choose(p, by_cat)
            if status != "cancelled":
                if not all(self.free(p, i, q) for i, q in lines.items()):
                    continue  # sold out meanwhile: eats elsewhere
                for i, q in lines.items():
                    p.counts[i] += q
            if rng.random() < 0.45:  # the morning rush before the cut-off
                placed = p.cutoff - 60 - int(rng.random() * min(window, 3 * 3600))
            else:
                placed = start + int(rng.random() * window)
            out.append((placed, n, p, sorted(lines.items()), status))
        return out

    # ------------------------------------------------------------------ a month of orders

    def run_orders(self):
        chunks = {}
        for p in self.plans:
            if p.done:
                local = timezone.localtime(self.when(p.cutoff))
                chunks.setdefault(max((local.year, local.month), (self.year, 1)), []).append(p)
        for month in range(1, 13):
            lo = self.ts(dt.date(self.year, month, 1), 8)
            if lo > self.now:
                break
            self.month(lo, chunks.get((self.year, month), []))
        self.insert_items([p for p in self.plans if not p.done])  # not ordered yet

    def month(self, lo, plans):
        """One month: items, orders, lines, counter sales, then the ledger in time order."""
        rng, db, t = self.rng, self.db, self.db.time
        wanted = []
        for p in plans:
            wanted += self.orders_for(p, lo + 60)
        self.insert_items(plans)
        wanted.sort(key=lambda o: o[0])
        per_menu = {}
        for o in wanted:
            per_menu[id(o[2])] = per_menu.get(id(o[2]), 0) + 1
        # Pickup codes are unique per meal, cancelled orders included.
        codes = {id(p): iter(rng.sample(range(1_000_000), per_menu.get(id(p), 0))) for p in plans}
        base = db.reserve(MealOrder, len(wanted)) if wanted else 0
        manager, devices = self.manager.pk, [d.pk for d in self.devices]
        pairs = zip(self.ctx.people, self.wallets, strict=True)
        who = [(x.pk, x.agency_id, x.user_id, w.pk) for x, w in pairs]
        item_ids = {id(p): [item.pk for item in p.items] for p in plans}
        orders, lines, events = [], [], []
        for k, (placed, n, p, chosen, status) in enumerate(wanted):
            oid, (person, agency, user, wallet) = base + k, who[n]
            total = sum(p.prices[i] * q for i, q in chosen)
            collected = cancelled = by = device = None
            if status == "collected":
                span = p.serve_until - p.serve_from
                collected = updated = p.serve_from - 600 + int(rng.triangular(0, span, 1800))
                slot = 0 if rng.random() < 0.55 else 1 if rng.random() < 0.8 else None
                if slot is None:
                    by = manager  # typed in at the counter
                else:
                    device = devices[slot]
                    self.device_used[slot] = max(self.device_used[slot], collected)
            elif status == "cancelled":
                cancelled = updated = placed + int(rng.random() * (p.cutoff - placed))
            else:
                updated = p.settle
            orders.append((
                oid, t(placed), t(updated), self.cid, p.menu.pk, person, agency, wallet, status,
                self.dec(total), f"{next(codes[id(p)]):06d}",
                base64.urlsafe_b64encode(rng.randbytes(18)).decode(), "", user,
                t(collected), by, device, t(cancelled),
            ))  # fmt: skip
            ids = item_ids[id(p)]
            for i, q in chosen:
                price = p.prices[i]
                lines.append((oid, ids[i], q, self.dec(price), self.dec(price * q)))
            if total:
                events.append((placed, k, "charge", n, total, oid, p.label, user))
                if status == "cancelled":
                    events.append((cancelled, k, "cancel", n, total, oid, p.label, user))
                elif status == "uncollected" and not self.slots[p.meal].charge_uncollected:
                    events.append((p.settle, k, "uncollected", n, total, oid, p.label, None))
        self.rows += db.insert(MealOrder, ORDER_COLUMNS, orders)
        self.rows += db.insert(MealOrderLine, LINE_COLUMNS, lines)
        self.ledger(lo, events + self.walk_ins(plans))

    def walk_ins(self, plans):
        """Counter sales at lunch (guests in cash, staff adding a dish by card) and dinner."""
        rng, sales = self.rng, []
        for p in plans:
            if p.meal == Meal.BREAKFAST:
                continue
            cash = rng.randint(0, self.ctx.scaled(8 if p.meal == Meal.LUNCH else 3))
            card = rng.randint(0, self.ctx.scaled(16)) if p.meal == Meal.LUNCH else 0
            for k in range(cash + card):
                at = p.serve_from + int(rng.random() * (p.serve_until - p.serve_from))
                sale = WalkInSale(
                    center_id=self.cid, menu_id=p.menu.pk, sold_by=self.manager,
                    idempotency_key=f"scale:{p.menu.pk}:{k}", meals=1, payment="wallet",
                    created_at=self.when(at), updated_at=self.when(at),
                )  # fmt: skip
                if k < cash:
                    sale.meals, sale.payment = rng.choice((1, 1, 2, 2, 3, 4, 6)), "cash"
                    sale.amount = self.dec(1500 * sale.meals)
                    sale.description = rng.choice(("来访人员工作餐", "外单位来客用餐", "临时加餐"))
                else:
                    dish = rng.choice(p.dishes)
                    sale.amount, sale.description = dish.price, f"窗口加购：{dish.name}"
                    sale.n = rng.randrange(len(self.wallets))
                    sale.wallet = self.wallets[sale.n]
                sale.at, sale.label = at, p.label
                sales.append(sale)
        self.bulk(WalkInSale, sales)
        return [
            (s.at, 10**8 + k, "sale", s.n, int(s.amount * 100), s.pk, s.label, None)
            for k, s in enumerate(sales)
            if s.payment == "wallet"
        ]

    def ledger(self, lo, events):
        """The month's ledger rows in time order: subsidy, charges, refunds, top-ups."""
        rng, balance, t, dec, cid = self.rng, self.balance, self.db.time, self.dec, self.cid
        manager, wallets, rows = self.manager.pk, self.wallets, []
        month = timezone.localtime(self.when(lo)).date()
        last = [lo] * len(wallets)
        reason = f"{month.year}年{month.month}月餐费补贴"
        for i, w in enumerate(wallets):
            balance[i] += SUBSIDY
            rows.append((
                t(lo), t(lo), cid, w.pk, "topup", "subsidy", dec(SUBSIDY), dec(balance[i]),
                f"subsidy:{month:%Y-%m}", None, None, reason, manager, None,
            ))  # fmt: skip
        events.sort(key=lambda e: (e[0], e[1]))
        for at, _seq, what, i, cents, ref, label, user in events:
            wallet = wallets[i].pk
            if what in ("charge", "sale"):
                if balance[i] < cents:
                    need = cents - balance[i]
                    amount = next((a for a in TOPUPS if a >= need), -(-need // 10000) * 10000)
                    balance[i] += amount
                    self.topups += 1
                    when = t(max(at - rng.randint(60, 1800), last[i] + 1))
                    rows.append((
                        when, when, cid, wallet, "topup", "cash", dec(amount), dec(balance[i]),
                        f"topup:scale-{self.topups}", None, None, "窗口现金充值", manager, None,
                    ))  # fmt: skip
                balance[i] -= cents
                if what == "sale":
                    row = ("counter", f"sale:{ref}", None, ref, f"窗口消费：{label}", manager)
                else:
                    row = ("order", f"order:{ref}", ref, None, f"订餐：{label}", user)
                method, key, order, sale, text, actor = row
                rows.append((
                    t(at), t(at), cid, wallet, "charge", method, dec(-cents), dec(balance[i]),
                    key, order, sale, text, actor, None,
                ))  # fmt: skip
            else:
                balance[i] += cents
                key, text = (
                    (f"order:{ref}:cancel", f"取消订餐：{label}")
                    if what == "cancel"
                    else (f"order:{ref}:uncollected", f"未取餐退款：{label}")
                )
                rows.append((
                    t(at), t(at), cid, wallet, "refund", "order", dec(cents), dec(balance[i]),
                    key, ref, None, text, user, None,
                ))  # fmt: skip
            last[i] = at
        self.rows += self.db.insert(LedgerEntry, LEDGER_COLUMNS, rows)

    def finish_wallets(self):
        stamp = self.when(min(self.now, self.ts(self.ctx.last_day, 23)))
        for w, cents in zip(self.wallets, self.balance, strict=True):
            w.balance, w.updated_at = self.dec(cents), stamp
        with own_stamps(Wallet):
            Wallet.objects.bulk_update(self.wallets, ["balance", "updated_at"], batch_size=500)
        for device, used in zip(self.devices, self.device_used, strict=True):
            if used:
                PickupDevice.objects.filter(pk=device.pk).update(last_used_at=self.when(used))


def seed(ctx) -> int:
    """Write the canteen's year; returns the number of rows written."""
    year = Year(ctx, timezone.now())
    year.setup()
    year.menus()
    year.habits()
    year.run_orders()
    year.finish_wallets()
    year.food_safety()
    # The settled menus' tallies, as menu_settle writes them (one UPDATE for the year).
    fill_tallies(Menu, MealOrder, Menu.objects.filter(center=ctx.center))
    ctx.log(
        f"    食堂：{len(year.plans)} 个菜单，{len(year.wallets)} 张餐卡，{year.topups} 笔现金充值"
    )
    return year.rows
