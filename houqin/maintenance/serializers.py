"""Serializers of the maintenance API (/api/v1/maintenance/work-orders/, …/equipment/).

Input serializers only parse the shape of the input (Chinese messages); the rules live in
services/work_orders.py, whose ValidationError the view turns into a 400 with field errors.
Choice fields are plain strings with a help text (no enum components, so no enum-name
collisions with other apps' `status` / `category`).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Equipment, MaterialUse, WorkOrder, WorkOrderEvent, WorkOrderPhoto
from .services.work_orders import ACTION_LABELS, MAX_PHOTOS, is_overdue

CATEGORY_HELP = _(
    "water 水；electric 电；ac 空调；elevator 电梯；door_window 门窗；network 网络；"
    "furniture 家具；other 其他"
)
URGENCY_HELP = _("normal 一般；urgent 紧急；emergency 特急")
STATUS_HELP = _(
    "new 待派单；assigned 已派单；in_progress 维修中；waiting_parts 待配件；done 已完工；"
    "confirmed 已确认；closed 已关闭；merged 已合并；cancelled 已撤销"
)
STAGE_HELP = _("report 报修；progress 维修中；finish 完工")
PHOTOS_HELP = _("照片（可多张，每个阶段最多 9 张），仅 JPEG、PNG、WebP，每张不超过 5 MB")


def _errors(**messages):
    return {key: str(value) for key, value in messages.items()}


class MaintenanceRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _user_ref(user):
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}


# ------------------------------------------------------------------ equipment


class MaintenanceEquipmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True,
        help_text=_(
            "elevator 电梯；ac_unit 空调机组；chiller 冷水机组；cooling_tower 冷却塔；"
            "generator 发电机；switchgear 配电柜/开关柜；pump 水泵；fire_system 消防系统；"
            "irrigation 绿化喷灌；other 其他"
        ),
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_("in_use 在用；faulty 故障；stopped 停用；scrapped 报废")
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "location",
            "model",
            "manufacturer",
            "vendor_name",
            "install_date",
            "warranty_until",
            "contract_no",
            "contract_until",
            "status",
            "status_display",
        ]
        read_only_fields = fields


# ------------------------------------------------------------------ work orders (output)


class WorkOrderEventSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField(help_text=_("操作名称"))
    actor = serializers.SerializerMethodField(help_text=_("操作人：{id, name}；系统为 null"))

    class Meta:
        model = WorkOrderEvent
        fields = [
            "id",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "actor",
            "at",
            "note",
        ]
        read_only_fields = fields

    def get_action_display(self, event) -> str:
        return str(ACTION_LABELS.get(event.action, event.action))

    @extend_schema_field(MaintenanceRefSerializer(allow_null=True))
    def get_actor(self, event):
        return _user_ref(event.actor)


class WorkOrderPhotoSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(read_only=True, help_text=STAGE_HELP)
    url = serializers.SerializerMethodField(help_text=_("照片地址（需登录，按权限提供）"))

    class Meta:
        model = WorkOrderPhoto
        fields = ["id", "stage", "url", "size"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        return reverse("maintenance:order_photo", args=[photo.pk])


class WorkOrderMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialUse
        fields = ["id", "name", "spec", "quantity", "unit", "unit_price", "amount", "added_at"]
        read_only_fields = fields


class WorkOrderSerializer(serializers.ModelSerializer):
    """A row of the list: what the order is, where, who has it, its deadlines."""

    category = serializers.CharField(read_only=True, help_text=CATEGORY_HELP)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    urgency = serializers.CharField(read_only=True, help_text=URGENCY_HELP)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source = serializers.CharField(
        read_only=True, help_text=_("report 报修；preventive 预防性维护；inspection 安全检查")
    )
    reporter = serializers.SerializerMethodField(help_text=_("报修人：{id, name}"))
    assignee = serializers.SerializerMethodField(help_text=_("维修人员：{id, name}"))
    equipment = serializers.SerializerMethodField(help_text=_("设备：{id, name}"))
    overdue = serializers.SerializerMethodField(help_text=_("已超过完成时限仍未完工"))

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "category",
            "category_display",
            "urgency",
            "urgency_display",
            "priority",
            "description",
            "building",
            "floor",
            "room",
            "location_text",
            "source",
            "status",
            "status_display",
            "reporter",
            "assignee",
            "vendor_name",
            "equipment",
            "response_due_at",
            "due_at",
            "overdue",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MaintenanceRefSerializer(allow_null=True))
    def get_reporter(self, order):
        return _user_ref(order.reporter)

    @extend_schema_field(MaintenanceRefSerializer(allow_null=True))
    def get_assignee(self, order):
        return _user_ref(order.assignee)

    @extend_schema_field(MaintenanceRefSerializer(allow_null=True))
    def get_equipment(self, order):
        if order.equipment_id is None:
            return None
        return {"id": order.equipment_id, "name": str(order.equipment)}

    def get_overdue(self, order) -> bool:
        now = self.context.get("now") or timezone.now()
        return is_overdue(order, now)


class WorkOrderDetailSerializer(WorkOrderSerializer):
    """One order: the list fields plus its timeline, photos, materials, costs and rating."""

    events = WorkOrderEventSerializer(many=True, read_only=True)
    photos = WorkOrderPhotoSerializer(many=True, read_only=True)
    materials = WorkOrderMaterialSerializer(many=True, read_only=True)
    total_cost = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    merged_into = serializers.SerializerMethodField(help_text=_("合并到的工单：{id, name}"))

    class Meta(WorkOrderSerializer.Meta):
        fields = [
            *WorkOrderSerializer.Meta.fields,
            "reporter_phone",
            "accepted_at",
            "started_at",
            "confirmed_at",
            "closed_at",
            "completion_note",
            "labor_cost",
            "material_cost",
            "total_cost",
            "rating",
            "rating_comment",
            "merged_into",
            "events",
            "photos",
            "materials",
        ]
        read_only_fields = fields

    @extend_schema_field(MaintenanceRefSerializer(allow_null=True))
    def get_merged_into(self, order):
        if order.merged_into_id is None:
            return None
        return {"id": order.merged_into_id, "name": order.merged_into.number}


# ------------------------------------------------------------------ inputs


def _photos_field():
    return serializers.ListField(
        child=serializers.FileField(
            error_messages=_errors(
                invalid=_("请上传照片文件。"),
                empty=_("上传的照片是空文件。"),
                no_name=_("无法识别照片的文件名。"),
            )
        ),
        required=False,
        default=list,
        max_length=MAX_PHOTOS,
        help_text=PHOTOS_HELP,
        error_messages=_errors(max_length=_("每次最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}),
    )


def _text(max_length, *, required=False, help_text=""):
    return serializers.CharField(
        required=required,
        allow_blank=not required,
        default="" if not required else serializers.empty,
        max_length=max_length,
        trim_whitespace=True,
        help_text=help_text,
        error_messages=_errors(
            required=_("请填写此项。"),
            blank=_("请填写此项。"),
            max_length=_("不能超过 %(n)s 个字。") % {"n": max_length},
        ),
    )


class WorkOrderCreateSerializer(serializers.Serializer):
    """报修。multipart/form-data（带照片，字段 photos 可多张）或 application/json（无照片）。"""

    category = serializers.CharField(
        help_text=CATEGORY_HELP, error_messages=_errors(required=_("请选择报修类别。"))
    )
    urgency = serializers.CharField(required=False, default="normal", help_text=URGENCY_HELP)
    description = serializers.CharField(
        allow_blank=True,
        help_text=_("故障描述（不超过 1000 字）"),
        error_messages=_errors(required=_("请填写故障描述。")),
    )
    building = _text(50, help_text=_("楼栋"))
    floor = _text(20, help_text=_("楼层"))
    room = _text(50, help_text=_("房间"))
    location_text = _text(200, help_text=_("位置说明（无楼栋、房间、设备时必填）"))
    phone = _text(20, help_text=_("联系电话"))
    equipment = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("设备 ID（可选，本中心设备台账中的设备）"),
        error_messages=_errors(invalid=_("设备不存在。")),
    )
    photos = _photos_field()


class WorkOrderNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500,
        help_text=_("所需配件说明"),
        error_messages=_errors(
            required=_("请填写所需配件。"),
            blank=_("请填写所需配件。"),
            max_length=_("不能超过 500 个字。"),
        ),
    )


class WorkOrderReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("原因（重新打开时必填）"),
        error_messages=_errors(max_length=_("不能超过 500 个字。")),
    )


class WorkOrderFinishSerializer(serializers.Serializer):
    """完工。multipart/form-data（带完工照片 photos）或 application/json。"""

    note = serializers.CharField(
        allow_blank=True,
        help_text=_("维修情况（必填）"),
        error_messages=_errors(required=_("请填写维修情况。")),
    )
    labor_cost = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("人工费（元），不能为负数"),
        error_messages=_errors(
            invalid=_("请填写有效的人工费。"),
            max_digits=_("人工费过大。"),
            max_whole_digits=_("人工费过大。"),
            max_decimal_places=_("人工费最多两位小数。"),
        ),
    )
    photos = _photos_field()


class WorkOrderMaterialCreateSerializer(serializers.Serializer):
    name = serializers.CharField(
        allow_blank=True,
        help_text=_("材料名称"),
        error_messages=_errors(required=_("请填写材料名称。")),
    )
    spec = _text(50, help_text=_("规格"))
    quantity = serializers.CharField(
        help_text=_("数量（大于 0）"), error_messages=_errors(required=_("请填写数量。"))
    )
    unit = _text(10, help_text=_("单位"))
    unit_price = serializers.CharField(
        help_text=_("单价（元），不能为负数"), error_messages=_errors(required=_("请填写单价。"))
    )


class WorkOrderPhotosSerializer(serializers.Serializer):
    """补充照片（multipart/form-data）。"""

    photos = serializers.ListField(
        child=serializers.FileField(
            error_messages=_errors(
                invalid=_("请上传照片文件。"),
                empty=_("上传的照片是空文件。"),
                no_name=_("无法识别照片的文件名。"),
            )
        ),
        min_length=1,
        max_length=MAX_PHOTOS,
        help_text=PHOTOS_HELP,
        error_messages=_errors(
            required=_("请选择照片。"),
            min_length=_("请选择照片。"),
            max_length=_("每次最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS},
        ),
    )
    stage = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "阶段：report 报修；progress 维修中（默认：报修人为 report，其他人为 progress）"
        ),
    )

    def validate_stage(self, value):
        if value not in ("", WorkOrderPhoto.Stage.REPORT, WorkOrderPhoto.Stage.PROGRESS):
            raise serializers.ValidationError(str(_("照片阶段无效。")))
        return value


class WorkOrderConfirmSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        help_text=_("满意度 1–5 星"),
        error_messages=_errors(
            required=_("请选择 1 到 5 星评价。"), invalid=_("请选择 1 到 5 星评价。")
        ),
    )
    comment = _text(200, help_text=_("评价（不超过 200 字）"))
