"""Shared pieces of the energy API viewsets: tag, error responses, the scoped read-only base."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets

from houqin.org.api import HasRequiredPermission

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
