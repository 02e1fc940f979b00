"""Budget projects (项目预算) per year with a monthly spending plan, and expenditures (支出).

Spent = the expenditures recorded (those needing approval count once approved). Other modules'
costs (vehicle fuel and repairs, work orders, renovation projects…) arrive as expenditures
through services.costs.cost_record, linked to their source row, never written by those modules.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class CostKind(models.TextChoices):
    """The kinds of cost other modules report; a year's project may collect one kind."""

    VEHICLE_FUEL = "vehicle_fuel", _("公务用车燃料费")
    VEHICLE_REPAIR = "vehicle_repair", _("公务用车维修费")
    MAINTENANCE = "maintenance", _("维修维护费")
    RENOVATION = "renovation", _("维修改造项目")
    PURCHASE = "purchase", _("政府采购")


class FinanceSettings(CenterScopedModel):
    """Per center: expenditures of at least `approval_threshold` go through approval."""

    approval_threshold = models.DecimalField(
        _("须审批的支出金额（元）"), max_digits=12, decimal_places=2, default=10000
    )
    voucher_due_days = models.PositiveSmallIntegerField(_("凭证移交期限（期末后天数）"), default=15)

    class Meta:
        verbose_name = _("财务设置")
        verbose_name_plural = _("财务设置")
        constraints = [
            models.UniqueConstraint(fields=["center"], name="finance_settings_once"),
            models.CheckConstraint(
                condition=Q(approval_threshold__gte=0), name="finance_threshold_pos"
            ),
        ]

    def __str__(self):
        return str(self.center)


class BudgetProject(CenterScopedModel):
    class Category(models.TextChoices):
        BASIC = "basic", _("基本支出")
        PROJECT = "project", _("项目支出")

    class Source(models.TextChoices):
        GENERAL = "general", _("一般公共预算")
        FUND = "fund", _("政府性基金")
        SPECIAL = "special", _("专项资金")
        OTHER = "other", _("其他资金")

    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("项目编码"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("支出类别"), max_length=16, choices=Category.choices)
    source = models.CharField(_("资金来源"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(_("预算金额（元）"), max_digits=14, decimal_places=2)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责人"),
    )
    cost_kind = models.CharField(
        _("归集其他模块费用"), max_length=16, choices=CostKind.choices, blank=True
    )
    # Planned cumulative share (%) of the amount spent by the end of each month, 12 numbers;
    # empty: spread evenly over the year (time progress).
    monthly_plan = models.JSONField(_("分月支出计划（累计%）"), default=list, blank=True)
    notes = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("预算项目")
        verbose_name_plural = _("预算项目")
        ordering = ["-year", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "code"], name="finance_project_code"),
            models.UniqueConstraint(
                fields=["center", "year", "cost_kind"],
                condition=~Q(cost_kind=""),
                name="finance_project_cost_kind",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_project_amount_pos"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Expenditure(CenterScopedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        RECORDED = "recorded", _("已入账")
        REJECTED = "rejected", _("未通过")
        CANCELLED = "cancelled", _("已撤销")

    project = models.ForeignKey(
        BudgetProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("预算项目"),
    )
    date = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    payee = models.CharField(_("收款单位/人"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=200)
    voucher_no = models.CharField(_("凭证号"), max_length=40, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECORDED
    )
    cost_kind = models.CharField(_("费用来源"), max_length=16, choices=CostKind.choices, blank=True)
    # The row of another module this cost comes from ("fleet.fuelrecord", 42): one
    # expenditure per source, updated when the source changes.
    source_label = models.CharField(_("来源"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_expenditure_pos"),
            models.UniqueConstraint(
                fields=["center", "source_label", "source_id"],
                condition=Q(source_id__isnull=False),
                name="finance_expenditure_source_once",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "date"], name="finance_exp_date"),
            models.Index(fields=["project", "status", "date"], name="finance_exp_project"),
        ]

    def __str__(self):
        return f"{self.date} {self.payee} {self.amount}"
