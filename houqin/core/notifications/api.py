"""notifications API: the signed-in user's own inbox at /api/v1/notifications/.

GET  /api/v1/notifications/?unread=true     the user's notifications, newest first (paginated)
GET  /api/v1/notifications/{id}/            one of them (another user's: 404)
POST /api/v1/notifications/{id}/read/       mark it read
POST /api/v1/notifications/read-all/        mark all read; returns {"updated": n}
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .filters import NotificationFilter
from .kinds import kind_label
from .models import Notification
from .permissions import get_notification_for_user
from .selectors import notifications_for


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.SerializerMethodField(help_text=_("类型名称"))
    is_read = serializers.SerializerMethodField(help_text=_("是否已读"))

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_kind_display(self, obj) -> str:
        return kind_label(obj.kind)

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


ReadAllSerializer = inline_serializer(
    name="NotificationReadAllResult",
    fields={"updated": serializers.IntegerField(help_text=_("本次标为已读的条数"))},
)


@extend_schema_view(
    list=extend_schema(summary="我的通知列表", tags=["notifications"]),
    retrieve=extend_schema(summary="通知详情", tags=["notifications"]),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Notification.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(
        summary="标为已读", tags=["notifications"], request=None, responses=NotificationSerializer
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def read(self, request, pk=None):
        notification = get_notification_for_user(request.user, pk)
        notification = services.notification_mark_read(
            actor=request.user, notification=notification
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="全部标为已读", tags=["notifications"], request=None, responses=ReadAllSerializer
    )
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request):
        count = services.notification_mark_all_read(actor=request.user)
        return Response({"updated": count})


def register(router):
    router.register("notifications", NotificationViewSet, basename="notification")
