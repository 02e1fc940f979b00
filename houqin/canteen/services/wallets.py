"""The wallet ledger: the only code that changes a balance.

Every movement is `post()`: under the wallet's row lock it looks up the idempotency key (a
replay returns the first row and changes nothing), computes the new balance, refuses to go
below zero, then writes the ledger row and the balance in the caller's transaction. Callers
that also lock menu items lock them first, then the wallet (one order: no deadlocks).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.approvals import services as approvals
from houqin.org.models import Person

from ..models import LedgerEntry, OnlinePayment, Wallet, WalletAdjustment
from .common import money, require

K, M = LedgerEntry.Kind, LedgerEntry.Method
TOPUP_MAX = Decimal("5000.00")  # one top-up; larger sums are split or adjusted
TOPUP_METHODS = {M.CASH, M.TRANSFER, M.SUBSIDY}
KEY_MAX = 100


class InsufficientBalance(ValidationError):
    pass


def _key(value):
    key = (value or "").strip()
    if not key or len(key) > KEY_MAX:
        raise ValidationError({"idempotency_key": _("幂等键不能为空且不超过 100 个字符。")})
    return key


def wallet_get_or_open(*, person) -> Wallet:
    """The person's wallet, opened on first use (no money moves, so no actor is needed)."""
    wallet = Wallet.objects.filter(person=person).first()
    if wallet is not None:
        return wallet
    try:
        with transaction.atomic():
            return Wallet.objects.create(person=person, center_id=person.center_id)
    except IntegrityError:  # opened concurrently by another request
        return Wallet.objects.get(person=person)


def lock(wallet) -> Wallet:
    return Wallet.objects.select_for_update().get(pk=wallet.pk)


def post(
    *,
    wallet,
    kind,
    method,
    amount: Decimal,
    key: str,
    actor=None,
    reason="",
    order=None,
    sale=None,
    approved_by=None,
    allow_closed=False,
) -> LedgerEntry:
    """Write one ledger row and move the balance. Must run inside a transaction."""
    assert transaction.get_connection().in_atomic_block, "post() needs a transaction"
    wallet = lock(wallet)
    existing = LedgerEntry.objects.filter(wallet=wallet, idempotency_key=key).first()
    if existing is not None:
        if existing.amount != amount or existing.kind != kind:
            raise ValidationError(_("该请求编号已用于另一笔不同的交易，请刷新后重试。"))
        return existing
    if wallet.status == Wallet.Status.CLOSED and not allow_closed:
        raise ValidationError(_("该餐卡已销户。"))
    new_balance = wallet.balance + amount
    if new_balance < 0:
        raise InsufficientBalance(
            _("餐卡余额不足：余额 %(b)s 元，需支付 %(a)s 元。")
            % {"b": wallet.balance, "a": -amount}
        )
    entry = LedgerEntry.objects.create(
        center_id=wallet.center_id,
        wallet=wallet,
        kind=kind,
        method=method,
        amount=amount,
        balance_after=new_balance,
        idempotency_key=key,
        order=order,
        sale=sale,
        reason=reason[:200],
        actor=actor,
        approved_by=approved_by,
    )
    Wallet.objects.filter(pk=wallet.pk).update(balance=new_balance, updated_at=timezone.now())
    return entry


# ------------------------------------------------------------------ top-ups


@transaction.atomic
def wallet_topup(*, actor, wallet, amount, method, idempotency_key, reason="") -> LedgerEntry:
    """Cashier top-up (cash, bank transfer or subsidy). The same key twice credits once."""
    require(actor, wallet.center_id, "canteen.topup_wallet")
    if method not in TOPUP_METHODS:
        raise ValidationError({"method": _("请选择充值方式。")})
    amount = money(amount, "amount", maximum=TOPUP_MAX, label=_("充值金额"))
    return post(
        wallet=wallet,
        kind=K.TOPUP,
        method=method,
        amount=amount,
        key=f"topup:{_key(idempotency_key)}",
        actor=actor,
        reason=(reason or "").strip() or str(M(method).label),
    )


def subsidy_key(month: dt.date) -> str:
    return f"subsidy:{month:%Y-%m}"


@transaction.atomic
def wallet_subsidy_credit(*, actor, center, month: dt.date, amount, people=None) -> int:
    """Credit the monthly meal subsidy to every active person of the center (or to `people`).

    Keyed by month: running it again, or importing the same month, credits nobody twice.
    Returns how many wallets were credited now.
    """
    require(actor, center.pk, "canteen.topup_wallet")
    amount = money(amount, "amount", maximum=TOPUP_MAX, label=_("补贴金额"))
    if people is None:
        people = Person.objects.filter(center_id=center.pk, status=Person.Status.ACTIVE)
    key = subsidy_key(month)
    reason = _("%(y)s年%(m)s月餐费补贴") % {"y": month.year, "m": month.month}
    credited = 0
    done = set(
        LedgerEntry.objects.filter(
            center_id=center.pk, idempotency_key=key, wallet__person__in=people
        ).values_list("wallet__person_id", flat=True)
    )
    for person in people.order_by("pk") if hasattr(people, "order_by") else people:
        if person.pk in done or person.center_id != center.pk:
            continue
        wallet = wallet_get_or_open(person=person)
        if wallet.status == Wallet.Status.CLOSED:
            continue
        post(
            wallet=wallet,
            kind=K.TOPUP,
            method=M.SUBSIDY,
            amount=amount,
            key=key,
            actor=actor,
            reason=reason,
        )
        credited += 1
    return credited


# ------------------------------------------------------------------ adjustments (approved)


@transaction.atomic
def wallet_adjustment_request(*, actor, wallet, amount, reason) -> WalletAdjustment:
    """Ask to correct a balance (either way); it is posted when the approval is final."""
    require(actor, wallet.center_id, "canteen.add_walletadjustment")
    amount = money(amount, "amount", positive=False, maximum=TOPUP_MAX, label=_("调整金额"))
    if amount == 0:
        raise ValidationError({"amount": _("调整金额不能为 0。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写调整原因。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("调整原因不能超过 200 个字。")})
    if wallet.status == Wallet.Status.CLOSED:
        raise ValidationError(_("该餐卡已销户。"))
    if wallet.balance + amount < 0:
        raise ValidationError(
            {"amount": _("调减后余额将小于 0（当前余额 %(b)s 元）。") % {"b": wallet.balance}}
        )
    adjustment = WalletAdjustment.objects.create(
        center_id=wallet.center_id,
        wallet=wallet,
        amount=amount,
        reason=reason,
        requested_by=actor,
    )
    approvals.approval_submit(
        actor=actor,
        obj=adjustment,
        request_type="canteen.adjustment",
        title=_("餐卡调账：%(n)s %(a)s 元") % {"n": wallet.person.name, "a": amount},
    )
    return adjustment


def adjustment_post(adjustment, *, approver) -> LedgerEntry:
    """Post an approved adjustment (called by the approval hook, inside its transaction)."""
    adjustment = WalletAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != WalletAdjustment.Status.PENDING:
        return adjustment.entry
    entry = post(
        wallet=adjustment.wallet,
        kind=K.ADJUSTMENT,
        method=M.MANUAL,
        amount=adjustment.amount,
        key=f"adjustment:{adjustment.pk}",
        actor=adjustment.requested_by,
        approved_by=approver,
        reason=adjustment.reason,
    )
    adjustment.status = WalletAdjustment.Status.APPROVED
    adjustment.entry = entry
    adjustment.save(update_fields=["status", "entry", "updated_at"])
    return entry


# ------------------------------------------------------------------ online payments


@transaction.atomic
def online_payment_start(*, actor, wallet, amount, provider) -> OnlinePayment:
    """Create a pending online top-up for the actor's own wallet."""
    if actor is None or wallet.person.user_id != actor.pk:
        raise PermissionDenied
    if wallet.status == Wallet.Status.CLOSED:
        raise ValidationError(_("该餐卡已销户。"))
    amount = money(amount, "amount", maximum=Decimal("1000.00"), label=_("充值金额"))
    import uuid

    return OnlinePayment.objects.create(
        center_id=wallet.center_id,
        wallet=wallet,
        amount=amount,
        provider=provider,
        reference=f"HQ{timezone.localtime():%Y%m%d}{uuid.uuid4().hex[:16].upper()}",
    )


@transaction.atomic
def online_payment_confirm(*, reference, amount, provider_ref, paid=True) -> OnlinePayment:
    """The provider's notification: credit once, however many times it arrives."""
    payment = OnlinePayment.objects.select_for_update().filter(reference=reference).first()
    if payment is None:
        raise ValidationError(_("未知的支付订单。"))
    if payment.status == OnlinePayment.Status.PAID:
        return payment
    if not paid:
        payment.status = OnlinePayment.Status.FAILED
        payment.provider_ref = (provider_ref or "")[:100]
        payment.save(update_fields=["status", "provider_ref", "updated_at"])
        return payment
    if money(amount, "amount") != payment.amount:
        raise ValidationError(_("支付金额与订单金额不一致。"))
    entry = post(
        wallet=payment.wallet,
        kind=K.TOPUP,
        method=M.ONLINE,
        amount=payment.amount,
        key=f"online:{payment.reference}",
        reason=_("在线充值（%(p)s）") % {"p": payment.provider},
    )
    payment.status = OnlinePayment.Status.PAID
    payment.provider_ref = (provider_ref or "")[:100]
    payment.paid_at = timezone.now()
    payment.entry = entry
    payment.save(update_fields=["status", "provider_ref", "paid_at", "entry", "updated_at"])
    return payment


# ------------------------------------------------------------------ closing


@transaction.atomic
def wallet_close(*, actor, person, now=None) -> Wallet | None:
    """When a person leaves: cancel their future orders (refunded), pay out the balance, close.

    Called from org.signals.person_left inside the status change's transaction.
    """
    from .orders import meal_order_cancel

    now = now or timezone.now()
    wallet = Wallet.objects.filter(person=person).first()
    if wallet is None or wallet.status == Wallet.Status.CLOSED:
        return wallet
    for order in wallet.orders.filter(status="placed", menu__date__gte=timezone.localdate(now)):
        meal_order_cancel(actor=actor, order=order, now=now, force=True)
    wallet = lock(wallet)
    if wallet.balance > 0:
        post(
            wallet=wallet,
            kind=K.PAYOUT,
            method=M.CASH,
            amount=-wallet.balance,
            key="close",
            actor=actor,
            reason=_("人员离岗，销户退还余额"),
            allow_closed=True,
        )
    Wallet.objects.filter(pk=wallet.pk).update(
        status=Wallet.Status.CLOSED, closed_at=now, updated_at=now
    )
    wallet.refresh_from_db()
    return wallet
