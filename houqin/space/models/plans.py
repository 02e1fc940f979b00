"""Requests for more space (through the shared approval mechanism) and the annual adjustment
plan (调整方案) that moves rooms between agencies in one transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class SpaceRequest(CenterScopedModel):
    """An agency's application for more office space (增加办公用房申请)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        RETURNED = "returned", _("退回修改")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")
        CANCELLED = "cancelled", _("已撤回")

    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="space_requests",
        verbose_name=_("申请单位"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    reason = models.TextField(_("申请理由"), max_length=2000)
    headcount = models.PositiveIntegerField(_("现有人数"))
    area_wanted = models.DecimalField(_("申请面积（㎡）"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("审批完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用房申请")
        verbose_name_plural = _("用房申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(area_wanted__gt=0), name="space_request_area_pos"),
        ]

    def __str__(self):
        return _("%(agency)s 申请增加办公用房 %(area)s㎡") % {
            "agency": self.agency,
            "area": self.area_wanted,
        }


class AdjustmentPlan(CenterScopedModel):
    """年度办公用房调整方案: drafted step by step, previewed, applied atomically once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟中")
        APPLIED = "applied", _("已实施")
        CANCELLED = "cancelled", _("已作废")

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("方案名称"), max_length=100)
    effective_date = models.DateField(_("实施日期"))
    notes = models.TextField(_("说明"), max_length=4000, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("起草人"),
    )
    applied_at = models.DateTimeField(_("实施时间"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("实施人"),
    )

    class Meta:
        verbose_name = _("办公用房调整方案")
        verbose_name_plural = _("办公用房调整方案")
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
                name="space_plan_applied_at",
            ),
        ]

    def __str__(self):
        return self.title


class PlanStep(TimeStampedModel):
    """One move of a plan. `from_agency` is who held the room when the step was drafted; apply
    refuses the whole plan when that is no longer true."""

    class Kind(models.TextChoices):
        ALLOCATE = "allocate", _("分配闲置房间")
        TRANSFER = "transfer", _("跨部门调剂")
        OBTAIN = "obtain", _("上级调配（市后勤中心提供）")
        VACATE = "vacate", _("腾退收回")

    plan = models.ForeignKey(
        AdjustmentPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("方案")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("调整方式"), max_length=16, choices=Kind.choices)
    room = models.ForeignKey(
        "space.SpaceRoom", on_delete=models.PROTECT, related_name="+", verbose_name=_("房间")
    )
    from_agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原使用单位"),
    )
    to_agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调入单位"),
    )
    request = models.ForeignKey(
        SpaceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_steps",
        verbose_name=_("对应用房申请"),
    )
    certificate_no = models.CharField(_("使用协议/配置证号"), max_length=50, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("调整方案步骤")
        verbose_name_plural = _("调整方案步骤")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "room"], name="space_step_room_once"),
            models.UniqueConstraint(fields=["plan", "position"], name="space_step_position"),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["allocate", "obtain"], from_agency__isnull=True)
                    & Q(to_agency__isnull=False)
                )
                | (
                    Q(kind="transfer", from_agency__isnull=False, to_agency__isnull=False)
                    & ~Q(from_agency=models.F("to_agency"))
                )
                | Q(kind="vacate", from_agency__isnull=False, to_agency__isnull=True),
                name="space_step_agencies",
            ),
        ]

    def __str__(self):
        return f"{self.plan} #{self.position}"
