"""Activities API at /api/v1/activities/: activity records (学习、志愿服务…) and staff surveys
(摸排) with their completion rate. Read only.

Scoped through the selectors exactly like the pages (center administrators and leaders see
the center; anyone else is refused with 403; another center's row is 404).
"""

import django_filters
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from houqin.org.api import HasRequiredPermission

from .models import Activity, Survey, SurveyResponse
from .selectors import activities_for, surveys_for
from .serializers import ActivitySerializer, SurveySerializer

_TAGS = ["activities"]
_FORBIDDEN = OpenApiResponse(description="无权查看")
_NOT_FOUND = OpenApiResponse(description="不存在或无权查看")


def _detail(summary, serializer):
    return extend_schema(
        summary=summary, tags=_TAGS, responses={200: serializer, 403: _FORBIDDEN, 404: _NOT_FOUND}
    )


class _ScopedReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    lookup_value_regex = r"[0-9]+"

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ActivityApiFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(field_name="category_id", label=gettext_lazy("类别 ID"))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=gettext_lazy("日期起（含）")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=gettext_lazy("日期止（含）")
    )

    class Meta:
        model = Activity
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="活动记录",
        description="本中心登记的活动（学习、主题教育、志愿服务…），按日期倒序；可按类别、日期筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("活动记录详情", ActivitySerializer),
)
class ActivityViewSet(_ScopedReadOnly):
    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer
    filterset_class = ActivityApiFilter
    required_permission = "activities.view_activity"

    def get_queryset(self):
        return (
            activities_for(self.request.user)
            .annotate(photo_count=Count("photos"))
            .order_by("-date", "-pk")
        )


class SurveyApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Survey.Status.choices, label=gettext_lazy("状态"))

    class Meta:
        model = Survey
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="摸排统计",
        description="本中心的摸排（问题、应填报人数、已填报、免填、完成率）；可按状态筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("摸排统计详情", SurveySerializer),
)
class SurveyViewSet(_ScopedReadOnly):
    queryset = Survey.objects.none()
    serializer_class = SurveySerializer
    filterset_class = SurveyApiFilter
    required_permission = "activities.view_survey"

    def get_queryset(self):
        top = Q(responses__parent__isnull=True)
        status = SurveyResponse.Status
        return (
            surveys_for(self.request.user)
            .annotate(
                total=Count("responses", filter=top),
                answered=Count("responses", filter=top & Q(responses__status=status.ANSWERED)),
                exempt=Count("responses", filter=top & Q(responses__status=status.EXEMPT)),
            )
            .prefetch_related("questions")
            .order_by("-pk")
        )


def register(router):
    router.register("activities/activities", ActivityViewSet, basename="activities-activity")
    router.register("activities/surveys", SurveyViewSet, basename="activities-survey")
