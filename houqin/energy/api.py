"""Energy API at /api/v1/energy/: public institutions (with their yearly base data), meters,
monthly readings (list, and enter or correct one), the indicators of a year with the target
progress, the 节约型机关 campaigns (with batch progress) and enrolled units, projects (with
progress, and their stations on detail), garbage-sorting sites and inspections, publicity
events.

Thin views: reads come from the selectors exactly like the pages (energy managers, center
administrators and leaders see the center; a department liaison or agency leader only their
own agency's enrolment; anyone else is refused with 403; another center's row is 404). The
one write is one service call (services.readings.reading_record) whose Chinese
ValidationError becomes a 400 with field errors, writing nothing.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from houqin.meetings.api import api_error
from houqin.org.api import HasRequiredPermission

from . import indicators as ind
from .models import (
    CampaignBatch,
    CampaignMeeting,
    ChargingStation,
    ConservationCampaign,
    ConservationUnit,
    EnergyKind,
    EnergyProject,
    EventActivity,
    Institution,
    InstitutionYear,
    Meter,
    MeterReading,
    PublicityEvent,
    SortingInspection,
    SortingSite,
)
from .selectors import (
    campaigns_for,
    events_for,
    inspections_for,
    institutions_for,
    meters_for,
    projects_for,
    readings_for,
    sees_center,
    sites_for,
    units_for,
)
from .serializers import (
    EnergyCampaignSerializer,
    EnergyEventSerializer,
    EnergyIndicatorsQuerySerializer,
    EnergyIndicatorsSerializer,
    EnergyInspectionSerializer,
    EnergyInstitutionSerializer,
    EnergyMeterSerializer,
    EnergyProjectDetailSerializer,
    EnergyProjectSerializer,
    EnergyReadingCreateSerializer,
    EnergyReadingSerializer,
    EnergySiteSerializer,
    EnergyUnitSerializer,
    figures_data,
    progress_data,
)
from .services.readings import month_start, reading_record

_TAGS = ["energy"]
_BAD_REQUEST = OpenApiResponse(description="输入有误（中文错误信息，按字段给出），未做任何修改")
_FORBIDDEN = OpenApiResponse(description="无权查看或操作")
_NOT_FOUND = OpenApiResponse(description="不存在或无权查看")


def _detail(summary, serializer, description=""):
    return extend_schema(
        summary=summary,
        description=description,
        tags=_TAGS,
        responses={200: serializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )


class _ScopedReadOnly(viewsets.ReadOnlyModelViewSet):
    """Read-only, scoped by the selector in get_queryset, 403 without the permission."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    lookup_value_regex = r"[0-9]+"

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


# ------------------------------------------------------------------ institutions and meters


@extend_schema_view(
    list=extend_schema(
        summary="公共机构",
        description="本中心纳入统计范围的公共机构及各年度建筑面积、用能人数、编制人数。",
        tags=_TAGS,
    ),
    retrieve=_detail("公共机构详情", EnergyInstitutionSerializer),
)
class EnergyInstitutionViewSet(_ScopedReadOnly):
    queryset = Institution.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = EnergyInstitutionSerializer
    required_permission = "energy.view_institution"

    def get_queryset(self):
        years = InstitutionYear.objects.order_by("year")
        return (
            institutions_for(self.request.user)
            .prefetch_related(Prefetch("years", queryset=years))
            .order_by("name", "pk")
        )


class MeterApiFilter(django_filters.FilterSet):
    institution = django_filters.NumberFilter(
        field_name="institution_id", label=gettext_lazy("公共机构 ID")
    )
    kind = django_filters.ChoiceFilter(choices=EnergyKind.choices, label=gettext_lazy("能源品种"))
    active = django_filters.BooleanFilter(field_name="is_active", label=gettext_lazy("启用"))

    class Meta:
        model = Meter
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="计量表",
        description="本中心的计量表（总表、分表），可按公共机构、能源品种、是否启用筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("计量表详情", EnergyMeterSerializer),
)
class EnergyMeterViewSet(_ScopedReadOnly):
    queryset = Meter.objects.none()
    serializer_class = EnergyMeterSerializer
    filterset_class = MeterApiFilter
    required_permission = "energy.view_meter"

    def get_queryset(self):
        return meters_for(self.request.user).order_by("institution__name", "kind", "code", "pk")


# ------------------------------------------------------------------ readings


def _month_param(value, field):
    try:
        return month_start(value)
    except DjangoValidationError:
        raise exceptions.ValidationError(
            {field: [_("月份格式应为 YYYY-MM，如 2026-03。")]}
        ) from None


class ReadingApiFilter(django_filters.FilterSet):
    meter = django_filters.NumberFilter(field_name="meter_id", label=gettext_lazy("计量表 ID"))
    institution = django_filters.NumberFilter(
        field_name="meter__institution_id", label=gettext_lazy("公共机构 ID")
    )
    kind = django_filters.ChoiceFilter(
        field_name="meter__kind", choices=EnergyKind.choices, label=gettext_lazy("能源品种")
    )
    month_from = django_filters.CharFilter(
        method="from_month",
        label=gettext_lazy("起始月份"),
        help_text=gettext_lazy("YYYY-MM，含该月"),
    )
    month_to = django_filters.CharFilter(
        method="to_month",
        label=gettext_lazy("截止月份"),
        help_text=gettext_lazy("YYYY-MM，含该月"),
    )
    flagged = django_filters.BooleanFilter(
        label=gettext_lazy("待核实"), help_text=gettext_lazy("true：仅待核实的记录")
    )

    class Meta:
        model = MeterReading
        fields = []

    def from_month(self, queryset, name, value):
        return queryset.filter(month__gte=_month_param(value, "month_from"))

    def to_month(self, queryset, name, value):
        return queryset.filter(month__lte=_month_param(value, "month_to"))


@extend_schema_view(
    list=extend_schema(
        summary="抄表记录",
        description=(
            "本中心各计量表的月度读数/用量，按月份倒序；可按计量表、公共机构、能源品种、"
            "月份范围（YYYY-MM）、是否待核实筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=_detail("抄表记录详情", EnergyReadingSerializer),
)
class EnergyReadingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = MeterReading.objects.none()
    serializer_class = EnergyReadingSerializer
    filterset_class = ReadingApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    lookup_value_regex = r"[0-9]+"

    @property
    def required_permission(self):
        if self.action == "create":
            return "energy.add_meterreading"
        return "energy.view_meterreading"

    def get_queryset(self):
        return readings_for(self.request.user).order_by("-month", "meter__code", "pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="录入或更正读数",
        description=(
            "为某计量表录入某月的读数（累计读数表）或用量（按月用量表）；该月已有记录时更正它。"
            "读数小于上月、或用量超过此前月均 3 倍时照常保存但标记待核实（flagged，附原因）。"
            "输入有误时返回 400（中文错误信息），不做任何修改。"
        ),
        tags=_TAGS,
        request=EnergyReadingCreateSerializer,
        responses={201: EnergyReadingSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def create(self, request):
        serializer = EnergyReadingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meter = meters_for(request.user).filter(pk=data["meter"]).first()
        if meter is None:
            raise exceptions.ValidationError({"meter": [_("计量表不存在。")]})
        try:
            reading = reading_record(
                actor=request.user, meter=meter, month=data["month"], value=data["value"]
            )
        except DjangoValidationError as exc:
            raise api_error(exc) from None
        fresh = self.get_queryset().get(pk=reading.pk)
        return Response(EnergyReadingSerializer(fresh).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------ indicators


class EnergyIndicatorsViewSet(viewsets.ViewSet):
    """GET /api/v1/energy/indicators/: one object (served by `list`, as a router registers
    only viewsets)."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "energy.view_meterreading"

    @extend_schema(
        summary="能耗指标",
        description=(
            "某年度（year，默认今年）的综合能耗（kgce，按 1 月 1 日有效的折标系数）、单位建筑"
            "面积能耗、人均综合能耗、人均用水量，合计（含公务用车）和各公共机构，1—12 月综合"
            "能耗；以及覆盖该年度的节能目标（较基准年下降幅度）的完成情况。"
        ),
        tags=_TAGS,
        operation_id="energy_indicators_retrieve",
        parameters=[EnergyIndicatorsQuerySerializer],
        responses={200: EnergyIndicatorsSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def list(self, request):
        if not sees_center(request.user):
            raise exceptions.PermissionDenied(_("无权查看能耗指标。"))
        query = EnergyIndicatorsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        center_id = request.user.center_id
        report = ind.indicators(center_id, year)
        target = ind.target_for(center_id, year)
        rows = None
        through = ind.comparable_through(report, timezone.localdate())
        if target is not None:
            base = ind.indicators(center_id, target.base_year, through=through).total
            rows = ind.progress(target, base, report.total, year=year)
        institutions = list(
            Institution.objects.filter(center_id=center_id, is_active=True)
            .order_by("name", "id")
            .values_list("pk", flat=True)
        )
        data = {
            "year": year,
            "through_month": through,
            "total": figures_data(report.total),
            "institutions": [
                figures_data(row, pk) for pk, row in zip(institutions, report.rows, strict=False)
            ],
            "vehicles": figures_data(report.vehicles),
            "missing_base": [{"id": i.pk, "name": i.name} for i in report.missing_base],
            "target": progress_data(target, rows),
        }
        return Response(EnergyIndicatorsSerializer(data).data)


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


def register(router):
    router.register("energy/institutions", EnergyInstitutionViewSet, basename="energy-institution")
    router.register("energy/meters", EnergyMeterViewSet, basename="energy-meter")
    router.register("energy/readings", EnergyReadingViewSet, basename="energy-reading")
    router.register("energy/indicators", EnergyIndicatorsViewSet, basename="energy-indicators")
    router.register("energy/campaigns", EnergyCampaignViewSet, basename="energy-campaign")
    router.register("energy/units", EnergyUnitViewSet, basename="energy-unit")
    router.register("energy/projects", EnergyProjectViewSet, basename="energy-project")
    router.register("energy/sorting-sites", EnergySiteViewSet, basename="energy-sorting-site")
    router.register(
        "energy/sorting-inspections", EnergyInspectionViewSet, basename="energy-sorting-inspection"
    )
    router.register("energy/events", EnergyEventViewSet, basename="energy-event")
