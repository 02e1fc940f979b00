"""Leases of outside buildings (租用), renovation and repair projects (维修改造) and ownership
registration (权属登记)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel

from .common import ownership_document_path


class Lease(CenterScopedModel):
    """租用: outside space rented for an agency (needs government approval, 机关事务管理条例)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("租用中")
        VACATED = "vacated", _("已腾退")

    lessor = models.CharField(_("出租方"), max_length=100)
    address = models.CharField(_("房屋地址"), max_length=200)
    area = models.DecimalField(_("租用面积（㎡）"), max_digits=10, decimal_places=2)
    annual_rent = models.DecimalField(_("年租金（元）"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("租期起"))
    end_date = models.DateField(_("租期止"))
    approval_ref = models.CharField(_("批准文号"), max_length=100, blank=True)
    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="space_leases",
        verbose_name=_("使用单位"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    vacated_on = models.DateField(_("腾退日期"), null=True, blank=True)
    # The rent no longer paid each year once vacated (元/年), fixed when vacating.
    annual_saving = models.DecimalField(
        _("每年节约租金（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expiry_notified_on = models.DateField(_("到期提醒日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("租用房屋")
        verbose_name_plural = _("租用房屋")
        ordering = ["status", "end_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(area__gt=0), name="space_lease_area_pos"),
            models.CheckConstraint(condition=Q(annual_rent__gte=0), name="space_lease_rent"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="space_lease_dates"
            ),
            models.CheckConstraint(
                condition=Q(status="active")
                | Q(vacated_on__isnull=False, annual_saving__isnull=False),
                name="space_lease_vacated",
            ),
        ]

    def __str__(self):
        return f"{self.lessor} {self.address}"


class RenovationProject(CenterScopedModel):
    """维修改造项目 (e.g. the auditorium renovation, the roof leak repair)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        IN_PROGRESS = "in_progress", _("实施中")
        COMPLETED = "completed", _("已竣工")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("项目名称"), max_length=100)
    building = models.ForeignKey(
        "space.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("楼栋"),
    )
    description = models.TextField(_("项目内容"), max_length=4000, blank=True)
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2, default=0)
    contractor = models.CharField(_("施工单位"), max_length=100, blank=True)
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    finish_date = models.DateField(_("竣工日期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    final_cost = models.DecimalField(
        _("决算金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("维修改造项目")
        verbose_name_plural = _("维修改造项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="space_project_budget"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="space_project_progress"),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | Q(final_cost__isnull=False, finish_date__isnull=False),
                name="space_project_completed",
            ),
        ]

    def __str__(self):
        return self.title


class ProjectItem(TimeStampedModel):
    """A line of a project: 礼堂椅 × 420 张, 木地板 300 ㎡…"""

    project = models.ForeignKey(
        RenovationProject, on_delete=models.CASCADE, related_name="items", verbose_name=_("项目")
    )
    name = models.CharField(_("内容"), max_length=100)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目内容")
        verbose_name_plural = _("项目内容")
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="space_item_quantity"),
        ]

    def __str__(self):
        return f"{self.name} × {self.quantity}{self.unit}"


class ProjectUpdate(TimeStampedModel):
    """A progress report on a project (the history of its progress)."""

    project = models.ForeignKey(
        RenovationProject,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("项目"),
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    note = models.CharField(_("进展情况"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("填报人"),
    )

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["-created_at", "-id"]


class OwnershipRecord(CenterScopedModel):
    """权属登记 of one building: registered to the affairs administration, or filed (备案)
    where registration is impossible (中办发〔2017〕70号)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待登记")
        FILED = "filed", _("已备案")
        REGISTERED = "registered", _("已登记")

    building = models.OneToOneField(
        "space.Building",
        on_delete=models.PROTECT,
        related_name="ownership_record",
        verbose_name=_("楼栋"),
    )
    status = models.CharField(
        _("登记状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    right_holder = models.CharField(_("权利人"), max_length=100, blank=True)
    certificate_no = models.CharField(_("不动产权证号"), max_length=60, blank=True)
    certificate_date = models.DateField(_("登簿日期"), null=True, blank=True)
    filing_no = models.CharField(_("备案编号"), max_length=60, blank=True)
    filing_date = models.DateField(_("备案日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("权属登记")
        verbose_name_plural = _("权属登记")
        ordering = ["building__code", "building__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="registered")
                | (~Q(certificate_no="") & Q(certificate_date__isnull=False)),
                name="space_ownership_registered",
            ),
            models.CheckConstraint(
                condition=~Q(status="filed") | (~Q(filing_no="") & Q(filing_date__isnull=False)),
                name="space_ownership_filed",
            ),
        ]

    def __str__(self):
        return f"{self.building} {self.get_status_display()}"


class OwnershipDocument(CenterScopedModel):
    """A scanned certificate or filing document, served by an access-checked view."""

    record = models.ForeignKey(
        OwnershipRecord,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("权属登记"),
    )
    title = models.CharField(_("文件名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to=ownership_document_path, max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("权属资料")
        verbose_name_plural = _("权属资料")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
