"""Energy API viewsets of 节约型机关 campaigns and units, projects, garbage sorting, events."""

import django_filters
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

from .api_common import _TAGS, _detail, _ScopedReadOnly
from .models import (
    CampaignBatch,
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyProject,
    EventActivity,
    PublicityEvent,
    SortingInspection,
    SortingSite,
)
from .selectors import (
    campaigns_for,
    events_for,
    inspections_for,
    projects_for,
    sites_for,
    units_for,
)
from .serializers import (
    EnergyCampaignSerializer,
    EnergyEventSerializer,
    EnergyInspectionSerializer,
    EnergyProjectDetailSerializer,
    EnergyProjectSerializer,
    EnergySiteSerializer,
    EnergyUnitSerializer,
)

# ------------------------------------------------------------------ 节约型机关


@extend_schema_view(
    list=extend_schema(
        summary="节约型机关创建活动",
        description="本中心的创建活动、评分表及达标分数、各批次目标与进度、推进会和培训次数。",
        tags=_TAGS,
    ),
    retrieve=_detail("创建活动详情", EnergyCampaignSerializer),
)
class EnergyCampaignViewSet(_ScopedReadOnly):
    queryset = ConservationCampaign.objects.none()
    serializer_class = EnergyCampaignSerializer
    required_permission = "energy.view_conservationcampaign"

    def get_queryset(self):
        status_ = ConservationUnit.Status
        batches = CampaignBatch.objects.annotate(
            n_enrolled=Count("units"),
            n_assessed=Count("units", filter=~Q(units__status=status_.ENROLLED)),
            n_passed=Count("units", filter=Q(units__status=status_.PASSED)),
            n_failed=Count("units", filter=Q(units__status=status_.FAILED)),
        ).order_by("number")
        kind = CampaignMeeting.Kind
        return (
            campaigns_for(self.request.user)
            .annotate(
                n_meetings=Count("meetings", filter=Q(meetings__kind=kind.MEETING)),
                n_trainings=Count("meetings", filter=Q(meetings__kind=kind.TRAINING)),
            )
            .prefetch_related(Prefetch("batches", queryset=batches))
            .order_by("-start_year", "-pk")
        )


class UnitApiFilter(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(
        field_name="campaign_id", label=gettext_lazy("创建活动 ID")
    )
    batch = django_filters.NumberFilter(field_name="batch_id", label=gettext_lazy("批次 ID"))
    status = django_filters.ChoiceFilter(
        choices=ConservationUnit.Status.choices, label=gettext_lazy("状态")
    )

    class Meta:
        model = ConservationUnit
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="创建单位",
        description=(
            "节能管理员、中心管理员、领导：本中心报名的全部单位；部门联络员、单位负责人：本单位"
            "的报名。含自评、评审得分和状态；可按创建活动、批次、状态筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=_detail("创建单位详情", EnergyUnitSerializer),
)
class EnergyUnitViewSet(_ScopedReadOnly):
    queryset = ConservationUnit.objects.none()
    serializer_class = EnergyUnitSerializer
    filterset_class = UnitApiFilter
    required_permission = "energy.view_conservationunit"

    def get_queryset(self):
        return units_for(self.request.user).order_by("batch__number", "agency__path", "pk")


# ------------------------------------------------------------------ projects


@extend_schema_view(
    list=extend_schema(
        summary="节能项目",
        description="上级下达的项目（如充电设施建设）及完成进度：已建成、在建、规划站点数。",
        tags=_TAGS,
    ),
    retrieve=_detail(
        "节能项目详情", EnergyProjectDetailSerializer, "含各站点的地点、桩数、功率、状态。"
    ),
)
class EnergyProjectViewSet(_ScopedReadOnly):
    queryset = EnergyProject.objects.none()
    required_permission = "energy.view_energyproject"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EnergyProjectDetailSerializer
        return EnergyProjectSerializer

    def get_queryset(self):
        done = Q(stations__status__in=ChargingStation.COMPLETED)
        qs = (
            projects_for(self.request.user)
            .annotate(
                stations_building=Count(
                    "stations", filter=Q(stations__status=ChargingStation.Status.BUILDING)
                ),
                stations_planned=Count(
                    "stations", filter=Q(stations__status=ChargingStation.Status.PLANNED)
                ),
                completed_piles=Sum("stations__piles", filter=done, default=0),
            )
            .order_by("-year", "name", "pk")
        )
        if self.action == "retrieve":
            stations = ChargingStation.objects.select_related("institution").order_by("name", "pk")
            qs = qs.prefetch_related(Prefetch("stations", queryset=stations))
        return qs


# ------------------------------------------------------------------ garbage sorting


class SiteApiFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=SortingSite.Kind.choices, label=gettext_lazy("单位类型")
    )
    demonstration = django_filters.BooleanFilter(
        field_name="is_demonstration", label=gettext_lazy("示范点")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=gettext_lazy("在用"))

    class Meta:
        model = SortingSite
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="垃圾分类点位",
        description="本中心的垃圾分类点位和示范点，含检查次数、最近检查日期和分类正确率。",
        tags=_TAGS,
    ),
    retrieve=_detail("垃圾分类点位详情", EnergySiteSerializer),
)
class EnergySiteViewSet(_ScopedReadOnly):
    queryset = SortingSite.objects.none()
    serializer_class = EnergySiteSerializer
    filterset_class = SiteApiFilter
    required_permission = "energy.view_sortingsite"

    def get_queryset(self):
        return (
            sites_for(self.request.user)
            .annotate(
                n_inspections=Count("inspections"),
                last_inspected=Max("inspections__date"),
                sum_checked=Sum("inspections__bins_checked", default=0),
                sum_correct=Sum("inspections__bins_correct", default=0),
            )
            .order_by("-is_demonstration", "name", "pk")
        )


class InspectionApiFilter(django_filters.FilterSet):
    site = django_filters.NumberFilter(field_name="site_id", label=gettext_lazy("点位 ID"))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=gettext_lazy("检查日期自")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=gettext_lazy("检查日期至")
    )

    class Meta:
        model = SortingInspection
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="垃圾分类检查",
        description="本中心各点位的分类检查记录及分类正确率；可按点位、检查日期筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("垃圾分类检查详情", EnergyInspectionSerializer),
)
class EnergyInspectionViewSet(_ScopedReadOnly):
    queryset = SortingInspection.objects.none()
    serializer_class = EnergyInspectionSerializer
    filterset_class = InspectionApiFilter
    required_permission = "energy.view_sortinginspection"

    def get_queryset(self):
        return inspections_for(self.request.user).order_by("-date", "-pk")


# ------------------------------------------------------------------ events


class EventApiFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=PublicityEvent.Kind.choices, label=gettext_lazy("类型")
    )
    year = django_filters.NumberFilter(field_name="start_date__year", label=gettext_lazy("年度"))

    class Meta:
        model = PublicityEvent
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="宣传活动",
        description="节能宣传周、全国低碳日等宣传活动及其活动项目、参与人数；可按类型、年度筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("宣传活动详情", EnergyEventSerializer),
)
class EnergyEventViewSet(_ScopedReadOnly):
    queryset = PublicityEvent.objects.none()
    serializer_class = EnergyEventSerializer
    filterset_class = EventApiFilter
    required_permission = "energy.view_publicityevent"

    def get_queryset(self):
        activities = EventActivity.objects.order_by("date", "pk")
        return (
            events_for(self.request.user)
            .annotate(n_photos=Count("photos"))
            .prefetch_related(Prefetch("activities", queryset=activities))
            .order_by("-start_date", "-pk")
        )
