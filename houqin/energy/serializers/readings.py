"""Serializers of institutions, meters, monthly readings and the yearly indicators."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import UNITS, Institution, InstitutionYear, Meter, MeterReading
from .common import EnergyRefSerializer, _decimal, _ref, _user_ref

KIND_HELP = _(
    "electricity 电力（kWh）；water 水（m³）；natural_gas 天然气（m³）；lpg 液化石油气（kg）；"
    "gasoline 汽油（L）；diesel 柴油（L）；kerosene 煤油（kg）；coal 原煤（kg）；heat 热力（MJ）"
)
MODE_HELP = _("register 累计读数（用量 = 本月读数 − 上月读数）；consumption 按月用量")


# ------------------------------------------------------------------ institutions and meters


class EnergyInstitutionYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstitutionYear
        fields = ["year", "floor_area", "headcount", "establishment"]
        read_only_fields = fields
        extra_kwargs = {
            "floor_area": {"help_text": _("建筑面积（㎡，不含住宅）")},
            "headcount": {"help_text": _("用能人数（含编外人员）")},
            "establishment": {"help_text": _("编制人数")},
        }


class EnergyInstitutionSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField(help_text=_("对应部门/单位：{id, name}"))
    building = serializers.SerializerMethodField(help_text=_("办公楼：{id, name}"))
    years = EnergyInstitutionYearSerializer(
        many=True, read_only=True, help_text=_("各年度基础数据（按年度升序）")
    )

    class Meta:
        model = Institution
        fields = ["id", "name", "agency", "building", "is_active", "years"]
        read_only_fields = fields

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_agency(self, institution):
        agency = institution.agency
        return None if agency is None else _ref(agency, agency.name)

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_building(self, institution):
        building = institution.building
        return None if building is None else _ref(building, building.name)


class EnergyMeterRefSerializer(serializers.Serializer):
    """计量表引用：{id, code, name}。"""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class EnergyMeterSerializer(serializers.ModelSerializer):
    institution = serializers.SerializerMethodField(help_text=_("公共机构：{id, name}"))
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit = serializers.CharField(read_only=True, help_text=_("计量单位"))
    mode = serializers.CharField(read_only=True, help_text=MODE_HELP)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    parent = serializers.SerializerMethodField(
        help_text=_("上级总表：{id, code, name}；总表为 null（分表不计入合计）")
    )

    class Meta:
        model = Meter
        fields = [
            "id",
            "code",
            "name",
            "institution",
            "kind",
            "kind_display",
            "unit",
            "mode",
            "mode_display",
            "parent",
            "is_active",
        ]
        read_only_fields = fields

    @extend_schema_field(EnergyRefSerializer)
    def get_institution(self, meter):
        return _ref(meter.institution, meter.institution.name)

    @extend_schema_field(EnergyMeterRefSerializer(allow_null=True))
    def get_parent(self, meter):
        parent = meter.parent
        if parent is None:
            return None
        return {"id": parent.pk, "code": parent.code, "name": parent.name}


# ------------------------------------------------------------------ readings


class EnergyReadingSerializer(serializers.ModelSerializer):
    meter = serializers.SerializerMethodField(help_text=_("计量表：{id, code, name}"))
    institution = serializers.SerializerMethodField(help_text=_("公共机构：{id, name}"))
    kind = serializers.CharField(source="meter.kind", read_only=True, help_text=KIND_HELP)
    unit = serializers.SerializerMethodField(help_text=_("计量单位"))
    month = serializers.SerializerMethodField(help_text=_("月份（YYYY-MM）"))
    value = _decimal(digits=14, help_text=_("读数（累计读数表）或当月用量（按月用量表）"))
    consumption = _decimal(digits=14, help_text=_("当月用量；读数小于上月时待核实，用量暂按 0 计"))
    flagged = serializers.BooleanField(read_only=True, help_text=_("待核实"))
    flag_reason = serializers.CharField(read_only=True, help_text=_("异常原因"))
    entered_by = serializers.SerializerMethodField(help_text=_("录入人：{id, name}"))
    confirmed_by = serializers.SerializerMethodField(help_text=_("核实人：{id, name}"))

    class Meta:
        model = MeterReading
        fields = [
            "id",
            "meter",
            "institution",
            "kind",
            "unit",
            "month",
            "value",
            "consumption",
            "flagged",
            "flag_reason",
            "entered_by",
            "confirmed_by",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(EnergyMeterRefSerializer)
    def get_meter(self, reading):
        meter = reading.meter
        return {"id": meter.pk, "code": meter.code, "name": meter.name}

    @extend_schema_field(EnergyRefSerializer)
    def get_institution(self, reading):
        institution = reading.meter.institution
        return _ref(institution, institution.name)

    def get_unit(self, reading) -> str:
        return UNITS.get(reading.meter.kind, "")

    def get_month(self, reading) -> str:
        return f"{reading.month:%Y-%m}"

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_entered_by(self, reading):
        return _user_ref(reading.entered_by)

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_confirmed_by(self, reading):
        return _user_ref(reading.confirmed_by)


class EnergyReadingCreateSerializer(serializers.Serializer):
    """录入（或更正）某表某月的读数/用量。"""

    meter = serializers.IntegerField(
        help_text=_("计量表 ID"),
        error_messages={
            "required": _("请选择计量表。"),
            "invalid": _("请选择计量表。"),
            "null": _("请选择计量表。"),
        },
    )
    month = serializers.CharField(
        max_length=10,
        help_text=_("月份，YYYY-MM（如 2026-03）"),
        error_messages={"required": _("请填写月份。"), "blank": _("请填写月份。")},
    )
    value = serializers.CharField(
        max_length=30,
        help_text=_("读数（累计读数表）或当月用量（按月用量表），最多两位小数"),
        error_messages={"required": _("请填写读数/用量。"), "blank": _("请填写读数/用量。")},
    )


# ------------------------------------------------------------------ indicators


class EnergyAmountSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    kind_display = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    amount = _decimal(help_text=_("实物量（计量单位）"))


class EnergyFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("公共机构 ID；合计、公务用车为 null")
    )
    name = serializers.CharField(read_only=True)
    floor_area = _decimal(help_text=_("建筑面积（㎡）"))
    headcount = serializers.IntegerField(read_only=True, help_text=_("用能人数"))
    kgce = _decimal(help_text=_("综合能耗（kgce，不含水）"))
    per_area = _decimal(allow_null=True, help_text=_("单位建筑面积能耗（kgce/㎡）"))
    per_capita = _decimal(allow_null=True, help_text=_("人均综合能耗（kgce/人）"))
    water = _decimal(help_text=_("用水量（m³）"))
    water_per_capita = _decimal(allow_null=True, help_text=_("人均用水量（m³/人）"))
    co2 = _decimal(help_text=_("二氧化碳排放（kg，仅已配置排放因子的品种）"))
    amounts = EnergyAmountSerializer(many=True, read_only=True, help_text=_("各品种实物量"))
    monthly_kgce = serializers.ListField(
        child=_decimal(), read_only=True, help_text=_("1—12 月综合能耗（kgce），共 12 项")
    )


class EnergyProgressSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("指标名称"))
    unit = serializers.CharField(read_only=True)
    base_value = _decimal(allow_null=True, help_text=_("基准年数值"))
    current_value = _decimal(allow_null=True, help_text=_("本年数值"))
    change_pct = _decimal(allow_null=True, help_text=_("较基准年变化（%，负数为下降）"))
    target_pct = _decimal(help_text=_("目标下降幅度（%）"))
    expected_pct = _decimal(
        help_text=_("至本年应达到的下降幅度（%）：目标按已过年数折算，目标年为目标本身")
    )
    final = serializers.BooleanField(read_only=True, help_text=_("本年为目标年（或之后）"))
    on_track = serializers.BooleanField(
        read_only=True, help_text=_("目标年：已达到目标降幅；此前：已达到折算降幅（进度正常）")
    )


class EnergyTargetProgressSerializer(serializers.Serializer):
    base_year = serializers.IntegerField(read_only=True)
    target_year = serializers.IntegerField(read_only=True)
    indicators = EnergyProgressSerializer(many=True, read_only=True)


class EnergyIndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    through_month = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "本年尚未结束时数据录入到的月份：目标进度与基准年同期（1 月至该月）比较；全年为 null"
        ),
    )
    total = EnergyFiguresSerializer(read_only=True, help_text=_("全部公共机构合计（含公务用车）"))
    institutions = EnergyFiguresSerializer(many=True, read_only=True)
    vehicles = EnergyFiguresSerializer(read_only=True, help_text=_("公务用车燃料和充电"))
    missing_base = EnergyRefSerializer(
        many=True, read_only=True, help_text=_("缺少本年度建筑面积、用能人数的公共机构")
    )
    target = EnergyTargetProgressSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("覆盖本年度的节能目标及完成情况；无目标为 null"),
    )


class EnergyIndicatorsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("年度，默认今年"),
        error_messages={
            "invalid": _("年度必须是整数。"),
            "min_value": _("年度应在 2000—2100 之间。"),
            "max_value": _("年度应在 2000—2100 之间。"),
        },
    )


def figures_data(figures, pk=None) -> dict:
    """indicators.Figures as plain data for EnergyFiguresSerializer."""
    from ..models import EnergyKind

    labels = dict(EnergyKind.choices)
    return {
        "id": pk,
        "name": figures.label,
        "floor_area": figures.floor_area,
        "headcount": figures.headcount,
        "kgce": figures.kgce,
        "per_area": figures.per_area,
        "per_capita": figures.per_capita,
        "water": figures.water,
        "water_per_capita": figures.water_per_capita,
        "co2": figures.co2,
        "amounts": [
            {
                "kind": kind,
                "kind_display": str(labels.get(kind, kind)),
                "unit": UNITS.get(kind, ""),
                "amount": amount,
            }
            for kind, amount in sorted(figures.amounts.items())
            if amount
        ],
        "monthly_kgce": [figures.monthly_kgce.get(m, 0) for m in range(1, 13)],
    }


PROGRESS_UNITS = {
    "单位建筑面积能耗": "kgce/㎡",
    "人均综合能耗": "kgce/人",
    "人均用水量": "m³/人",
}


def progress_data(target, rows) -> dict | None:
    if target is None:
        return None
    return {
        "base_year": target.base_year,
        "target_year": target.target_year,
        "indicators": [
            {
                "name": row.name,
                "unit": PROGRESS_UNITS.get(row.name, ""),
                "base_value": row.base_value,
                "current_value": row.current_value,
                "change_pct": row.change_pct,
                "target_pct": row.target_pct,
                "expected_pct": row.expected_pct,
                "final": row.final,
                "on_track": row.on_track,
            }
            for row in rows
        ],
    }
