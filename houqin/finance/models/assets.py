"""Fixed assets (固定资产): cards in the broad classes of GB/T 14885-2022, transfers between
custodians, the annual count (盘点) with its differences, and disposal through approval."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class AssetClass(models.TextChoices):
    """GB/T 14885-2022 固定资产等资产基础分类与代码, first level (the ones an organ holds)."""

    BUILDINGS = "buildings", _("房屋和构筑物")
    EQUIPMENT = "equipment", _("设备")
    RELICS = "relics", _("文物和陈列品")
    BOOKS = "books", _("图书和档案")
    FURNITURE = "furniture", _("家具和用具")
    INTANGIBLE = "intangible", _("无形资产")


class FixedAsset(CenterScopedModel):
    class Status(models.TextChoices):
        IN_USE = "in_use", _("在用")
        IDLE = "idle", _("闲置")
        DISPOSING = "disposing", _("处置审批中")
        DISPOSED = "disposed", _("已处置")

    code = models.CharField(_("资产编号"), max_length=40)
    name = models.CharField(_("资产名称"), max_length=100)
    asset_class = models.CharField(_("资产分类"), max_length=16, choices=AssetClass.choices)
    model = models.CharField(_("规格型号"), max_length=100, blank=True)
    value = models.DecimalField(_("原值（元）"), max_digits=14, decimal_places=2)
    purchase_date = models.DateField(_("取得日期"))
    custodian_agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("使用单位"),
    )
    custodian = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("保管人"),
    )
    location = models.CharField(_("存放地点"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.IN_USE
    )
    equipment = models.OneToOneField(
        "maintenance.Equipment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fixed_asset",
        verbose_name=_("设备台账"),
    )
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("固定资产")
        verbose_name_plural = _("固定资产")
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="finance_asset_code"),
            models.CheckConstraint(condition=Q(value__gte=0), name="finance_asset_value_pos"),
            models.CheckConstraint(
                condition=~Q(status="disposed") | Q(disposed_on__isnull=False),
                name="finance_asset_disposed_on",
            ),
        ]
        indexes = [models.Index(fields=["center", "status"], name="finance_asset_status")]

    def __str__(self):
        return f"{self.code} {self.name}"


class AssetTransfer(TimeStampedModel):
    asset = models.ForeignKey(
        FixedAsset, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("资产")
    )
    date = models.DateField(_("调拨日期"))
    from_agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("调出单位")
    )
    to_agency = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("调入单位")
    )
    from_custodian = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原保管人"),
    )
    to_custodian = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("新保管人"),
    )
    to_location = models.CharField(_("新存放地点"), max_length=100, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("资产调拨")
        verbose_name_plural = _("资产调拨")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.asset} {self.date}"


class AssetCount(CenterScopedModel):
    """An annual count (盘点): every asset on the register at the start is a line to check."""

    class Status(models.TextChoices):
        OPEN = "open", _("盘点中")
        CLOSED = "closed", _("已完成")

    year = models.PositiveSmallIntegerField(_("年度"))
    started_on = models.DateField(_("开始日期"))
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("资产盘点")
        verbose_name_plural = _("资产盘点")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="finance_count_once"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="finance_count_closed_on",
            ),
        ]

    def __str__(self):
        return f"{self.year}年资产盘点"


class AssetCountLine(TimeStampedModel):
    """One asset of the register (or one found that is not on it: `asset` empty, surplus)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待盘点")
        FOUND = "found", _("账实相符")
        MOVED = "moved", _("地点不符")
        MISSING = "missing", _("盘亏")
        SURPLUS = "surplus", _("盘盈")

    count = models.ForeignKey(
        AssetCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("盘点")
    )
    asset = models.ForeignKey(
        FixedAsset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("资产"),
    )
    description = models.CharField(_("盘盈资产说明"), max_length=200, blank=True)
    result = models.CharField(
        _("盘点结果"), max_length=16, choices=Result.choices, default=Result.PENDING
    )
    found_location = models.CharField(_("实际地点"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("盘点人"),
    )

    class Meta:
        verbose_name = _("盘点明细")
        verbose_name_plural = _("盘点明细")
        ordering = ["count", "asset__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "asset"],
                condition=Q(asset__isnull=False),
                name="finance_count_line_once",
            ),
            models.CheckConstraint(
                condition=(Q(asset__isnull=True) & Q(result="surplus") & ~Q(description=""))
                | (Q(asset__isnull=False) & ~Q(result="surplus")),
                name="finance_count_line_surplus",
            ),
        ]

    def __str__(self):
        return f"{self.count} {self.asset or self.description}"


class AssetDisposal(CenterScopedModel):
    """处置 (报废、出售、无偿划转…) of an asset, decided through the approval flow."""

    class Method(models.TextChoices):
        SCRAP = "scrap", _("报废")
        SALE = "sale", _("出售")
        TRANSFER = "transfer", _("无偿划转")
        DONATION = "donation", _("对外捐赠")
        LOSS = "loss", _("损失核销")

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")
        CANCELLED = "cancelled", _("已撤回")

    asset = models.ForeignKey(
        FixedAsset, on_delete=models.PROTECT, related_name="disposals", verbose_name=_("资产")
    )
    method = models.CharField(_("处置方式"), max_length=16, choices=Method.choices)
    reason = models.CharField(_("处置原因"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    decided_on = models.DateField(_("审批完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("资产处置")
        verbose_name_plural = _("资产处置")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"], condition=Q(status="pending"), name="finance_disposal_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.asset} {self.get_method_display()}"
