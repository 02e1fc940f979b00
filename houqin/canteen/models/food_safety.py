"""Food-safety records (食品安全法, DOMAIN.md §7), each tied to a duty plan of the center.

Recording a morning check, a sample or a purchase inspection completes the open duty task of
its plan for that day (or meal), so late and missing records show on the duties compliance
board like every other duty. Tableware disinfection is a plain duty checklist.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel

from .menus import Dish, Menu

MIN_SAMPLE_GRAMS = 125
SAMPLE_HOURS = 48


class FoodSafetyPlan(CenterScopedModel):
    """Which duty plan of the center stands for which food-safety record."""

    class Kind(models.TextChoices):
        MORNING_CHECK = "morning_check", _("晨检")
        SAMPLE = "sample", _("食品留样")
        PURCHASE = "purchase", _("进货查验")
        TABLEWARE = "tableware", _("餐具消毒")

    kind = models.CharField(_("记录类型"), max_length=16, choices=Kind.choices)
    plan = models.OneToOneField(
        "duties.DutyPlan", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任计划")
    )

    class Meta:
        verbose_name = _("食品安全责任计划")
        verbose_name_plural = _("食品安全责任计划")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["center", "kind"], name="canteen_fsplan_unique_kind")
        ]

    def __str__(self):
        return self.get_kind_display()


class CanteenWorker(CenterScopedModel):
    """A food handler (often the outsourced operator's staff) with their health certificate."""

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=50, blank=True)
    employer = models.CharField(_("所属单位"), max_length=100, blank=True)
    health_cert_no = models.CharField(_("健康证号"), max_length=50, blank=True)
    health_cert_expires = models.DateField(_("健康证有效期至"), null=True, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"],
                condition=Q(is_active=True),
                name="canteen_worker_unique_active_name",
            )
        ]

    def __str__(self):
        return self.name


class MorningCheck(CenterScopedModel):
    """One worker's morning check (晨检) on one day. Anyone with a symptom, fever or an
    expired health certificate is recorded as not fit to handle ready-to-eat food that day."""

    worker = models.ForeignKey(
        CanteenWorker, on_delete=models.PROTECT, related_name="checks", verbose_name=_("从业人员")
    )
    date = models.DateField(_("日期"))
    temperature = models.DecimalField(_("体温（℃）"), max_digits=3, decimal_places=1)
    fever = models.BooleanField(_("发热"), default=False)
    diarrhoea = models.BooleanField(_("腹泻"), default=False)
    sore_throat = models.BooleanField(_("咽部炎症"), default=False)
    skin_wound = models.BooleanField(_("手部皮肤破损/感染"), default=False)
    fit_for_duty = models.BooleanField(_("准予上岗"))
    note = models.CharField(_("处理情况"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("检查人"),
    )

    class Meta:
        verbose_name = _("晨检记录")
        verbose_name_plural = _("晨检记录")
        ordering = ["-date", "worker__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "date"], name="canteen_check_once_a_day"),
            models.CheckConstraint(
                condition=Q(temperature__gte=34) & Q(temperature__lte=43),
                name="canteen_check_temperature_range",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.worker.name}"


class SampleRetention(CenterScopedModel):
    """A retained sample (留样) of one dish of one meal: ≥ 125 g, refrigerated ≥ 48 h."""

    menu = models.ForeignKey(
        Menu, on_delete=models.PROTECT, related_name="samples", verbose_name=_("餐次")
    )
    dish = models.ForeignKey(
        Dish, on_delete=models.PROTECT, related_name="samples", verbose_name=_("菜品")
    )
    weight_grams = models.PositiveSmallIntegerField(_("留样量（克）"))
    kept_at = models.DateTimeField(_("留样时间"))
    kept_by = models.CharField(_("留样人"), max_length=50)
    fridge = models.CharField(_("存放冰箱"), max_length=50, blank=True)
    discard_after = models.DateTimeField(_("可销毁时间"))
    discarded_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("销毁人"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("留样记录")
        verbose_name_plural = _("留样记录")
        ordering = ["-kept_at", "id"]
        # The sample list: newest first (a row per dish per meal, ~7k a year).
        indexes = [models.Index(fields=["center", "-kept_at"], name="canteen_sample_center_kept")]
        constraints = [
            models.UniqueConstraint(fields=["menu", "dish"], name="canteen_sample_once_per_dish"),
            models.CheckConstraint(
                condition=Q(weight_grams__gte=MIN_SAMPLE_GRAMS), name="canteen_sample_min_weight"
            ),
            models.CheckConstraint(
                condition=Q(discard_after__gt=F("kept_at")), name="canteen_sample_keep_period"
            ),
            models.CheckConstraint(
                condition=Q(discarded_at__isnull=True) | Q(discarded_at__gte=F("discard_after")),
                name="canteen_sample_not_discarded_early",
            ),
        ]

    def __str__(self):
        return f"{self.menu} {self.dish.name}"


class PurchaseInspection(CenterScopedModel):
    """A purchase inspection record (进货查验), kept until `keep_until`: 6 months after the
    shelf life ends and at least 2 years (食品安全法 第五十条)."""

    class Result(models.TextChoices):
        ACCEPTED = "accepted", _("验收合格")
        REJECTED = "rejected", _("拒收")

    purchased_on = models.DateField(_("进货日期"))
    item_name = models.CharField(_("食品名称"), max_length=100)
    spec = models.CharField(_("规格"), max_length=50, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    batch_no = models.CharField(_("生产批号"), max_length=50, blank=True)
    expires_on = models.DateField(_("保质期至"), null=True, blank=True)
    supplier_name = models.CharField(_("供货者名称"), max_length=100)
    supplier_address = models.CharField(_("供货者地址"), max_length=200)
    supplier_contact = models.CharField(_("联系方式"), max_length=50)
    certificate_no = models.CharField(_("票证/检验合格证号"), max_length=100, blank=True)
    result = models.CharField(_("查验结果"), max_length=16, choices=Result.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    keep_until = models.DateField(_("记录保存至"))
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("查验人"),
    )

    class Meta:
        verbose_name = _("进货查验记录")
        verbose_name_plural = _("进货查验记录")
        ordering = ["-purchased_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="canteen_purchase_quantity"),
            models.CheckConstraint(
                condition=Q(keep_until__gt=F("purchased_on")), name="canteen_purchase_keep_until"
            ),
            models.CheckConstraint(
                condition=Q(production_date__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=F("production_date")),
                name="canteen_purchase_dates_order",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "-purchased_on"], name="canteen_purchase_center_day")
        ]

    def __str__(self):
        return f"{self.purchased_on} {self.item_name}"
