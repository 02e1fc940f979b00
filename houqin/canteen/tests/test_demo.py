"""The demo canteen (seed_demo): realistic, consistent with the ledger, and idempotent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from houqin.canteen import demo
from houqin.canteen.models import (
    Dish,
    LedgerEntry,
    MealOrder,
    MealOrderLine,
    MealSlot,
    Menu,
    MenuItem,
    WalkInSale,
    Wallet,
)
from houqin.canteen.services.wallets import subsidy_key
from houqin.core.models import AuditLogEntry
from houqin.core.roles import Role
from houqin.core.workdays.calendar import is_workday
from houqin.org.models import Person
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026, 12:10 in Shanghai: breakfast is over, lunch is being served.
NOON = timezone.make_aware(dt.datetime(2026, 11, 25, 12, 10))
TODAY = NOON.date()
# Monday 23 November 2026 before breakfast: "this week" has no past meal yet.
MONDAY = timezone.make_aware(dt.datetime(2026, 11, 23, 6, 30))


def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def demo_users(agency_x, canteen_manager):
    staff = make_user(PersonFactory(agency=agency_x, name="科员小王"), username="staff")
    liaison = make_user(
        PersonFactory(agency=agency_x, name="办公室主任"), Role.LIAISON, username="liaison"
    )
    return canteen_manager, staff, liaison


def snapshot(center):
    """Row counts and update stamps of everything the demo writes (and the audit log)."""
    models = (MealSlot, Dish, Menu, MenuItem, Wallet, LedgerEntry, MealOrder, WalkInSale)
    return (
        {m.__name__: m.objects.filter(center=center).count() for m in models},
        MealOrderLine.objects.count(),
        AuditLogEntry.objects.count(),
        {
            m.__name__: list(
                m.objects.filter(center=center).order_by("pk").values_list("updated_at", "pk")
            )
            for m in (MealSlot, Dish, Menu, MenuItem, Wallet, MealOrder)
        },
        list(Wallet.objects.order_by("pk").values_list("balance", flat=True)),
    )


def assert_ledger_consistent(center):
    wallets = Wallet.objects.filter(center=center).annotate(total=Sum("entries__amount"))
    assert wallets.exists()
    for wallet in wallets:
        assert wallet.balance >= 0
        assert wallet.balance == (wallet.total or Decimal("0")), wallet


def test_seed_builds_a_living_canteen(center_a, demo_users):
    manager, staff, liaison = demo_users
    created = demo.seed(center_a, actor=manager, now=NOON)
    assert created

    slots = {s.meal: s for s in MealSlot.objects.filter(center=center_a)}
    assert slots["breakfast"].cutoff_days_before == 1
    assert slots["breakfast"].cutoff_time == dt.time(17, 0)
    assert slots["lunch"].cutoff_time == dt.time(9, 30)
    assert slots["dinner"].cutoff_time == dt.time(15, 0)
    assert slots["breakfast"].charge_uncollected and slots["lunch"].charge_uncollected
    assert not slots["dinner"].charge_uncollected

    dishes = Dish.objects.filter(center=center_a)
    assert dishes.count() >= 25
    assert all(Decimal("1") <= d.price <= Decimal("20") for d in dishes)
    assert dishes.exclude(allergens="").count() >= 5
    assert {"set_meal", "meat", "vegetable", "staple", "soup", "snack"} <= set(
        dishes.values_list("category", flat=True)
    )

    # Last, this and next week (16 Nov – 4 Dec 2026: 15 workdays), three meals each, published.
    menus = Menu.objects.filter(center=center_a)
    assert menus.count() == 15 * 3
    assert set(menus.values_list("status", flat=True)) == {"published"}
    assert all(is_workday(d) for d in menus.values_list("date", flat=True))
    assert menus.filter(date=TODAY + dt.timedelta(days=7), meal="lunch").exists()
    for menu in menus:
        # Published the Friday before its week, never after "now".
        assert menu.published_at <= NOON
        assert timezone.localdate(menu.published_at) < menu.date
    limited = MenuItem.objects.filter(center=center_a, daily_limit__isnull=False)
    assert limited.exists() and set(limited.values_list("menu__meal", flat=True)) == {"lunch"}

    # Everyone active got this month's subsidy, once.
    people = Person.objects.filter(center=center_a, status=Person.Status.ACTIVE).count()
    subsidies = LedgerEntry.objects.filter(center=center_a, idempotency_key=subsidy_key(TODAY))
    assert subsidies.count() == people
    assert set(subsidies.values_list("amount", flat=True)) == {Decimal("300.00")}

    # Orders: past ones collected at the counter, one forgotten breakfast (charged), one
    # dinner not collected (refunded); today's lunch being served; the next days placed.
    mine = MealOrder.objects.filter(person=staff.person)
    assert mine.filter(status="collected", menu__date__lt=TODAY).count() >= 4
    assert mine.filter(status="collected", menu__date=TODAY).count() == 2  # breakfast, lunch
    forgotten = mine.get(status="uncollected")
    assert forgotten.menu.meal == "breakfast"
    assert not forgotten.entries.filter(kind="refund").exists()
    assert mine.filter(status="placed", menu__date__gt=TODAY).count() == 2
    theirs = MealOrder.objects.filter(person=liaison.person)
    missed = theirs.get(status="uncollected")
    assert missed.menu.meal == "dinner"
    assert missed.entries.get(kind="refund").amount == missed.total
    waiting = theirs.get(menu__date=TODAY, menu__meal="lunch")
    assert waiting.status == "placed"  # the counter can verify it in the demo
    for order in MealOrder.objects.filter(status="collected"):
        assert order.collected_at <= NOON
        assert timezone.localdate(order.collected_at) == order.menu.date
        assert order.collected_by == manager
    for item in MenuItem.objects.filter(center=center_a, daily_limit__isnull=False):
        assert item.ordered_count <= item.daily_limit

    # Walk-ins at today's lunch: guests in cash, the liaison's extra dish by wallet.
    sales = WalkInSale.objects.filter(center=center_a)
    assert {(s.menu.date, s.menu.meal, s.payment) for s in sales} == {
        (TODAY, "lunch", "cash"),
        (TODAY, "lunch", "wallet"),
    }
    assert LedgerEntry.objects.filter(sale__isnull=False).get().wallet.person == liaison.person

    # Meals over are settled (once, like the 15-minute job); the rest are not.
    settled = menus.filter(settled_at__isnull=False)
    assert not settled.filter(date__gt=TODAY).exists()
    assert settled.filter(date=TODAY).get().meal == "breakfast"
    assert not menus.filter(date__lt=TODAY, settled_at__isnull=True).exists()
    assert_ledger_consistent(center_a)


def test_second_run_writes_nothing(center_a, demo_users):
    manager = demo_users[0]
    demo.seed(center_a, actor=manager, now=NOON)
    before = snapshot(center_a)
    assert demo.seed(center_a, actor=manager, now=NOON) == []
    assert snapshot(center_a) == before


def test_balances_equal_ledger_sums(center_a, demo_users):
    demo.seed(center_a, actor=demo_users[0], now=NOON)
    assert_ledger_consistent(center_a)
    staff = demo_users[1]
    wallet = Wallet.objects.get(person=staff.person)
    # 300 subsidy + 200 cash top-up, less what the orders cost (the forgotten one included).
    spent = -sum(e.amount for e in wallet.entries.filter(kind__in=["charge", "refund"]))
    assert spent > 0
    assert wallet.balance == Decimal("500.00") - spent
    totals = MealOrder.objects.filter(person=staff.person).aggregate(t=Sum("total"))["t"]
    assert spent == totals


def test_a_later_run_fills_in_the_new_days_only(center_a, demo_users):
    manager = demo_users[0]
    demo.seed(center_a, actor=manager, now=NOON)
    menus = Menu.objects.count()
    orders = MealOrder.objects.count()
    evening = at(TODAY, 19, 30)
    created = demo.seed(center_a, actor=manager, now=evening)
    # Today's lunch and dinner are settled now; nothing new to add on the same day.
    assert {m.meal for m in created if isinstance(m, Menu)} == {"lunch", "dinner"}
    assert Menu.objects.count() == menus and MealOrder.objects.count() == orders
    # A week later: the new next week's menus appear and the past meals get settled.
    created = demo.seed(center_a, actor=manager, now=NOON + dt.timedelta(days=7))
    assert Menu.objects.filter(date__gte=dt.date(2026, 12, 7)).count() == 15
    assert created
    assert_ledger_consistent(center_a)


def test_monday_morning_still_shows_history(center_a, demo_users):
    staff = demo_users[1]
    demo.seed(center_a, actor=demo_users[0], now=MONDAY)
    orders = MealOrder.objects.filter(person=staff.person)
    # The last three service days are last week's Wednesday to Friday.
    assert orders.filter(status="collected", menu__date__lt=MONDAY.date()).exists()
    assert orders.filter(menu__date=MONDAY.date(), status="placed").exists()
    assert not WalkInSale.objects.filter(menu__date=MONDAY.date()).exists()
    assert WalkInSale.objects.filter(menu__date=dt.date(2026, 11, 20)).count() == 2
    assert_ledger_consistent(center_a)


def test_holiday_week_has_no_menus_on_holidays(center_a, demo_users):
    national_day = timezone.make_aware(dt.datetime(2026, 10, 5, 10, 0))
    demo.seed(center_a, actor=demo_users[0], now=national_day)
    dates = set(Menu.objects.values_list("date", flat=True))
    assert dates and all(is_workday(d) for d in dates)
    assert not any(dt.date(2026, 10, 1) <= d <= dt.date(2026, 10, 7) for d in dates)
    assert MealOrder.objects.filter(status="collected").exists()
    assert_ledger_consistent(center_a)


def test_center_without_demo_logins(center_a, center_b, agency_b, person_b, demo_users):
    """Another center gets slots, dishes, menus and subsidies but no orders; A is untouched."""
    demo.seed(center_a, actor=demo_users[0], now=NOON)
    before = snapshot(center_a)
    demo.seed(center_b, now=NOON)
    assert Menu.objects.filter(center=center_b).count() == 45
    assert Wallet.objects.get(person=person_b).balance == Decimal("300.00")
    assert not MealOrder.objects.filter(center=center_b).exists()
    assert not WalkInSale.objects.filter(center=center_b, payment="wallet").exists()
    assert WalkInSale.objects.filter(center=center_b, payment="cash").count() == 1
    after = snapshot(center_a)
    assert after[0] == before[0] and after[3] == before[3]
