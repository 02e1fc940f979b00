"""meetings API at /api/v1/: meeting rooms (with availability) and bookings.

Thin views: reads come from the selectors (a room or booking outside the user's scope is absent
from lists and 404 on detail), each write is one service call whose Chinese ValidationError
becomes a 400 with field errors and whose PermissionDenied becomes a 403. Nothing is written
when the input is refused (the services are atomic and validate before writing).
"""

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from houqin.core.api import TimeRangeQuerySerializer
from houqin.core.filters import LocalDateFilter
from houqin.org.api import HasRequiredPermission
from houqin.org.scoping import user_agency

from . import services
from .models import Booking, Room
from .permissions import get_booking_for_user, get_room_for_user
from .selectors import availability, bookings_for, rooms_for
from .serializers import (
    MeetingBookingCreateSerializer,
    MeetingBookingSerializer,
    MeetingCancelSerializer,
    MeetingRoomSerializer,
    MeetingSeriesResultSerializer,
    RoomAvailabilitySerializer,
)

_TAGS = ["meetings"]
_BAD_REQUEST = OpenApiResponse(description="输入有误或预订状态已变化（中文错误信息）")


def api_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as DRF field errors ("non_field_errors" for the whole)."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


class BookingApiFilter(django_filters.FilterSet):
    box = django_filters.ChoiceFilter(
        choices=[("mine", _("我预订的")), ("agency", _("本单位的")), ("all", _("全部"))],
        method="in_box",
        label=_("分类"),
        help_text=_("mine 我预订的；agency 本单位的；all 可查看的全部（默认）"),
    )
    date_from = LocalDateFilter(field_name="starts_at", bound="from", label=_("开始日期自"))
    date_to = LocalDateFilter(field_name="starts_at", bound="to", label=_("开始日期至"))
    room = django_filters.NumberFilter(field_name="room_id", label=_("会议室 ID"))
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices, label=_("状态"))

    class Meta:
        model = Booking
        fields = []

    def in_box(self, queryset, name, value):
        user = self.request.user
        if value == "mine":
            return queryset.filter(booker_id=user.pk)
        if value == "agency":
            agency = user_agency(user)
            if agency is None:
                return queryset.none()
            return queryset.filter(agency__path__startswith=agency.path)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="会议室列表", tags=_TAGS),
    retrieve=extend_schema(summary="会议室详情", tags=_TAGS),
)
class MeetingRoomViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Room.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = MeetingRoomSerializer
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "meetings.view_room"

    def get_queryset(self):
        return rooms_for(self.request.user).order_by("building", "floor", "name", "pk")

    def get_object(self):
        return get_room_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="会议室占用情况",
        description="start–end（ISO 8601，不超过 31 天）内各可见会议室的已预订和停用时段。",
        tags=_TAGS,
        parameters=[TimeRangeQuerySerializer],
        responses={200: RoomAvailabilitySerializer(many=True), 400: _BAD_REQUEST},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def availability(self, request):
        query = TimeRangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        days = availability(request.user, start, end, rooms=self.get_queryset())
        data = [
            {
                "room": {"id": day.room.pk, "name": day.room.name},
                "busy": sorted(
                    [
                        {
                            "kind": "booking",
                            "starts_at": b.starts_at,
                            "ends_at": b.ends_at,
                            "status": b.status,
                            "label": b.agency.short_name or b.agency.name,
                        }
                        for b in day.bookings
                    ]
                    + [
                        {
                            "kind": "block",
                            "starts_at": k.starts_at,
                            "ends_at": k.ends_at,
                            "status": "",
                            "label": k.reason,
                        }
                        for k in day.blocks
                    ],
                    key=lambda row: row["starts_at"],
                ),
            }
            for day in days
        ]
        return Response(RoomAvailabilitySerializer(data, many=True).data)


_CREATED = PolymorphicProxySerializer(
    component_name="MeetingBookingCreated",
    serializers=[MeetingBookingSerializer, MeetingSeriesResultSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    list=extend_schema(
        summary="会议预订列表",
        description=(
            "会务管理员、中心管理员、领导：本中心全部预订；部门联络员：本单位的预订；"
            "其他人员：本人的预订。box=mine 我预订的，agency 本单位的。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(summary="会议预订详情", tags=_TAGS),
)
class MeetingBookingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Booking.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = MeetingBookingSerializer
    filterset_class = BookingApiFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated(), HasRequiredPermission()]
        return super().get_permissions()

    required_permission = "meetings.add_booking"  # create only (see get_permissions)

    def get_queryset(self):
        return (
            bookings_for(self.request.user).prefetch_related("services").order_by("starts_at", "pk")
        )

    def get_object(self):
        return get_booking_for_user(self.request.user, self.kwargs["pk"])

    def _respond(self, booking, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=booking.pk)
        return Response(MeetingBookingSerializer(fresh).data, status=code)

    @extend_schema(
        summary="预订会议室",
        description=(
            "单次预订；同时填写 rrule 与 until 时为周期预订（skip_conflicts=true 跳过有冲突的"
            "场次，否则有冲突时整体不预订并返回各冲突场次）。需审批的预订状态为 pending。"
        ),
        tags=_TAGS,
        request=MeetingBookingCreateSerializer,
        responses={201: _CREATED, 400: _BAD_REQUEST, 403: OpenApiResponse(description="无权")},
    )
    def create(self, request):
        serializer = MeetingBookingCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        rrule, until = data.pop("rrule"), data.pop("until")
        skip_conflicts = data.pop("skip_conflicts")
        try:
            if rrule:
                data.pop("major_kind")
                series, created, skipped = services.booking_series_create(
                    actor=request.user,
                    rrule=rrule,
                    until=until,
                    skip_conflicts=skip_conflicts,
                    first_start=data.pop("starts_at"),
                    first_end=data.pop("ends_at"),
                    **data,
                )
            else:
                booking = services.booking_create(actor=request.user, **data)
        except DjangoValidationError as exc:
            raise api_error(exc) from None
        if not rrule:
            return self._respond(booking, status.HTTP_201_CREATED)
        rows = list(self.get_queryset().filter(pk__in=[b.pk for b in created]))
        result = {
            "series_id": series.pk,
            "created": rows,
            "skipped": [{"starts_at": s, "ends_at": e, "problem": p} for s, e, p in skipped],
        }
        return Response(MeetingSeriesResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="取消预订（须填写原因）",
        tags=_TAGS,
        request=MeetingCancelSerializer,
        responses={
            200: MeetingBookingSerializer,
            400: _BAD_REQUEST,
            403: OpenApiResponse(description="无权"),
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = self.get_object()
        serializer = MeetingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            booking = services.booking_cancel(
                actor=request.user, booking=booking, reason=serializer.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise api_error(exc) from None
        return self._respond(booking)


def register(router):
    router.register("meeting-rooms", MeetingRoomViewSet, basename="meeting-room")
    router.register("meeting-bookings", MeetingBookingViewSet, basename="meeting-booking")
