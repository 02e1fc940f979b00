"""Serializers of the office-space API (/api/v1/space/…).

Output serializers are read-only; the one input serializer (a request for more space) only
parses the shape of the input: the rules live in services/plans.py, whose Chinese
ValidationError the view turns into a 400 with field errors. Choice fields are plain strings
with a help text (no enum components, so no enum-name collisions with other apps' `status`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Allocation, Building, Floor, Occupancy, SpaceRequest, SpaceRoom, UseKind

USE_KIND_HELP = _("office 办公室用房；service 服务用房；equipment 设备用房；auxiliary 附属用房")
SUB_USE_HELP = _(
    "office 办公室；meeting 会议室；reception 接待室；archives 档案室；printing 文印室；"
    "mail 收发室；server 计算机房；storage 储藏室；toilet 卫生间；duty 值班室；"
    "switchgear 配电室；pump 水泵房；hvac 空调机房；elevator 电梯机房；canteen 食堂；"
    "garage 车库；civil_defence 人防设施；fire_control 消防控制室；other 其他"
)
ROOM_STATUS_HELP = _("occupied 使用中；idle 闲置；repair 维修中")
OWNERSHIP_HELP = _("owned 自有；allocated 上级调配；leased 租用")
SOURCE_HELP = _("direct 直接分配；plan 调整方案；upstream 上级调配")
REQUEST_STATUS_HELP = _(
    "pending 审批中；returned 退回修改；approved 已批准；rejected 未批准；cancelled 已撤回"
)


class SpaceRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _ref(obj, name=None):
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


def _user_ref(user):
    return None if user is None else {"id": user.pk, "name": user.display_name}


# ------------------------------------------------------------------ buildings


class SpaceFloorSerializer(serializers.ModelSerializer):
    has_plan = serializers.SerializerMethodField(help_text=_("是否已上传平面图"))

    class Meta:
        model = Floor
        fields = ["id", "level", "name", "has_plan"]
        read_only_fields = fields

    def get_has_plan(self, floor) -> bool:
        return bool(floor.plan)


class SpaceBuildingSerializer(serializers.ModelSerializer):
    ownership = serializers.CharField(read_only=True, help_text=OWNERSHIP_HELP)
    ownership_display = serializers.CharField(source="get_ownership_display", read_only=True)
    room_count = serializers.IntegerField(read_only=True, help_text=_("在册房间数"))
    usable_area = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("在册房间使用面积合计（㎡）"),
    )
    floors = SpaceFloorSerializer(many=True, read_only=True)

    class Meta:
        model = Building
        fields = [
            "id",
            "name",
            "code",
            "address",
            "ownership",
            "ownership_display",
            "owner_name",
            "floor_area",
            "built_year",
            "floors_above",
            "floors_below",
            "is_active",
            "room_count",
            "usable_area",
            "floors",
        ]
        read_only_fields = fields


# ------------------------------------------------------------------ rooms


class SpaceFloorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    level = serializers.IntegerField(read_only=True, help_text=_("层号，地下层为负数"))
    name = serializers.CharField(read_only=True)


class SpaceRoomSerializer(serializers.ModelSerializer):
    building = serializers.SerializerMethodField(help_text=_("楼栋：{id, name}"))
    floor = serializers.SerializerMethodField(help_text=_("楼层：{id, level, name}"))
    use_kind = serializers.CharField(read_only=True, help_text=USE_KIND_HELP)
    use_kind_display = serializers.CharField(source="get_use_kind_display", read_only=True)
    sub_use = serializers.CharField(read_only=True, help_text=SUB_USE_HELP)
    sub_use_display = serializers.CharField(source="get_sub_use_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=ROOM_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    holder = serializers.SerializerMethodField(help_text=_("当前使用单位：{id, name}；闲置为 null"))
    people = serializers.IntegerField(read_only=True, help_text=_("当前使用人数"))

    class Meta:
        model = SpaceRoom
        fields = [
            "id",
            "building",
            "floor",
            "number",
            "name",
            "usable_area",
            "use_kind",
            "use_kind_display",
            "sub_use",
            "sub_use_display",
            "capacity",
            "status",
            "status_display",
            "is_active",
            "holder",
            "people",
        ]
        read_only_fields = fields

    @extend_schema_field(SpaceRefSerializer)
    def get_building(self, room):
        return _ref(room.building, room.building.name)

    @extend_schema_field(SpaceFloorRefSerializer)
    def get_floor(self, room):
        return {"id": room.floor_id, "level": room.floor.level, "name": room.floor.name}

    @extend_schema_field(SpaceRefSerializer(allow_null=True))
    def get_holder(self, room):
        if room.holder_id is None:
            return None
        return {"id": room.holder_id, "name": room.holder_name}


class SpaceOccupantSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField(help_text=_("使用人：{id, name}"))
    rank = serializers.SerializerMethodField(help_text=_("职级名称，未定职级为空"))

    class Meta:
        model = Occupancy
        fields = ["id", "person", "rank", "start_date"]
        read_only_fields = fields

    @extend_schema_field(SpaceRefSerializer)
    def get_person(self, occupancy):
        return _ref(occupancy.person, occupancy.person.name)

    def get_rank(self, occupancy) -> str:
        rank = occupancy.person.rank
        return rank.name if rank else ""


class SpaceRoomDetailSerializer(SpaceRoomSerializer):
    occupants = SpaceOccupantSerializer(
        source="current_occupancies", many=True, read_only=True, help_text=_("当前使用人")
    )

    class Meta(SpaceRoomSerializer.Meta):
        fields = [*SpaceRoomSerializer.Meta.fields, "notes", "occupants"]
        read_only_fields = fields


# ------------------------------------------------------------------ allocations


class SpaceRoomRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    building = serializers.CharField(read_only=True, help_text=_("楼栋名称"))
    number = serializers.CharField(read_only=True, help_text=_("房间号"))
    usable_area = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    use_kind = serializers.CharField(read_only=True, help_text=USE_KIND_HELP)


def _room_ref(room):
    return {
        "id": room.pk,
        "building": room.building.name,
        "number": room.number,
        "usable_area": room.usable_area,
        "use_kind": room.use_kind,
    }


class SpaceAllocationSerializer(serializers.ModelSerializer):
    room = serializers.SerializerMethodField(help_text=_("房间"))
    agency = serializers.SerializerMethodField(help_text=_("使用单位：{id, name}"))
    source = serializers.CharField(read_only=True, help_text=SOURCE_HELP)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    is_current = serializers.BooleanField(read_only=True, help_text=_("当前仍在使用"))

    class Meta:
        model = Allocation
        fields = [
            "id",
            "room",
            "agency",
            "start_date",
            "end_date",
            "is_current",
            "certificate_no",
            "certificate_date",
            "source",
            "source_display",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(SpaceRoomRefSerializer)
    def get_room(self, allocation):
        return _room_ref(allocation.room)

    @extend_schema_field(SpaceRefSerializer)
    def get_agency(self, allocation):
        return _ref(allocation.agency, allocation.agency.name)


# ------------------------------------------------------------------ compliance


class ComplianceSeatSerializer(serializers.Serializer):
    room = SpaceRoomRefSerializer(read_only=True)
    occupants = serializers.IntegerField(read_only=True, help_text=_("该房间当日使用人数"))
    share = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text=_("本人分摊面积（㎡）")
    )


class CompliancePersonSerializer(serializers.Serializer):
    person = SpaceRefSerializer(read_only=True)
    agency = SpaceRefSerializer(read_only=True, allow_null=True)
    rank = serializers.CharField(read_only=True, help_text=_("职级名称"))
    limit = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("职级标准（㎡）；未定职级为 null"),
    )
    area = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text=_("使用面积（㎡）")
    )
    excess = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text=_("超标面积（㎡）")
    )
    seats = ComplianceSeatSerializer(many=True, read_only=True)


class ComplianceAgencySerializer(serializers.Serializer):
    agency = SpaceRefSerializer(read_only=True)
    headcount = serializers.IntegerField(read_only=True, help_text=_("在编在岗人数"))
    unranked = serializers.IntegerField(read_only=True, help_text=_("未定职级人数"))
    entitlement = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("核定办公室面积（㎡）")
    )
    office_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("占有办公室用房面积（㎡）")
    )
    service_area = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    equipment_area = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    auxiliary_area = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    rooms = serializers.IntegerField(read_only=True, help_text=_("占有房间数"))
    excess = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("超出核定面积（㎡）")
    )
    is_over = serializers.BooleanField(read_only=True, help_text=_("是否超标"))
    people_over = serializers.IntegerField(read_only=True, help_text=_("超标人数"))


class ComplianceIdleRoomSerializer(SpaceRoomRefSerializer):
    sub_use = serializers.CharField(read_only=True, help_text=SUB_USE_HELP)


class ComplianceUnreturnedSerializer(serializers.Serializer):
    person = SpaceRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("transferred 调离；retired 退休"))
    left_on = serializers.DateField(read_only=True, help_text=_("调离/退休日期"))
    room = SpaceRoomRefSerializer(read_only=True)
    due = serializers.DateField(read_only=True, help_text=_("应收回日期"))
    overdue = serializers.BooleanField(read_only=True, help_text=_("已逾期"))


class ComplianceTotalsSerializer(serializers.Serializer):
    people_over = serializers.IntegerField(read_only=True)
    people_excess = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    agencies_over = serializers.IntegerField(read_only=True)
    agencies_excess = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    idle_rooms = serializers.IntegerField(read_only=True)
    idle_area = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    overdue = serializers.IntegerField(read_only=True, help_text=_("逾期未收回办公室数"))


class ComplianceSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True, help_text=_("核定日期"))
    scope = serializers.CharField(
        read_only=True, help_text=_("center 全中心；agency 仅本单位（部门联络员、单位负责人）")
    )
    totals = ComplianceTotalsSerializer(read_only=True)
    agencies = ComplianceAgencySerializer(many=True, read_only=True)
    people_over = CompliancePersonSerializer(many=True, read_only=True)
    idle_rooms = ComplianceIdleRoomSerializer(
        many=True, read_only=True, help_text=_("闲置房间（仅全中心范围）")
    )
    unreturned = ComplianceUnreturnedSerializer(many=True, read_only=True)


def compliance_data(report, scope, rank_names) -> dict:
    """The compliance Report as plain data for ComplianceSerializer. `rank_names` maps rank
    ids to names (the report's people come without their rank, so no query per person)."""

    def person(row):
        return {
            "person": _ref(row.person, row.person.name),
            "agency": _ref(row.agency, row.agency.name) if row.agency else None,
            "rank": rank_names.get(row.person.rank_id, ""),
            "limit": row.limit,
            "area": row.area,
            "excess": row.excess,
            "seats": [
                {"room": _room_ref(s.room), "occupants": s.occupants, "share": s.share}
                for s in row.seats
            ],
        }

    return {
        "date": report.day,
        "scope": scope,
        "totals": {
            "people_over": len(report.people_over),
            "people_excess": report.people_excess,
            "agencies_over": len(report.agencies_over),
            "agencies_excess": report.agencies_excess,
            "idle_rooms": len(report.idle_rooms),
            "idle_area": report.idle_area,
            "overdue": len(report.overdue),
        },
        "agencies": [
            {
                "agency": _ref(row.agency, row.agency.name),
                "headcount": row.headcount,
                "unranked": row.unranked,
                "entitlement": row.entitlement,
                "office_area": row.office_area,
                "service_area": row.area_of(UseKind.SERVICE),
                "equipment_area": row.area_of(UseKind.EQUIPMENT),
                "auxiliary_area": row.area_of(UseKind.AUXILIARY),
                "rooms": len(row.rooms),
                "excess": row.excess,
                "is_over": row.is_over,
                "people_over": row.people_over,
            }
            for row in report.agencies
        ],
        "people_over": [person(row) for row in report.people_over],
        "idle_rooms": [{**_room_ref(r), "sub_use": r.sub_use} for r in report.idle_rooms],
        "unreturned": [
            {
                "person": _ref(u.occupancy.person, u.occupancy.person.name),
                "status": u.occupancy.person.status,
                "left_on": u.occupancy.person.status_date,
                "room": _room_ref(u.occupancy.room),
                "due": u.due,
                "overdue": u.overdue,
            }
            for u in report.unreturned
        ],
    }


# ------------------------------------------------------------------ requests


class SpaceRequestSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField(help_text=_("申请单位：{id, name}"))
    requested_by = serializers.SerializerMethodField(help_text=_("申请人：{id, name}"))
    status = serializers.CharField(read_only=True, help_text=REQUEST_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    approval_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("审批单 ID（/api/v1/approvals/ 可查看审批进度）"),
    )

    class Meta:
        model = SpaceRequest
        fields = [
            "id",
            "agency",
            "requested_by",
            "reason",
            "headcount",
            "area_wanted",
            "status",
            "status_display",
            "created_at",
            "decided_at",
            "approval_id",
        ]
        read_only_fields = fields

    @extend_schema_field(SpaceRefSerializer)
    def get_agency(self, request):
        return _ref(request.agency, request.agency.name)

    @extend_schema_field(SpaceRefSerializer)
    def get_requested_by(self, request):
        return _user_ref(request.requested_by)


class SpaceRequestCreateSerializer(serializers.Serializer):
    """提交增加办公用房申请（部门联络员、单位负责人）。"""

    agency = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("申请单位 ID；不填为本人所在单位（只能为本单位申请）"),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=_("申请理由（必填，不超过 2000 字）"),
    )
    headcount = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("现有人数（整数）")
    )
    area_wanted = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("申请面积（㎡，大于 0，最多两位小数）"),
    )
