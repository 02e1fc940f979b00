"""org API (read-only): org units, people and the signed-in account, at /api/v1/.

Thin views: every queryset comes from the org selectors, so a row of another center or
outside the user's scope is simply absent from lists and 404 on detail (ARCHITECTURE rule 2).
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Left, Length
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from houqin.core.backends import user_roles

from .filters import OrgUnitFilter, PersonFilter
from .models import OrgUnit, Person
from .selectors import org_units_for, people_for
from .serializers import MeSerializer, OrgUnitSerializer, PersonSerializer


class HasRequiredPermission(permissions.BasePermission):
    """The user holds the view's `required_permission` (a Django "app_label.codename")."""

    message = _("无权执行此操作。")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(view.required_permission))


def with_parent_pk(queryset):
    """Annotate `parent_pk`: the unit whose path is this path minus its last step."""
    parent = (
        OrgUnit.objects.filter(
            path=Left(OuterRef("path"), Length(OuterRef("path")) - OrgUnit.steplen)
        )
        .order_by()
        .values("pk")[:1]
    )
    return queryset.annotate(parent_pk=Subquery(parent))


@extend_schema_view(
    list=extend_schema(summary="组织机构列表", tags=["org"]),
    retrieve=extend_schema(summary="组织机构详情", tags=["org"]),
)
class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = OrgUnit.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "org.view_orgunit"

    def get_queryset(self):
        return with_parent_pk(org_units_for(self.request.user))


@extend_schema_view(
    list=extend_schema(summary="人员列表（手机号、身份证号已脱敏）", tags=["org"]),
    retrieve=extend_schema(summary="人员详情（手机号、身份证号已脱敏）", tags=["org"]),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Person.objects.none()  # model for the schema; requests use get_queryset()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    permission_classes = [permissions.IsAuthenticated, HasRequiredPermission]
    required_permission = "org.view_person"

    def get_queryset(self):
        return people_for(self.request.user)


class MeViewSet(viewsets.ViewSet):
    """GET /api/v1/me/: the signed-in account. A router registers only viewsets, so the
    single object is served by `list` (the schema marks it as one object, not a list)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="当前登录账号",
        description="返回当前登录账号的用户名、姓名、所属中心和本中心内所持角色。",
        tags=["org"],
        operation_id="me_retrieve",
        responses=MeSerializer,
    )
    def list(self, request):
        user = request.user
        serializer = MeSerializer(user, context={"request": request, "roles": user_roles(user)})
        return Response(serializer.data)


def register(router):
    router.register("org-units", OrgUnitViewSet, basename="org-unit")
    router.register("people", PersonViewSet, basename="person")
    router.register("me", MeViewSet, basename="me")
