"""Serializers of the approvals API.

One `Approval` component serves the list and the detail, so each choice set appears in one
component only (drf-spectacular names the enums ApprovalStatusEnum / ApprovalStepStatusEnum
without needing settings overrides). Role codes are plain strings with a display label.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ApprovalAction, ApprovalRequest, ApprovalStep
from .rules import can_act
from .services import COMMENT_MAX


class UserRefSerializer(serializers.Serializer):
    """人员引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class AgencyRefSerializer(serializers.Serializer):
    """机构引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ApprovalStepSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    approver_role = serializers.CharField(
        read_only=True, help_text=_("审批角色代码；指定人员审批时为空")
    )
    approver = serializers.CharField(
        source="approver_label", read_only=True, help_text=_("审批人（角色及范围，或指定人员）")
    )
    approver_user = UserRefSerializer(read_only=True, allow_null=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ApprovalStep
        fields = [
            "position",
            "name",
            "approver_role",
            "scope",
            "approver_user",
            "approver",
            "status",
            "status_display",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class ApprovalTargetSerializer(serializers.Serializer):
    """审批事项：所属模块的对象。"""

    type = serializers.CharField(read_only=True, help_text=_("对象类型，如 org.person"))
    id = serializers.IntegerField(read_only=True)


class ApprovalSerializer(serializers.ModelSerializer):
    request_type_label = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requester = UserRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    target = serializers.SerializerMethodField(help_text=_("审批事项（对象类型与 ID）"))
    current_step_name = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("当前步骤名称")
    )
    steps = ApprovalStepSerializer(many=True, read_only=True)
    can_decide = serializers.SerializerMethodField(help_text=_("当前用户能否审批当前步骤"))

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "request_type",
            "request_type_label",
            "title",
            "summary",
            "target",
            "requester",
            "agency",
            "status",
            "status_display",
            "current_position",
            "current_step_name",
            "steps",
            "can_decide",
            "created_at",
            "updated_at",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ApprovalTargetSerializer)
    def get_target(self, obj):
        return {
            "type": f"{obj.content_type.app_label}.{obj.content_type.model}",
            "id": obj.object_id,
        }

    def get_can_decide(self, obj) -> bool:
        return can_act(self.context["request"].user, obj)


class ApprovalActionSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    actor = UserRefSerializer(read_only=True)

    class Meta:
        model = ApprovalAction
        fields = [
            "id",
            "action",
            "action_display",
            "actor",
            "position",
            "step_name",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    """同意 / 驳回 / 退回修改 的输入。"""

    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=COMMENT_MAX,
        default="",
        help_text=_("审批意见；驳回、退回修改时必填"),
        error_messages={"max_length": _("意见不能超过 {max_length} 字。")},
    )
    position = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("客户端看到的当前步骤；若申请已流转到其他步骤则拒绝，防止重复审批"),
    )


class NoteSerializer(serializers.Serializer):
    """重新提交 / 撤回 的输入。"""

    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=COMMENT_MAX,
        default="",
        help_text=_("说明（选填）"),
        error_messages={"max_length": _("说明不能超过 {max_length} 字。")},
    )
