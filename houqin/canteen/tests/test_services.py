"""Ordering, paying, cancelling and pickup through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from houqin.canteen.models import LedgerEntry, MealOrder, MenuItem, Wallet
from houqin.canteen.services import counter, orders, wallets

from .conftest import DAY, MORNING
from .factories import fund, make_dish, make_menu, make_slots

pytestmark = pytest.mark.django_db


def ledger_sum(wallet):
    return sum((e.amount for e in LedgerEntry.objects.filter(wallet=wallet)), Decimal("0"))


def test_place_order_charges_wallet_and_gives_pickup_code(lunch, staff_x, canteen_manager):
    wallet = fund(staff_x.person, 50, canteen_manager)
    meat, veg = lunch.items.order_by("sort")
    order = orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(meat.pk, 1), (veg.pk, 2)], now=MORNING
    )
    wallet.refresh_from_db()
    assert order.total == Decimal("24.00")
    assert wallet.balance == Decimal("26.00") == ledger_sum(wallet)
    assert len(order.pickup_code) == 6 and order.pickup_code.isdigit()
    assert order.entries.get().amount == Decimal("-24.00")
    meat.refresh_from_db()
    assert meat.ordered_count == 1


def test_insufficient_balance_refused_and_nothing_written(lunch, staff_x, canteen_manager):
    fund(staff_x.person, 10, canteen_manager)
    item = lunch.items.order_by("sort").first()
    with pytest.raises(ValidationError, match="余额不足"):
        orders.meal_order_place(actor=staff_x, menu=lunch, lines=[(item.pk, 1)], now=MORNING)
    assert not MealOrder.objects.exists()
    item.refresh_from_db()
    assert item.ordered_count == 0


def test_after_cutoff_refused(lunch, staff_x, canteen_manager):
    fund(staff_x.person, 50, canteen_manager)
    item = lunch.items.first()
    late = timezone.make_aware(dt.datetime(2026, 11, 25, 9, 30))
    with pytest.raises(ValidationError, match="截止订餐"):
        orders.meal_order_place(actor=staff_x, menu=lunch, lines=[(item.pk, 1)], now=late)


def test_holiday_closed_unless_opened(center_a, slots, dishes, staff_x, canteen_manager):
    fund(staff_x.person, 50, canteen_manager)
    national_day = dt.date(2026, 10, 1)
    menu = make_menu(center_a, national_day, "lunch", dishes)
    now = timezone.make_aware(dt.datetime(2026, 9, 28, 8, 0))
    with pytest.raises(ValidationError, match="节假日"):
        orders.meal_order_place(
            actor=staff_x, menu=menu, lines=[(menu.items.first().pk, 1)], now=now
        )
    menu.holiday_open = True
    menu.save()
    assert orders.meal_order_place(
        actor=staff_x, menu=menu, lines=[(menu.items.first().pk, 1)], now=now
    )


def test_idempotency_key_charges_once(lunch, staff_x, canteen_manager):
    wallet = fund(staff_x.person, 50, canteen_manager)
    item = lunch.items.first()
    first = orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(item.pk, 1)], idempotency_key="k1", now=MORNING
    )
    again = orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(item.pk, 1)], idempotency_key="k1", now=MORNING
    )
    assert first.pk == again.pk
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("35.00") == ledger_sum(wallet)


def test_sold_out(center_a, slots, staff_x, person_y, canteen_manager):
    dish = make_dish(center_a, "小炒肉", "10.00")
    menu = make_menu(center_a, DAY, "lunch", [dish], limit=2)
    item = menu.items.get()
    fund(staff_x.person, 100, canteen_manager)
    orders.meal_order_place(actor=staff_x, menu=menu, lines=[(item.pk, 2)], now=MORNING)
    item.refresh_from_db()
    assert item.remaining == 0
    with pytest.raises(ValidationError, match="仅剩 0 份"):
        orders.meal_order_change(
            actor=staff_x, order=MealOrder.objects.get(), lines=[(item.pk, 3)], now=MORNING
        )


def test_change_and_cancel_refund(lunch, staff_x, canteen_manager):
    wallet = fund(staff_x.person, 50, canteen_manager)
    meat, veg = lunch.items.order_by("sort")
    order = orders.meal_order_place(actor=staff_x, menu=lunch, lines=[(meat.pk, 1)], now=MORNING)
    order = orders.meal_order_change(
        actor=staff_x, order=order, lines=[(meat.pk, 1), (veg.pk, 1)], now=MORNING
    )
    wallet.refresh_from_db()
    assert order.total == Decimal("19.50") and wallet.balance == Decimal("30.50")
    orders.meal_order_cancel(actor=staff_x, order=order, now=MORNING)
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("50.00") == ledger_sum(wallet)
    assert MenuItem.objects.get(pk=meat.pk).ordered_count == 0


def test_pickup_once(lunch, staff_x, canteen_manager, center_a):
    fund(staff_x.person, 50, canteen_manager)
    order = orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(lunch.items.first().pk, 1)], now=MORNING
    )
    noon = timezone.make_aware(dt.datetime(2026, 11, 25, 11, 45))
    first = counter.meal_order_collect(
        actor=canteen_manager, center=center_a, code=order.pickup_code, menu=lunch, now=noon
    )
    second = counter.meal_order_collect(
        actor=canteen_manager, center=center_a, code=order.pickup_token, now=noon
    )
    assert not first.already and second.already
    assert second.order.collected_at == noon


def test_wallet_close_pays_out(lunch, staff_x, canteen_manager, admin_a):
    wallet = fund(staff_x.person, 50, canteen_manager)
    wallets.wallet_close(actor=admin_a, person=staff_x.person)
    wallet.refresh_from_db()
    assert wallet.status == Wallet.Status.CLOSED and wallet.balance == 0 == ledger_sum(wallet)


UTC = dt.UTC


def at_utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_cutoff_is_in_shanghai_time_around_midnight(
    center_a, slots, dishes, staff_x, canteen_manager
):
    """Breakfast on the 26th closes at 17:00 on the 25th, Shanghai time. Just after midnight in
    Shanghai it is still the 25th in UTC: a UTC date would wrongly keep the 26th open."""
    fund(staff_x.person, 50, canteen_manager)
    breakfast_26 = make_menu(center_a, dt.date(2026, 11, 26), "breakfast", dishes)
    breakfast_27 = make_menu(center_a, dt.date(2026, 11, 27), "breakfast", dishes)
    line = lambda menu: [(menu.items.first().pk, 1)]  # noqa: E731
    # 2026-11-25 16:59 Shanghai = 08:59 UTC: still open.
    assert orders.meal_order_place(
        actor=staff_x, menu=breakfast_26, lines=line(breakfast_26), now=at_utc(2026, 11, 25, 8, 59)
    )
    first = MealOrder.objects.get()
    orders.meal_order_cancel(actor=staff_x, order=first, now=at_utc(2026, 11, 25, 8, 59))
    # 2026-11-26 00:10 Shanghai = 2026-11-25 16:10 UTC: the 26th's breakfast closed at 17:00.
    just_after_midnight = at_utc(2026, 11, 25, 16, 10)
    with pytest.raises(ValidationError, match="11月25日 17:00 截止"):
        orders.meal_order_place(
            actor=staff_x, menu=breakfast_26, lines=line(breakfast_26), now=just_after_midnight
        )
    # …while the 27th's breakfast (closing on the 26th at 17:00) is open.
    assert orders.meal_order_place(
        actor=staff_x, menu=breakfast_27, lines=line(breakfast_27), now=just_after_midnight
    )


def test_same_day_cutoff_just_after_midnight(center_a, dishes, staff_x, canteen_manager):
    """A meal closing at 00:30 on its own day: at 00:29 Shanghai (16:29 UTC the day before)
    it is open, at 00:30 it is closed."""
    make_slots(center_a, cutoff_days_before=0, cutoff_time=dt.time(0, 30))
    fund(staff_x.person, 50, canteen_manager)
    menu = make_menu(center_a, dt.date(2026, 11, 26), "lunch", dishes)
    item = menu.items.first()
    with pytest.raises(ValidationError, match="截止订餐"):
        orders.meal_order_place(
            actor=staff_x, menu=menu, lines=[(item.pk, 1)], now=at_utc(2026, 11, 25, 16, 30)
        )
    assert orders.meal_order_place(
        actor=staff_x, menu=menu, lines=[(item.pk, 1)], now=at_utc(2026, 11, 25, 16, 29)
    )


def test_holiday_week_make_up_saturday_is_a_service_day(
    center_a, slots, dishes, staff_x, canteen_manager
):
    """National Day 2026: 1–7 October are closed; Saturday 10 October is a make-up workday
    (调休) and is served without ticking 节假日开餐."""
    fund(staff_x.person, 50, canteen_manager)
    holiday = make_menu(center_a, dt.date(2026, 10, 7), "lunch", dishes)
    saturday = make_menu(center_a, dt.date(2026, 10, 10), "lunch", dishes)
    now = timezone.make_aware(dt.datetime(2026, 10, 5, 8, 0))
    with pytest.raises(ValidationError, match="节假日"):
        orders.meal_order_place(
            actor=staff_x, menu=holiday, lines=[(holiday.items.first().pk, 1)], now=now
        )
    order = orders.meal_order_place(
        actor=staff_x, menu=saturday, lines=[(saturday.items.first().pk, 1)], now=now
    )
    assert order.menu == saturday


def test_cancel_after_cutoff_refused_and_nothing_refunded(lunch, staff_x, canteen_manager):
    wallet = fund(staff_x.person, 50, canteen_manager)
    order = orders.meal_order_place(
        actor=staff_x, menu=lunch, lines=[(lunch.items.first().pk, 1)], now=MORNING
    )
    late = timezone.make_aware(dt.datetime(2026, 11, 25, 9, 31))
    with pytest.raises(ValidationError, match="不能取消"):
        orders.meal_order_cancel(actor=staff_x, order=order, now=late)
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("35.00") == ledger_sum(wallet)
