"""Who uses which room when. Both records are histories: a row is never deleted, ending one
sets `end_date` (the day the room was handed back, no longer in use), so "on date d" means
start_date <= d < end_date (or no end). The history answers audits of past years."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class Allocation(CenterScopedModel):
    """分配: a room given to an agency (使用协议/配置证), at most one agency at a time."""

    class Source(models.TextChoices):
        DIRECT = "direct", _("直接分配")
        PLAN = "plan", _("调整方案")
        UPSTREAM = "upstream", _("上级调配")

    room = models.ForeignKey(
        "space.SpaceRoom",
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("房间"),
    )
    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="space_allocations",
        verbose_name=_("使用单位"),
    )
    start_date = models.DateField(_("启用日期"))
    end_date = models.DateField(_("腾退日期"), null=True, blank=True)
    certificate_no = models.CharField(_("使用协议/配置证号"), max_length=50, blank=True)
    certificate_date = models.DateField(_("协议/证书日期"), null=True, blank=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.DIRECT
    )
    plan_step = models.ForeignKey(
        "space.PlanStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调整方案步骤"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("房间分配")
        verbose_name_plural = _("房间分配")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(end_date__isnull=True),
                name="space_allocation_one_current",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="space_allocation_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "agency"], name="space_alloc_center_agency"),
        ]

    def __str__(self):
        return f"{self.room} → {self.agency}"

    @property
    def is_current(self):
        return self.end_date is None


class Occupancy(CenterScopedModel):
    """使用人: a person working in an office room. Several people may share one room up to its
    核定使用人数; the share of each is the room's usable area ÷ the people in it."""

    room = models.ForeignKey(
        "space.SpaceRoom",
        on_delete=models.PROTECT,
        related_name="occupancies",
        verbose_name=_("房间"),
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="occupancies",
        verbose_name=_("使用人"),
    )
    start_date = models.DateField(_("入住日期"))
    end_date = models.DateField(_("迁出日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # When the space managers were told the office of a departed person is not yet returned.
    overdue_notified_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("办公室使用人")
        verbose_name_plural = _("办公室使用人")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "person"],
                condition=Q(end_date__isnull=True),
                name="space_occupancy_one_current",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="space_occupancy_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "end_date"], name="space_occ_center_end"),
        ]

    def __str__(self):
        return f"{self.person} @ {self.room}"
