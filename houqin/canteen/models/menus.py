"""Meal slots (ordering windows and cut-offs), dishes, and the menu of one meal on one day."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", _("早餐")
    LUNCH = "lunch", _("午餐")
    DINNER = "dinner", _("晚餐")


MEAL_ORDER = {Meal.BREAKFAST: 0, Meal.LUNCH: 1, Meal.DINNER: 2}


def dish_photo_path(instance, filename):
    """canteen/dishes/<random>.<ext>: the user's file name never reaches the storage path."""
    ext = Path(filename).suffix.lower()[:6] or ".jpg"
    return f"canteen/dishes/{uuid.uuid4().hex}{ext}"


class MealSlot(CenterScopedModel):
    """A meal the canteen serves, when it is served and when ordering for it closes.

    Orders for the meal on day D close at `cutoff_time` on D minus `cutoff_days_before`
    (Asia/Shanghai): lunch 09:30 the same day, dinner 15:00, breakfast 17:00 the day before.
    """

    meal = models.CharField(_("餐次"), max_length=16, choices=Meal.choices)
    serve_from = models.TimeField(_("开餐时间"))
    serve_until = models.TimeField(_("收餐时间"))
    cutoff_days_before = models.PositiveSmallIntegerField(_("截止提前天数"), default=0)
    cutoff_time = models.TimeField(_("订餐截止时间"))
    order_days_ahead = models.PositiveSmallIntegerField(_("最多提前订餐天数"), default=7)
    charge_uncollected = models.BooleanField(
        _("未取餐照常扣费"),
        default=True,
        help_text=_("关闭后，收餐时未领取的订单自动退款到餐卡。"),
    )
    is_active = models.BooleanField(_("供应"), default=True)

    class Meta:
        verbose_name = _("餐次设置")
        verbose_name_plural = _("餐次设置")
        ordering = ["serve_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "meal"], name="canteen_slot_unique_meal"),
            models.CheckConstraint(
                condition=Q(serve_until__gt=F("serve_from")), name="canteen_slot_serve_order"
            ),
            models.CheckConstraint(
                condition=Q(order_days_ahead__gte=1) & Q(order_days_ahead__lte=31),
                name="canteen_slot_days_ahead_range",
            ),
        ]

    def __str__(self):
        return self.get_meal_display()


class Dish(CenterScopedModel):
    """A dish or set meal (套餐) the canteen makes, with its current price."""

    class Category(models.TextChoices):
        SET_MEAL = "set_meal", _("套餐")
        MEAT = "meat", _("荤菜")
        VEGETABLE = "vegetable", _("素菜")
        STAPLE = "staple", _("主食")
        SOUP = "soup", _("汤品")
        SNACK = "snack", _("点心")
        DRINK = "drink", _("饮品")
        OTHER = "other", _("其他")

    name = models.CharField(_("菜名"), max_length=50)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    price = models.DecimalField(_("价格（元）"), max_digits=8, decimal_places=2)
    allergens = models.CharField(_("过敏原"), max_length=100, blank=True)
    notes = models.CharField(_("说明"), max_length=200, blank=True)
    photo = models.ImageField(
        _("照片"), upload_to=dish_photo_path, max_length=200, blank=True, null=True
    )
    is_active = models.BooleanField(_("在售"), default=True)

    class Meta:
        verbose_name = _("菜品")
        verbose_name_plural = _("菜品")
        ordering = ["category", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="canteen_dish_unique_name"),
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(price__lte=999), name="canteen_dish_price_range"
            ),
        ]

    def __str__(self):
        return self.name


class Menu(CenterScopedModel):
    """What one meal on one day offers. Staff see and order it only once published.

    A day that is not a workday (chinese_calendar plus the center's overrides) is closed unless
    the manager marks the menu `holiday_open`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("停供")

    date = models.DateField(_("日期"))
    meal = models.CharField(_("餐次"), max_length=16, choices=Meal.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    holiday_open = models.BooleanField(_("节假日开餐"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    # Set when the meal is over and its uncollected orders have been counted (once).
    settled_at = models.DateTimeField(_("收餐结算时间"), null=True, blank=True)
    # The orders by status, counted at settlement (after it only a late pickup changes a
    # status, and updates these too). Statistics over a year read ~750 menus instead of
    # ~750,000 orders; null = not counted (not settled yet, or settled before this existed),
    # and then the orders themselves are counted.
    tally_placed = models.PositiveIntegerField(_("订餐笔数"), null=True, blank=True)
    tally_cancelled = models.PositiveIntegerField(_("取消笔数"), null=True, blank=True)
    tally_collected = models.PositiveIntegerField(_("领取笔数"), null=True, blank=True)
    tally_uncollected = models.PositiveIntegerField(_("未领取笔数"), null=True, blank=True)

    class Meta:
        verbose_name = _("菜单")
        verbose_name_plural = _("菜单")
        ordering = ["date", "meal", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "date", "meal"], name="canteen_menu_unique_meal"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="canteen_menu_published_at",
            ),
            # Counted together, only once settled, and every settled order is in one of
            # the three final statuses.
            models.CheckConstraint(
                condition=Q(
                    tally_placed__isnull=True,
                    tally_cancelled__isnull=True,
                    tally_collected__isnull=True,
                    tally_uncollected__isnull=True,
                )
                | Q(
                    settled_at__isnull=False,
                    tally_placed__isnull=False,
                    tally_cancelled__isnull=False,
                    tally_collected__isnull=False,
                    tally_uncollected__isnull=False,
                    tally_placed=F("tally_cancelled")
                    + F("tally_collected")
                    + F("tally_uncollected"),
                ),
                name="canteen_menu_tally",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "date"], name="canteen_menu_center_date"),
            # The manager's order list filters orders by center and sorts by the menu's date:
            # walking menus newest first lets it read one day's orders, not all 725k a year.
            models.Index(fields=["-date"], name="canteen_menu_date"),
        ]

    def __str__(self):
        return f"{self.date:%m月%d日}{self.get_meal_display()}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class MenuItem(CenterScopedModel):
    """A dish on a menu, at the price of that day, with an optional daily portion limit.

    `ordered_count` is the running total of portions ordered; it is changed only by a
    conditional UPDATE in the order services, and the check constraint makes overselling
    impossible even for a writer that skips the check.
    """

    menu = models.ForeignKey(
        Menu, on_delete=models.CASCADE, related_name="items", verbose_name=_("菜单")
    )
    dish = models.ForeignKey(
        Dish, on_delete=models.PROTECT, related_name="menu_items", verbose_name=_("菜品")
    )
    price = models.DecimalField(_("价格（元）"), max_digits=8, decimal_places=2)
    daily_limit = models.PositiveIntegerField(_("限量（份）"), null=True, blank=True)
    ordered_count = models.PositiveIntegerField(_("已订份数"), default=0)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("菜单菜品")
        verbose_name_plural = _("菜单菜品")
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["menu", "dish"], name="canteen_item_unique_dish"),
            models.CheckConstraint(
                condition=Q(daily_limit__isnull=True) | Q(ordered_count__lte=F("daily_limit")),
                name="canteen_item_not_oversold",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="canteen_item_price_positive"),
        ]

    def __str__(self):
        return f"{self.menu} {self.dish.name}"

    @property
    def remaining(self):
        if self.daily_limit is None:
            return None
        return max(self.daily_limit - self.ordered_count, 0)
