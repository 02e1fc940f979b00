"""Serializers of the vendors API: vendors, contracts and periodic evaluations (with scores)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Contract, EvaluationScore, Vendor, VendorEvaluation


class VendorRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _ref(obj, name=None):
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


KIND_HELP = _(
    "security 保安服务；property 物业服务；canteen 食堂经营；pest_control 病媒生物防制；"
    "cleaning 保洁服务；maintenance 设施维保；other 其他"
)


class VendorSerializer(serializers.ModelSerializer):
    contract_end = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("最近一份合同的结束日期")
    )
    last_score = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=_("最近一次考核总分"),
    )
    last_flagged = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("最近一次考核是否付款预警")
    )

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "contact",
            "phone",
            "address",
            "is_active",
            "contract_end",
            "last_score",
            "last_flagged",
        ]
        read_only_fields = fields
        extra_kwargs = {"kind": {"help_text": KIND_HELP}}


class VendorContractSerializer(serializers.ModelSerializer):
    vendor = serializers.SerializerMethodField(help_text=_("外包单位：{id, name}"))

    class Meta:
        model = Contract
        fields = [
            "id",
            "vendor",
            "number",
            "service",
            "start_date",
            "end_date",
            "amount",
            "payment_terms",
            "renewal_notice_days",
            "procurement_id",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "payment_terms": {
                "help_text": _("monthly 按月；quarterly 按季度；yearly 按年；milestone 按节点")
            }
        }

    @extend_schema_field(VendorRefSerializer)
    def get_vendor(self, contract):
        return _ref(contract.vendor, contract.vendor.name)


class VendorScoreSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.text", read_only=True, help_text=_("考核内容"))
    max_points = serializers.DecimalField(
        source="item.points",
        max_digits=5,
        decimal_places=1,
        read_only=True,
        help_text=_("分值"),
    )

    class Meta:
        model = EvaluationScore
        fields = ["item", "max_points", "points", "note"]
        read_only_fields = fields


class VendorEvaluationSerializer(serializers.ModelSerializer):
    vendor = serializers.SerializerMethodField(help_text=_("外包单位：{id, name}"))
    sheet = serializers.SerializerMethodField(help_text=_("考核表：{id, name}"))
    threshold = serializers.DecimalField(
        source="sheet.threshold",
        max_digits=5,
        decimal_places=1,
        read_only=True,
        help_text=_("合格分数；低于它付款预警"),
    )
    scores = VendorScoreSerializer(many=True, read_only=True, help_text=_("各项得分（详情）"))

    class Meta:
        model = VendorEvaluation
        fields = [
            "id",
            "vendor",
            "sheet",
            "contract_id",
            "period_start",
            "period_end",
            "total",
            "threshold",
            "duty_rate",
            "payment_flagged",
            "comment",
            "scores",
        ]
        read_only_fields = fields

    @extend_schema_field(VendorRefSerializer)
    def get_vendor(self, evaluation):
        return _ref(evaluation.vendor, evaluation.vendor.name)

    @extend_schema_field(VendorRefSerializer)
    def get_sheet(self, evaluation):
        return _ref(evaluation.sheet, evaluation.sheet.name)
