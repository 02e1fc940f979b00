"""Meal orders with their pickup codes, counter (walk-in) sales, and the pickup devices."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel

from .menus import Menu, MenuItem
from .wallets import Wallet


class MealOrder(CenterScopedModel):
    """One person's order for one meal. Paid from the wallet when placed.

    The 6-digit `pickup_code` is unique within the meal (what staff type at the counter);
    `pickup_token` is unique everywhere and is what the QR code carries.
    """

    class Status(models.TextChoices):
        PLACED = "placed", _("待取餐")
        COLLECTED = "collected", _("已领取")
        UNCOLLECTED = "uncollected", _("未领取")
        CANCELLED = "cancelled", _("已取消")

    menu = models.ForeignKey(
        Menu, on_delete=models.PROTECT, related_name="orders", verbose_name=_("餐次")
    )
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="meal_orders", verbose_name=_("订餐人")
    )
    # The person's agency when ordering: the production sheet counts deliveries per agency.
    agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    wallet = models.ForeignKey(
        Wallet, on_delete=models.PROTECT, related_name="orders", verbose_name=_("餐卡")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLACED
    )
    total = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    pickup_code = models.CharField(_("取餐码"), max_length=6)
    pickup_token = models.CharField(_("取餐二维码"), max_length=40, unique=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=100, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("下单人"),
    )
    collected_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核销人"),
    )
    collected_device = models.ForeignKey(
        "canteen.PickupDevice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核销终端"),
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订餐")
        verbose_name_plural = _("订餐")
        ordering = ["-created_at", "-id"]
        permissions = [("collect_mealorder", _("取餐核销"))]
        constraints = [
            # One live order per person per meal: a change edits it, it is never doubled.
            models.UniqueConstraint(
                fields=["menu", "person"],
                condition=~Q(status="cancelled"),
                name="canteen_order_one_per_meal",
            ),
            models.UniqueConstraint(
                fields=["menu", "pickup_code"], name="canteen_order_unique_code"
            ),
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="canteen_order_unique_key",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="canteen_order_total"),
            models.CheckConstraint(
                condition=(Q(status="collected") & Q(collected_at__isnull=False))
                | (~Q(status="collected") & Q(collected_at__isnull=True)),
                name="canteen_order_collected_iff_time",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="canteen_order_person"),
            models.Index(fields=["menu", "status"], name="canteen_order_menu_status"),
        ]

    def __str__(self):
        return f"{self.menu} {self.person.name}"


class MealOrderLine(models.Model):
    order = models.ForeignKey(
        MealOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("订单")
    )
    item = models.ForeignKey(
        MenuItem, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("菜品")
    )
    quantity = models.PositiveSmallIntegerField(_("份数"))
    unit_price = models.DecimalField(_("单价（元）"), max_digits=8, decimal_places=2)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("订餐明细")
        verbose_name_plural = _("订餐明细")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "item"], name="canteen_line_unique_item"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=20), name="canteen_line_quantity"
            ),
            models.CheckConstraint(
                condition=Q(amount=F("unit_price") * F("quantity")), name="canteen_line_amount"
            ),
        ]

    def __str__(self):
        return f"{self.item.dish.name} × {self.quantity}"


class WalkInSale(CenterScopedModel):
    """A meal bought at the counter without an order (paid by wallet or in cash)."""

    class Payment(models.TextChoices):
        WALLET = "wallet", _("餐卡")
        CASH = "cash", _("现金")

    menu = models.ForeignKey(
        Menu, on_delete=models.PROTECT, related_name="walk_ins", verbose_name=_("餐次")
    )
    description = models.CharField(_("内容"), max_length=100, blank=True)
    meals = models.PositiveSmallIntegerField(_("份数"), default=1)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    payment = models.CharField(_("支付方式"), max_length=16, choices=Payment.choices)
    wallet = models.ForeignKey(
        Wallet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="walk_ins",
        verbose_name=_("餐卡"),
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=100)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("收银员"),
    )

    class Meta:
        verbose_name = _("窗口消费")
        verbose_name_plural = _("窗口消费")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "idempotency_key"], name="canteen_sale_unique_key"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="canteen_sale_amount"),
            models.CheckConstraint(
                condition=Q(meals__gte=1) & Q(meals__lte=50), name="canteen_sale_meals"
            ),
            models.CheckConstraint(
                condition=(Q(payment="wallet") & Q(wallet__isnull=False))
                | (Q(payment="cash") & Q(wallet__isnull=True)),
                name="canteen_sale_wallet_iff_paid_by_wallet",
            ),
        ]

    def __str__(self):
        return f"{self.menu} {self.amount}"


class PickupDevice(CenterScopedModel):
    """A counter tablet or scanner: it verifies pickups through the API with its own token.

    Only the SHA-256 of the token is stored; the token is shown once when the device is added.
    """

    name = models.CharField(_("终端名称"), max_length=50)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("令牌尾号"), max_length=8, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        verbose_name = _("核销终端")
        verbose_name_plural = _("核销终端")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="canteen_device_unique_name")
        ]

    def __str__(self):
        return self.name

    @property
    def is_authenticated(self):
        # Lets DRF's throttling and logging treat a device like an authenticated principal.
        return self.is_active
