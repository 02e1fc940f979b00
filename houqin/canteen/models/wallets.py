"""Wallets (餐卡) and their append-only ledger: the only way money moves.

balance == Σ ledger amounts of the wallet, always: a ledger row and the balance change are
written in one transaction by canteen.wallets services only; the balance can never go below
zero (check constraint), and every row carries an idempotency key unique per wallet, so a
top-up or payment sent twice is recorded once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Wallet(CenterScopedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("正常")
        CLOSED = "closed", _("已销户")

    person = models.OneToOneField(
        "org.Person", on_delete=models.PROTECT, related_name="wallet", verbose_name=_("持卡人")
    )
    balance = models.DecimalField(_("余额（元）"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("销户时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("餐卡")
        verbose_name_plural = _("餐卡")
        ordering = ["id"]
        permissions = [
            ("topup_wallet", _("餐卡充值")),
            ("export_ledgerentry", _("导出餐卡流水")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="canteen_wallet_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(balance=0) & Q(closed_at__isnull=False)),
                name="canteen_wallet_closed_empty",
            ),
        ]

    def __str__(self):
        return _("%(name)s的餐卡") % {"name": self.person.name}


class LedgerEntry(CenterScopedModel):
    class Kind(models.TextChoices):
        TOPUP = "topup", _("充值")
        CHARGE = "charge", _("消费")
        REFUND = "refund", _("退款")
        ADJUSTMENT = "adjustment", _("调账")
        PAYOUT = "payout", _("销户退余额")

    class Method(models.TextChoices):
        CASH = "cash", _("现金")
        TRANSFER = "transfer", _("银行转账")
        SUBSIDY = "subsidy", _("餐费补贴")
        ONLINE = "online", _("在线支付")
        ORDER = "order", _("订餐")
        COUNTER = "counter", _("窗口消费")
        MANUAL = "manual", _("人工调整")

    wallet = models.ForeignKey(
        Wallet, on_delete=models.PROTECT, related_name="entries", verbose_name=_("餐卡")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    method = models.CharField(_("方式"), max_length=16, choices=Method.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(_("余额（元）"), max_digits=12, decimal_places=2)
    idempotency_key = models.CharField(_("幂等键"), max_length=100)
    order = models.ForeignKey(
        "canteen.MealOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("订单"),
    )
    sale = models.ForeignKey(
        "canteen.WalkInSale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("窗口消费"),
    )
    reason = models.CharField(_("摘要"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )

    class Meta:
        verbose_name = _("餐卡流水")
        verbose_name_plural = _("餐卡流水")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wallet", "idempotency_key"], name="canteen_ledger_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="canteen_ledger_balance_not_negative"
            ),
            # The sign of a row follows its kind; an adjustment may go either way but not be 0.
            models.CheckConstraint(
                condition=(Q(kind__in=["topup", "refund"]) & Q(amount__gt=0))
                | (Q(kind__in=["charge", "payout"]) & Q(amount__lt=0))
                | (Q(kind="adjustment") & ~Q(amount=0)),
                name="canteen_ledger_sign_by_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["wallet", "-created_at"], name="canteen_ledger_wallet_time"),
            models.Index(fields=["center", "-created_at"], name="canteen_ledger_center_time"),
            # The ledger list filtered by kind: rare kinds (adjustment, payout) would otherwise
            # walk the whole center's ledger looking for 50 rows.
            models.Index(
                fields=["center", "kind", "-created_at"], name="canteen_ledger_center_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class WalletAdjustment(CenterScopedModel):
    """A manual correction of a balance; it becomes a ledger row only once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已入账")
        REJECTED = "rejected", _("未通过")
        CANCELLED = "cancelled", _("已撤回")

    wallet = models.ForeignKey(
        Wallet, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("餐卡")
    )
    amount = models.DecimalField(_("调整金额（元）"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("调整原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustment_request",
        verbose_name=_("流水"),
    )

    class Meta:
        verbose_name = _("餐卡调账")
        verbose_name_plural = _("餐卡调账")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="canteen_adjustment_not_zero"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(entry__isnull=False),
                name="canteen_adjustment_approved_entry",
            ),
        ]

    def __str__(self):
        return f"{self.wallet} {self.amount}"


class OnlinePayment(CenterScopedModel):
    """A top-up paid through an online provider; it credits the wallet once, when paid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待支付")
        PAID = "paid", _("已到账")
        FAILED = "failed", _("支付失败")

    wallet = models.ForeignKey(
        Wallet, on_delete=models.PROTECT, related_name="payments", verbose_name=_("餐卡")
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    provider = models.CharField(_("支付渠道"), max_length=50)
    reference = models.CharField(_("商户订单号"), max_length=64, unique=True)
    provider_ref = models.CharField(_("渠道流水号"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    paid_at = models.DateTimeField(_("到账时间"), null=True, blank=True)
    entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("流水"),
    )

    class Meta:
        verbose_name = _("在线充值")
        verbose_name_plural = _("在线充值")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="canteen_payment_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(entry__isnull=False) & Q(paid_at__isnull=False)),
                name="canteen_payment_paid_entry",
            ),
        ]

    def __str__(self):
        return self.reference
