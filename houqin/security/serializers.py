"""Serializers of the security API (/api/v1/security/…): read-only.

A visitor's ID number and phone are only ever given masked (the full ID number never leaves
the server through the API; the audited reveal is a page for managers). Choice fields are
plain strings with a help text (no enum components, so no enum-name collisions with other
apps' `status`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import FireEquipment, Visit

VISIT_STATUS_HELP = _("expected 待到访；in 在访；out 已离开；refused 拒绝入内；cancelled 已取消")
ID_TYPE_HELP = _(
    "resident 居民身份证；passport 护照；hk_macao 港澳居民来往内地通行证；"
    "taiwan 台湾居民来往大陆通行证；other 其他证件"
)
EQUIPMENT_KIND_HELP = _(
    "extinguisher_abc 干粉灭火器；extinguisher_co2 二氧化碳灭火器；hydrant 室内消火栓；"
    "outdoor_hydrant 室外消火栓；alarm 火灾报警控制器；detector 烟感探测器；sprinkler 自动喷淋；"
    "emergency_light 应急照明/疏散指示；fire_door 防火门；other 其他"
)
EQUIPMENT_STATUS_HELP = _("in_service 在用；faulty 故障；replaced 已更换；scrapped 已报废")


class SecurityRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _ref(obj, name=None):
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


class VisitorMaskedSerializer(serializers.Serializer):
    """来访人（证件号码、手机号码脱敏）。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    id_type = serializers.CharField(read_only=True, help_text=ID_TYPE_HELP)
    id_number_masked = serializers.CharField(
        source="masked_id_number", read_only=True, help_text=_("证件号码（脱敏）")
    )
    phone_masked = serializers.CharField(
        source="masked_phone", read_only=True, help_text=_("手机号码（脱敏）")
    )
    company = serializers.CharField(read_only=True)


class SecurityVisitSerializer(serializers.ModelSerializer):
    visitor = VisitorMaskedSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text=VISIT_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    host_agency = serializers.SerializerMethodField(help_text=_("被访单位：{id, name}"))
    host_person = serializers.SerializerMethodField(help_text=_("被访人：{id, name}"))
    gate = serializers.SerializerMethodField(help_text=_("门岗：{id, name}"))

    class Meta:
        model = Visit
        fields = [
            "id",
            "visitor",
            "party_size",
            "host_agency",
            "host_person",
            "purpose",
            "plate",
            "gate",
            "status",
            "status_display",
            "expected_at",
            "entered_at",
            "exited_at",
            "needs_escort",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SecurityRefSerializer)
    def get_host_agency(self, visit):
        return _ref(visit.host_agency, visit.host_agency.name)

    @extend_schema_field(SecurityRefSerializer(allow_null=True))
    def get_host_person(self, visit):
        person = visit.host_person
        return None if person is None else _ref(person, person.name)

    @extend_schema_field(SecurityRefSerializer(allow_null=True))
    def get_gate(self, visit):
        return None if visit.gate is None else _ref(visit.gate, visit.gate.name)


class SecurityEquipmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=EQUIPMENT_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=EQUIPMENT_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = FireEquipment
        fields = [
            "id",
            "code",
            "kind",
            "kind_display",
            "location",
            "model",
            "quantity",
            "produced_on",
            "expires_on",
            "status",
            "status_display",
            "replaced_on",
            "last_checked_on",
            "notes",
        ]
        read_only_fields = fields
