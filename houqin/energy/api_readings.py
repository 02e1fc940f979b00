"""Energy API viewsets of institutions, meters, monthly readings and the indicators."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from houqin.meetings.api import api_error
from houqin.org.api import HasRequiredPermission

from . import indicators as ind
from .api_common import _BAD_REQUEST, _FORBIDDEN, _TAGS, _detail, _ScopedReadOnly
from .models import EnergyKind, Institution, InstitutionYear, Meter, MeterReading
from .selectors import institutions_for, meters_for, readings_for, sees_center
from .serializers import (
    EnergyIndicatorsQuerySerializer,
    EnergyIndicatorsSerializer,
    EnergyInstitutionSerializer,
    EnergyMeterSerializer,
    EnergyReadingCreateSerializer,
    EnergyReadingSerializer,
    figures_data,
    progress_data,
)
from .services.readings import month_start, reading_record

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
