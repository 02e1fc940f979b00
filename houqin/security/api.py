"""Security API at /api/v1/security/: visits (read-only, ID numbers and phones masked) and
the fire equipment register (read-only).

Thin views: reads come from the selectors exactly like the pages (guards, security managers,
center administrators and leaders see the center's visits; any other member of staff the
visits they invited; the equipment needs security.view_fireequipment); another center's row
is 404.
"""

import datetime as dt

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from houqin.org.api import HasRequiredPermission

from .models import FireEquipment, Visit
from .selectors import equipment_for, visits_for
from .serializers import SecurityEquipmentSerializer, SecurityVisitSerializer
from .services.equipment import ACTIVE, EXPIRY_WARNING_DAYS

_TAGS = ["security"]
_FORBIDDEN = OpenApiResponse(description="无权查看")
_NOT_FOUND = OpenApiResponse(description="不存在或无权查看")


class VisitApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Visit.Status.choices, label=gettext_lazy("状态"))
    date = django_filters.DateFilter(
        method="on_day",
        label=gettext_lazy("日期"),
        help_text=gettext_lazy("当天进入或预计当天到访的来访（YYYY-MM-DD）"),
    )

    class Meta:
        model = Visit
        fields = []

    def on_day(self, queryset, name, value):
        lo = timezone.make_aware(dt.datetime.combine(value, dt.time()))
        hi = lo + dt.timedelta(days=1)
        return queryset.filter(
            Q(entered_at__gte=lo, entered_at__lt=hi) | Q(expected_at__gte=lo, expected_at__lt=hi)
        )


@extend_schema_view(
    list=extend_schema(
        summary="来访记录",
        description=(
            "门岗保安、安保消防管理员、中心管理员、领导：本中心的来访；其他人员：本人邀请的访客。"
            "证件号码和手机号码均为脱敏显示。可按状态、日期筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="来访详情",
        tags=_TAGS,
        responses={200: SecurityVisitSerializer, 404: _NOT_FOUND},
    ),
)
class SecurityVisitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Visit.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = SecurityVisitSerializer
    filterset_class = VisitApiFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return (
            visits_for(self.request.user)
            .select_related("host_person")
            .order_by("-created_at", "-pk")
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class EquipmentApiFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=FireEquipment.Kind.choices, label=gettext_lazy("类别")
    )
    status = django_filters.ChoiceFilter(
        choices=FireEquipment.Status.choices, label=gettext_lazy("状态")
    )
    expiring = django_filters.BooleanFilter(
        method="only_expiring",
        label=gettext_lazy("到期"),
        help_text=gettext_lazy("true：在用器材中已过期或 30 天内到期的"),
    )

    class Meta:
        model = FireEquipment
        fields = []

    def only_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        soon = timezone.localdate() + dt.timedelta(days=EXPIRY_WARNING_DAYS)
        due = Q(status__in=ACTIVE, expires_on__lte=soon)
        return queryset.filter(due) if value else queryset.exclude(due)


@extend_schema_view(
    list=extend_schema(
        summary="消防器材台账",
        description="本中心的消防器材（保安、安保消防管理员、中心管理员、领导）。",
        tags=_TAGS,
    ),
    retrieve=extend_schema(
        summary="消防器材详情",
        tags=_TAGS,
        responses={200: SecurityEquipmentSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class SecurityEquipmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FireEquipment.objects.none()
    serializer_class = SecurityEquipmentSerializer
    filterset_class = EquipmentApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "security.view_fireequipment"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return equipment_for(self.request.user).order_by("location", "code", "pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


def register(router):
    router.register("security/visits", SecurityVisitViewSet, basename="security-visit")
    router.register("security/equipment", SecurityEquipmentViewSet, basename="security-equipment")
