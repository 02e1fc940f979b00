"""Serializers of the finance API: budget projects (with spent and rate), expenditures (and
the input of a new one), the execution at a date, fixed assets and procurement records."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import BudgetProject, Expenditure, FixedAsset, Procurement


def _decimal(places=2, digits=20, **kwargs):
    return serializers.DecimalField(
        max_digits=digits, decimal_places=places, read_only=True, **kwargs
    )


class FinanceRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _ref(obj, name=None):
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


class FinanceProjectSerializer(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField(help_text=_("负责人：{id, name}"))
    spent = _decimal(help_text=_("已支出（元，已入账的支出之和，全年）"))
    pending = _decimal(help_text=_("审批中的支出（元，尚未计入已支出）"))
    rate = serializers.SerializerMethodField(help_text=_("执行率（%）= 已支出 ÷ 预算金额"))

    class Meta:
        model = BudgetProject
        fields = [
            "id",
            "year",
            "code",
            "name",
            "category",
            "source",
            "amount",
            "responsible",
            "cost_kind",
            "monthly_plan",
            "spent",
            "pending",
            "rate",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "category": {"help_text": _("basic 基本支出；project 项目支出")},
            "source": {
                "help_text": _(
                    "general 一般公共预算；fund 政府性基金；special 专项资金；other 其他"
                )
            },
            "cost_kind": {"help_text": _("归集的其他模块费用（空：不归集）")},
            "monthly_plan": {"help_text": _("分月支出计划：12 个累计百分比；空为按时间均匀")},
        }

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=2))
    def get_rate(self, project):
        return str((Decimal(project.spent) * 100 / project.amount).quantize(Decimal("0.01")))

    @extend_schema_field(FinanceRefSerializer(allow_null=True))
    def get_responsible(self, project):
        user = project.responsible
        return None if user is None else _ref(user, user.display_name)


class FinanceExpenditureSerializer(serializers.ModelSerializer):
    project = serializers.SerializerMethodField(help_text=_("预算项目：{id, name}，空为待归集"))
    recorded_by = serializers.SerializerMethodField(help_text=_("登记人：{id, name}"))

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "project",
            "date",
            "amount",
            "payee",
            "purpose",
            "voucher_no",
            "status",
            "cost_kind",
            "source_label",
            "source_id",
            "recorded_by",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "status": {
                "help_text": _("pending 审批中；recorded 已入账；rejected 未通过；cancelled 已撤销")
            },
            "cost_kind": {"help_text": _("其他模块费用的类别（空：财务直接登记）")},
            "source_label": {"help_text": _("来源模块记录，如 fleet.fuelrecord")},
        }

    @extend_schema_field(FinanceRefSerializer(allow_null=True))
    def get_project(self, expenditure):
        return _ref(expenditure.project)

    @extend_schema_field(FinanceRefSerializer(allow_null=True))
    def get_recorded_by(self, expenditure):
        user = expenditure.recorded_by
        return None if user is None else _ref(user, user.display_name)


class FinanceExpenditureCreateSerializer(serializers.Serializer):
    """登记支出的输入；金额达到审批金额时进入审批（status=pending）。"""

    project = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("预算项目 ID（本中心同一年度）")
    )
    date = serializers.DateField(help_text=_("支出日期 YYYY-MM-DD"))
    amount = serializers.CharField(max_length=30, help_text=_("金额（元，最多两位小数）"))
    payee = serializers.CharField(max_length=200, help_text=_("收款单位/人"))
    purpose = serializers.CharField(max_length=400, help_text=_("用途"))
    voucher_no = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default="", help_text=_("凭证号")
    )


class FinanceExecutionQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, help_text=_("截至日期 YYYY-MM-DD（默认今天）；统计该日所在年度")
    )


class FinanceExecutionLineSerializer(serializers.Serializer):
    project = FinanceRefSerializer(allow_null=True, help_text=_("预算项目；合计行为空"))
    budget = _decimal(help_text=_("预算金额（元）"))
    spent = _decimal(help_text=_("截至该日已支出（元）"))
    pending = _decimal(help_text=_("审批中（元）"))
    remaining = _decimal(help_text=_("预算余额（元）"))
    rate = _decimal(allow_null=True, help_text=_("执行率（%）"))
    plan_pct = _decimal(allow_null=True, help_text=_("计划进度（%）"))
    behind = serializers.BooleanField(read_only=True, help_text=_("低于计划进度 5 个百分点以上"))


class FinanceExecutionSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    time_pct = _decimal(help_text=_("时间进度（%）"))
    total = FinanceExecutionLineSerializer(help_text=_("合计"))
    projects = FinanceExecutionLineSerializer(many=True, help_text=_("各预算项目"))
    unassigned = _decimal(help_text=_("本年度未归集到项目的已入账支出（元）"))


def line_data(line):
    return {
        "project": _ref(line.project),
        "budget": line.budget,
        "spent": line.spent,
        "pending": line.pending,
        "remaining": line.remaining,
        "rate": line.rate,
        "plan_pct": line.plan_pct,
        "behind": line.behind,
    }


class FinanceAssetSerializer(serializers.ModelSerializer):
    custodian_agency = serializers.SerializerMethodField(help_text=_("使用单位：{id, name}"))
    custodian = serializers.SerializerMethodField(help_text=_("保管人：{id, name}"))

    class Meta:
        model = FixedAsset
        fields = [
            "id",
            "code",
            "name",
            "asset_class",
            "model",
            "value",
            "purchase_date",
            "custodian_agency",
            "custodian",
            "location",
            "status",
            "disposed_on",
            "equipment_id",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "asset_class": {
                "help_text": _(
                    "buildings 房屋和构筑物；equipment 设备；relics 文物和陈列品；"
                    "books 图书和档案；furniture 家具和用具；intangible 无形资产"
                )
            },
            "status": {
                "help_text": _("in_use 在用；idle 闲置；disposing 处置审批中；disposed 已处置")
            },
        }

    @extend_schema_field(FinanceRefSerializer)
    def get_custodian_agency(self, asset):
        return _ref(asset.custodian_agency, asset.custodian_agency.name)

    @extend_schema_field(FinanceRefSerializer(allow_null=True))
    def get_custodian(self, asset):
        person = asset.custodian
        return None if person is None else _ref(person, person.name)


class FinanceProcurementSerializer(serializers.ModelSerializer):
    project = serializers.SerializerMethodField(help_text=_("预算项目：{id, name}"))

    class Meta:
        model = Procurement
        fields = [
            "id",
            "item",
            "method",
            "filing_number",
            "project",
            "budget",
            "supplier",
            "amount",
            "contract_no",
            "contract_date",
            "status",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "method": {
                "help_text": _(
                    "open_tender 公开招标；inquiry 询价；negotiation 竞争性磋商；"
                    "single_source 单一来源；framework 框架协议；self 自行采购"
                )
            },
            "status": {
                "help_text": _(
                    "planned 计划；filed 已备案；tendering 采购中；contracted 已签合同；"
                    "accepted 已验收；paid 已付款"
                )
            },
        }

    @extend_schema_field(FinanceRefSerializer(allow_null=True))
    def get_project(self, procurement):
        return _ref(procurement.project)
