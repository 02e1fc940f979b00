"""approvals API at /api/v1/approvals/: the user's requests, their history, and decisions.

Thin views: reads come from the selectors (a request the user may not read is absent from
lists and 404 on detail), writes call one service; a service's ValidationError becomes a 400
with Chinese field errors ("non_field_errors" for messages about the request as a whole).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .filters import ApprovalApiFilter
from .models import ApprovalRequest
from .permissions import get_approval_for_user
from .selectors import approval_detail_queryset, approval_history, approvals_for
from .serializers import (
    ApprovalActionSerializer,
    ApprovalSerializer,
    DecisionSerializer,
    NoteSerializer,
)


def _api_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


_BAD_REQUEST = OpenApiResponse(description="输入有误或申请状态已变化（中文错误信息）")
_TAGS = ["approvals"]


@extend_schema_view(
    list=extend_schema(
        summary="审批列表",
        description=(
            "当前用户可查看的审批申请；box=to_decide 待我审批，mine 我发起的，done 我已处理。"
        ),
        tags=_TAGS,
    ),
    retrieve=extend_schema(summary="审批详情（含审批步骤）", tags=_TAGS),
)
class ApprovalViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ApprovalRequest.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = ApprovalSerializer
    filterset_class = ApprovalApiFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        qs = approvals_for(self.request.user).select_related("content_type")
        return approval_detail_queryset(qs)

    def get_object(self):
        return get_approval_for_user(self.request.user, self.kwargs["pk"])

    def _respond(self, approval):
        fresh = get_approval_for_user(self.request.user, approval.pk)
        return Response(ApprovalSerializer(fresh, context=self.get_serializer_context()).data)

    def _decide(self, request, service):
        approval = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            service(
                actor=request.user,
                approval=approval,
                comment=data.get("comment", ""),
                position=data.get("position"),
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from None
        return self._respond(approval)

    def _requester(self, request, service):
        approval = self.get_object()
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            service(
                actor=request.user,
                approval=approval,
                comment=serializer.validated_data.get("comment", ""),
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from None
        return self._respond(approval)

    @extend_schema(
        summary="同意当前步骤",
        tags=_TAGS,
        request=DecisionSerializer,
        responses={200: ApprovalSerializer, 400: _BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.approval_approve)

    @extend_schema(
        summary="驳回（须填写意见）",
        tags=_TAGS,
        request=DecisionSerializer,
        responses={200: ApprovalSerializer, 400: _BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.approval_reject)

    @extend_schema(
        summary="退回申请人修改（须填写意见）",
        tags=_TAGS,
        request=DecisionSerializer,
        responses={200: ApprovalSerializer, 400: _BAD_REQUEST},
        operation_id="approvals_return_create",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_changes(self, request, pk=None):
        return self._decide(request, services.approval_return)

    @extend_schema(
        summary="重新提交（申请人，退回修改后）",
        tags=_TAGS,
        request=NoteSerializer,
        responses={200: ApprovalSerializer, 400: _BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._requester(request, services.approval_resubmit)

    @extend_schema(
        summary="撤回申请（申请人）",
        tags=_TAGS,
        request=NoteSerializer,
        responses={200: ApprovalSerializer, 400: _BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._requester(request, services.approval_cancel)

    @extend_schema(
        summary="审批记录",
        tags=_TAGS,
        responses=ApprovalActionSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        approval = self.get_object()
        return Response(ApprovalActionSerializer(approval_history(approval), many=True).data)


def register(router):
    router.register("approvals", ApprovalViewSet, basename="approval")
