"""The periodic settling of meals (Celery beat every 15 minutes; command canteen_settle)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from houqin.canteen import tasks
from houqin.canteen.models import LedgerEntry, MealSlot, Menu
from houqin.canteen.services import counter, orders
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import fund, make_menu

pytestmark = pytest.mark.django_db


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def balance_matches_ledger(wallet):
    wallet.refresh_from_db()
    total = LedgerEntry.objects.filter(wallet=wallet).aggregate(t=Sum("amount"))["t"]
    return wallet.balance == total


@pytest.fixture
def meals(center_a, slots, dishes, lunch, staff_x, agency_x, canteen_manager):
    """Lunch (uncollected charged) and dinner (uncollected refunded) on DAY: staff_x orders
    both and collects neither; a colleague orders lunch and collects it."""
    MealSlot.objects.filter(center=center_a, meal="dinner").update(charge_uncollected=False)
    dinner = make_menu(center_a, DAY, "dinner", dishes)
    wallet = fund(staff_x.person, 100, canteen_manager)
    colleague = make_user(PersonFactory(agency=agency_x, name="同事"), username="colleague")
    fund(colleague.person, 100, canteen_manager)

    def place(user, menu):
        item = menu.items.order_by("sort").first()
        return orders.meal_order_place(actor=user, menu=menu, lines=[(item.pk, 1)], now=MORNING)

    forgotten_lunch = place(staff_x, lunch)
    forgotten_dinner = place(staff_x, dinner)
    eaten = place(colleague, lunch)
    counter.meal_order_collect(
        actor=canteen_manager, center=center_a, code=eaten.pickup_code, menu=lunch, now=at(12)
    )
    return {
        "lunch": lunch,
        "dinner": dinner,
        "wallet": wallet,
        "forgotten_lunch": forgotten_lunch,
        "forgotten_dinner": forgotten_dinner,
        "eaten": eaten,
    }


def status(order):
    order.refresh_from_db()
    return order.status


def test_settling_counts_uncollected_and_refunds_only_where_the_slot_says(meals):
    wallet = meals["wallet"]
    wallet.refresh_from_db()
    paid = wallet.balance

    # Lunch is over at 13:00; dinner is not.
    assert tasks.settle_meals(now=at(13, 0)) == 1
    assert status(meals["forgotten_lunch"]) == "uncollected"
    assert status(meals["eaten"]) == "collected"
    assert not meals["forgotten_lunch"].entries.filter(kind="refund").exists()  # charged anyway
    assert status(meals["forgotten_dinner"]) == "placed"
    wallet.refresh_from_db()
    assert wallet.balance == paid

    # Dinner is over at 19:00: its uncollected order is refunded.
    assert tasks.settle_meals(now=at(19, 0)) == 1
    dinner_order = meals["forgotten_dinner"]
    assert status(dinner_order) == "uncollected"
    refund = dinner_order.entries.get(kind="refund")
    assert refund.amount == dinner_order.total > 0
    wallet.refresh_from_db()
    assert wallet.balance == paid + dinner_order.total
    assert balance_matches_ledger(wallet)


def test_each_menu_is_settled_once(meals):
    assert tasks.settle_meals(now=at(20, 0)) == 2
    lunch, dinner = meals["lunch"], meals["dinner"]
    lunch.refresh_from_db()
    stamp = lunch.settled_at
    entries = LedgerEntry.objects.count()
    assert stamp == at(20, 0)
    assert tasks.settle_meals(now=at(20, 15)) == 0
    assert tasks.settle_meals(now=at(9, 0, day=DAY + dt.timedelta(days=1))) == 0
    lunch.refresh_from_db()
    assert lunch.settled_at == stamp
    assert LedgerEntry.objects.count() == entries
    assert meals["forgotten_dinner"].entries.filter(kind="refund").count() == 1
    dinner.refresh_from_db()
    assert dinner.settled_at == stamp


def test_nothing_is_settled_before_the_meal_ends(meals):
    assert tasks.settle_meals(now=at(12, 59)) == 0
    assert tasks.settle_meals(now=at(18, 59) - dt.timedelta(seconds=1)) == 1  # lunch only
    assert status(meals["forgotten_dinner"]) == "placed"
    assert Menu.objects.get(pk=meals["dinner"].pk).settled_at is None
    assert tasks.settle_meals(now=at(7, 0, day=DAY - dt.timedelta(days=1))) == 0


def test_draft_and_cancelled_menus_are_not_settled(center_a, slots, dishes, canteen_manager):
    draft = make_menu(center_a, DAY, "breakfast", dishes, published=False)
    cancelled = make_menu(center_a, DAY, "dinner", dishes)
    orders.menu_cancel(actor=canteen_manager, menu=cancelled, reason="停电", now=MORNING)
    assert tasks.settle_meals(now=at(23, 0)) == 0
    draft.refresh_from_db()
    cancelled.refresh_from_db()
    assert draft.settled_at is None and cancelled.settled_at is None


def test_every_center_is_settled(center_a, center_b, slots, dishes, lunch):
    from .factories import make_dish, make_slots

    make_slots(center_b)
    other = make_menu(center_b, DAY, "lunch", [make_dish(center_b, "乙区套餐", "12.00")])
    assert tasks.settle_meals(now=at(14, 0)) == 2
    other.refresh_from_db()
    lunch.refresh_from_db()
    assert other.settled_at and lunch.settled_at


@pytest.fixture
def long_ago(center_a, slots, dishes):
    """A meal long over whatever the real clock says (the task and command use it)."""
    return make_menu(center_a, dt.date(2020, 1, 6), "lunch", dishes)


def test_celery_task_is_registered_and_scheduled_every_15_minutes(settings, long_ago):
    from config.celery import app

    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "canteen.settle_meals"
    ]
    assert len(entries) == 1 and entries[0]["schedule"] == 900.0
    app.loader.import_default_modules()
    assert "canteen.settle_meals" in app.tasks
    assert tasks.settle_meals_task.apply().get() == 1  # eager without a broker
    long_ago.refresh_from_db()
    assert long_ago.settled_at is not None
    assert tasks.settle_meals_task.apply().get() == 0


def test_command_prints_how_many_menus_were_settled(long_ago):
    out = io.StringIO()
    call_command("canteen_settle", stdout=out)
    assert "已结算 1 个餐次" in out.getvalue()
    out = io.StringIO()
    call_command("canteen_settle", stdout=out)
    assert "已结算 0 个餐次" in out.getvalue()
