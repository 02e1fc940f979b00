"""Vendors API at /api/v1/vendors/: outsourced vendors (with their latest contract end and
evaluation), their contracts and the periodic evaluations (with the item scores). Read only.

Scoped through the selectors exactly like the pages (vendor managers, center administrators,
leaders and finance officers see the center; anyone else is refused with 403; another
center's row is 404).
"""

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from houqin.org.api import HasRequiredPermission

from .models import Contract, EvaluationScore, Vendor, VendorEvaluation
from .selectors import contracts_for, evaluations_for, vendors_with_figures
from .serializers import VendorContractSerializer, VendorEvaluationSerializer, VendorSerializer

_TAGS = ["vendors"]
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


class VendorApiFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Vendor.Kind.choices, label=gettext_lazy("服务类别"))
    active = django_filters.BooleanFilter(field_name="is_active", label=gettext_lazy("合作中"))

    class Meta:
        model = Vendor
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="外包单位",
        description="本中心的外包服务单位，含最近合同结束日期和最近一次考核结果；可按类别筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("外包单位详情", VendorSerializer),
)
class VendorViewSet(_ScopedReadOnly):
    queryset = Vendor.objects.none()
    serializer_class = VendorSerializer
    filterset_class = VendorApiFilter
    required_permission = "vendors.view_vendor"

    def get_queryset(self):
        return vendors_with_figures(self.request.user).order_by("name", "pk")


class ContractApiFilter(django_filters.FilterSet):
    vendor = django_filters.NumberFilter(field_name="vendor_id", label=gettext_lazy("外包单位 ID"))
    active_on = django_filters.DateFilter(
        method="in_force", label=gettext_lazy("在该日有效（YYYY-MM-DD）")
    )

    class Meta:
        model = Contract
        fields = []

    def in_force(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)


@extend_schema_view(
    list=extend_schema(
        summary="服务合同",
        description="本中心外包单位的服务合同，按结束日期倒序；可按外包单位、有效日期筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("服务合同详情", VendorContractSerializer),
)
class VendorContractViewSet(_ScopedReadOnly):
    queryset = Contract.objects.none()
    serializer_class = VendorContractSerializer
    filterset_class = ContractApiFilter
    required_permission = "vendors.view_contract"

    def get_queryset(self):
        return contracts_for(self.request.user).order_by("-end_date", "pk")


class EvaluationApiFilter(django_filters.FilterSet):
    vendor = django_filters.NumberFilter(field_name="vendor_id", label=gettext_lazy("外包单位 ID"))
    flagged = django_filters.BooleanFilter(
        field_name="payment_flagged", label=gettext_lazy("付款预警")
    )
    period_from = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", label=gettext_lazy("考核期间止不早于")
    )
    period_to = django_filters.DateFilter(
        field_name="period_end", lookup_expr="lte", label=gettext_lazy("考核期间止不晚于")
    )

    class Meta:
        model = VendorEvaluation
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="外包考核",
        description=(
            "本中心外包单位的定期考核（总分、合格分数、责任事项按时完成率、付款预警、各项得分）；"
            "可按外包单位、付款预警、考核期间筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=_detail("外包考核详情", VendorEvaluationSerializer),
)
class VendorEvaluationViewSet(_ScopedReadOnly):
    queryset = VendorEvaluation.objects.none()
    serializer_class = VendorEvaluationSerializer
    filterset_class = EvaluationApiFilter
    required_permission = "vendors.view_vendorevaluation"

    def get_queryset(self):
        scores = EvaluationScore.objects.select_related("item").order_by("item__order", "item_id")
        return (
            evaluations_for(self.request.user)
            .prefetch_related(Prefetch("scores", queryset=scores))
            .order_by("-period_end", "vendor__name", "pk")
        )


def register(router):
    router.register("vendors/vendors", VendorViewSet, basename="vendors-vendor")
    router.register("vendors/contracts", VendorContractViewSet, basename="vendors-contract")
    router.register("vendors/evaluations", VendorEvaluationViewSet, basename="vendors-evaluation")
