"""django-tables2 tables of the energy register: institutions, meters, readings, targets and
conversion factors. Numbers are shown with their unit."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import UNITS, EnergyFactor, EnergyTarget, Institution, Meter, MeterReading

NOWRAP = {"td": {"class": "text-nowrap"}}
NUMBER = {"td": {"class": "text-nowrap text-end"}, "th": {"class": "text-end"}}


def badge(css, text):
    return format_html('<span class="badge text-bg-{}">{}</span>', css, text)


def amount(value, unit=""):
    if value is None:
        return "—"
    return f"{value:,.2f} {unit}".strip()


def month_text(value):
    return f"{value:%Y-%m}" if value else "—"


def pct(value):
    return "—" if value is None else f"{value.normalize():f} %"


ON, OFF = _("启用"), _("停用")


def active_badge(active, on=ON, off=OFF):
    return badge("success", on) if active else badge("secondary", off)


class InstitutionTable(tables.Table):
    name = tables.LinkColumn(
        "energy:institution_detail", args=[tables.A("pk")], verbose_name=_("单位名称")
    )
    agency = tables.Column(verbose_name=_("对应部门/单位"), order_by=("agency__path",))
    building = tables.Column(verbose_name=_("办公楼"), order_by=("building__name",))
    year_floor_area = tables.Column(verbose_name=_("建筑面积"), empty_values=(), attrs=NUMBER)
    year_headcount = tables.Column(verbose_name=_("用能人数"), empty_values=(), attrs=NUMBER)
    year_establishment = tables.Column(verbose_name=_("编制人数"), empty_values=(), attrs=NUMBER)
    meters_count = tables.Column(verbose_name=_("计量表"), attrs=NUMBER)
    is_active = tables.Column(verbose_name=_("纳入统计"))

    class Meta:
        model = Institution
        fields = (
            "name",
            "agency",
            "building",
            "year_floor_area",
            "year_headcount",
            "year_establishment",
            "meters_count",
            "is_active",
        )
        order_by = ("name",)

    def render_year_floor_area(self, record):
        if record.year_floor_area is None:
            return badge("warning", _("未录入"))
        return amount(record.year_floor_area, "㎡")

    def render_year_headcount(self, record):
        return "—" if record.year_headcount is None else f"{record.year_headcount} 人"

    def render_year_establishment(self, record):
        return "—" if record.year_establishment is None else f"{record.year_establishment} 人"

    def render_meters_count(self, value):
        return f"{value} 块"

    def render_is_active(self, value):
        return active_badge(value, _("是"), _("否"))


class MeterTable(tables.Table):
    code = tables.LinkColumn("energy:meter_detail", args=[tables.A("pk")], verbose_name=_("编号"))
    name = tables.Column(verbose_name=_("名称/位置"))
    institution = tables.Column(verbose_name=_("公共机构"), order_by=("institution__name",))
    kind = tables.Column(verbose_name=_("能源品种"))
    unit = tables.Column(verbose_name=_("单位"), empty_values=(), orderable=False)
    mode = tables.Column(verbose_name=_("录入方式"))
    parent = tables.Column(verbose_name=_("上级总表"), order_by=("parent__code",))
    last_month = tables.Column(verbose_name=_("最近抄表月份"), empty_values=(), attrs=NOWRAP)
    last_value = tables.Column(verbose_name=_("最近读数/用量"), empty_values=(), attrs=NUMBER)
    is_active = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Meter
        fields = (
            "code",
            "name",
            "institution",
            "kind",
            "unit",
            "mode",
            "parent",
            "last_month",
            "last_value",
            "is_active",
        )
        order_by = ("institution", "kind", "code")

    def render_unit(self, record):
        return record.unit

    def render_parent(self, record):
        return record.parent.code

    def render_last_month(self, record):
        return month_text(record.last_month)

    def render_last_value(self, record):
        return amount(record.last_value, record.unit)

    def render_is_active(self, value):
        return active_badge(value)


class ReadingTable(tables.Table):
    month = tables.Column(verbose_name=_("月份"), attrs=NOWRAP)
    institution = tables.Column(
        verbose_name=_("公共机构"),
        accessor="meter__institution__name",
        order_by=("meter__institution__name",),
    )
    meter = tables.LinkColumn(
        "energy:meter_detail",
        args=[tables.A("meter_id")],
        verbose_name=_("计量表"),
        order_by=("meter__code",),
        text=lambda record: f"{record.meter.code} {record.meter.name}",
    )
    kind = tables.Column(
        verbose_name=_("品种"), accessor="meter__kind", order_by=("meter__kind",), attrs=NOWRAP
    )
    value = tables.Column(verbose_name=_("读数/用量"), attrs=NUMBER)
    consumption = tables.Column(verbose_name=_("当月用量"), attrs=NUMBER)
    flagged = tables.Column(verbose_name=_("核实"))
    entered_by = tables.Column(
        verbose_name=_("录入人"),
        order_by=("entered_by__person__name", "entered_by__username"),
    )
    actions = tables.TemplateColumn(
        template_name="energy/readings/_actions.html",
        verbose_name="",
        orderable=False,
        empty_values=(),
        attrs=NOWRAP,
    )

    class Meta:
        model = MeterReading
        fields = (
            "month",
            "institution",
            "meter",
            "kind",
            "value",
            "consumption",
            "flagged",
            "entered_by",
            "actions",
        )
        order_by = ("-month", "meter__code")

    def render_month(self, value):
        return month_text(value)

    def render_kind(self, record):
        return record.meter.get_kind_display()

    def render_value(self, record):
        return amount(record.value, record.meter.unit)

    def render_consumption(self, record):
        return amount(record.consumption, record.meter.unit)

    def render_flagged(self, record):
        if record.flagged:
            return format_html(
                '{} <span class="small text-body-secondary">{}</span>',
                badge("warning", _("待核实")),
                record.flag_reason,
            )
        if record.confirmed_by_id:
            return format_html(
                '{} <span class="small text-body-secondary">{}</span>',
                badge("success", _("已核实")),
                record.confirmed_by.display_name,
            )
        return badge("light", _("正常"))

    def render_entered_by(self, record):
        return record.entered_by.display_name if record.entered_by else "—"


class TargetTable(tables.Table):
    base_year = tables.Column(verbose_name=_("基准年"))
    target_year = tables.Column(verbose_name=_("目标年"))
    per_area_pct = tables.Column(verbose_name=_("单位面积能耗下降"))
    per_capita_pct = tables.Column(verbose_name=_("人均综合能耗下降"))
    water_pct = tables.Column(verbose_name=_("人均用水量下降"))
    actions = tables.TemplateColumn(
        template_name="energy/targets/_actions.html",
        verbose_name="",
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = EnergyTarget
        fields = (
            "base_year",
            "target_year",
            "per_area_pct",
            "per_capita_pct",
            "water_pct",
            "actions",
        )
        order_by = ("-target_year",)

    def render_per_area_pct(self, value):
        return pct(value)

    def render_per_capita_pct(self, value):
        return pct(value)

    def render_water_pct(self, value):
        return pct(value)


class FactorTable(tables.Table):
    kind = tables.Column(verbose_name=_("能源品种"))
    unit = tables.Column(verbose_name=_("计量单位"), empty_values=(), orderable=False)
    factor = tables.Column(verbose_name=_("折标系数"))
    density = tables.Column(verbose_name=_("密度"))
    co2_factor = tables.Column(verbose_name=_("排放因子"))
    effective_from = tables.Column(verbose_name=_("生效日期"))
    in_force = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)
    basis = tables.Column(verbose_name=_("依据"), orderable=False)

    class Meta:
        model = EnergyFactor
        fields = (
            "kind",
            "unit",
            "factor",
            "density",
            "co2_factor",
            "effective_from",
            "in_force",
            "basis",
        )
        order_by = ("kind", "-effective_from")

    def __init__(self, *args, in_force=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.in_force_ids = set(in_force)

    def render_unit(self, record):
        return UNITS.get(record.kind, "")

    def render_factor(self, record):
        if record.density is not None:
            return f"{record.factor.normalize():f} kgce/kg"
        return f"{record.factor.normalize():f} kgce/{UNITS.get(record.kind, '')}"

    def render_density(self, record):
        return f"{record.density.normalize():f} kg/{UNITS.get(record.kind, '')}"

    def render_co2_factor(self, record):
        return f"{record.co2_factor.normalize():f} kgCO₂/{UNITS.get(record.kind, '')}"

    def render_effective_from(self, value):
        return value.isoformat()

    def render_in_force(self, record):
        if record.pk in self.in_force_ids:
            return badge("success", _("现行"))
        return badge("secondary", _("历史/未生效"))
