"""The counter: pickup by code or QR (once only), walk-in sales, settling a meal.

Split from services/orders.py, whose rules (slots, service days) it shares.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import LedgerEntry, MealOrder, MealSlot, Menu, WalkInSale
from ..tallies import fill_tallies
from . import wallets
from .common import money, require
from .orders import aware, slot_for

K, M = LedgerEntry.Kind, LedgerEntry.Method
PICKUP_EARLY = dt.timedelta(minutes=60)  # the counter may hand out a meal 1 h before serving


@dataclass
class PickupResult:
    order: MealOrder
    already: bool  # True: the order had been collected before (a second scan)


# ------------------------------------------------------------------ pickup


def _find_for_pickup(center_id, code, menu, now):
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("请输入取餐码或扫描二维码。")})
    qs = MealOrder.objects.select_for_update().filter(center_id=center_id)
    if code.isdigit() and len(code) == 6:
        if menu is None:
            raise ValidationError({"code": _("请先选择餐次。")})
        order = qs.filter(menu=menu, pickup_code=code).first()
    else:
        order = qs.filter(pickup_token=code.removeprefix("HQMEAL:")).first()
    if order is None:
        raise ValidationError({"code": _("取餐码无效：没有找到该订单。")}, code="not_found")
    return order


@transaction.atomic
def meal_order_collect(
    *, actor=None, device=None, center, code, menu=None, now=None
) -> PickupResult:
    """Hand out a meal: by the 6-digit code of the current meal, or by the QR token.

    Once only: a second scan returns already=True with the first pickup's time.
    """
    now = now or timezone.now()
    if device is None:
        require(actor, center.pk, "canteen.collect_mealorder")
    elif device.center_id != center.pk or not device.is_active:
        raise PermissionDenied
    order = _find_for_pickup(center.pk, code, menu, now)
    if order.status == MealOrder.Status.COLLECTED:
        return PickupResult(order=order, already=True)
    if order.status == MealOrder.Status.CANCELLED:
        raise ValidationError({"code": _("该订单已取消。")}, code="cancelled")
    today = timezone.localdate(now)
    if order.menu.date != today:
        raise ValidationError(
            {"code": _("这不是今天的订单（%(m)s）。") % {"m": order.menu}}, code="wrong_day"
        )
    slot = slot_for(order.menu)
    if slot is not None and now < aware(order.menu.date, slot.serve_from) - PICKUP_EARLY:
        raise ValidationError(
            {
                "code": _("未到取餐时间：%(m)s %(t)s 开餐。")
                % {"m": order.menu, "t": f"{slot.serve_from:%H:%M}"}
            },
            code="too_early",
        )
    if (
        order.status == MealOrder.Status.UNCOLLECTED
        and order.entries.filter(kind=K.REFUND).exists()
    ):
        raise ValidationError({"code": _("该订单未按时领取，已退款。")}, code="refunded")
    if order.status == MealOrder.Status.UNCOLLECTED:
        # A late pickup after settlement moves one order between the menu's tallies.
        Menu.objects.filter(pk=order.menu_id, tally_placed__isnull=False).update(
            tally_collected=F("tally_collected") + 1,
            tally_uncollected=F("tally_uncollected") - 1,
        )
    order.status = MealOrder.Status.COLLECTED
    order.collected_at = now
    order.collected_by = actor
    order.collected_device = device
    order.save(
        update_fields=["status", "collected_at", "collected_by", "collected_device", "updated_at"]
    )
    if device is not None:
        type(device).objects.filter(pk=device.pk).update(last_used_at=now)
    return PickupResult(order=order, already=False)


# ------------------------------------------------------------------ counter sales


@transaction.atomic
def walk_in_sale_create(
    *, actor, menu, amount, meals=1, payment, wallet=None, description="", idempotency_key
) -> WalkInSale:
    """A meal sold at the counter, paid by wallet (charged now) or in cash (counted only)."""
    require(actor, menu.center_id, "canteen.add_walkinsale")
    key = (idempotency_key or "").strip()
    if not key or len(key) > wallets.KEY_MAX:
        raise ValidationError({"idempotency_key": _("缺少请求编号，请刷新页面后重试。")})
    existing = WalkInSale.objects.filter(center_id=menu.center_id, idempotency_key=key).first()
    if existing is not None:
        return existing
    amount = money(amount, "amount", positive=False, maximum=1000, label=_("金额"))
    if amount < 0:
        raise ValidationError({"amount": _("金额不能为负数。")})
    try:
        meals = int(meals)
    except (TypeError, ValueError):
        raise ValidationError({"meals": _("份数必须是整数。")}) from None
    if not 1 <= meals <= 50:
        raise ValidationError({"meals": _("份数须在 1 到 50 之间。")})
    if payment not in WalkInSale.Payment.values:
        raise ValidationError({"payment": _("请选择支付方式。")})
    if payment == WalkInSale.Payment.WALLET:
        if wallet is None or wallet.center_id != menu.center_id:
            raise ValidationError({"wallet": _("请选择付款人的餐卡。")})
    else:
        wallet = None
    sale = WalkInSale.objects.create(
        center_id=menu.center_id,
        menu=menu,
        description=(description or "").strip()[:100],
        meals=meals,
        amount=amount,
        payment=payment,
        wallet=wallet,
        idempotency_key=key,
        sold_by=actor,
    )
    if wallet is not None and amount > 0:
        wallets.post(
            wallet=wallet,
            kind=K.CHARGE,
            method=M.COUNTER,
            amount=-amount,
            key=f"sale:{sale.pk}",
            actor=actor,
            sale=sale,
            reason=_("窗口消费：%(m)s") % {"m": menu},
        )
    return sale


# ------------------------------------------------------------------ settling a meal


@transaction.atomic
def menu_settle(*, actor=None, menu, now=None) -> int:
    """After the meal: orders not collected become 未领取; refunded if the slot says so.

    Once per menu (settled_at); returns the number of uncollected orders."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, menu.center_id, "canteen.change_menu")
    menu = Menu.objects.select_for_update().get(pk=menu.pk)
    if menu.settled_at is not None or menu.status != Menu.Status.PUBLISHED:
        return 0
    slot = slot_for(menu)
    if slot is not None and now < aware(menu.date, slot.serve_until):
        raise ValidationError(_("%(m)s尚未收餐。") % {"m": menu})
    refund = slot is not None and not slot.charge_uncollected
    count = 0
    for order in menu.orders.filter(status=MealOrder.Status.PLACED).select_related("wallet"):
        order.status = MealOrder.Status.UNCOLLECTED
        order.save(update_fields=["status", "updated_at"])
        if refund and order.total > 0:
            wallets.post(
                wallet=order.wallet,
                kind=K.REFUND,
                method=M.ORDER,
                amount=order.total,
                key=f"order:{order.pk}:uncollected",
                actor=actor,
                order=order,
                reason=_("未取餐退款：%(m)s") % {"m": menu},
                allow_closed=True,
            )
        count += 1
    menu.settled_at = now
    menu.save(update_fields=["settled_at", "updated_at"])
    fill_tallies(Menu, MealOrder, Menu.objects.filter(pk=menu.pk))
    return count


def settle_due_menus(*, now=None) -> int:
    """Settle every published menu whose meal is over (Celery beat, every 15 minutes)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    slots = {(s.center_id, s.meal): s for s in MealSlot.objects.all()}
    settled = 0
    for menu in Menu.objects.filter(
        status=Menu.Status.PUBLISHED, settled_at__isnull=True, date__lte=today
    ):
        slot = slots.get((menu.center_id, menu.meal))
        end = aware(menu.date, slot.serve_until) if slot else aware(menu.date, dt.time(23, 59))
        if now >= end:
            menu_settle(menu=menu, now=now)
            settled += 1
    return settled
