"""fleet API at /api/v1/: vehicles (with availability), trip requests, trips.

Thin views: reads come from the selectors (anything outside the user's scope is absent from
lists and 404 on detail); each write is one service call whose Chinese ValidationError becomes
a 400 with field errors and whose PermissionDenied becomes a 403.
"""

from collections import defaultdict

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from houqin.core.api import TimeRangeQuerySerializer
from houqin.meetings.api import api_error
from houqin.org.api import HasRequiredPermission

from . import services
from .models import Trip, TripRequest, Vehicle, VehicleSeal
from .permissions import get_request_for_user, get_trip_for_user, get_vehicle_for_user
from .selectors import requests_for, trips_for, vehicles_for
from .serializers import (
    FleetReasonSerializer,
    TripEndSerializer,
    TripRatingSerializer,
    TripRequestCreateSerializer,
    TripRequestSerializer,
    TripSerializer,
    TripStartSerializer,
    VehicleAvailabilitySerializer,
    VehicleSerializer,
)

_TAGS = ["fleet"]
_BAD_REQUEST = OpenApiResponse(description="输入有误或状态已变化（中文错误信息）")
_FORBIDDEN = OpenApiResponse(description="无权")


@extend_schema_view(
    list=extend_schema(summary="公务用车列表", tags=_TAGS),
    retrieve=extend_schema(summary="公务用车详情", tags=_TAGS),
)
class VehicleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Vehicle.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = VehicleSerializer
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "fleet.view_vehicle"

    def get_queryset(self):
        return vehicles_for(self.request.user).order_by("plate", "pk")

    def get_object(self):
        return get_vehicle_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="车辆占用情况",
        description="start–end（ISO 8601，不超过 31 天）内各车辆的出车和封存时段及是否可派。",
        tags=_TAGS,
        parameters=[TimeRangeQuerySerializer],
        responses={200: VehicleAvailabilitySerializer(many=True), 400: _BAD_REQUEST},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def availability(self, request):
        query = TimeRangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        vehicles = list(self.get_queryset().exclude(status=Vehicle.Status.DISPOSED))
        busy = defaultdict(list)
        for trip in Trip.objects.filter(
            vehicle__in=vehicles, status__in=Trip.ACTIVE, starts_at__lt=end, ends_at__gt=start
        ).order_by("starts_at"):
            busy[trip.vehicle_id].append(
                {
                    "kind": "trip",
                    "starts_at": trip.starts_at,
                    "ends_at": trip.ends_at,
                    "label": trip.number,
                }
            )
        for seal in VehicleSeal.objects.filter(
            vehicle__in=vehicles, starts_at__lt=end, ends_at__gt=start
        ).order_by("starts_at"):
            busy[seal.vehicle_id].append(
                {
                    "kind": "seal",
                    "starts_at": seal.starts_at,
                    "ends_at": seal.ends_at,
                    "label": seal.reason,
                }
            )
        data = [
            {
                "vehicle": {"id": v.pk, "name": v.plate},
                "available": v.status == Vehicle.Status.IN_SERVICE and not busy[v.pk],
                "busy": sorted(busy[v.pk], key=lambda row: row["starts_at"]),
            }
            for v in vehicles
        ]
        return Response(VehicleAvailabilitySerializer(data, many=True).data)


class TripRequestApiFilter(django_filters.FilterSet):
    box = django_filters.ChoiceFilter(
        choices=[("mine", _("我申请的")), ("all", _("全部"))],
        method="in_box",
        label=_("分类"),
        help_text=_("mine 我申请的；all 可查看的全部（默认）"),
    )
    date_from = django_filters.DateFilter(
        field_name="departs_at", lookup_expr="date__gte", label=_("出发日期自")
    )
    date_to = django_filters.DateFilter(
        field_name="departs_at", lookup_expr="date__lte", label=_("出发日期至")
    )
    status = django_filters.ChoiceFilter(choices=TripRequest.Status.choices, label=_("状态"))

    class Meta:
        model = TripRequest
        fields = []

    def in_box(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(requester_id=self.request.user.pk)
        return queryset


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise api_error(exc) from None


@extend_schema_view(
    list=extend_schema(
        summary="用车申请列表",
        description=(
            "调度员、中心管理员、领导：本中心全部申请；部门负责人、联络员：本单位的申请；"
            "其他人员：本人的申请。box=mine 我申请的。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(summary="用车申请详情", tags=_TAGS),
)
class TripRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = TripRequest.objects.none()  # model for the schema
    serializer_class = TripRequestSerializer
    filterset_class = TripRequestApiFilter
    permission_classes = [permissions.IsAuthenticated]
    required_permission = "fleet.add_triprequest"  # create only (see get_permissions)

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated(), HasRequiredPermission()]
        return super().get_permissions()

    def get_queryset(self):
        return requests_for(self.request.user).order_by("-departs_at", "-pk")

    def get_object(self):
        return get_request_for_user(self.request.user, self.kwargs["pk"])

    def _respond(self, req, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=req.pk)
        return Response(TripRequestSerializer(fresh).data, status=code)

    @extend_schema(
        summary="申请用车",
        description="提交后进入审批（部门负责人→车辆调度），状态为 pending。",
        tags=_TAGS,
        request=TripRequestCreateSerializer,
        responses={201: TripRequestSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def create(self, request):
        serializer = TripRequestCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        req = _call(services.trip_request_create, actor=request.user, **serializer.validated_data)
        return self._respond(req, status.HTTP_201_CREATED)

    @extend_schema(
        summary="取消用车申请",
        tags=_TAGS,
        request=FleetReasonSerializer,
        responses={200: TripRequestSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        req = self.get_object()
        serializer = FleetReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        req = _call(
            services.trip_request_cancel,
            actor=request.user,
            request=req,
            reason=serializer.validated_data["reason"],
        )
        return self._respond(req)

    @extend_schema(
        summary="评价（满意度 1–5 星）",
        description="申请人在行程结束后评价一次。",
        tags=_TAGS,
        request=TripRatingSerializer,
        responses={200: TripRequestSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        req = self.get_object()
        serializer = TripRatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        req = _call(
            services.trip_request_rate,
            actor=request.user,
            request=req,
            rating=serializer.validated_data["rating"],
            comment=serializer.validated_data["comment"],
        )
        return self._respond(req)


class TripApiFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("出车日期自")
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("出车日期至")
    )
    status = django_filters.ChoiceFilter(choices=Trip.Status.choices, label=_("状态"))

    class Meta:
        model = Trip
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="派车单列表",
        description="调度员、中心管理员、领导：本中心全部；驾驶员：本人的出车任务；"
        "申请人：载有本人申请的派车单。",
        tags=_TAGS,
    ),
    retrieve=extend_schema(summary="派车单详情", tags=_TAGS),
)
class TripViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Trip.objects.none()  # model for the schema
    serializer_class = TripSerializer
    filterset_class = TripApiFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return trips_for(self.request.user).order_by("starts_at", "pk")

    def get_object(self):
        return get_trip_for_user(self.request.user, self.kwargs["pk"])

    def _respond(self, trip):
        return Response(TripSerializer(self.get_queryset().get(pk=trip.pk)).data)

    @extend_schema(
        summary="出车（驾驶员）",
        description="仅派车单的驾驶员；须确认已完成出车前消毒，里程不能倒退。",
        tags=_TAGS,
        request=TripStartSerializer,
        responses={200: TripSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        trip = self.get_object()
        serializer = TripStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trip = _call(
            services.trip_start, actor=request.user, trip=trip, **serializer.validated_data
        )
        return self._respond(trip)

    @extend_schema(
        summary="收车（驾驶员）",
        description="仅派车单的驾驶员；须确认已完成收车后消毒；途中加油记入加油记录。",
        tags=_TAGS,
        request=TripEndSerializer,
        responses={200: TripSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        trip = self.get_object()
        serializer = TripEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trip = _call(services.trip_end, actor=request.user, trip=trip, **serializer.validated_data)
        return self._respond(trip)


def register(router):
    router.register("vehicles", VehicleViewSet, basename="vehicle")
    router.register("trip-requests", TripRequestViewSet, basename="trip-request")
    router.register("trips", TripViewSet, basename="trip")
