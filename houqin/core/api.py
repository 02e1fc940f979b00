"""Shared API pieces: paging, error format, query serializers."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """DRF's handler with Chinese messages for the generic cases."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("无权执行此操作。")
    return drf_exception_handler(exc, context)


class TimeRangeQuerySerializer(serializers.Serializer):
    """?start=&end= (ISO 8601) for availability queries, at most MAX_DAYS apart."""

    MAX_DAYS = 31

    start = serializers.DateTimeField(
        help_text=_("开始时间（ISO 8601）"),
        error_messages={"invalid": _("请填写有效的开始时间。"), "required": _("请填写开始时间。")},
    )
    end = serializers.DateTimeField(
        help_text=_("结束时间（ISO 8601），与开始时间相差不超过 31 天"),
        error_messages={"invalid": _("请填写有效的结束时间。"), "required": _("请填写结束时间。")},
    )

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": str(_("结束时间必须晚于开始时间。"))})
        if attrs["end"] - attrs["start"] > dt.timedelta(days=self.MAX_DAYS):
            raise serializers.ValidationError(
                {"end": str(_("查询范围不能超过 %(n)d 天。") % {"n": self.MAX_DAYS})}
            )
        return attrs
