"""Periodic evaluations (考核) of a vendor against a configurable scoring sheet. A total below
the sheet's threshold flags the period's payment (扣款/暂缓支付 to be decided by finance); the
vendor's duties in the duty engine (plans whose 外包单位 is the vendor) give an on-time rate
that is kept with the evaluation."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class EvaluationSheet(CenterScopedModel):
    class Period(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")

    name = models.CharField(_("考核表名称"), max_length=100)
    vendor_kind = models.CharField(_("适用服务类别"), max_length=16, blank=True)
    period = models.CharField(_("考核周期"), max_length=16, choices=Period.choices)
    threshold = models.DecimalField(_("合格分数"), max_digits=5, decimal_places=1, default=80)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("考核表")
        verbose_name_plural = _("考核表")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="vendors_sheet_name"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="vendors_sheet_threshold"),
        ]

    def __str__(self):
        return self.name


class EvaluationItem(TimeStampedModel):
    sheet = models.ForeignKey(
        EvaluationSheet, on_delete=models.CASCADE, related_name="items", verbose_name=_("考核表")
    )
    text = models.CharField(_("考核内容"), max_length=200)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # An item scored from the duty engine: points × on-time rate of the vendor's duties.
    from_duties = models.BooleanField(_("按责任事项完成率计分"), default=False)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["sheet", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="vendors_item_points_pos"),
        ]

    def __str__(self):
        return self.text


class VendorEvaluation(CenterScopedModel):
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("外包单位"),
    )
    contract = models.ForeignKey(
        "vendors.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("合同"),
    )
    sheet = models.ForeignKey(
        EvaluationSheet, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核表")
    )
    period_start = models.DateField(_("考核期间起"))
    period_end = models.DateField(_("考核期间止"))
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    duty_rate = models.DecimalField(
        _("责任事项按时完成率（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    payment_flagged = models.BooleanField(_("付款预警"), default=False)
    comment = models.TextField(_("考核意见"), max_length=2000, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("考核人"),
    )

    class Meta:
        verbose_name = _("外包考核")
        verbose_name_plural = _("外包考核")
        ordering = ["-period_end", "vendor", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "sheet", "period_start"], name="vendors_evaluation_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="vendors_evaluation_period"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="vendors_evaluation_total"),
        ]
        indexes = [
            models.Index(fields=["center", "period_end"], name="vendors_eval_period"),
        ]

    def __str__(self):
        return f"{self.vendor} {self.period_start}—{self.period_end}"


class EvaluationScore(TimeStampedModel):
    evaluation = models.ForeignKey(
        VendorEvaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("考核")
    )
    item = models.ForeignKey(
        EvaluationItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核项目")
    )
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("扣分说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["evaluation", "item"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="vendors_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="vendors_score_pos"),
        ]

    def __str__(self):
        return f"{self.evaluation} {self.item}"
