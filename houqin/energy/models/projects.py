"""Projects assigned from upstream (e.g. the city center's 16 EV charging stations) and
their stations, with progress against the target."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class EnergyProject(CenterScopedModel):
    class Kind(models.TextChoices):
        CHARGING = "charging", _("充电设施建设")
        RETROFIT = "retrofit", _("节能改造")
        OTHER = "other", _("其他")

    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    assigned_by = models.CharField(_("下达单位"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("下达年度"))
    target = models.PositiveIntegerField(_("目标数量"))
    deadline = models.DateField(_("完成期限"), null=True, blank=True)
    notes = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("节能项目")
        verbose_name_plural = _("节能项目")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="energy_project_name"),
            models.CheckConstraint(condition=Q(target__gt=0), name="energy_project_target_pos"),
        ]

    def __str__(self):
        return self.name


class ChargingStation(CenterScopedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("规划")
        BUILDING = "building", _("在建")
        DONE = "done", _("建成")
        IN_USE = "in_use", _("投入使用")

    # Statuses that count as completed towards the target.
    COMPLETED = (Status.DONE, Status.IN_USE)

    project = models.ForeignKey(
        EnergyProject, on_delete=models.PROTECT, related_name="stations", verbose_name=_("项目")
    )
    name = models.CharField(_("站点名称"), max_length=100)
    site = models.CharField(_("建设地点"), max_length=200)
    institution = models.ForeignKey(
        "energy.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在公共机构"),
    )
    piles = models.PositiveSmallIntegerField(_("充电桩数"))
    power_kw = models.DecimalField(_("总功率（kW）"), max_digits=8, decimal_places=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("建成日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("充电站")
        verbose_name_plural = _("充电站")
        ordering = ["project", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="energy_station_name"),
            models.CheckConstraint(condition=Q(piles__gt=0), name="energy_station_piles_pos"),
            models.CheckConstraint(condition=Q(power_kw__gt=0), name="energy_station_power_pos"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "building"]) | Q(completed_on__isnull=False),
                name="energy_station_completed_on",
            ),
        ]

    def __str__(self):
        return self.name
