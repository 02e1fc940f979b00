"""Property test (hypothesis): no sequence of canteen operations creates or loses money.

Any sequence of top-ups (with replayed keys), orders (random items and quantities across
three menus with portion limits, replayed keys), changes, cancellations, pickups, the clock
moving on, settling finished meals (lunch charged when uncollected, dinner refunded), menu
withdrawals, and adjustments requested and approved or rejected later keeps, after every
step:

* every wallet: balance == Σ its ledger rows, never below zero, the last row's balance_after
  equal to the balance;
* every menu item: ordered_count == Σ quantities of its live (not cancelled) order lines, never
  above its daily limit;
* every order: total == Σ its lines, and the money it moved == −total while it stands (placed,
  collected, uncollected and charged), 0 once cancelled or refunded as uncollected.

Services get the time through `now=` (a clock that only moves forward). Refusals
(ValidationError: cut-off, sold out, balance, state) are expected and must change nothing;
any other exception fails the test. Each example runs in a savepoint rolled back afterwards.
"""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from houqin.canteen.models import (
    LedgerEntry,
    MealOrder,
    MealOrderLine,
    MealSlot,
    Menu,
    MenuItem,
    Wallet,
    WalletAdjustment,
)
from houqin.canteen.selectors import current_menu
from houqin.canteen.services import counter, orders, wallets
from houqin.core.approvals import services as approvals
from houqin.core.approvals.models import ApprovalRequest
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user

from .factories import make_dish, make_menu, make_slots

pytestmark = pytest.mark.django_db

# 60 examples (~20 s) in the suite; CANTEEN_PROPERTY_EXAMPLES=2000 for a deep run.
EXAMPLES = int(os.environ.get("CANTEEN_PROPERTY_EXAMPLES", "60"))
PEOPLE = 3
KEY_SLOTS = 4  # few idempotency keys, so replays (same and different content) happen


def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, minute))


# The clock only moves forward through these instants (Asia/Shanghai).
CLOCK = [
    at(25, 8, 0),  # before every cut-off
    at(25, 9, 40),  # 25th lunch closed for orders
    at(25, 11, 45),  # 25th lunch served
    at(25, 13, 5),  # 25th lunch over: settle it
    at(25, 15, 5),  # 25th dinner closed for orders
    at(25, 17, 45),  # 25th dinner served
    at(25, 19, 5),  # 25th dinner over
    at(26, 8, 0),
    at(26, 11, 45),  # 26th lunch served
    at(26, 13, 5),  # 26th lunch over
]

# (day, meal, [(dish, price, daily limit)])
MENUS = [
    (25, "lunch", [("红烧肉套餐", "15.00", 3), ("清炒时蔬", "4.50", None), ("例汤", "0.00", 2)]),
    (25, "dinner", [("牛肉面", "12.00", 4), ("凉拌黄瓜", "3.00", 2)]),
    (26, "lunch", [("糖醋排骨", "20.00", 2), ("番茄炒蛋", "6.50", None)]),
]  # fmt: skip


@pytest.fixture
def world(center_a, agency_x, canteen_manager):
    slots = {s.meal: s for s in make_slots(center_a)}
    MealSlot.objects.filter(pk=slots["dinner"].pk).update(charge_uncollected=False)  # refunded
    menus, menu_items = [], []
    for day, meal, dishes in MENUS:
        menu = make_menu(
            center_a,
            dt.date(2026, 11, day),
            meal,
            [make_dish(center_a, name, price) for name, price, _limit in dishes],
        )
        own = list(menu.items.order_by("sort"))
        for (_name, _price, limit), item in zip(dishes, own, strict=True):
            MenuItem.objects.filter(pk=item.pk).update(daily_limit=limit)
        menus.append(menu)
        menu_items.append(own)
    people = [
        make_user(PersonFactory(agency=agency_x, name=f"职工{i}"), username=f"p{i}")
        for i in range(PEOPLE)
    ]
    finance = make_user(
        PersonFactory(agency=agency_x, name="财务"), Role.FINANCE_OFFICER, username="fin"
    )
    return {
        "center": center_a,
        "manager": canteen_manager,
        "finance": finance,
        "people": people,
        "menus": menus,
        "menu_items": menu_items,
    }


# ------------------------------------------------------------------ operations

person = st.integers(0, PEOPLE - 1)
menu_index = st.integers(0, len(MENUS) - 1)
key = st.one_of(st.none(), st.integers(0, KEY_SLOTS - 1))
# A line is (slot, quantity): slots 0–2 pick one of the menu's own dishes, slot 3 a dish of
# another menu (refused); quantity 0 drops the line, 21 is over the maximum (refused).
# A line is (dish, quantity), drawn so that most orders are valid (hypothesis favours the
# ends of a range, so the rare values sit in the middle): dish 0–2 is one of the menu's own
# dishes, "foreign" a dish of another menu (refused); quantity mostly 1–2, sometimes 3, 0
# (the line is dropped) or 21 (over the maximum: refused).
dish = st.integers(0, 10).map(lambda n: 3 if n == 5 else n % 3)
quantity = st.integers(0, 11).map(lambda n: {5: 21, 6: 0, 7: 3}.get(n, 1 + n % 2))
lines = st.lists(st.tuples(dish, quantity), min_size=1, max_size=3)
amounts = st.integers(1, 8000)

ARGUMENTS = {
    "topup": st.tuples(person, amounts, st.integers(0, KEY_SLOTS - 1)),
    "order": st.tuples(person, menu_index, lines, key),
    "change": st.tuples(person, menu_index, lines),
    "cancel": st.tuples(person, menu_index),
    "collect": st.tuples(person, menu_index),
    "tick": st.tuples(st.integers(1, 3)),
    "settle": st.tuples(),
    "withdraw": st.tuples(menu_index, st.integers(0, 3)),
    "adjust": st.tuples(person, st.integers(-3000, 3000).filter(bool)),
    "decide": st.tuples(st.integers(0, 5), st.booleans()),
}
# Weighted: mostly orders, changes and cancellations; the clock moves now and then.
KINDS = (
    ["order"] * 6
    + ["change"] * 3
    + ["cancel"] * 2
    + ["topup"] * 2
    + [
        "collect",
        "tick",
        "tick",
        "settle",
        "withdraw",
        "adjust",
        "decide",
    ]
)
OPERATIONS = st.sampled_from(KINDS).flatmap(
    lambda kind: ARGUMENTS[kind].map(lambda args: (kind, *args))
)


class Run:
    """Applies operations to the world at the clock's current instant."""

    def __init__(self, world):
        self.w = world
        self.position = 0  # index into CLOCK
        self.pending = []  # approval requests of adjustments, oldest first

    @property
    def now(self):
        return CLOCK[self.position]

    def wallet(self, i):
        return wallets.wallet_get_or_open(person=self.w["people"][i].person)

    def live_order(self, i, m):
        """Person i's live order for menu m, else their latest live order (or None)."""
        mine = MealOrder.objects.filter(person=self.w["people"][i].person).exclude(
            status=MealOrder.Status.CANCELLED
        )
        return mine.filter(menu=self.w["menus"][m]).first() or mine.order_by("-pk").first()

    def live_order_of(self, i, menu):
        return (
            MealOrder.objects.filter(person=self.w["people"][i].person, menu=menu)
            .exclude(status=MealOrder.Status.CANCELLED)
            .first()
        )

    def menu_index(self, order):
        return next(k for k, menu in enumerate(self.w["menus"]) if menu.pk == order.menu_id)

    def item_lines(self, m, spec):
        own = self.w["menu_items"][m]
        foreign = self.w["menu_items"][(m + 1) % len(MENUS)][0]
        return [((own[slot % len(own)] if slot < 3 else foreign).pk, q) for slot, q in spec]

    def apply(self, op):
        name, *args = op
        getattr(self, name)(*args)

    def topup(self, i, amount, slot):
        wallets.wallet_topup(
            actor=self.w["manager"],
            wallet=self.wallet(i),
            amount=Decimal(amount) / 100,
            method="cash",
            idempotency_key=f"t{slot}",
        )

    def order(self, i, m, spec, slot):
        orders.meal_order_place(
            actor=self.w["people"][i],
            menu=self.w["menus"][m],
            lines=self.item_lines(m, spec),
            idempotency_key="" if slot is None else f"o{slot}",
            now=self.now,
        )

    def change(self, i, m, spec):
        order = self.live_order(i, m)
        if order is not None:
            lines = self.item_lines(self.menu_index(order), spec)
            orders.meal_order_change(
                actor=self.w["people"][i], order=order, lines=lines, now=self.now
            )

    def cancel(self, i, m):
        order = self.live_order(i, m)
        if order is not None:
            orders.meal_order_cancel(actor=self.w["people"][i], order=order, now=self.now)

    def collect(self, i, m):
        """Person i picks up their order of the meal being served (else any live order)."""
        serving = current_menu(self.w["center"].pk, self.now)
        order = (serving and self.live_order_of(i, serving)) or self.live_order(i, m)
        if order is not None:
            counter.meal_order_collect(
                actor=self.w["manager"],
                center=self.w["center"],
                code=order.pickup_token,
                now=self.now,
            )

    def tick(self, steps=1):
        self.position = min(self.position + steps, len(CLOCK) - 1)

    def settle(self):
        counter.settle_due_menus(now=self.now)

    def withdraw(self, m, chance):
        if chance:  # withdrawing a whole meal is rare
            return
        orders.menu_cancel(
            actor=self.w["manager"], menu=self.w["menus"][m], reason="食材短缺", now=self.now
        )

    def adjust(self, i, amount):
        adjustment = wallets.wallet_adjustment_request(
            actor=self.w["manager"],
            wallet=self.wallet(i),
            amount=Decimal(amount) / 100,
            reason="核对差错",
        )
        self.pending.append(
            ApprovalRequest.objects.get(object_id=adjustment.pk, request_type="canteen.adjustment")
        )

    def decide(self, index, approve):
        if not self.pending:
            return
        approval = self.pending.pop(index % len(self.pending))
        if approve:
            approvals.approval_approve(actor=self.w["finance"], approval=approval)
        else:
            approvals.approval_reject(actor=self.w["finance"], approval=approval, comment="不同意")


# ------------------------------------------------------------------ invariants


def snapshot():
    """Everything money and portions: a refused operation must leave it unchanged."""
    return (
        # A wallet opened on first use (balance 0, no rows) before a refusal does not count.
        sorted(Wallet.objects.exclude(balance=0).values_list("pk", "balance")),
        LedgerEntry.objects.count(),
        sorted(MenuItem.objects.values_list("pk", "ordered_count")),
        sorted(MealOrder.objects.values_list("pk", "status", "total")),
        sorted(WalletAdjustment.objects.values_list("pk", "status")),
        sorted(Menu.objects.values_list("pk", "status", "settled_at")),
    )


MONEY = DecimalField(max_digits=14, decimal_places=2)


def cents(value):
    """SQLite sums decimals as floats: compare in cents."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _sum(queryset, field, output=MONEY):
    """Σ field over `queryset` (a correlated subquery filtered on OuterRef), or 0."""
    total = queryset.order_by().annotate(one=Value(1)).values("one").annotate(s=Sum(field))
    return Coalesce(Subquery(total.values("s")[:1], output_field=output), 0, output_field=output)


def violations():
    """Broken invariants (empty when all hold); three queries whatever the data."""
    problems = []
    entries = LedgerEntry.objects.filter(wallet=OuterRef("pk"))
    for wallet in Wallet.objects.annotate(
        ledger=_sum(entries, "amount"),
        last=Subquery(entries.order_by("-pk").values("balance_after")[:1]),
    ):
        wallet.ledger, wallet.last = cents(wallet.ledger), wallet.last and cents(wallet.last)
        if wallet.balance < 0:
            problems.append(f"wallet {wallet.pk}: negative balance {wallet.balance}")
        if wallet.balance != wallet.ledger:
            problems.append(f"wallet {wallet.pk}: balance {wallet.balance} != {wallet.ledger}")
        if wallet.last is not None and wallet.last != wallet.balance:
            problems.append(f"wallet {wallet.pk}: last balance_after {wallet.last}")
    live = MealOrderLine.objects.filter(item=OuterRef("pk")).exclude(
        order__status=MealOrder.Status.CANCELLED
    )
    for item in MenuItem.objects.annotate(live=_sum(live, "quantity", IntegerField())):
        if item.ordered_count != item.live:
            problems.append(f"{item.pk}: ordered_count {item.ordered_count} != lines {item.live}")
        if item.daily_limit is not None and item.ordered_count > item.daily_limit:
            problems.append(f"{item.pk}: {item.ordered_count} > limit {item.daily_limit}")
    refunded_meals = set(
        MealSlot.objects.filter(charge_uncollected=False).values_list("meal", flat=True)
    )
    for order in MealOrder.objects.select_related("menu").annotate(
        lines_total=_sum(MealOrderLine.objects.filter(order=OuterRef("pk")), "amount"),
        moved=_sum(LedgerEntry.objects.filter(order=OuterRef("pk")), "amount"),
    ):
        order.lines_total, order.moved = cents(order.lines_total), cents(order.moved)
        if order.status != MealOrder.Status.CANCELLED and order.lines_total != order.total:
            problems.append(f"order {order.pk}: total {order.total} != {order.lines_total}")
        stands = order.status in (MealOrder.Status.PLACED, MealOrder.Status.COLLECTED) or (
            order.status == MealOrder.Status.UNCOLLECTED and order.menu.meal not in refunded_meals
        )
        expected = -order.total if stands else Decimal("0")
        if order.moved != expected:
            problems.append(f"order {order.pk} ({order.status}): moved {order.moved} != {expected}")
    return problems


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    funds=st.lists(
        st.integers(0, 8).map(lambda n: 0 if n == 4 else 3000 + 1000 * n),
        min_size=PEOPLE,
        max_size=PEOPLE,
    ),
    ops=st.lists(OPERATIONS, min_size=8, max_size=40),
)
def test_any_sequence_keeps_money_and_portions_consistent(world, funds, ops):
    sid = transaction.savepoint()
    try:
        run = Run(world)
        start = [("topup", i, amount, KEY_SLOTS) for i, amount in enumerate(funds) if amount]
        end = [("tick", len(CLOCK)), ("settle",)]  # the days end: every meal is settled
        for step, op in enumerate(start + ops + end):
            before = snapshot()
            try:
                run.apply(op)
            except ValidationError as exc:
                event(f"{op[0]}: refused {exc.messages[0][:12]}")
                assert snapshot() == before, f"step {step} {op}: refused but changed something"
            else:
                event(f"{op[0]}: done" if snapshot() != before else f"{op[0]}: no change")
            problems = violations()
            assert problems == [], f"after step {step} {op} at {run.now:%m-%d %H:%M}: {problems}"
    finally:
        transaction.savepoint_rollback(sid)
