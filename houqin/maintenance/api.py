"""maintenance API at /api/v1/maintenance/: work orders (report with photos, mine, the
technician's actions, the reporter's confirmation) and the equipment lookup.

Thin views: reads come from the selectors (a staff member sees the orders they reported, a
technician those assigned to them, a maintenance manager, center admin or leader the center's;
anything else is absent from lists and 404 on detail); each write is one service call whose
Chinese ValidationError becomes a 400 with field errors and whose PermissionDenied becomes a
403. Nothing is written when the input is refused (the services are atomic and validate every
photo before saving any).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from houqin.core.filters import LocalDateFilter
from houqin.meetings.api import api_error
from houqin.org.api import HasRequiredPermission

from .models import Category, Equipment, Urgency, WorkOrder, WorkOrderEvent, WorkOrderPhoto
from .selectors import equipment_for, orders_for
from .serializers import (
    MaintenanceEquipmentSerializer,
    WorkOrderConfirmSerializer,
    WorkOrderCreateSerializer,
    WorkOrderDetailSerializer,
    WorkOrderFinishSerializer,
    WorkOrderMaterialCreateSerializer,
    WorkOrderNoteSerializer,
    WorkOrderPhotosSerializer,
    WorkOrderReasonSerializer,
    WorkOrderSerializer,
)
from .services import work_orders as services

_TAGS = ["maintenance"]
_BAD_REQUEST = OpenApiResponse(description="输入有误、照片不合格或当前状态不允许（中文错误信息）")
_FORBIDDEN = OpenApiResponse(description="无权（不是该工单的维修人员、报修人或维修管理员）")
_NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
S = WorkOrder.Status
OPEN = (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS)


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise api_error(exc) from None


def _multipart(serializer):
    return {"multipart/form-data": serializer, "application/json": serializer}


# ------------------------------------------------------------------ work orders


class WorkOrderApiFilter(django_filters.FilterSet):
    box = django_filters.ChoiceFilter(
        choices=[
            ("mine", gettext_lazy("与我有关")),
            ("reported", gettext_lazy("我报修的")),
            ("assigned", gettext_lazy("派给我的")),
            ("all", gettext_lazy("全部")),
        ],
        method="in_box",
        label=gettext_lazy("分类"),
        help_text=gettext_lazy(
            "mine 我报修的或派给我的；reported 我报修的；assigned 派给我的；"
            "all 可查看的全部（默认）"
        ),
    )
    status = django_filters.ChoiceFilter(choices=S.choices, label=gettext_lazy("状态"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=gettext_lazy("类别"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=gettext_lazy("紧急程度"))
    overdue = django_filters.BooleanFilter(
        method="only_overdue",
        label=gettext_lazy("超时"),
        help_text=gettext_lazy("true：已超过完成时限仍未完工的工单"),
    )
    date_from = LocalDateFilter(
        field_name="created_at", bound="from", label=gettext_lazy("报修日期自")
    )
    date_to = LocalDateFilter(field_name="created_at", bound="to", label=gettext_lazy("报修日期至"))
    q = django_filters.CharFilter(
        method="search",
        label=gettext_lazy("搜索"),
        help_text=gettext_lazy("工单号、故障描述、楼栋、房间或位置说明中的文字"),
    )

    class Meta:
        model = WorkOrder
        fields = []

    def in_box(self, queryset, name, value):
        user_id = self.request.user.pk
        if value == "mine":
            return queryset.filter(Q(reporter_id=user_id) | Q(assignee_id=user_id))
        if value == "reported":
            return queryset.filter(reporter_id=user_id)
        if value == "assigned":
            return queryset.filter(assignee_id=user_id)
        return queryset

    def only_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN, due_at__lt=timezone.now())
        if value is None:
            return queryset
        return queryset.filter(late) if value else queryset.exclude(late)

    def search(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(description__icontains=value)
            | Q(building__icontains=value)
            | Q(room__icontains=value)
            | Q(location_text__icontains=value)
        )


@extend_schema_view(
    list=extend_schema(
        summary="维修工单列表",
        description=(
            "维修管理员、中心管理员、领导：本中心全部工单；维修人员：派给本人的工单及本人报修的；"
            "其他人员：本人报修的工单。box=mine 与我有关；可按状态、类别、紧急程度、超时、"
            "报修日期筛选，q 搜索。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="维修工单详情",
        description="含处理记录（谁、何时）、照片地址、材料和费用。",
        tags=_TAGS,
        responses={200: WorkOrderDetailSerializer, 404: _NOT_FOUND},
    ),
)
class WorkOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = WorkOrder.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = WorkOrderSerializer
    filterset_class = WorkOrderApiFilter
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        qs = orders_for(self.request.user).select_related("reporter__person", "assignee__person")
        if self.action != "list":
            qs = qs.select_related("merged_into").prefetch_related(
                Prefetch(
                    "events",
                    queryset=WorkOrderEvent.objects.select_related("actor__person").order_by(
                        "at", "id"
                    ),
                ),
                Prefetch("photos", queryset=WorkOrderPhoto.objects.order_by("id")),
                "materials",
            )
        return qs.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "list":
            return WorkOrderSerializer
        return WorkOrderDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _respond(self, order, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=order.pk).first()
        if fresh is None:  # e.g. no longer visible to the actor
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = WorkOrderDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def _parse(self, serializer_class, request):
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary="报修",
        description=(
            "任何人为本中心报修：类别、位置（楼栋/楼层/房间或位置说明，或设备）、故障描述、"
            "紧急程度、联系电话、照片（multipart/form-data，字段 photos 可多张，最多 9 张，"
            "仅 JPEG、PNG、WebP，每张不超过 5 MB）。响应和完成时限按本中心的时限规则以工作时间"
            "计算。照片不合格时返回 400，不创建工单。"
        ),
        tags=_TAGS,
        request=_multipart(WorkOrderCreateSerializer),
        responses={201: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def create(self, request):
        data = self._parse(WorkOrderCreateSerializer, request)
        equipment = None
        if data["equipment"] is not None:
            equipment = Equipment.objects.filter(
                center_id=request.user.center_id, pk=data["equipment"]
            ).first()
            if equipment is None:
                raise exceptions.ValidationError({"equipment": [_("设备不存在。")]})
        order = _call(
            services.work_order_report,
            actor=request.user,
            category=data["category"],
            urgency=data["urgency"],
            description=data["description"],
            building=data["building"],
            floor=data["floor"],
            room=data["room"],
            location_text=data["location_text"],
            phone=data["phone"],
            equipment=equipment,
            photos=data["photos"],
        )
        return self._respond(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="接单（维修人员）",
        description="派给本人的工单（维修管理员可代为操作）。",
        tags=_TAGS,
        request=None,
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        order = _call(services.work_order_accept, actor=request.user, order=self.get_object())
        return self._respond(order)

    @extend_schema(
        summary="开始维修（维修人员）",
        description="已派单或待配件的工单开始维修。",
        tags=_TAGS,
        request=None,
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        order = _call(services.work_order_start, actor=request.user, order=self.get_object())
        return self._respond(order)

    @extend_schema(
        summary="等待配件（维修人员）",
        description="维修中的工单暂停，说明所需配件；配件到后再「开始维修」。",
        tags=_TAGS,
        request=WorkOrderNoteSerializer,
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"], url_path="wait-parts", url_name="wait-parts")
    def wait_parts(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderNoteSerializer, request)
        order = _call(
            services.work_order_wait_parts, actor=request.user, order=order, note=data["note"]
        )
        return self._respond(order)

    @extend_schema(
        summary="完工（维修人员）",
        description=(
            "维修情况必填；人工费不能为负数；可附完工照片（multipart/form-data，字段 photos）。"
            "完工后通知报修人确认评价。"
        ),
        tags=_TAGS,
        request=_multipart(WorkOrderFinishSerializer),
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderFinishSerializer, request)
        order = _call(
            services.work_order_finish,
            actor=request.user,
            order=order,
            note=data["note"],
            labor_cost=data["labor_cost"],
            photos=data["photos"],
        )
        return self._respond(order)

    @extend_schema(
        summary="登记材料（维修人员）",
        description=(
            "材料名称、规格、数量（大于 0）、单位、单价（元）；工单材料费为各材料金额之和。"
        ),
        tags=_TAGS,
        request=WorkOrderMaterialCreateSerializer,
        responses={201: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def materials(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderMaterialCreateSerializer, request)
        order = _call(services.work_order_add_material, actor=request.user, order=order, **data)
        return self._respond(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="补充照片",
        description=(
            "报修人、维修人员或维修管理员补充照片（multipart/form-data，字段 photos 可多张）。"
            "每个阶段最多 9 张，仅 JPEG、PNG、WebP，每张不超过 5 MB；有一张不合格则都不保存。"
        ),
        tags=_TAGS,
        request={"multipart/form-data": WorkOrderPhotosSerializer},
        responses={201: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderPhotosSerializer, request)
        stage = data["stage"] or (
            WorkOrderPhoto.Stage.REPORT
            if order.reporter_id == request.user.pk and order.assignee_id != request.user.pk
            else WorkOrderPhoto.Stage.PROGRESS
        )
        order = _call(
            services.work_order_add_photos,
            actor=request.user,
            order=order,
            photos=data["photos"],
            stage=stage,
        )
        return self._respond(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="确认并评价（报修人）",
        description="已完工的工单由报修人确认，满意度 1–5 星，可附评价。",
        tags=_TAGS,
        request=WorkOrderConfirmSerializer,
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderConfirmSerializer, request)
        order = _call(
            services.work_order_confirm,
            actor=request.user,
            order=order,
            rating=data["rating"],
            comment=data["comment"],
        )
        return self._respond(order)

    @extend_schema(
        summary="重新打开",
        description=(
            "故障复发：报修人或维修管理员重新打开已完工、已确认或已关闭的工单（原因必填），"
            "退回原维修人员并重新计算时限。"
        ),
        tags=_TAGS,
        request=WorkOrderReasonSerializer,
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderReasonSerializer, request)
        order = _call(
            services.work_order_reopen, actor=request.user, order=order, reason=data["reason"]
        )
        return self._respond(order)

    @extend_schema(
        summary="撤销报修",
        description="报修人（或维修管理员）撤销待派单或已派单的工单。",
        tags=_TAGS,
        request=WorkOrderReasonSerializer,
        responses={200: WorkOrderDetailSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        data = self._parse(WorkOrderReasonSerializer, request)
        order = _call(
            services.work_order_cancel, actor=request.user, order=order, reason=data["reason"]
        )
        return self._respond(order)


# ------------------------------------------------------------------ equipment


class EquipmentApiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=gettext_lazy("搜索"),
        help_text=gettext_lazy("设备编号/标签或名称中的文字"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Equipment.Kind.choices, label=gettext_lazy("设备类别")
    )
    status = django_filters.ChoiceFilter(
        choices=Equipment.Status.choices, label=gettext_lazy("状态")
    )

    class Meta:
        model = Equipment
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


@extend_schema_view(
    list=extend_schema(
        summary="设备查询",
        description="本中心设备台账（需设备查看权限）；q 按设备编号/标签或名称查找。",
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="设备详情",
        tags=_TAGS,
        responses={200: MaintenanceEquipmentSerializer, 404: _NOT_FOUND},
    ),
)
class EquipmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Equipment.objects.none()  # model for the schema
    serializer_class = MaintenanceEquipmentSerializer
    filterset_class = EquipmentApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "maintenance.view_equipment"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return equipment_for(self.request.user).order_by("kind", "code", "pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


def register(router):
    router.register("maintenance/work-orders", WorkOrderViewSet, basename="maintenance-work-order")
    router.register("maintenance/equipment", EquipmentViewSet, basename="maintenance-equipment")
