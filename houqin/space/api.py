"""Office-space API at /api/v1/space/: the register (buildings, rooms with their holder and
people), the allocation history, the compliance picture of a day, and requests for more space
(list, and submit for a department liaison or agency leader).

Thin views: reads come from the selectors exactly like the pages (space managers, center
administrators and leaders see the center; a liaison or agency leader the rooms their agency
holds, its allocations, requests and compliance; anyone else is refused with 403 or sees
nothing; another center's row is 404). The one write is one service call whose Chinese
ValidationError becomes a 400 with field errors, writing nothing.
"""

import datetime as dt

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from houqin.core.approvals.models import ApprovalRequest
from houqin.meetings.api import api_error
from houqin.org.api import HasRequiredPermission
from houqin.org.models import OrgUnit, Rank
from houqin.org.scoping import user_agency

from .compliance import compliance
from .models import Allocation, Building, Floor, Occupancy, SpaceRequest, SpaceRoom, SubUse, UseKind
from .selectors import (
    allocations_for,
    buildings_for,
    requests_for,
    rooms_for,
    rooms_with_people,
    scoped_agency,
    sees_center,
)
from .serializers import (
    ComplianceSerializer,
    SpaceAllocationSerializer,
    SpaceBuildingSerializer,
    SpaceRequestCreateSerializer,
    SpaceRequestSerializer,
    SpaceRoomDetailSerializer,
    SpaceRoomSerializer,
    compliance_data,
)
from .services import plans as plan_services

_TAGS = ["space"]
_BAD_REQUEST = OpenApiResponse(description="输入有误（中文错误信息，按字段给出），未做任何修改")
_FORBIDDEN = OpenApiResponse(description="无权查看或操作")
_NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
VIEW_ROOMS = "space.view_spaceroom"


def _search(value):
    return (value or "").strip()[:50]


# ------------------------------------------------------------------ buildings


@extend_schema_view(
    list=extend_schema(
        summary="楼栋列表",
        description="本中心的楼栋（办公用房管理员、中心管理员、领导），含楼层和在册房间数、面积。",
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="楼栋详情",
        tags=_TAGS,
        responses={200: SpaceBuildingSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class SpaceBuildingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Building.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = SpaceBuildingSerializer
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "space.view_building"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        active = Q(rooms__is_active=True)
        return (
            buildings_for(self.request.user)
            .annotate(
                room_count=Count("rooms", filter=active),
                usable_area=Sum("rooms__usable_area", filter=active),
            )
            .prefetch_related(Prefetch("floors", queryset=Floor.objects.order_by("level")))
            .order_by("code", "name", "pk")
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


# ------------------------------------------------------------------ rooms


class RoomApiFilter(django_filters.FilterSet):
    building = django_filters.NumberFilter(field_name="building_id", label=gettext_lazy("楼栋 ID"))
    floor = django_filters.NumberFilter(field_name="floor_id", label=gettext_lazy("楼层 ID"))
    use_kind = django_filters.ChoiceFilter(choices=UseKind.choices, label=gettext_lazy("用房类别"))
    sub_use = django_filters.ChoiceFilter(choices=SubUse.choices, label=gettext_lazy("具体用途"))
    status = django_filters.ChoiceFilter(
        choices=SpaceRoom.Status.choices, label=gettext_lazy("状态")
    )
    agency = django_filters.NumberFilter(
        method="held_by",
        label=gettext_lazy("使用单位 ID"),
        help_text=gettext_lazy("当前由该单位使用的房间"),
    )
    q = django_filters.CharFilter(
        method="search", label=gettext_lazy("搜索"), help_text=gettext_lazy("房间号或名称")
    )

    class Meta:
        model = SpaceRoom
        fields = []

    def held_by(self, queryset, name, value):
        held = Allocation.objects.filter(end_date__isnull=True, agency_id=value)
        return queryset.filter(pk__in=held.values("room_id"))

    def search(self, queryset, name, value):
        value = _search(value)
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value))


@extend_schema_view(
    list=extend_schema(
        summary="房间列表",
        description=(
            "办公用房管理员、中心管理员、领导：本中心全部房间；部门联络员、单位负责人：本单位"
            "当前使用的房间。含当前使用单位和使用人数；可按楼栋、楼层、用房类别、用途、状态、"
            "使用单位筛选，q 搜索房间号或名称。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="房间详情",
        description="含当前使用人。",
        tags=_TAGS,
        responses={200: SpaceRoomDetailSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class SpaceRoomViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SpaceRoom.objects.none()  # model for the schema
    serializer_class = SpaceRoomSerializer
    filterset_class = RoomApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = VIEW_ROOMS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        current = Allocation.objects.filter(room=OuterRef("pk"), end_date__isnull=True)
        qs = rooms_with_people(rooms_for(self.request.user)).annotate(
            holder_id=Subquery(current.values("agency_id")[:1]),
            holder_name=Subquery(current.values("agency__name")[:1]),
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "occupancies",
                    queryset=Occupancy.objects.filter(end_date__isnull=True)
                    .select_related("person__rank")
                    .order_by("start_date", "pk"),
                    to_attr="current_occupancies",
                )
            )
        return qs.order_by("building__code", "building__name", "floor__level", "number", "pk")

    def get_serializer_class(self):
        return SpaceRoomDetailSerializer if self.action == "retrieve" else SpaceRoomSerializer

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


# ------------------------------------------------------------------ allocations


class AllocationApiFilter(django_filters.FilterSet):
    room = django_filters.NumberFilter(field_name="room_id", label=gettext_lazy("房间 ID"))
    building = django_filters.NumberFilter(
        field_name="room__building_id", label=gettext_lazy("楼栋 ID")
    )
    agency = django_filters.NumberFilter(field_name="agency_id", label=gettext_lazy("单位 ID"))
    source = django_filters.ChoiceFilter(
        choices=Allocation.Source.choices, label=gettext_lazy("来源")
    )
    current = django_filters.BooleanFilter(
        method="only_current",
        label=gettext_lazy("当前"),
        help_text=gettext_lazy("true：仍在使用的分配；false：已腾退的历史记录"),
    )

    class Meta:
        model = Allocation
        fields = []

    def only_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(end_date__isnull=value)


@extend_schema_view(
    list=extend_schema(
        summary="房间分配记录（历史）",
        description=(
            "谁在何时使用哪个房间：启用日期、腾退日期（交回当日）、使用协议/配置证号、来源。"
            "部门联络员、单位负责人只看到本单位的记录。可按房间、楼栋、单位、来源、是否当前筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="房间分配记录详情",
        tags=_TAGS,
        responses={200: SpaceAllocationSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class SpaceAllocationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Allocation.objects.none()  # model for the schema
    serializer_class = SpaceAllocationSerializer
    filterset_class = AllocationApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = VIEW_ROOMS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return allocations_for(self.request.user).order_by("-start_date", "-pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


# ------------------------------------------------------------------ compliance


def _parse_day(raw):
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise exceptions.ValidationError({"date": [_("日期格式应为 YYYY-MM-DD。")]}) from None


class SpaceComplianceViewSet(viewsets.ViewSet):
    """GET /api/v1/space/compliance/: one object (served by `list`, as a router registers only
    viewsets)."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = VIEW_ROOMS

    @extend_schema(
        summary="办公用房面积核定",
        description=(
            "某日（date，默认今天）的核定情况：各单位在岗人数、核定面积、占有办公室及其他用房"
            "面积、超标面积；超标人员及其分摊面积；闲置房间；调离/退休人员未收回的办公室。"
            "部门联络员、单位负责人只得到本单位的数据（scope=agency，无闲置房间）。"
        ),
        tags=_TAGS,
        operation_id="space_compliance_retrieve",
        parameters=[
            OpenApiParameter(
                "date",
                OpenApiTypes.DATE,
                description="核定日期（YYYY-MM-DD），默认今天",
                required=False,
            )
        ],
        responses={200: ComplianceSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def list(self, request):
        user = request.user
        day = _parse_day(request.query_params.get("date"))
        if sees_center(user):
            scope, agency = "center", None
        else:
            agency = scoped_agency(user)
            if agency is None:
                raise exceptions.PermissionDenied(_("无权查看面积核定情况。"))
            scope = "agency"
        report = compliance(user.center_id, day, agency=agency)
        rank_names = dict(Rank.objects.values_list("pk", "name"))
        return Response(ComplianceSerializer(compliance_data(report, scope, rank_names)).data)


# ------------------------------------------------------------------ requests


class RequestApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=SpaceRequest.Status.choices, label=gettext_lazy("状态")
    )
    agency = django_filters.NumberFilter(field_name="agency_id", label=gettext_lazy("单位 ID"))

    class Meta:
        model = SpaceRequest
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="用房申请列表",
        description=(
            "办公用房管理员、中心管理员、领导：本中心全部申请；部门联络员、单位负责人：本单位的"
            "申请。可按状态、单位筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="用房申请详情",
        tags=_TAGS,
        responses={200: SpaceRequestSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class SpaceRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = SpaceRequest.objects.none()  # model for the schema
    serializer_class = SpaceRequestSerializer
    filterset_class = RequestApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    lookup_value_regex = r"[0-9]+"

    @property
    def required_permission(self):
        if self.action == "create":
            return "space.add_spacerequest"
        return "space.view_spacerequest"

    def get_queryset(self):
        approvals = ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(SpaceRequest),
            object_id=OuterRef("pk"),
            request_type=plan_services.REQUEST_TYPE,
        ).order_by("-created_at", "-pk")
        return (
            requests_for(self.request.user)
            .select_related("requested_by__person")
            .annotate(approval_id=Subquery(approvals.values("pk")[:1]))
            .order_by("-created_at", "-pk")
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="提交增加办公用房申请",
        description=(
            "部门联络员或单位负责人为本单位申请增加办公用房：申请理由、现有人数、申请面积（㎡）。"
            "提交后进入审批流程（单位负责人 → 办公用房管理员 → 中心领导）。输入有误时返回 400"
            "（中文错误信息），不创建申请。"
        ),
        tags=_TAGS,
        request=SpaceRequestCreateSerializer,
        responses={201: SpaceRequestSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def create(self, request):
        serializer = SpaceRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if data["agency"] is None:
            agency = user_agency(user)
        else:
            agency = OrgUnit.objects.filter(pk=data["agency"]).first()
        try:
            created = plan_services.request_submit(
                actor=user,
                agency=agency,
                reason=data["reason"],
                headcount=data["headcount"],
                area_wanted=data["area_wanted"],
            )
        except DjangoValidationError as exc:
            raise api_error(exc) from None
        fresh = self.get_queryset().get(pk=created.pk)
        return Response(SpaceRequestSerializer(fresh).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("space/buildings", SpaceBuildingViewSet, basename="space-building")
    router.register("space/rooms", SpaceRoomViewSet, basename="space-room")
    router.register("space/allocations", SpaceAllocationViewSet, basename="space-allocation")
    router.register("space/compliance", SpaceComplianceViewSet, basename="space-compliance")
    router.register("space/requests", SpaceRequestViewSet, basename="space-request")
