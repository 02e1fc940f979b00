"""Serializers of the fleet API (/api/v1/vehicles/, /api/v1/trip-requests/, /api/v1/trips/).

Input serializers only parse the shape of the input (Chinese messages); the rules live in
services.py, whose ValidationError the view turns into a 400 with field errors. Choice fields
are plain strings with a help text (no enum components, so no enum-name collisions).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.org.models import OrgUnit
from houqin.org.scoping import user_agency

from .models import Trip, TripRequest, Vehicle


def _errors(**messages):
    return {key: str(value) for key, value in messages.items()}


class FleetRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _user_ref(user):
    if user is None:
        return None
    person = getattr(user, "person", None)
    return {"id": user.pk, "name": person.name if person else user.username}


class VehicleSerializer(serializers.ModelSerializer):
    category = serializers.CharField(
        read_only=True,
        help_text=_(
            "confidential 机要通信；emergency 应急保障；enforcement 执法执勤；"
            "special 特种专业技术；other 其他"
        ),
    )
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    energy = serializers.CharField(
        read_only=True,
        help_text=_("gasoline 汽油；diesel 柴油；hybrid 插电混动；electric 纯电动；other 其他"),
    )
    energy_display = serializers.CharField(source="get_energy_display", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_("in_service 在用；repair 维修；sealed 封存；disposed 已处置")
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_new_energy = serializers.BooleanField(read_only=True)

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "plate",
            "brand_model",
            "category",
            "category_display",
            "energy",
            "energy_display",
            "is_new_energy",
            "seats",
            "fixed_parking",
            "fixed_fuel_station",
            "fixed_repair_shop",
            "insurance_expiry",
            "inspection_expiry",
            "odometer_km",
            "status",
            "status_display",
        ]
        read_only_fields = fields


class VehicleBusySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("trip 出车；seal 封存"))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    label = serializers.CharField(allow_blank=True, help_text=_("派车单号或封存原因"))


class VehicleAvailabilitySerializer(serializers.Serializer):
    vehicle = FleetRefSerializer()
    available = serializers.BooleanField(help_text=_("该时段可派（在用且无出车、无封存）"))
    busy = VehicleBusySerializer(many=True)


class TripBriefSerializer(serializers.ModelSerializer):
    vehicle = serializers.SerializerMethodField(help_text=_("车辆：{id, name}（name 为车牌号）"))
    driver = serializers.SerializerMethodField(help_text=_("驾驶员：{id, name}"))
    status = serializers.CharField(
        read_only=True,
        help_text=_("scheduled 已派车；in_progress 出车中；completed 已收车；cancelled 已取消"),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Trip
        fields = [
            "id",
            "number",
            "vehicle",
            "driver",
            "starts_at",
            "ends_at",
            "status",
            "status_display",
        ]
        read_only_fields = fields

    @extend_schema_field(FleetRefSerializer)
    def get_vehicle(self, trip):
        return {"id": trip.vehicle_id, "name": trip.vehicle.plate}

    @extend_schema_field(FleetRefSerializer)
    def get_driver(self, trip):
        return {"id": trip.driver_id, "name": str(trip.driver)}


class TripSerializer(TripBriefSerializer):
    km = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True, allow_null=True)

    class Meta(TripBriefSerializer.Meta):
        fields = [
            *TripBriefSerializer.Meta.fields,
            "route",
            "started_at",
            "ended_at",
            "start_odometer",
            "end_odometer",
            "km",
            "tolls",
            "parking",
            "notes",
        ]
        read_only_fields = fields


class TripRequestSerializer(serializers.ModelSerializer):
    agency = FleetRefSerializer(read_only=True)
    requester = serializers.SerializerMethodField(help_text=_("申请人：{id, name}"))
    status = serializers.CharField(
        read_only=True,
        help_text=_(
            "pending 审批中；approved 待派车；rejected 未批准；dispatched 已派车；"
            "unmet 无车可派；cancelled 已取消；completed 已完成"
        ),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    trip = TripBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TripRequest
        fields = [
            "id",
            "requester",
            "agency",
            "purpose",
            "origin",
            "destination",
            "stops",
            "passengers",
            "passenger_names",
            "departs_at",
            "returns_at",
            "needs_driver",
            "preferred_seats",
            "status",
            "status_display",
            "trip",
            "unmet_reason",
            "rating",
            "rating_comment",
            "rated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(FleetRefSerializer)
    def get_requester(self, req):
        return _user_ref(req.requester)


def _agencies(user):
    agency = user_agency(user)
    if agency is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(center_id=user.center_id, path__startswith=agency.path)


class _AgencyPK(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "required": _("请选择用车单位。"),
        "does_not_exist": _("所选单位不存在或无权使用。"),
        "incorrect_type": _("请填写有效的单位编号。"),
    }

    def get_queryset(self):
        return _agencies(self.context["request"].user)


class TripRequestCreateSerializer(serializers.Serializer):
    agency = _AgencyPK(
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("用车单位 ID（不填为本人所在单位）"),
    )
    purpose = serializers.CharField(
        max_length=200,
        help_text=_("公务事由"),
        error_messages={
            "blank": _("请填写公务事由（不得用于与公务无关的事项）。"),
            "required": _("请填写公务事由（不得用于与公务无关的事项）。"),
            "max_length": _("公务事由不能超过 200 个字。"),
        },
    )
    origin = serializers.CharField(
        max_length=100,
        error_messages={"blank": _("请填写出发地。"), "required": _("请填写出发地。")},
    )
    destination = serializers.CharField(
        max_length=100,
        error_messages={"blank": _("请填写目的地。"), "required": _("请填写目的地。")},
    )
    stops = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    passengers = serializers.IntegerField(
        min_value=1,
        max_value=60,
        help_text=_("乘车人数"),
        error_messages={
            "invalid": _("请填写乘车人数（1–60）。"),
            "required": _("请填写乘车人数（1–60）。"),
            "min_value": _("请填写乘车人数（1–60）。"),
            "max_value": _("请填写乘车人数（1–60）。"),
        },
    )
    passenger_names = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    departs_at = serializers.DateTimeField(
        help_text=_("出发时间（ISO 8601；不带时区按北京时间）"),
        error_messages={"invalid": _("请填写有效的出发时间。"), "required": _("请填写出发时间。")},
    )
    returns_at = serializers.DateTimeField(
        help_text=_("预计返回时间"),
        error_messages={"invalid": _("请填写有效的返回时间。"), "required": _("请填写返回时间。")},
    )
    needs_driver = serializers.BooleanField(required=False, default=True)
    preferred_seats = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=2,
        max_value=60,
        error_messages={"invalid": _("请填写有效的座位数。"), "min_value": _("座位数至少为 2。")},
    )

    def validate(self, attrs):
        if attrs.get("agency") is None:
            agency = user_agency(self.context["request"].user)
            if agency is None:
                raise serializers.ValidationError(_errors(agency=_("请选择用车单位。")))
            attrs["agency"] = agency
        return attrs


class FleetReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=_("取消原因")
    )


class TripRatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text=_("满意度 1–5 星"),
        error_messages={
            "invalid": _("请选择 1–5 星。"),
            "required": _("请选择 1–5 星。"),
            "min_value": _("请选择 1–5 星。"),
            "max_value": _("请选择 1–5 星。"),
        },
    )
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


_ODOMETER_ERRORS = {
    "invalid": _("请填写里程表读数。"),
    "required": _("请填写里程表读数。"),
    "max_digits": _("里程表读数有误。"),
    "max_decimal_places": _("里程最多保留 1 位小数。"),
    "max_whole_digits": _("里程表读数有误。"),
}
_MONEY_ERRORS = {"invalid": _("请填写有效的金额。"), "min_value": _("金额不能为负数。")}


class TripStartSerializer(serializers.Serializer):
    odometer = serializers.DecimalField(
        max_digits=9,
        decimal_places=1,
        help_text=_("出车里程表读数"),
        error_messages=_ODOMETER_ERRORS,
    )
    disinfected = serializers.BooleanField(help_text=_("已完成出车前清洁消杀"))


class TripEndSerializer(serializers.Serializer):
    odometer = serializers.DecimalField(
        max_digits=9,
        decimal_places=1,
        help_text=_("收车里程表读数"),
        error_messages=_ODOMETER_ERRORS,
    )
    disinfected = serializers.BooleanField(help_text=_("已完成收车后清洁消杀"))
    tolls = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, default=0, error_messages=_MONEY_ERRORS
    )
    parking = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, default=0, error_messages=_MONEY_ERRORS
    )
    fuel_liters = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("途中加油量（升）/充电量（度）"),
        error_messages={"invalid": _("请填写加油量。")},
    )
    fuel_cost = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        error_messages=_MONEY_ERRORS,
    )
    fuel_station = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
