"""Government procurement records (政府采购) and the handover of affiliated units' vouchers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Procurement(CenterScopedModel):
    class Method(models.TextChoices):
        OPEN_TENDER = "open_tender", _("公开招标")
        INQUIRY = "inquiry", _("询价")
        NEGOTIATION = "negotiation", _("竞争性磋商")
        SINGLE_SOURCE = "single_source", _("单一来源")
        FRAMEWORK = "framework", _("框架协议")
        SELF = "self", _("自行采购")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        FILED = "filed", _("已备案")
        TENDERING = "tendering", _("采购中")
        CONTRACTED = "contracted", _("已签合同")
        ACCEPTED = "accepted", _("已验收")
        PAID = "paid", _("已付款")

    item = models.CharField(_("采购项目"), max_length=100)
    method = models.CharField(_("采购方式"), max_length=16, choices=Method.choices)
    filing_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    project = models.ForeignKey(
        "finance.BudgetProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procurements",
        verbose_name=_("预算项目"),
    )
    budget = models.DecimalField(_("预算金额（元）"), max_digits=14, decimal_places=2)
    supplier = models.CharField(_("供应商"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("成交金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contract_no = models.CharField(_("合同编号"), max_length=60, blank=True)
    contract_date = models.DateField(_("合同日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("政府采购")
        verbose_name_plural = _("政府采购")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="finance_proc_budget_pos"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="finance_proc_amount"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "filed", "tendering"])
                | (Q(amount__isnull=False) & ~Q(supplier="") & Q(contract_date__isnull=False)),
                name="finance_proc_contracted",
            ),
        ]
        indexes = [models.Index(fields=["center", "contract_date"], name="finance_proc_date")]

    def __str__(self):
        return self.item


class VoucherHandover(CenterScopedModel):
    """An affiliated unit's accounting vouchers for a period, handed to the center."""

    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    period_start = models.DateField(_("所属期间起"))
    period_end = models.DateField(_("所属期间止"))
    due_date = models.DateField(_("应移交日期"))
    voucher_count = models.PositiveIntegerField(_("凭证张数"), null=True, blank=True)
    volumes = models.PositiveSmallIntegerField(_("册数"), null=True, blank=True)
    handed_by = models.CharField(_("移交人"), max_length=40, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收人"),
    )
    handed_on = models.DateField(_("移交日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("凭证移交")
        verbose_name_plural = _("凭证移交")
        ordering = ["-period_end", "unit", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"], name="finance_voucher_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="finance_voucher_period"
            ),
            models.CheckConstraint(
                condition=Q(handed_on__isnull=True) | (Q(voucher_count__gt=0) & ~Q(handed_by="")),
                name="finance_voucher_handed",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.period_start}—{self.period_end}"
