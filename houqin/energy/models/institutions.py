"""Public institutions in scope (公共机构) and their survey base data per year: office floor area
(excluding housing), energy-using headcount (incl. non-establishment staff), establishment size
(DOMAIN.md §3). The targets are the five-year reductions against a base year."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class Institution(CenterScopedModel):
    name = models.CharField(_("单位名称"), max_length=100)
    agency = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对应部门/单位"),
    )
    building = models.ForeignKey(
        "space.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办公楼"),
    )
    is_active = models.BooleanField(_("纳入统计"), default=True)

    class Meta:
        verbose_name = _("公共机构")
        verbose_name_plural = _("公共机构")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="energy_institution_name")
        ]

    def __str__(self):
        return self.name


class InstitutionYear(TimeStampedModel):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="years", verbose_name=_("公共机构")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    floor_area = models.DecimalField(_("建筑面积（㎡）"), max_digits=10, decimal_places=2)
    headcount = models.PositiveIntegerField(_("用能人数"))
    establishment = models.PositiveIntegerField(_("编制人数"), default=0)

    class Meta:
        verbose_name = _("年度基础数据")
        verbose_name_plural = _("年度基础数据")
        ordering = ["institution", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="energy_year_once"),
            models.CheckConstraint(condition=Q(floor_area__gt=0), name="energy_year_area_pos"),
            models.CheckConstraint(condition=Q(headcount__gt=0), name="energy_year_people_pos"),
        ]

    def __str__(self):
        return f"{self.institution} {self.year}"


class EnergyTarget(CenterScopedModel):
    """A five-year target: reductions (%) of the indicators in target_year vs base_year."""

    base_year = models.PositiveSmallIntegerField(_("基准年"))
    target_year = models.PositiveSmallIntegerField(_("目标年"))
    per_area_pct = models.DecimalField(_("单位面积能耗下降（%）"), max_digits=5, decimal_places=2)
    per_capita_pct = models.DecimalField(_("人均综合能耗下降（%）"), max_digits=5, decimal_places=2)
    water_pct = models.DecimalField(_("人均用水量下降（%）"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("节能目标")
        verbose_name_plural = _("节能目标")
        ordering = ["-target_year"]
        constraints = [
            models.UniqueConstraint(fields=["center", "target_year"], name="energy_target_once"),
            models.CheckConstraint(
                condition=Q(target_year__gt=F("base_year")), name="energy_target_years"
            ),
        ]

    def __str__(self):
        return f"{self.base_year}—{self.target_year}"
