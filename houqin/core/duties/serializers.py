"""Serializers of the duties API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from houqin.core.roles import Role

from .models import DutyPhoto, DutyPlan, DutyRecord, DutyTask


def _inline_enum(values, description):
    """A read-only string field documented with an inline enum (no shared component, so no
    clash with other apps' "status" or "category" enums)."""

    @extend_schema_field({"type": "string", "enum": list(values), "description": description})
    class Field(serializers.CharField):
        pass

    return Field(read_only=True)


class DutyPlanRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyPlan
        fields = ["id", "title"]
        read_only_fields = fields


class DutyUserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class DutyChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_("检查项标识；完成时 answers 的键、照片字段 photo_<key>")
    )
    label = serializers.CharField()
    type = _inline_enum(["bool", "number", "text", "photo"], "是/否、数值、文字、照片")
    required = serializers.BooleanField()
    min = serializers.FloatField(required=False, allow_null=True)
    max = serializers.FloatField(required=False, allow_null=True)
    unit = serializers.CharField(required=False, allow_blank=True)


class DutyTaskSerializer(serializers.ModelSerializer):
    category = _inline_enum(DutyPlan.Category.values, "类别")
    status = _inline_enum(
        DutyTask.Status.values, "状态：open 待完成，done 已完成，cancelled 已取消"
    )
    assignee_role = _inline_enum(["", *Role.values], "执行角色代码（空：不按角色）")
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    plan = DutyPlanRefSerializer(read_only=True, allow_null=True)
    assignees = DutyUserRefSerializer(many=True, read_only=True)
    checklist = DutyChecklistItemSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text=_("待完成且已过逾期时间"))
    can_complete = serializers.SerializerMethodField(help_text=_("当前用户能否登记完成"))
    record_id = serializers.SerializerMethodField(help_text=_("完成记录 ID（未完成为 null）"))

    class Meta:
        model = DutyTask
        fields = [
            "id",
            "title",
            "category",
            "category_display",
            "plan",
            "location_text",
            "due_at",
            "late_after",
            "status",
            "status_display",
            "is_overdue",
            "assignee_role",
            "assignees",
            "vendor_name",
            "checklist",
            "completed_at",
            "record_id",
            "can_complete",
        ]
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("now"))

    def get_can_complete(self, obj) -> bool:
        from .permissions import can_complete

        request = self.context.get("request")
        if request is None or obj.status != DutyTask.Status.OPEN:
            return False
        return can_complete(request.user, obj, {u.pk for u in obj.assignees.all()})

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_record_id(self, obj):
        if obj.status != DutyTask.Status.DONE:
            return None
        return obj.record.pk


class DutyPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("照片地址（需登录，按权限提供）"))

    class Meta:
        model = DutyPhoto
        fields = ["id", "item_key", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("duties:photo", args=[obj.pk])


class DutyRecordSerializer(serializers.ModelSerializer):
    completed_by = DutyUserRefSerializer(read_only=True)
    photos = DutyPhotoSerializer(many=True, read_only=True)
    answers = serializers.DictField(read_only=True, help_text=_("检查项标识 → 结果"))
    failed_items = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text=_("异常项：key、label、answer、reason"),
    )

    class Meta:
        model = DutyRecord
        fields = [
            "id",
            "task",
            "completed_by",
            "completed_at",
            "on_time",
            "answers",
            "failed_items",
            "notes",
            "signature",
            "photos",
        ]
        read_only_fields = fields


class DutyTaskCompleteSerializer(serializers.Serializer):
    """登记完成。multipart/form-data 时 answers 为 JSON 字符串；照片以 photo_<检查项标识>
    字段上传（可多张），仅 JPEG、PNG、WebP，每张不超过 5 MB。"""

    answers = serializers.JSONField(
        required=False,
        default=dict,
        help_text=_('检查结果，如 {"exits_clear": "yes", "temp": 4.5}'),
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    signature = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    def validate_answers(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("answers 须为对象（检查项标识 → 结果）。"))
        return value
