"""Finance API at /api/v1/finance/: budget projects (with spent and execution rate),
expenditures (list with filters; POST records one through services.budgets.expenditure_record:
201 with status "pending" when it waits for approval, "recorded" otherwise), the execution at a
date, fixed assets and procurement records.

Thin views: reads come from the selectors exactly like the pages (finance officers, center
administrators and leaders see the center; anyone else is refused with 403; another center's
row is 404). The one write is one service call whose Chinese ValidationError becomes a 400
with field errors, writing nothing.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from houqin.meetings.api import api_error
from houqin.org.api import HasRequiredPermission

from .execution import execution
from .models import AssetClass, BudgetProject, CostKind, Expenditure, FixedAsset, Procurement
from .selectors import (
    assets_for,
    expenditures_for,
    procurements_for,
    projects_for,
    sees_center,
)
from .serializers import (
    FinanceAssetSerializer,
    FinanceExecutionQuerySerializer,
    FinanceExecutionSerializer,
    FinanceExpenditureCreateSerializer,
    FinanceExpenditureSerializer,
    FinanceProcurementSerializer,
    FinanceProjectSerializer,
    line_data,
)
from .services.budgets import expenditure_record

_TAGS = ["finance"]
_BAD_REQUEST = OpenApiResponse(description="输入有误（中文错误信息，按字段给出），未做任何修改")
_FORBIDDEN = OpenApiResponse(description="无权查看或操作")
_NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _detail(summary, serializer):
    return extend_schema(
        summary=summary,
        tags=_TAGS,
        responses={200: serializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )


class _ScopedReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    lookup_value_regex = r"[0-9]+"

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


# ------------------------------------------------------------------ budget projects


class ProjectApiFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("年度"))
    category = django_filters.ChoiceFilter(
        choices=BudgetProject.Category.choices, label=gettext_lazy("支出类别")
    )

    class Meta:
        model = BudgetProject
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="预算项目",
        description="本中心各年度预算项目，含全年已支出、审批中金额和执行率；可按年度、类别筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("预算项目详情", FinanceProjectSerializer),
)
class FinanceProjectViewSet(_ScopedReadOnly):
    queryset = BudgetProject.objects.none()
    serializer_class = FinanceProjectSerializer
    filterset_class = ProjectApiFilter
    required_permission = "finance.view_budgetproject"

    def get_queryset(self):
        zero = Value(0, output_field=MONEY)
        recorded = Q(expenditures__status=Expenditure.Status.RECORDED)
        pending = Q(expenditures__status=Expenditure.Status.PENDING)
        return (
            projects_for(self.request.user)
            .annotate(
                spent=Coalesce(Sum("expenditures__amount", filter=recorded), zero),
                pending=Coalesce(Sum("expenditures__amount", filter=pending), zero),
            )
            .order_by("-year", "code", "pk")
        )


# ------------------------------------------------------------------ expenditures


class ExpenditureApiFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(
        field_name="project_id", label=gettext_lazy("预算项目 ID")
    )
    unassigned = django_filters.BooleanFilter(
        field_name="project", lookup_expr="isnull", label=gettext_lazy("待归集（无预算项目）")
    )
    status = django_filters.ChoiceFilter(
        choices=Expenditure.Status.choices, label=gettext_lazy("状态")
    )
    cost_kind = django_filters.ChoiceFilter(
        choices=CostKind.choices, label=gettext_lazy("其他模块费用类别")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=gettext_lazy("支出日期起（含）")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=gettext_lazy("支出日期止（含）")
    )

    class Meta:
        model = Expenditure
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="支出",
        description=(
            "本中心的支出（财务登记的和其他模块归集的），按日期倒序；可按预算项目、待归集、状态、"
            "费用类别、日期范围筛选。"
        ),
        tags=_TAGS,
    ),
    retrieve=_detail("支出详情", FinanceExpenditureSerializer),
)
class FinanceExpenditureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Expenditure.objects.none()
    serializer_class = FinanceExpenditureSerializer
    filterset_class = ExpenditureApiFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    lookup_value_regex = r"[0-9]+"

    @property
    def required_permission(self):
        if self.action == "create":
            return "finance.add_expenditure"
        return "finance.view_expenditure"

    def get_queryset(self):
        return expenditures_for(self.request.user).order_by("-date", "-pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="登记支出",
        description=(
            "登记一笔支出。金额达到本中心须审批的支出金额时提交中心领导审批，返回 status=pending"
            "（审批通过后才计入已支出），否则直接入账（recorded）。"
            "输入有误时返回 400（中文错误信息），不做任何修改。"
        ),
        tags=_TAGS,
        request=FinanceExpenditureCreateSerializer,
        responses={201: FinanceExpenditureSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def create(self, request):
        serializer = FinanceExpenditureCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        project = None
        if data.get("project") is not None:
            project = projects_for(request.user).filter(pk=data["project"]).first()
            if project is None:
                raise exceptions.ValidationError({"project": [_("预算项目不存在。")]})
        try:
            expenditure = expenditure_record(
                actor=request.user,
                center=request.user.center,
                project=project,
                date=data["date"],
                amount=data["amount"],
                payee=data["payee"],
                purpose=data["purpose"],
                voucher_no=data.get("voucher_no", ""),
            )
        except DjangoValidationError as exc:
            raise api_error(exc) from None
        fresh = self.get_queryset().get(pk=expenditure.pk)
        return Response(FinanceExpenditureSerializer(fresh).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------ execution


class FinanceExecutionViewSet(viewsets.ViewSet):
    """GET /api/v1/finance/execution/: one object (served by `list`)."""

    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "finance.view_budgetproject"

    @extend_schema(
        summary="预算执行进度",
        description=(
            "截至某日（date，默认今天）该年度的预算执行情况：合计与各项目的预算、已支出、"
            "审批中、执行率、计划进度和是否滞后，时间进度，以及未归集到项目的支出。"
        ),
        tags=_TAGS,
        operation_id="finance_execution_retrieve",
        parameters=[FinanceExecutionQuerySerializer],
        responses={200: FinanceExecutionSerializer, 400: _BAD_REQUEST, 403: _FORBIDDEN},
    )
    def list(self, request):
        if not sees_center(request.user):
            raise exceptions.PermissionDenied(_("无权查看预算执行情况。"))
        query = FinanceExecutionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        report = execution(request.user.center_id, day.year, day)
        data = {
            "year": report.year,
            "date": report.day,
            "time_pct": report.time_pct,
            "total": line_data(report.total),
            "projects": [line_data(line) for line in report.lines],
            "unassigned": report.unassigned,
        }
        return Response(FinanceExecutionSerializer(data).data)


# ------------------------------------------------------------------ assets and procurement


class AssetApiFilter(django_filters.FilterSet):
    asset_class = django_filters.ChoiceFilter(
        choices=AssetClass.choices, label=gettext_lazy("资产分类")
    )
    status = django_filters.ChoiceFilter(
        choices=FixedAsset.Status.choices, label=gettext_lazy("状态")
    )
    agency = django_filters.NumberFilter(
        field_name="custodian_agency_id", label=gettext_lazy("使用单位 ID")
    )

    class Meta:
        model = FixedAsset
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="固定资产",
        description="本中心的固定资产卡片；可按资产分类、状态、使用单位筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("固定资产详情", FinanceAssetSerializer),
)
class FinanceAssetViewSet(_ScopedReadOnly):
    queryset = FixedAsset.objects.none()
    serializer_class = FinanceAssetSerializer
    filterset_class = AssetApiFilter
    required_permission = "finance.view_fixedasset"

    def get_queryset(self):
        return assets_for(self.request.user).order_by("code", "pk")


class ProcurementApiFilter(django_filters.FilterSet):
    method = django_filters.ChoiceFilter(
        choices=Procurement.Method.choices, label=gettext_lazy("采购方式")
    )
    status = django_filters.ChoiceFilter(
        choices=Procurement.Status.choices, label=gettext_lazy("状态")
    )

    class Meta:
        model = Procurement
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="政府采购",
        description="本中心的政府采购记录；可按采购方式、状态筛选。",
        tags=_TAGS,
    ),
    retrieve=_detail("政府采购详情", FinanceProcurementSerializer),
)
class FinanceProcurementViewSet(_ScopedReadOnly):
    queryset = Procurement.objects.none()
    serializer_class = FinanceProcurementSerializer
    filterset_class = ProcurementApiFilter
    required_permission = "finance.view_procurement"

    def get_queryset(self):
        return procurements_for(self.request.user).order_by("-pk")


def register(router):
    router.register("finance/projects", FinanceProjectViewSet, basename="finance-project")
    router.register(
        "finance/expenditures", FinanceExpenditureViewSet, basename="finance-expenditure"
    )
    router.register("finance/execution", FinanceExecutionViewSet, basename="finance-execution")
    router.register("finance/assets", FinanceAssetViewSet, basename="finance-asset")
    router.register(
        "finance/procurements", FinanceProcurementViewSet, basename="finance-procurement"
    )
