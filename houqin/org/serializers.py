"""Serializers of the org API (read-only).

Personal data (DOMAIN.md §10, PIPL): the API only ever returns the masked phone and ID
number; the full values and the ID number digest are never serialised.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from houqin.core.roles import Role

from .models import OrgUnit, Person, Rank


class OrgUnitRefSerializer(serializers.ModelSerializer):
    """机构引用：{id, name}。"""

    class Meta:
        model = OrgUnit
        fields = ["id", "name"]
        read_only_fields = fields


class RankRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rank
        fields = ["id", "name"]
        read_only_fields = fields


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    # Annotated by the view (one subquery on the materialised path, no N+1).
    parent_id = serializers.IntegerField(
        source="parent_pk", read_only=True, allow_null=True, help_text=_("上级机构 ID")
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "short_name",
            "code",
            "organ_level",
            "parent_id",
            "depth",
            "is_active",
            "establishment",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    gender_display = serializers.CharField(source="get_gender_display", read_only=True)
    agency = OrgUnitRefSerializer(read_only=True)
    section = OrgUnitRefSerializer(read_only=True, allow_null=True)
    rank = RankRefSerializer(read_only=True, allow_null=True)
    employment_type_display = serializers.CharField(
        source="get_employment_type_display", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    phone = serializers.CharField(
        source="masked_phone", read_only=True, help_text=_("手机号码（已脱敏，如 139****5678）")
    )
    id_number = serializers.CharField(
        source="masked_id_number",
        read_only=True,
        help_text=_("身份证号（已脱敏，如 1101**********002X）"),
    )
    has_account = serializers.SerializerMethodField(help_text=_("是否已开通登录账号"))

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "gender_display",
            "agency",
            "section",
            "rank",
            "position",
            "employment_type",
            "employment_type_display",
            "status",
            "status_display",
            "status_date",
            "phone",
            "id_number",
            "has_account",
        ]
        read_only_fields = fields

    def get_has_account(self, obj) -> bool:
        return obj.user_id is not None


@extend_schema_serializer(many=False)
class MeSerializer(serializers.Serializer):
    """当前登录账号（单个对象）。"""

    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    center = OrgUnitRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField(help_text=_("本中心内所持角色代码"))

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_roles(self, obj):
        return sorted(self.context["roles"])
