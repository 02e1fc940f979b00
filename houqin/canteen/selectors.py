"""Reads of the canteen app, scoped to the user (ARCHITECTURE.md rule 2).

Staff see their center's published menus and their own orders and wallet. Canteen managers
(canteen.view_mealorder) see the whole center; leaders and center admins see reports.
Missing and forbidden rows look the same.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.workdays.calendar import workdays_between
from houqin.org.models import Person
from houqin.org.scoping import user_person

from .models import (
    Dish,
    LedgerEntry,
    MealOrder,
    MealSlot,
    Menu,
    MenuItem,
    PickupDevice,
    Wallet,
    WalletAdjustment,
)
from .models.menus import MEAL_ORDER
from .services.orders import cutoff_at, ordering_closed_reason


def _usable(user):
    return user.is_authenticated and user.is_active and user.center_id is not None


def is_canteen_manager(user):
    return _usable(user) and user.has_perm("canteen.change_menu")


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def slots_for(center_id):
    return {s.meal: s for s in MealSlot.objects.filter(center_id=center_id)}


def menus_for(user):
    """Menus the user may see: published ones of their center; all of them for managers."""
    if not _usable(user):
        return Menu.objects.none()
    qs = Menu.objects.filter(center_id=user.center_id)
    if not is_canteen_manager(user):
        qs = qs.filter(status=Menu.Status.PUBLISHED)
    return qs


def orderable_menus(user):
    """Menus anyone of the center may order from (published), without a permission lookup:
    the ordering endpoint is the peak-load path."""
    if not _usable(user):
        return Menu.objects.none()
    return Menu.objects.filter(center_id=user.center_id, status=Menu.Status.PUBLISHED)


def menu_items(menus):
    return menus.prefetch_related(
        Prefetch("items", queryset=MenuItem.objects.select_related("dish").order_by("sort", "id"))
    )


@dataclass
class MenuCard:
    """One meal of one day as a staff member sees it: the menu, whether they may still order
    it, and their own order for it."""

    menu: Menu
    slot: MealSlot | None
    cutoff: dt.datetime | None
    closed_reason: str | None
    order: MealOrder | None = None
    items: list = field(default_factory=list)

    @property
    def can_order(self):
        return self.closed_reason is None


def week_cards(user, start: dt.date, *, now=None) -> dict[dt.date, list[MenuCard]]:
    """Seven days from `start`: the published menus with their cut-off and the user's order.

    A constant number of queries whatever the week holds (slots, the week's workdays, menus
    with items, the user's orders with their lines)."""
    now = now or timezone.now()
    end = start + dt.timedelta(days=6)
    workdays = set(workdays_between(start, end + dt.timedelta(days=1)))
    slots = slots_for(user.center_id) if _usable(user) else {}
    menus = list(
        menu_items(menus_for(user).filter(date__range=(start, end), status=Menu.Status.PUBLISHED))
    )
    person = user_person(user)
    orders = {}
    if person is not None:
        for order in (
            MealOrder.objects.filter(person=person, menu__in=[m.pk for m in menus])
            .exclude(status=MealOrder.Status.CANCELLED)
            .prefetch_related("lines__item__dish")
        ):
            orders[order.menu_id] = order
    days = {start + dt.timedelta(days=i): [] for i in range(7)}
    for menu in sorted(menus, key=lambda m: (m.date, MEAL_ORDER.get(m.meal, 9))):
        slot = slots.get(menu.meal)
        days[menu.date].append(
            MenuCard(
                menu=menu,
                slot=slot,
                cutoff=cutoff_at(slot, menu.date) if slot else None,
                closed_reason=ordering_closed_reason(menu, slot, now, workdays=workdays),
                order=orders.get(menu.pk),
                items=list(menu.items.all()),
            )
        )
    return days


def orders_for(user):
    """Orders the user may see: their own; the whole center for canteen managers."""
    qs = MealOrder.objects.select_related("menu", "person", "agency")
    if not _usable(user):
        return qs.none()
    # Also through the menu (the same center): lists sort by the menu's date, and this lets
    # PostgreSQL walk the center's menus by date and fetch their orders by index instead of
    # sorting the whole year's orders for one page (5.6 s → ~10 ms at scale, bench/INDEXES.md).
    qs = qs.filter(center_id=user.center_id, menu__center_id=user.center_id)
    if user.has_perm("canteen.view_mealorder"):
        return qs
    person = user_person(user)
    return qs.filter(person=person) if person is not None else qs.none()


def my_orders(user):
    person = user_person(user)
    if person is None:
        return MealOrder.objects.none()
    return orders_for(user).filter(person=person).prefetch_related("lines__item__dish")


def my_wallet(user) -> Wallet | None:
    person = user_person(user)
    if person is None or not _usable(user):
        return None
    return Wallet.objects.filter(person=person).first()


def wallets_for(user):
    qs = Wallet.objects.select_related("person", "person__agency")
    if not _usable(user) or not user.has_perm("canteen.view_wallet"):
        return qs.none()
    return qs.filter(center_id=user.center_id)


def ledger_for(user, wallet=None):
    """Ledger rows the user may see: of their own wallet; of the center for managers."""
    qs = LedgerEntry.objects.select_related("wallet__person", "actor", "approved_by")
    if not _usable(user):
        return qs.none()
    qs = qs.filter(center_id=user.center_id)
    if not user.has_perm("canteen.view_ledgerentry"):
        person = user_person(user)
        if person is None:
            return qs.none()
        qs = qs.filter(wallet__person=person)
    if wallet is not None:
        qs = qs.filter(wallet=wallet)
    return qs


def current_menu(center_id, now=None) -> Menu | None:
    """The meal being served (or next to be served) today, for the pickup counter."""
    now = timezone.localtime(now or timezone.now())
    menus = list(
        Menu.objects.filter(center_id=center_id, date=now.date(), status=Menu.Status.PUBLISHED)
    )
    if not menus:
        return None
    slots = slots_for(center_id)

    def end(menu):
        slot = slots.get(menu.meal)
        return slot.serve_until if slot else dt.time(23, 59)

    upcoming = [m for m in menus if end(m) >= now.time()]
    pool = upcoming or menus
    return min(pool, key=lambda m: end(m)) if upcoming else max(pool, key=lambda m: end(m))


def dishes_for(user):
    """The dishes of the user's center (a dish of another center is a 404)."""
    if not user.is_authenticated or user.center_id is None:
        return Dish.objects.none()
    return Dish.objects.filter(center_id=user.center_id)


def people_with_wallets(user):
    """The people of the user's center with their wallet (None when not opened)."""
    if (
        not user.is_authenticated
        or user.center_id is None
        or not user.has_perm("canteen.view_wallet")
    ):
        return Person.objects.none()
    return Person.objects.filter(center_id=user.center_id).select_related("agency", "wallet")


def adjustments_for(user):
    """Adjustment requests of the user's center, with their approval request's id."""
    if (
        not user.is_authenticated
        or user.center_id is None
        or not user.has_perm("canteen.view_wallet")
    ):
        return WalletAdjustment.objects.none()
    approval = ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(WalletAdjustment),
        object_id=OuterRef("pk"),
        request_type="canteen.adjustment",
    ).order_by("-created_at", "-id")
    return (
        WalletAdjustment.objects.filter(center_id=user.center_id)
        .select_related("wallet__person", "requested_by__person", "entry__approved_by__person")
        .annotate(approval_id=Subquery(approval.values("pk")[:1]))
    )


def devices_for(user):
    if (
        not user.is_authenticated
        or user.center_id is None
        or not user.has_perm("canteen.view_pickupdevice")
    ):
        return PickupDevice.objects.none()
    return PickupDevice.objects.filter(center_id=user.center_id).select_related(
        "created_by__person"
    )
