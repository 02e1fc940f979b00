"""seed_scale for the canteen at 60 staff (factor 0.02): volumes, constraints, derived values,
the summary figures and the manager's pages on the generated year."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from houqin.canteen import scale, summary
from houqin.canteen.models import (
    Dish,
    LedgerEntry,
    MealOrder,
    MealOrderLine,
    Menu,
    MenuItem,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
    WalkInSale,
    Wallet,
)
from houqin.canteen.reconcile import reconcile
from houqin.core.duties.models import DutyTask
from houqin.core.workdays.calendar import workdays_between
from houqin.org.models import OrgUnit, User

STAFF, FACTOR = 60, 60 / 3000
WORKDAYS_2025 = 248


@pytest.fixture
def year(db):
    call_command("seed_scale", staff=STAFF, year=2025, only="canteen", verbosity=0)
    center = OrgUnit.objects.get(code="SCALE-1")
    return center, User.objects.get(username="s1canteen")


def test_raw_columns_match_the_models():
    """The plain-row inserts name every column of their tables, and nothing else."""
    for model, columns, skipped in (
        (MealOrder, scale.ORDER_COLUMNS, set()),
        (MealOrderLine, scale.LINE_COLUMNS, {"id"}),
        (LedgerEntry, scale.LEDGER_COLUMNS, {"id"}),
    ):
        table = {f.column for f in model._meta.concrete_fields} - skipped
        assert sorted(columns) == sorted(table), model


def test_scale_year(year, client):
    center, manager = year
    assert len(workdays_between(dt.date(2025, 1, 1), dt.date(2026, 1, 1))) == WORKDAYS_2025

    # Volumes: ~750,000 orders at 3,000 staff; every meal of every workday published.
    orders = MealOrder.objects.filter(center=center)
    count = orders.count()
    assert 600_000 * FACTOR < count < 900_000 * FACTOR
    assert Dish.objects.filter(center=center).count() >= 40
    menus = Menu.objects.filter(center=center)
    assert menus.count() == menus.filter(status="published", settled_at__isnull=False).count()
    assert menus.count() == 3 * WORKDAYS_2025
    assert MenuItem.objects.filter(menu__center=center).count() > 7 * menus.count()
    assert MealOrderLine.objects.filter(order__center=center).count() >= count
    by_meal = Counter(orders.values_list("menu__meal", flat=True))
    assert by_meal["lunch"] > 5 * by_meal["breakfast"] > 5 * by_meal["dinner"] / 2 > 0

    # A year that is over: every order collected, uncollected or cancelled, a few not.
    statuses = Counter(orders.values_list("status", flat=True))
    assert set(statuses) == {"collected", "uncollected", "cancelled"}
    assert statuses["collected"] > 0.9 * count
    assert not orders.filter(status="collected", collected_at__isnull=True).exists()
    assert (
        not orders.exclude(status="cancelled", cancelled_at__isnull=False)
        .filter(cancelled_at__isnull=False)
        .exists()
    )
    # One live order per person per meal, pickup codes unique per meal (DB constraints too).
    assert not (
        orders.exclude(status="cancelled")
        .values("menu", "person")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )
    assert not orders.values("menu", "pickup_code").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not orders.filter(menu__date__lt=F("created_at__date") - dt.timedelta(days=8)).exists()

    # Totals are the sum of their lines; portions counted for live orders within the limits.
    assert not orders.annotate(s=Sum("lines__amount")).exclude(s=F("total")).exists()
    live = Sum("order_lines__quantity", filter=~Q(order_lines__order__status="cancelled"))
    items = MenuItem.objects.filter(menu__center=center).annotate(live=live)
    assert all(i.ordered_count == (i.live or 0) for i in items)
    assert not items.filter(daily_limit__isnull=False, ordered_count__gt=F("daily_limit")).exists()

    # Money: Σ ledger = balance = the latest row's balance_after, never below zero.
    assert reconcile(center.pk) == []
    ledger = LedgerEntry.objects.filter(center=center)
    assert not ledger.filter(balance_after__lt=0).exists()
    assert not Wallet.objects.filter(center=center, balance__lt=0).exists()
    assert ledger.filter(method="subsidy").count() == 12 * STAFF
    paid = orders.filter(total__gt=0)
    assert ledger.filter(kind="charge", method="order").count() == paid.count()
    refunded = paid.filter(Q(status="cancelled") | Q(status="uncollected", menu__meal="dinner"))
    assert ledger.filter(kind="refund").count() == refunded.count()
    wallet_sales = WalkInSale.objects.filter(center=center, payment="wallet").count()
    assert ledger.filter(kind="charge", method="counter").count() == wallet_sales
    ids = list(ledger.filter(kind="charge", method="order").values_list("order_id", flat=True))
    assert len(ids) == len(set(ids))

    # Food safety: a morning check per worker present, a sample per dish, daily inspections.
    assert MorningCheck.objects.filter(center=center).count() > 4 * WORKDAYS_2025
    dishes_served = MenuItem.objects.filter(menu__center=center).count()
    assert SampleRetention.objects.filter(center=center).count() == dishes_served
    assert PurchaseInspection.objects.filter(center=center).count() >= WORKDAYS_2025
    tasks = DutyTask.objects.filter(center=center)
    assert tasks.count() == 8 * WORKDAYS_2025  # 晨检 1, 留样 3, 进货 1, 消毒 3 a day
    assert not tasks.exclude(status="done").exists()

    figures = summary.figures(center, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    whole = summary.figures(center, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    walk_ins = WalkInSale.objects.filter(center=center).aggregate(n=Sum("meals"))["n"]
    assert whole["orders_placed"] == count
    assert whole["meals_served"] == statuses["collected"] + walk_ins
    assert whole["orders_cancelled"] == statuses["cancelled"]
    assert whole["menus_published"] == 3 * WORKDAYS_2025
    assert whole["topups_by_method"]["subsidy"] == Decimal(300 * 12 * STAFF)
    assert 0 < whole["refunds_total"] < whole["spending_total"] < whole["topups_total"]
    for key in ("meals_served", "orders_placed", "walk_in_meals", "spending_total"):
        assert figures[key] and figures[key] <= whole[key], key
    assert len(figures["meals_served_by_month"]) == 12
    assert 90 <= figures["food_safety_on_time_pct"] <= 100
    for kind, row in figures["food_safety"].items():
        assert row["records"] > 0 and row["due"] > 0 and row["missed"] == 0, kind

    client.force_login(manager)
    for name in ("canteen:order_list", "canteen:wallet_list", "canteen:food_safety"):
        assert client.get(reverse(name)).status_code == 200, name


def test_settled_menus_carry_tallies_of_their_orders(year):
    # As menu_settle writes them, so statistics read the same figures from either.
    menus = Menu.objects.filter(center=year[0])
    assert menus.filter(settled_at__isnull=False).exists()
    assert not menus.filter(settled_at__isnull=False, tally_placed__isnull=True).exists()
    assert not menus.filter(settled_at__isnull=True, tally_placed__isnull=False).exists()
    for menu in menus.filter(settled_at__isnull=False).annotate(
        n=Count("orders"),
        collected=Count("orders", filter=Q(orders__status="collected")),
        uncollected=Count("orders", filter=Q(orders__status="uncollected")),
    ):
        assert (menu.tally_placed, menu.tally_collected, menu.tally_uncollected) == (
            menu.n,
            menu.collected,
            menu.uncollected,
        )
