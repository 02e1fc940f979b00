"""Test data for the canteen app (plain functions; money only through the services)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from houqin.canteen.models import Dish, MealSlot, Menu, MenuItem
from houqin.canteen.services import wallets

_seq = itertools.count(1)

SLOTS = {
    "breakfast": (dt.time(7, 0), dt.time(8, 30), 1, dt.time(17, 0)),
    "lunch": (dt.time(11, 30), dt.time(13, 0), 0, dt.time(9, 30)),
    "dinner": (dt.time(17, 30), dt.time(19, 0), 0, dt.time(15, 0)),
}


def make_slots(center, **overrides):
    slots = []
    for meal, (start, end, days, cutoff) in SLOTS.items():
        fields = {
            "serve_from": start,
            "serve_until": end,
            "cutoff_days_before": days,
            "cutoff_time": cutoff,
            **overrides,
        }
        slot, _created = MealSlot.objects.update_or_create(
            center=center, meal=meal, defaults=fields
        )
        slots.append(slot)
    return slots


def make_dish(center, name=None, price="12.00", category=Dish.Category.SET_MEAL, **fields):
    return Dish.objects.create(
        center=center,
        name=name or f"菜品{next(_seq)}",
        category=category,
        price=Decimal(price),
        **fields,
    )


def make_menu(center, day, meal="lunch", dishes=(), limit=None, published=True, **fields):
    """A menu with one item per dish (each with `limit` portions, None = unlimited)."""
    menu = Menu.objects.create(
        center=center,
        date=day,
        meal=meal,
        status=Menu.Status.PUBLISHED if published else Menu.Status.DRAFT,
        published_at=timezone.now() if published else None,
        **fields,
    )
    for i, dish in enumerate(dishes):
        MenuItem.objects.create(
            center=center, menu=menu, dish=dish, price=dish.price, daily_limit=limit, sort=i
        )
    return menu


def fund(person, amount, actor, key=None):
    """Top up `person`'s wallet through the service (actor needs canteen.topup_wallet)."""
    wallet = wallets.wallet_get_or_open(person=person)
    wallets.wallet_topup(
        actor=actor,
        wallet=wallet,
        amount=Decimal(str(amount)),
        method="cash",
        idempotency_key=key or f"fund-{next(_seq)}",
    )
    wallet.refresh_from_db()
    return wallet


def next_workday_after(day):
    from houqin.core.workdays.calendar import next_workday

    return next_workday(day)
