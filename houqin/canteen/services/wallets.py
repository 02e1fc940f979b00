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


def lock_for_person(person) -> Wallet:
    """The person's wallet, locked (opened first if they have none). Needs a transaction."""
    wallet = Wallet.objects.select_for_update().filter(person=person).first()
    if wallet is None:
        wallet = lock(wallet_get_or_open(person=person))
    return wallet


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
    locked=False,
    new_key=False,
) -> LedgerEntry:
    """Write one ledger row and move the balance. Must run inside a transaction.

    locked: the caller already holds the wallet's row lock (and `wallet` was read under it).
    new_key: the key cannot have been used before (e.g. "order:<new order id>"), so the replay
    lookup is skipped; the unique constraint still guards it.
    """
    assert transaction.get_connection().in_atomic_block, "post() needs a transaction"
    if not locked:
        wallet = lock(wallet)
    if not new_key:
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
    wallet.balance = new_balance  # a caller holding the lock may post again with this object
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


# ------------------------------------------------------------------ administration (wallet pages)


@transaction.atomic
def wallet_open(*, actor, person) -> Wallet:
    """Open a wallet for an active person of the actor's center (from the wallet list)."""
    require(actor, person.center_id, "canteen.add_wallet")
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("%(n)s不是在职人员，不能开通餐卡。") % {"n": person.name})
    existing = Wallet.objects.filter(person=person).first()
    if existing is not None:
        if existing.status == Wallet.Status.CLOSED:
            raise ValidationError(_("%(n)s的餐卡已销户。") % {"n": person.name})
        raise ValidationError(_("%(n)s已开通餐卡。") % {"n": person.name})
    return wallet_get_or_open(person=person)


class SubsidyImportResult:
    """What an import did: wallets credited now, people skipped because they were already
    credited for the month (by rule or an earlier import), and the sum credited now (元)."""

    __slots__ = ("credited", "skipped", "total")

    def __init__(self, *, credited: int, skipped: int, total: Decimal):
        self.credited, self.skipped, self.total = credited, skipped, total


def _subsidy_match(raw, by_name_phone, by_name, agencies):
    """The person a subsidy row names, or (None, Chinese message)."""
    name, phone, agency_text = raw.get("name", ""), raw.get("phone", ""), raw.get("agency", "")
    if not name:
        return None, _("请填写姓名。")
    agency = None
    if agency_text:
        agency = agencies.get(agency_text)
        if agency is None:
            return None, _("单位“%(v)s”不存在。") % {"v": agency_text[:50]}
    if phone:
        person = by_name_phone.get((name, phone))
        if person is None:
            return None, _("本中心没有姓名为“%(n)s”、手机号码为“%(p)s”的人员。") % {
                "n": name[:50],
                "p": phone[:20],
            }
        if agency is not None and person.agency_id != agency:
            return None, _("“%(n)s”不在单位“%(a)s”。") % {"n": name[:50], "a": agency_text[:50]}
        return person, None
    candidates = [p for p in by_name.get(name, []) if agency is None or p.agency_id == agency]
    if not candidates:
        return None, _("本中心没有名为“%(n)s”的人员。") % {"n": name[:50]}
    if len(candidates) > 1:
        return None, _("本中心有 %(c)d 位“%(n)s”，请填写手机号码加以区分。") % {
            "c": len(candidates),
            "n": name[:50],
        }
    return candidates[0], None


@transaction.atomic
def wallet_subsidy_import(*, actor, center, month: dt.date, rows) -> SubsidyImportResult:
    """Credit the month's meal subsidy from an imported table, all rows or none.

    `rows` are read_table dicts (agency, name, phone, amount, _row). A person is matched by
    name + phone within the center, or by name alone when it is unique (optionally narrowed
    by the agency). Every row is checked first; any error raises ImportRowsError listing
    (row, message) for every bad row and nothing is written. People already credited for the
    month (by rule or an earlier import) are skipped, never credited twice.
    """
    from houqin.core.audit import record_event
    from houqin.core.models import AuditEvent
    from houqin.org.models import OrgUnit
    from houqin.org.services import ImportRowsError

    require(actor, center.pk, "canteen.topup_wallet")
    people = list(
        Person.objects.filter(center_id=center.pk).only("pk", "name", "phone", "agency", "status")
    )
    by_name_phone = {(p.name, p.phone): p for p in people if p.phone}
    by_name: dict[str, list] = {}
    for p in people:
        by_name.setdefault(p.name, []).append(p)
    agencies = {}
    for unit in OrgUnit.objects.filter(center_id=center.pk).exclude(kind=OrgUnit.Kind.SECTION):
        agencies.setdefault(unit.name, unit.pk)
        if unit.short_name:
            agencies.setdefault(unit.short_name, unit.pk)
    wallets = {w.person_id: w for w in Wallet.objects.filter(center_id=center.pk)}
    key = subsidy_key(month)
    done = set(
        LedgerEntry.objects.filter(center_id=center.pk, idempotency_key=key).values_list(
            "wallet__person_id", flat=True
        )
    )
    errors: list[tuple[int, str]] = []
    seen: dict[int, int] = {}
    valid = []
    for raw in rows:
        row_no = raw["_row"]
        row_errors = []
        person, message = _subsidy_match(raw, by_name_phone, by_name, agencies)
        if message:
            row_errors.append(message)
        try:
            amount = money(raw.get("amount", ""), "amount", maximum=TOPUP_MAX, label=_("金额"))
        except ValidationError as exc:
            row_errors.extend(m for msgs in exc.message_dict.values() for m in msgs)
            amount = None
        if person is not None:
            if person.pk in seen:
                row_errors.append(
                    _("与第 %(r)d 行是同一人，每人每月只发放一次。") % {"r": seen[person.pk]}
                )
            else:
                seen[person.pk] = row_no
            wallet = wallets.get(person.pk)
            if person.status != Person.Status.ACTIVE:
                row_errors.append(
                    _("“%(n)s”已%(s)s，不发放餐费补贴。")
                    % {"n": person.name, "s": person.get_status_display()}
                )
            elif wallet is not None and wallet.status == Wallet.Status.CLOSED:
                row_errors.append(_("“%(n)s”的餐卡已销户。") % {"n": person.name})
        errors.extend((row_no, m) for m in row_errors)
        if not row_errors:
            valid.append((person, amount))
    if errors:
        raise ImportRowsError(errors)
    reason = _("%(y)s年%(m)s月餐费补贴") % {"y": month.year, "m": month.month}
    credited, skipped, total = 0, 0, Decimal("0.00")
    for person, amount in valid:
        if person.pk in done:
            skipped += 1
            continue
        wallet = wallets.get(person.pk) or wallet_get_or_open(person=person)
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
        total += amount
    record_event(
        AuditEvent.Kind.IMPORT,
        actor=actor,
        model="canteen.LedgerEntry",
        month=f"{month:%Y-%m}",
        rows=credited,
        skipped=skipped,
        total=str(total),
    )
    return SubsidyImportResult(credited=credited, skipped=skipped, total=total)
