"""Meters (计量表) and their monthly readings, and the conversion factors to standard coal.

A meter either keeps a running register (cumulative: consumption = this reading − last) or is
entered as the month's consumption (bills, fuel cards). Sub-meters (parent set) break down a
main meter and are not added again to the totals. Suspicious readings are saved but flagged
until someone confirms them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel, TimeStampedModel


class EnergyKind(models.TextChoices):
    ELECTRICITY = "electricity", _("电力")
    WATER = "water", _("水")
    NATURAL_GAS = "natural_gas", _("天然气")
    LPG = "lpg", _("液化石油气")
    GASOLINE = "gasoline", _("汽油")
    DIESEL = "diesel", _("柴油")
    KEROSENE = "kerosene", _("煤油")
    COAL = "coal", _("原煤")
    HEAT = "heat", _("热力")


# The unit each kind is metered in.
UNITS = {
    EnergyKind.ELECTRICITY: "kWh",
    EnergyKind.WATER: "m³",
    EnergyKind.NATURAL_GAS: "m³",
    EnergyKind.LPG: "kg",
    EnergyKind.GASOLINE: "L",
    EnergyKind.DIESEL: "L",
    EnergyKind.KEROSENE: "kg",
    EnergyKind.COAL: "kg",
    EnergyKind.HEAT: "MJ",
}


class EnergyFactor(TimeStampedModel):
    """折标系数 from a date on (GB/T 2589; configuration, seeded by a data migration).
    `factor` is kgce per kg where `density` (kg per metered unit, e.g. 0.73 kg/L of gasoline)
    is set, else per metered unit."""

    kind = models.CharField(_("能源品种"), max_length=16, choices=EnergyKind.choices)
    factor = models.DecimalField(_("折标系数（kgce）"), max_digits=10, decimal_places=5)
    density = models.DecimalField(
        _("密度（kg/计量单位）"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    co2_factor = models.DecimalField(
        _("排放因子（kgCO₂/计量单位）"), max_digits=10, decimal_places=5, null=True, blank=True
    )
    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("折标系数")
        verbose_name_plural = _("折标系数")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="energy_factor_once"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="energy_factor_pos"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.factor}"


class Meter(CenterScopedModel):
    class Mode(models.TextChoices):
        REGISTER = "register", _("累计读数")
        CONSUMPTION = "consumption", _("按月用量")

    institution = models.ForeignKey(
        "energy.Institution",
        on_delete=models.PROTECT,
        related_name="meters",
        verbose_name=_("公共机构"),
    )
    kind = models.CharField(_("能源品种"), max_length=16, choices=EnergyKind.choices)
    code = models.CharField(_("表计编号"), max_length=40)
    name = models.CharField(_("名称/位置"), max_length=100)
    mode = models.CharField(
        _("录入方式"), max_length=16, choices=Mode.choices, default=Mode.REGISTER
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级总表"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("计量表")
        verbose_name_plural = _("计量表")
        ordering = ["institution", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="energy_meter_code"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="energy_meter_not_own_parent",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def unit(self):
        return UNITS.get(self.kind, "")


class MeterReading(TimeStampedModel):
    meter = models.ForeignKey(
        Meter, on_delete=models.CASCADE, related_name="readings", verbose_name=_("计量表")
    )
    month = models.DateField(_("月份"), help_text=_("该月 1 日"))
    value = models.DecimalField(_("读数/用量"), max_digits=14, decimal_places=2)
    consumption = models.DecimalField(_("当月用量"), max_digits=14, decimal_places=2)
    flagged = models.BooleanField(_("待核实"), default=False)
    flag_reason = models.CharField(_("异常原因"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核实人"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("录入人"),
    )

    class Meta:
        verbose_name = _("抄表记录")
        verbose_name_plural = _("抄表记录")
        ordering = ["meter", "-month"]
        # The reading list pages newest month first across the center's meters; (meter, month)
        # alone means sorting every reading of the center.
        indexes = [models.Index(fields=["-month"], name="energy_reading_month")]
        constraints = [
            models.UniqueConstraint(fields=["meter", "month"], name="energy_reading_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="energy_reading_month_start"),
            models.CheckConstraint(condition=Q(consumption__gte=0), name="energy_reading_use_pos"),
            models.CheckConstraint(
                condition=Q(flagged=False) | ~Q(flag_reason=""), name="energy_reading_flag_reason"
            ),
        ]

    def __str__(self):
        return f"{self.meter} {self.month:%Y-%m}"
