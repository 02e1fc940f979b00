"""Serializers of the 节约型机关 campaigns and units, projects, garbage sorting and events."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    ChargingStation,
    ConservationUnit,
    EventActivity,
    PublicityEvent,
    SortingInspection,
    SortingSite,
)
from .common import EnergyRefSerializer, _ref, _user_ref

UNIT_STATUS_HELP = _(
    "enrolled 已报名；self_assessed 已自评；reviewed 评审中；passed 达标；failed 未达标"
)
PROJECT_KIND_HELP = _("charging 充电设施建设；retrofit 节能改造；other 其他")
STATION_STATUS_HELP = _("planned 规划；building 在建；done 建成；in_use 投入使用")
SITE_KIND_HELP = _("organ 党政机关；school 学校；hospital 医院；other 其他公共机构")
EVENT_KIND_HELP = _(
    "week 节能宣传周；low_carbon 全国低碳日；water 节水宣传；sorting 垃圾分类宣传；other 其他"
)


# ------------------------------------------------------------------ 节约型机关


class EnergyBatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True, help_text=_("批次"))
    year = serializers.IntegerField(read_only=True)
    target_units = serializers.IntegerField(read_only=True, help_text=_("目标单位数"))
    deadline = serializers.DateField(read_only=True, allow_null=True)
    enrolled = serializers.IntegerField(read_only=True, help_text=_("报名单位数"))
    self_assessed = serializers.IntegerField(
        read_only=True, help_text=_("已自评（含评审中、已认定）单位数")
    )
    passed = serializers.IntegerField(read_only=True, help_text=_("达标单位数"))
    failed = serializers.IntegerField(read_only=True, help_text=_("未达标单位数"))
    rate = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("达标单位占目标的比例（%）")
    )


class EnergyCampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    sheet = serializers.SerializerMethodField(help_text=_("评分表：{id, name, pass_mark}"))
    start_year = serializers.IntegerField(read_only=True)
    end_year = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True)
    batches = serializers.SerializerMethodField(help_text=_("各批次及创建进度"))
    meetings = serializers.IntegerField(
        source="n_meetings", read_only=True, help_text=_("推进会次数")
    )
    trainings = serializers.IntegerField(
        source="n_trainings", read_only=True, help_text=_("培训次数")
    )

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "pass_mark": {"type": "string", "format": "decimal"},
            },
            "required": ["id", "name", "pass_mark"],
        }
    )
    def get_sheet(self, campaign):
        sheet = campaign.sheet
        return {"id": sheet.pk, "name": sheet.name, "pass_mark": f"{sheet.pass_mark:.1f}"}

    @extend_schema_field(EnergyBatchSerializer(many=True))
    def get_batches(self, campaign):
        rows = []
        for batch in campaign.batches.all():
            target = batch.target_units
            rows.append(
                {
                    "id": batch.pk,
                    "number": batch.number,
                    "year": batch.year,
                    "target_units": target,
                    "deadline": batch.deadline,
                    "enrolled": batch.n_enrolled,
                    "self_assessed": batch.n_assessed,
                    "passed": batch.n_passed,
                    "failed": batch.n_failed,
                    "rate": round(batch.n_passed * 100 / target, 1) if target else None,
                }
            )
        return EnergyBatchSerializer(rows, many=True).data


class EnergyUnitSerializer(serializers.ModelSerializer):
    campaign = serializers.SerializerMethodField(help_text=_("创建活动：{id, name}"))
    batch = serializers.SerializerMethodField(help_text=_("批次：{id, name}"))
    agency = serializers.SerializerMethodField(help_text=_("单位：{id, name}"))
    status = serializers.CharField(read_only=True, help_text=UNIT_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    pass_mark = serializers.DecimalField(
        source="campaign.sheet.pass_mark",
        max_digits=5,
        decimal_places=1,
        read_only=True,
        help_text=_("达标分数"),
    )

    class Meta:
        model = ConservationUnit
        fields = [
            "id",
            "campaign",
            "batch",
            "agency",
            "status",
            "status_display",
            "self_score",
            "self_assessed_at",
            "review_score",
            "pass_mark",
            "decided_on",
            "review_comment",
        ]
        read_only_fields = fields

    @extend_schema_field(EnergyRefSerializer)
    def get_campaign(self, unit):
        return _ref(unit.campaign, unit.campaign.name)

    @extend_schema_field(EnergyRefSerializer)
    def get_batch(self, unit):
        return {"id": unit.batch_id, "name": f"第{unit.batch.number}批（{unit.batch.year}年）"}

    @extend_schema_field(EnergyRefSerializer)
    def get_agency(self, unit):
        return _ref(unit.agency, unit.agency.name)


# ------------------------------------------------------------------ projects


class EnergyStationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATION_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    institution = serializers.SerializerMethodField(help_text=_("所在公共机构：{id, name}"))

    class Meta:
        model = ChargingStation
        fields = [
            "id",
            "name",
            "site",
            "institution",
            "piles",
            "power_kw",
            "status",
            "status_display",
            "completed_on",
            "notes",
        ]
        read_only_fields = fields

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_institution(self, station):
        institution = station.institution
        return None if institution is None else _ref(institution, institution.name)


class EnergyProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=PROJECT_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    assigned_by = serializers.CharField(read_only=True, help_text=_("下达单位"))
    year = serializers.IntegerField(read_only=True, help_text=_("下达年度"))
    target = serializers.IntegerField(read_only=True, help_text=_("目标数量"))
    deadline = serializers.DateField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)
    completed = serializers.IntegerField(
        source="stations_completed", read_only=True, help_text=_("已建成或投入使用的站点数")
    )
    building = serializers.IntegerField(
        source="stations_building", read_only=True, help_text=_("在建站点数")
    )
    planned = serializers.IntegerField(
        source="stations_planned", read_only=True, help_text=_("规划站点数")
    )
    piles = serializers.IntegerField(
        source="completed_piles", read_only=True, help_text=_("已建成充电桩数")
    )
    rate = serializers.SerializerMethodField(help_text=_("完成数占目标的比例（%，可超过 100）"))

    def get_rate(self, project) -> float:
        return round(project.stations_completed * 100 / project.target, 1)


class EnergyProjectDetailSerializer(EnergyProjectSerializer):
    stations = EnergyStationSerializer(many=True, read_only=True)


# ------------------------------------------------------------------ garbage sorting


class EnergySiteSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=SITE_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    institution = serializers.SerializerMethodField(help_text=_("公共机构：{id, name}"))
    inspections = serializers.IntegerField(
        source="n_inspections", read_only=True, help_text=_("检查次数")
    )
    last_inspected_on = serializers.DateField(
        source="last_inspected", read_only=True, allow_null=True, help_text=_("最近检查日期")
    )
    rate = serializers.SerializerMethodField(
        help_text=_("历次检查合计的分类正确率（%，正确桶数 ÷ 检查桶数）；未检查为 null")
    )

    class Meta:
        model = SortingSite
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "institution",
            "address",
            "bins",
            "is_demonstration",
            "demonstration_level",
            "recognized_on",
            "started_on",
            "is_active",
            "inspections",
            "last_inspected_on",
            "rate",
        ]
        read_only_fields = fields

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_institution(self, site):
        institution = site.institution
        return None if institution is None else _ref(institution, institution.name)

    def get_rate(self, site) -> float | None:
        checked = site.sum_checked
        return round(site.sum_correct * 100 / checked, 1) if checked else None


class EnergyInspectionSerializer(serializers.ModelSerializer):
    site = serializers.SerializerMethodField(help_text=_("点位：{id, name}"))
    inspector = serializers.SerializerMethodField(help_text=_("检查人：{id, name}"))
    rate = serializers.FloatField(read_only=True, help_text=_("分类正确率（%）"))
    has_photo = serializers.SerializerMethodField(help_text=_("是否有照片（在页面中查看）"))

    class Meta:
        model = SortingInspection
        fields = [
            "id",
            "site",
            "date",
            "bins_checked",
            "bins_correct",
            "rate",
            "problems",
            "inspector",
            "has_photo",
        ]
        read_only_fields = fields

    @extend_schema_field(EnergyRefSerializer)
    def get_site(self, inspection):
        return _ref(inspection.site, inspection.site.name)

    @extend_schema_field(EnergyRefSerializer(allow_null=True))
    def get_inspector(self, inspection):
        return _user_ref(inspection.inspector)

    def get_has_photo(self, inspection) -> bool:
        return bool(inspection.photo)


# ------------------------------------------------------------------ events


class EnergyActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = EventActivity
        fields = ["id", "date", "title", "description", "participants"]
        read_only_fields = fields


class EnergyEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=EVENT_KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    activities = EnergyActivitySerializer(many=True, read_only=True)
    photos = serializers.IntegerField(
        source="n_photos", read_only=True, help_text=_("照片张数（在页面中查看）")
    )

    class Meta:
        model = PublicityEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "start_date",
            "end_date",
            "place",
            "organizer",
            "participants",
            "summary",
            "activities",
            "photos",
        ]
        read_only_fields = fields
