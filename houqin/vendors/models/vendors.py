"""Outsourced service companies (外包服务公司), their contracts and their staff roster."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class Vendor(CenterScopedModel):
    class Kind(models.TextChoices):
        SECURITY = "security", _("保安服务")
        PROPERTY = "property", _("物业服务")
        CANTEEN = "canteen", _("食堂经营")
        PEST_CONTROL = "pest_control", _("病媒生物防制")
        CLEANING = "cleaning", _("保洁服务")
        MAINTENANCE = "maintenance", _("设施维保")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("服务类别"), max_length=16, choices=Kind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("合作中"), default=True)

    class Meta:
        verbose_name = _("外包单位")
        verbose_name_plural = _("外包单位")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="vendors_vendor_name"),
        ]

    def __str__(self):
        return self.name


class Contract(CenterScopedModel):
    class PaymentTerms(models.TextChoices):
        MONTHLY = "monthly", _("按月支付")
        QUARTERLY = "quarterly", _("按季度支付")
        YEARLY = "yearly", _("按年支付")
        MILESTONE = "milestone", _("按节点支付")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("外包单位")
    )
    number = models.CharField(_("合同编号"), max_length=60)
    service = models.CharField(_("服务内容"), max_length=200)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    amount = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2)
    payment_terms = models.CharField(_("付款方式"), max_length=16, choices=PaymentTerms.choices)
    renewal_notice_days = models.PositiveSmallIntegerField(_("到期提前提醒（天）"), default=60)
    procurement = models.ForeignKey(
        "finance.Procurement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("政府采购"),
    )
    notes = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("服务合同")
        verbose_name_plural = _("服务合同")
        ordering = ["-end_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="vendors_contract_number"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="vendors_contract_dates"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="vendors_contract_amount"),
        ]
        indexes = [models.Index(fields=["center", "end_date"], name="vendors_contract_end")]

    def __str__(self):
        return f"{self.number} {self.service}"


class VendorStaff(TimeStampedModel):
    class Screening(models.TextChoices):
        PENDING = "pending", _("待审查")
        PASSED = "passed", _("审查通过")
        FAILED = "failed", _("未通过")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="staff", verbose_name=_("外包单位")
    )
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("岗位"), max_length=40)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    screening = models.CharField(
        _("政审/背景审查"), max_length=16, choices=Screening.choices, default=Screening.PENDING
    )
    health_cert_no = models.CharField(_("健康证号"), max_length=40, blank=True)
    health_cert_expiry = models.DateField(_("健康证有效期至"), null=True, blank=True)
    start_date = models.DateField(_("上岗日期"), null=True, blank=True)
    end_date = models.DateField(_("离岗日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("外包人员")
        verbose_name_plural = _("外包人员")
        ordering = ["vendor", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="vendors_staff_dates",
            ),
        ]

    def __str__(self):
        return f"{self.vendor} {self.name}"
