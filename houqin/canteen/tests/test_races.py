"""Concurrency on PostgreSQL: 20 threads at once against one wallet, the last portions, one
idempotency key, one pickup code. Money is never created or lost, nothing is oversold.

These need real concurrent transactions, so they run with transaction=True on PostgreSQL
only (SQLite serialises writers with BEGIN IMMEDIATE). Every thread closes its connection.
Each test prints one line: "<n> attempts, <k> winners, <v> invariant violations".
"""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework.test import APIClient

from houqin.canteen.models import LedgerEntry, MealOrder, MealOrderLine, MenuItem, Wallet
from houqin.canteen.services import counter, orders
from houqin.core.roles import Role
from houqin.core.testing import postgres_only, restore_migrated_data, run_at_once
from houqin.org.tests.factories import PersonFactory, make_center, make_unit, make_user

from .factories import fund, make_dish, make_menu, make_slots

THREADS = 20
DAY = dt.date(2026, 11, 25)  # a Wednesday workday
MORNING = timezone.make_aware(dt.datetime(2026, 11, 25, 8, 0))
NOON = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 45))


def concurrent(test):
    """PostgreSQL only, with real transactions (each thread commits on its own connection)."""
    return postgres_only(pytest.mark.django_db(transaction=True)(test))


@pytest.fixture
def migrated(transactional_db):
    """What migrations create (ranks, role groups): a transactional test's flush removes it."""
    restore_migrated_data()


@pytest.fixture
def race(migrated):
    center = make_center("并发测试中心", code="RACE")
    agency = make_unit(center, "并发测试局", code="RX")
    manager = make_user(
        PersonFactory(agency=agency, name="食堂管理员"), Role.CANTEEN_MANAGER, username="rm"
    )
    make_slots(center, order_days_ahead=31)
    return center, agency, manager


def wallet_violations(wallet) -> list[str]:
    """Broken money invariants of one wallet (empty when all hold)."""
    wallet.refresh_from_db()
    problems = []
    total = LedgerEntry.objects.filter(wallet=wallet).aggregate(s=Sum("amount"))["s"] or 0
    if wallet.balance < 0:
        problems.append(f"negative balance {wallet.balance}")
    if wallet.balance != total:
        problems.append(f"balance {wallet.balance} != ledger sum {total}")
    last = LedgerEntry.objects.filter(wallet=wallet).order_by("-pk").first()
    if last is not None and last.balance_after != wallet.balance:
        problems.append(f"last balance_after {last.balance_after} != balance {wallet.balance}")
    return problems


def portion_violations() -> list[str]:
    """Menu items whose running count differs from the live order lines, or passes the limit."""
    problems = []
    for item in MenuItem.objects.all():
        live = (
            MealOrderLine.objects.filter(item=item)
            .exclude(order__status=MealOrder.Status.CANCELLED)
            .aggregate(s=Sum("quantity"))["s"]
            or 0
        )
        if item.ordered_count != live:
            problems.append(f"{item}: ordered_count {item.ordered_count} != lines {live}")
        if item.daily_limit is not None and item.ordered_count > item.daily_limit:
            problems.append(f"{item}: {item.ordered_count} > limit {item.daily_limit}")
    return problems


def report(attempts, winners, violations):
    print(f"{attempts} attempts, {winners} winners, {len(violations)} invariant violations")
    assert violations == []


def _workdays(start, count):
    from houqin.core.workdays.calendar import is_workday

    days, day = [], start
    while len(days) < count:
        if is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# ------------------------------------------------------------------ one wallet, many spends


@concurrent
def test_twenty_orders_spend_one_wallet_at_once(race):
    """Each thread orders a different meal at 15.00; the wallet holds 100.00: six can pay."""
    center, agency, manager = race
    user = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    wallet = fund(user.person, "100.00", manager)
    price = Decimal("15.00")
    menus = [
        make_menu(center, day, meal, [make_dish(center, f"套餐{day:%d}{meal}", str(price))])
        for day in _workdays(DAY, THREADS // 2)
        for meal in ("lunch", "dinner")
    ]
    assert len(menus) == THREADS
    results = run_at_once(
        [
            lambda m=m: orders.meal_order_place(
                actor=user, menu=m, lines=[(m.items.get().pk, 1)], now=MORNING
            )
            for m in menus
        ]
    )
    won = [r for r, e in results if e is None]
    lost = [e for _r, e in results if e is not None]
    violations = wallet_violations(wallet) + portion_violations()
    for exc in lost:
        if not (isinstance(exc, ValidationError) and "余额不足" in str(exc)):
            violations.append(f"unexpected {exc!r}")
    spent = Decimal("100.00") - wallet.balance
    if len(won) * price != spent:
        violations.append(f"{len(won)} winners × {price} != spent {spent}")
    charges = LedgerEntry.objects.filter(wallet=wallet, kind=LedgerEntry.Kind.CHARGE).count()
    if charges != len(won) or MealOrder.objects.count() != len(won):
        violations.append(f"{charges} charges, {MealOrder.objects.count()} orders, {len(won)} won")
    assert len(won) == 6 and wallet.balance == Decimal("10.00")
    report(THREADS, len(won), violations)


@concurrent
def test_twenty_counter_charges_of_one_wallet_at_once(race):
    """Walk-in sales paid by one wallet (12.50 each, 100.00 held): eight can pay."""
    center, agency, manager = race
    user = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    wallet = fund(user.person, "100.00", manager)
    menu = make_menu(center, DAY, "lunch", [make_dish(center, "套餐")])
    price = Decimal("12.50")
    results = run_at_once(
        [
            lambda i=i: counter.walk_in_sale_create(
                actor=manager,
                menu=menu,
                amount=price,
                payment="wallet",
                wallet=wallet,
                idempotency_key=f"sale-{i}",
            )
            for i in range(THREADS)
        ]
    )
    won = [r for r, e in results if e is None]
    violations = wallet_violations(wallet)
    for _r, exc in results:
        if exc is not None and not (isinstance(exc, ValidationError) and "余额不足" in str(exc)):
            violations.append(f"unexpected {exc!r}")
    spent = Decimal("100.00") - wallet.balance
    if len(won) * price != spent:
        violations.append(f"{len(won)} winners × {price} != spent {spent}")
    assert len(won) == 8 and wallet.balance == 0
    report(THREADS, len(won), violations)


# ------------------------------------------------------------------ the last portions


@concurrent
def test_twenty_people_order_the_last_five_portions(race):
    center, agency, manager = race
    menu = make_menu(center, DAY, "lunch", [make_dish(center, "限量红烧肉", "20.00")], limit=5)
    item = menu.items.get()
    people = [
        make_user(PersonFactory(agency=agency, name=f"职工{i}"), username=f"rp{i}")
        for i in range(THREADS)
    ]
    wallets = [fund(user.person, "50.00", manager) for user in people]
    results = run_at_once(
        [
            lambda u=u: orders.meal_order_place(
                actor=u, menu=menu, lines=[(item.pk, 1)], now=MORNING
            )
            for u in people
        ]
    )
    won = [r for r, e in results if e is None]
    violations = portion_violations()
    for w in wallets:
        violations += wallet_violations(w)
    for _r, exc in results:
        if exc is not None and not (isinstance(exc, ValidationError) and "余量不足" in str(exc)):
            violations.append(f"unexpected {exc!r}")
    item.refresh_from_db()
    paid = sum((Decimal("50.00") - w.balance for w in wallets), Decimal("0"))
    if paid != len(won) * Decimal("20.00"):
        violations.append(f"paid {paid} for {len(won)} orders")
    assert len(won) == 5 and item.ordered_count == 5
    assert MealOrder.objects.filter(menu=menu).count() == 5
    report(THREADS, len(won), violations)


# ------------------------------------------------------------------ one idempotency key


def _is_duplicate(exc):
    return isinstance(exc, ValidationError) and "已订过" in str(exc)


@concurrent
def test_same_idempotency_key_from_twenty_threads_orders_once(race):
    """One order and one charge, and every thread gets that order back (also a thread whose
    replay check ran before the first order committed: see
    test_replay_after_the_first_order_committed_returns_it below)."""
    center, agency, manager = race
    user = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    wallet = fund(user.person, "100.00", manager)
    menu = make_menu(center, DAY, "lunch", [make_dish(center, "套餐", "15.00")])
    item = menu.items.get()
    results = run_at_once(
        [
            lambda: orders.meal_order_place(
                actor=user, menu=menu, lines=[(item.pk, 1)], idempotency_key="tap-1", now=MORNING
            )
            for _i in range(THREADS)
        ]
    )
    duplicates = sum(1 for _r, e in results if _is_duplicate(e))
    ids = {r.pk for r, e in results if e is None}
    violations = wallet_violations(wallet) + portion_violations()
    violations += [f"unexpected {e!r}" for _r, e in results if e]
    if len(ids) != 1 or MealOrder.objects.count() != 1:
        violations.append(f"orders {ids}, {MealOrder.objects.count()} rows")
    charges = LedgerEntry.objects.filter(wallet=wallet, kind=LedgerEntry.Kind.CHARGE).count()
    if charges != 1 or wallet.balance != Decimal("85.00"):
        violations.append(f"{charges} charges, balance {wallet.balance}")
    print(f"({duplicates} replays answered “已订过” instead of the order)")
    report(THREADS, MealOrder.objects.count(), violations)


@concurrent
def test_same_idempotency_key_through_the_api(race, monkeypatch):
    """Eight taps of the order button at once: one order (201 once), one charge."""
    center, agency, manager = race
    user = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    wallet = fund(user.person, "100.00", manager)
    menu = make_menu(center, DAY, "lunch", [make_dish(center, "套餐", "15.00")])
    item = menu.items.get()
    monkeypatch.setattr(timezone, "now", lambda: MORNING)
    body = {"menu": menu.pk, "items": [{"item": item.pk, "quantity": 1}]}

    def tap():
        client = APIClient()
        client.force_authenticate(user)
        return client.post(
            "/api/v1/canteen/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-tap"
        )

    attempts = 8
    results = run_at_once([tap] * attempts)
    violations = wallet_violations(wallet) + portion_violations()
    violations += [f"unexpected {e!r}" for _r, e in results if e is not None]
    responses = [r for r, e in results if e is None]
    ok = [r for r in responses if r.status_code in (200, 201)]
    duplicates = [r for r in responses if r.status_code == 400 and "已订过" in str(r.json())]
    ids = {r.json()["id"] for r in ok}
    if len(ok) != attempts or duplicates or len(ids) != 1:
        violations.append(f"responses {[r.status_code for r in responses]}, ids {ids}")
    charges = LedgerEntry.objects.filter(wallet=wallet, kind=LedgerEntry.Kind.CHARGE).count()
    if charges != 1 or MealOrder.objects.count() != 1:
        violations.append(f"{charges} charges, {MealOrder.objects.count()} orders")
    print(f"({len(duplicates)} replays answered “已订过” instead of the order)")
    report(attempts, MealOrder.objects.count(), violations)


@pytest.mark.django_db
def test_replay_after_the_first_order_committed_returns_it(center_a, agency_x, staff_x):
    """Deterministic form of the race above (runs on SQLite too): request B's replay
    pre-check (in meal_order_place) ran before request A committed; A has now committed and B
    enters _place. B must return A's order, not refuse the meal as already ordered."""
    manager = make_user(
        PersonFactory(agency=agency_x, name="食堂管理员"), Role.CANTEEN_MANAGER, username="cm"
    )
    make_slots(center_a)
    fund(staff_x.person, "50.00", manager)
    menu = make_menu(center_a, DAY, "lunch", [make_dish(center_a, "套餐", "15.00")])
    lines = [(menu.items.get().pk, 1)]
    first = orders.meal_order_place(
        actor=staff_x, menu=menu, lines=lines, idempotency_key="tap", now=MORNING
    )
    # B inserts under the same key after A committed: the constraint refuses it, all rolled back.
    with pytest.raises(IntegrityError), transaction.atomic():
        orders._place(
            actor=staff_x, person=staff_x.person, menu=menu, lines=lines, key="tap", now=MORNING
        )
    # meal_order_place turns that refusal into "return the first order".
    replay_lookups = []
    original_filter = MealOrder.objects.filter

    def first_look_misses(*args, **kwargs):
        qs = original_filter(*args, **kwargs)
        if kwargs.get("idempotency_key") == "tap" and not replay_lookups:
            replay_lookups.append(1)  # B's pre-check ran before A committed: it saw nothing
            return qs.none()
        return qs

    with mock.patch.object(MealOrder.objects, "filter", first_look_misses):
        replay = orders.meal_order_place(
            actor=staff_x, menu=menu, lines=lines, idempotency_key="tap", now=MORNING
        )
    assert replay_lookups and replay.pk == first.pk
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.CHARGE).count() == 1
    assert menu.items.get().ordered_count == 1


# ------------------------------------------------------------------ one pickup code


@concurrent
@pytest.mark.parametrize("attempts", [2, THREADS])
def test_same_pickup_code_verified_at_once_is_collected_once(race, attempts):
    center, agency, manager = race
    user = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    fund(user.person, "50.00", manager)
    menu = make_menu(center, DAY, "lunch", [make_dish(center, "套餐", "15.00")])
    order = orders.meal_order_place(
        actor=user, menu=menu, lines=[(menu.items.get().pk, 1)], now=MORNING
    )
    results = run_at_once(
        [
            lambda i=i: counter.meal_order_collect(
                actor=manager,
                center=center,
                code=order.pickup_code,
                menu=menu,
                now=NOON + dt.timedelta(seconds=i),
            )
            for i in range(attempts)
        ]
    )
    violations = [f"unexpected {e!r}" for _r, e in results if e is not None]
    done = [r for r, e in results if e is None]
    first = [r for r in done if not r.already]
    already = [r for r in done if r.already]
    order.refresh_from_db()
    if len(first) != 1 or len(already) != attempts - 1:
        violations.append(f"{len(first)} collected, {len(already)} already")
    elif any(r.order.collected_at != order.collected_at for r in done):
        violations.append("the already-collected answers do not show the first pickup time")
    if order.status != MealOrder.Status.COLLECTED:
        violations.append(f"status {order.status}")
    report(attempts, len(first), violations)


@concurrent
def test_wallet_balances_match_ledgers_after_the_races(race):
    """A guard for the helper itself: it reports a balance written behind the ledger's back."""
    _center, agency, manager = race
    user = make_user(PersonFactory(agency=agency, name="职工"), username="rs")
    wallet = fund(user.person, "10.00", manager)
    assert wallet_violations(wallet) == []
    Wallet.objects.filter(pk=wallet.pk).update(balance=Decimal("11.00"))
    assert wallet_violations(wallet)
