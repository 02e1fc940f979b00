"""Placing, changing and cancelling meal orders; pickup; walk-in sales; settling a meal.

Pickup, counter sales and settling a meal are in services/counter.py.

Portions: each order line reserves portions with one conditional UPDATE
(`ordered_count = ordered_count + q WHERE ordered_count + q <= daily_limit`); on PostgreSQL
the row lock makes concurrent buyers of the last portions queue and re-check, so exactly the
available number succeed, and the check constraint catches any writer that skips this.
Money: the order's charge, a change's difference and a cancellation's refund are ledger rows
written in the same transaction (wallets.post), so an order and its payment exist together
or not at all. Lock order everywhere: menu items (by id), then the wallet.
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.workdays.calendar import is_workday
from houqin.org.models import Person

from ..models import LedgerEntry, MealOrder, MealOrderLine, MealSlot, Menu, MenuItem
from . import wallets
from .common import require

K, M = LedgerEntry.Kind, LedgerEntry.Method
MAX_QUANTITY = 20
ZERO = Decimal("0.00")


# ------------------------------------------------------------------ rules


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def slot_for(menu) -> MealSlot | None:
    return MealSlot.objects.filter(center_id=menu.center_id, meal=menu.meal).first()


def cutoff_at(slot: MealSlot, day: dt.date) -> dt.datetime:
    """When ordering for `slot` on `day` closes (Asia/Shanghai)."""
    return aware(day - dt.timedelta(days=slot.cutoff_days_before), slot.cutoff_time)


def is_service_day(menu, workdays=None) -> bool:
    """`workdays`: the workdays around the menu's date when the caller read them in bulk
    (calendar.workdays_between); otherwise the calendar is asked about this one day."""
    if menu.holiday_open:
        return True
    return menu.date in workdays if workdays is not None else is_workday(menu.date)


def ordering_closed_reason(menu, slot, now, *, workdays=None) -> str | None:
    """Why `menu` cannot be ordered (or changed) at `now`, in Chinese; None when it can."""
    if slot is None or not slot.is_active:
        return _("食堂不供应%(m)s。") % {"m": menu.get_meal_display()}
    if menu.status == Menu.Status.CANCELLED:
        return _("%(m)s已停供。") % {"m": menu}
    if menu.status != Menu.Status.PUBLISHED:
        return _("%(m)s的菜单尚未发布。") % {"m": menu}
    if menu.settled_at is not None:
        return _("%(m)s已收餐结算。") % {"m": menu}
    if not is_service_day(menu, workdays):
        return _("%(d)s为节假日，食堂不开餐。") % {"d": f"{menu.date:%m月%d日}"}
    cutoff = cutoff_at(slot, menu.date)
    if now >= cutoff:
        return _("%(m)s已于 %(t)s 截止订餐。") % {"m": menu, "t": f"{local(cutoff):%m月%d日 %H:%M}"}
    if menu.date > timezone.localdate(now) + dt.timedelta(days=slot.order_days_ahead):
        return _("最多只能提前 %(n)s 天订餐。") % {"n": slot.order_days_ahead}
    return None


def _check_open(menu, now):
    reason = ordering_closed_reason(menu, slot_for(menu), now)
    if reason:
        raise ValidationError(reason, code="closed")


def _clean_lines(menu, lines):
    """[(menu_item or id, quantity)] → {MenuItem: quantity}, validated against the menu."""
    wanted: dict[int, int] = {}
    for item, quantity in lines or []:
        item_id = item.pk if isinstance(item, MenuItem) else item
        try:
            item_id, quantity = int(item_id), int(quantity)
        except (TypeError, ValueError):
            raise ValidationError({"items": _("份数必须是整数。")}) from None
        if quantity < 0 or quantity > MAX_QUANTITY:
            raise ValidationError(
                {"items": _("每样菜品的份数须在 1 到 %(n)s 之间。") % {"n": MAX_QUANTITY}}
            )
        if quantity:
            wanted[item_id] = wanted.get(item_id, 0) + quantity
    items = {
        i.pk: i for i in MenuItem.objects.filter(menu=menu, pk__in=wanted).select_related("dish")
    }
    if set(items) != set(wanted):
        raise ValidationError({"items": _("所选菜品不在该餐次的菜单上。")})
    for quantity in wanted.values():
        if quantity > MAX_QUANTITY:
            raise ValidationError(
                {"items": _("每样菜品的份数须在 1 到 %(n)s 之间。") % {"n": MAX_QUANTITY}}
            )
    return {items[pk]: q for pk, q in wanted.items()}


def _reserve(item: MenuItem, delta: int):
    """Change the portions ordered of `item` by `delta`; refuse to go past the daily limit."""
    if delta == 0:
        return
    qs = MenuItem.objects.filter(pk=item.pk)
    if delta > 0:
        changed = qs.filter(daily_limit__isnull=True).update(
            ordered_count=F("ordered_count") + delta
        )
        if not changed:
            changed = qs.filter(ordered_count__lte=F("daily_limit") - delta).update(
                ordered_count=F("ordered_count") + delta
            )
        if not changed:
            left = MenuItem.objects.get(pk=item.pk).remaining
            raise ValidationError(
                {
                    "items": _("“%(d)s”余量不足：仅剩 %(n)s 份。")
                    % {"d": item.dish.name, "n": left or 0}
                },
                code="sold_out",
            )
    else:
        qs.update(ordered_count=F("ordered_count") + delta)


def _person_of(actor):
    person = getattr(actor, "person", None) if actor is not None else None
    if person is None or person.status != Person.Status.ACTIVE:
        raise ValidationError(_("您的账号未关联在职人员信息，无法订餐。"))
    return person


# ------------------------------------------------------------------ place / change / cancel


def meal_order_place(*, actor, menu, lines, idempotency_key="", now=None) -> MealOrder:
    """Order `lines` of `menu` for the actor and pay from their wallet.

    The same idempotency key again returns the first order (nothing charged twice), also when
    both requests race: the loser's transaction rolls back and it returns the winner's order,
    marked `replayed = True`.
    This is the peak-load path (everyone orders before the cut-off), so the happy path keeps
    to one transaction of a dozen statements: conflicts are left to the unique constraints
    and sorted out here, after the rollback, instead of being checked up front.
    """
    key = (idempotency_key or "").strip()
    if len(key) > wallets.KEY_MAX:
        raise ValidationError({"idempotency_key": _("幂等键不能超过 100 个字符。")})
    person = _person_of(actor)
    if key:
        replay = MealOrder.objects.filter(person=person, idempotency_key=key).first()
        if replay is not None:
            replay.replayed = True
            return replay
    for _attempt in range(5):
        try:
            return _place(actor=actor, person=person, menu=menu, lines=lines, key=key, now=now)
        except IntegrityError:
            # Rolled back. Which constraint was it? The same key (a concurrent replay that
            # committed first), a second live order for the meal, or a pickup-code clash.
            if key:
                replay = MealOrder.objects.filter(person=person, idempotency_key=key).first()
                if replay is not None:
                    replay.replayed = True
                    return replay
            live = MealOrder.objects.filter(menu=menu, person=person).exclude(status="cancelled")
            if live.exists():
                raise ValidationError(
                    _("您已订过%(m)s，请在原订单上修改。") % {"m": menu}, code="duplicate"
                ) from None
            # else two new orders drew the same pickup code: draw again
    raise ValidationError(_("下单失败，请重试。"))  # pragma: no cover - 5 clashes in a row


@dataclass
class Placed:
    menu: Menu
    order: MealOrder | None = None
    error: str = ""


def meal_orders_place_many(*, actor, choices, idempotency_key, now=None) -> list[Placed]:
    """Order several meals at once (e.g. lunch for every day of next week).

    Each meal is its own order and its own transaction, keyed "<key>:<menu id>": one day sold
    out or closed does not stop the others, and submitting the same form twice charges once.
    `choices` is [(menu, lines)]. Returns one Placed per choice, with the order or the reason.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > wallets.KEY_MAX - 12:
        raise ValidationError({"idempotency_key": _("缺少请求编号，请刷新页面后重试。")})
    results = []
    for menu, lines in choices:
        try:
            order = meal_order_place(
                actor=actor, menu=menu, lines=lines, idempotency_key=f"{key}:{menu.pk}", now=now
            )
        except ValidationError as exc:
            results.append(Placed(menu=menu, error="；".join(exc.messages)))
        else:
            results.append(Placed(menu=menu, order=order))
    return results


@transaction.atomic
def _place(*, actor, person, menu, lines, key, now):
    now = now or timezone.now()
    if menu.center_id != person.center_id:
        raise PermissionDenied
    _check_open(menu, now)
    wanted = _clean_lines(menu, lines)
    if not wanted:
        raise ValidationError({"items": _("请至少选择一样菜品。")})
    for item in sorted(wanted, key=lambda i: i.pk):
        _reserve(item, wanted[item])
    # Re-read under the item locks: a menu withdrawn meanwhile (menu_cancel locks the same
    # items first) is seen here, so no order slips in after its cancellation.
    if not Menu.objects.filter(pk=menu.pk, status=Menu.Status.PUBLISHED).exists():
        raise ValidationError(_("%(m)s已停供。") % {"m": menu}, code="closed")
    total = sum((item.price * q for item, q in wanted.items()), start=ZERO)
    wallet = wallets.lock_for_person(person)
    order = MealOrder.objects.create(
        center_id=menu.center_id,
        menu=menu,
        person=person,
        agency_id=person.agency_id,
        wallet=wallet,
        total=total,
        # Unique per meal by constraint; a clash (1 in ~300 at 3,000 orders) is retried.
        pickup_code=f"{secrets.randbelow(1_000_000):06d}",
        pickup_token=secrets.token_urlsafe(18),
        idempotency_key=key,
        placed_by=actor,
    )
    order_lines = MealOrderLine.objects.bulk_create(
        MealOrderLine(
            order=order, item=item, quantity=q, unit_price=item.price, amount=item.price * q
        )
        for item, q in sorted(wanted.items(), key=lambda pair: pair[0].pk)
    )
    order.balance_after = wallet.balance
    if total > 0:
        entry = wallets.post(
            wallet=wallet,
            kind=K.CHARGE,
            method=M.ORDER,
            amount=-total,
            key=f"order:{order.pk}",
            actor=actor,
            order=order,
            reason=_("订餐：%(m)s") % {"m": menu},
            locked=True,
            new_key=True,
        )
        order.balance_after = entry.balance_after
    # The caller can show the order without reading it back (as prefetch_related would).
    cached = MealOrderLine.objects.filter(order=order)
    cached._result_cache, cached._prefetch_done = order_lines, True
    order._prefetched_objects_cache = {"lines": cached}
    return order


def _lock_order(order) -> MealOrder:
    return MealOrder.objects.select_for_update().select_related("menu", "wallet").get(pk=order.pk)


def _own_or_manager(actor, order):
    if actor is None:
        return
    if order.person.user_id == actor.pk:
        return
    require(actor, order.center_id, "canteen.change_mealorder")


@transaction.atomic
def meal_order_change(*, actor, order, lines, now=None) -> MealOrder:
    """Replace an order's lines before the cut-off; charge or refund the difference."""
    now = now or timezone.now()
    _own_or_manager(actor, order)
    order = _lock_order(order)
    if order.status != MealOrder.Status.PLACED:
        raise ValidationError(_("订单%(s)s，不能修改。") % {"s": order.get_status_display()})
    _check_open(order.menu, now)
    wanted = _clean_lines(order.menu, lines)
    if not wanted:
        return meal_order_cancel(actor=actor, order=order, now=now)
    current = {line.item_id: line for line in order.lines.select_related("item")}
    items = {i.pk: i for i in wanted} | {line.item_id: line.item for line in current.values()}
    for pk in sorted(items):
        new_q = wanted.get(items[pk], 0)
        old_q = current[pk].quantity if pk in current else 0
        _reserve(items[pk], new_q - old_q)
    order.lines.all().delete()
    MealOrderLine.objects.bulk_create(
        MealOrderLine(
            order=order, item=item, quantity=q, unit_price=item.price, amount=item.price * q
        )
        for item, q in sorted(wanted.items(), key=lambda pair: pair[0].pk)
    )
    # Lines keep the price of the day the order was placed only while unchanged; a change
    # re-prices at today's menu price, like ordering afresh.
    new_total = sum((item.price * q for item, q in wanted.items()), start=ZERO)
    delta = new_total - order.total
    if delta:
        revision = order.entries.count()
        wallets.post(
            wallet=order.wallet,
            kind=K.CHARGE if delta > 0 else K.REFUND,
            method=M.ORDER,
            amount=-delta,
            key=f"order:{order.pk}:change:{revision}",
            actor=actor,
            order=order,
            reason=_("修改订餐：%(m)s") % {"m": order.menu},
        )
    order.total = new_total
    order.save(update_fields=["total", "updated_at"])
    return order


@transaction.atomic
def meal_order_cancel(*, actor, order, now=None, force=False, reason="") -> MealOrder:
    """Cancel before the cut-off with a full refund. `force` (menu withdrawn, person left)
    skips the cut-off check."""
    now = now or timezone.now()
    if not force:
        _own_or_manager(actor, order)
    order = _lock_order(order)
    if order.status != MealOrder.Status.PLACED:
        raise ValidationError(_("订单%(s)s，不能取消。") % {"s": order.get_status_display()})
    if not force:
        slot = slot_for(order.menu)
        if slot is not None and now >= cutoff_at(slot, order.menu.date):
            raise ValidationError(
                _("已过订餐截止时间（%(t)s），不能取消。")
                % {"t": f"{local(cutoff_at(slot, order.menu.date)):%m月%d日 %H:%M}"},
                code="closed",
            )
    for line in order.lines.select_related("item").order_by("item_id"):
        _reserve(line.item, -line.quantity)
    if order.total > 0:
        wallets.post(
            wallet=order.wallet,
            kind=K.REFUND,
            method=M.ORDER,
            amount=order.total,
            key=f"order:{order.pk}:cancel",
            actor=actor,
            order=order,
            reason=reason or _("取消订餐：%(m)s") % {"m": order.menu},
            allow_closed=force,
        )
    order.status = MealOrder.Status.CANCELLED
    order.cancelled_at = now
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    return order


@transaction.atomic
def menu_cancel(*, actor, menu, reason, now=None) -> int:
    """Withdraw a meal (停供): every live order is cancelled and refunded, and its owner told."""
    from django.urls import reverse

    from houqin.core.notifications.services import notify

    require(actor, menu.center_id, "canteen.change_menu")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写停供原因。")})
    list(MenuItem.objects.select_for_update().filter(menu=menu).order_by("pk"))
    menu = Menu.objects.select_for_update().get(pk=menu.pk)
    if menu.status == Menu.Status.CANCELLED:
        return 0
    if menu.settled_at is not None:
        raise ValidationError(_("%(m)s已收餐结算，不能停供。") % {"m": menu})
    menu.status = Menu.Status.CANCELLED
    menu.note = reason[:200]
    menu.save(update_fields=["status", "note", "updated_at"])
    count = 0
    for order in menu.orders.filter(status=MealOrder.Status.PLACED).select_related("person__user"):
        meal_order_cancel(
            actor=actor, order=order, now=now, force=True, reason=_("停供退款：%(m)s") % {"m": menu}
        )
        if order.person.user_id:
            notify(
                recipients=[order.person.user],
                kind="canteen.menu_cancelled",
                title=_("%(m)s停供，订餐已退款") % {"m": menu},
                body=reason,
                url=reverse("canteen:my_orders"),
                obj=menu,
                actor=actor,
            )
        count += 1
    return count
