"""Serializers of the activities API: activity records and surveys with their completion."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .figures import percent
from .models import Activity, Survey, SurveyQuestion


class ActivityRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ActivitySerializer(serializers.ModelSerializer):
    category = serializers.SerializerMethodField(help_text=_("类别：{id, name}"))
    photo_count = serializers.IntegerField(read_only=True, help_text=_("照片张数"))

    class Meta:
        model = Activity
        fields = [
            "id",
            "category",
            "date",
            "title",
            "place",
            "organizer",
            "participant_total",
            "other_participants",
            "summary",
            "photo_count",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "participant_total": {"help_text": _("参加人数（点名的人员 + 其他参加人数）")}
        }

    @extend_schema_field(ActivityRefSerializer)
    def get_category(self, activity):
        return {"id": activity.category_id, "name": activity.category.name}


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["id", "text", "kind", "choices", "required"]
        read_only_fields = fields
        extra_kwargs = {
            "kind": {"help_text": _("yes_no 是/否；choice 单选；number 数字；date 日期；text 文字")}
        }


class SurveySerializer(serializers.ModelSerializer):
    total = serializers.IntegerField(read_only=True, help_text=_("应填报人数（不含家属）"))
    answered = serializers.IntegerField(read_only=True, help_text=_("已填报"))
    exempt = serializers.IntegerField(read_only=True, help_text=_("免于填报"))
    completion_rate = serializers.SerializerMethodField(
        help_text=_("完成率（%）=（已填报 + 免于填报）÷ 应填报")
    )
    questions = SurveyQuestionSerializer(many=True, read_only=True, help_text=_("问题"))

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "status",
            "deadline",
            "opened_at",
            "include_vendor_staff",
            "allow_family",
            "total",
            "answered",
            "exempt",
            "completion_rate",
            "questions",
        ]
        read_only_fields = fields
        extra_kwargs = {"status": {"help_text": _("draft 草稿；open 进行中；closed 已结束")}}

    @extend_schema_field(serializers.FloatField())
    def get_completion_rate(self, survey):
        return percent(survey.answered + survey.exempt, survey.total)
