"""duties API: /api/v1/duty-tasks/ (the user's tasks; managers: the center's) and completion.

Thin: querysets come from the selectors (another center's task is a 404), the completion is
one service call whose Chinese ValidationError becomes a 400 with field errors.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from . import services
from .checklist import field_name
from .filters import TaskFilter
from .models import DutyTask
from .selectors import tasks_for
from .serializers import DutyRecordSerializer, DutyTaskCompleteSerializer, DutyTaskSerializer

PHOTO_PREFIX = "photo_"


def completion_errors(exc: DjangoValidationError, checklist) -> dict:
    """The service's errors as API field errors: {"answers": {key: [...]}, "photos": {...},
    "notes": [...], "non_field_errors": [...]}."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    kinds = {field_name(i["key"]): (i["key"], i["type"]) for i in checklist}
    result: dict = {}
    for name, messages in exc.message_dict.items():
        if name in kinds:
            key, kind = kinds[name]
            group = "photos" if kind == "photo" else "answers"
            result.setdefault(group, {})[key] = messages
        elif name == "__all__":
            result.setdefault("non_field_errors", []).extend(messages)
        else:
            result.setdefault(name, []).extend(messages)
    return result


@extend_schema_view(
    list=extend_schema(
        summary="责任任务列表",
        description="普通用户：分配给本人的任务（按姓名或本中心角色）；管理人员：本中心全部任务。",
        tags=["duties"],
    ),
    retrieve=extend_schema(summary="责任任务详情", tags=["duties"]),
)
class DutyTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = DutyTask.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = DutyTaskSerializer
    filterset_class = TaskFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            tasks_for(self.request.user)
            .prefetch_related("assignees__person")
            .order_by("due_at", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        summary="登记完成责任任务",
        description=(
            "multipart/form-data：answers（JSON 字符串）、notes、signature，照片字段 "
            "photo_<检查项标识>（可多张）；无照片时也可用 application/json。"
            "检查结果不符合要求时返回 400，错误按 answers / photos / notes 分组。"
        ),
        request={
            "multipart/form-data": DutyTaskCompleteSerializer,
            "application/json": DutyTaskCompleteSerializer,
        },
        responses={
            201: DutyRecordSerializer,
            400: OpenApiResponse(description="检查结果有误（中文错误信息）"),
            403: OpenApiResponse(description="不是该任务的执行人或负责人"),
            404: OpenApiResponse(description="任务不存在或无权查看"),
        },
        tags=["duties"],
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self.get_object()
        serializer = DutyTaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photos = {
            name[len(PHOTO_PREFIX) :]: request.FILES.getlist(name)
            for name in request.FILES
            if name.startswith(PHOTO_PREFIX)
        }
        try:
            record = services.duty_task_complete(
                actor=request.user,
                task=task,
                answers=serializer.validated_data["answers"],
                notes=serializer.validated_data["notes"],
                signature=serializer.validated_data["signature"],
                photos=photos,
            )
        except DjangoValidationError as exc:
            return Response(
                completion_errors(exc, task.checklist), status=status.HTTP_400_BAD_REQUEST
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from None
        return Response(
            DutyRecordSerializer(record, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def register(router):
    router.register("duty-tasks", DutyTaskViewSet, basename="duty-task")
