"""巡查路线 pages for the security manager: routes (list, detail with checkpoints and the
history of scans, create/edit), checkpoints (add/edit, a new code for a lost label) and the
printable QR labels. Split from views/patrols.py (the guard's pages and patrol records)."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.patrols import RouteFilter
from ..forms.patrols import (
    CheckpointForm,
    RouteForm,
)
from ..models import Checkpoint, CheckpointScan
from ..selectors import patrols_for, patrols_with_counts, routes_for
from ..services import patrols as services
from ..tables.patrols import RouteTable

PATROL_PERM = services.PATROL_PERM
VIEW_PATROL = "security.view_patrol"
VIEW_ROUTE = "security.view_patrolroute"
ADD_ROUTE = services.ROUTE_ADD_PERM
EDIT_ROUTE = services.ROUTE_EDIT_PERM
EDIT_CHECKPOINT = services.CHECKPOINT_EDIT_PERM
PAGE_SIZE = 50
HISTORY_LIMIT = 50
HOME_MENU = "security_my_patrols"
ROUTES_MENU = "security_routes"
ACTIVE_POINTS = Q(checkpoints__is_active=True)

ROUTE_COLUMNS = [
    Column("name", _("路线名称"), width=20),
    Column("kind", _("类别"), width=10),
    Column("rounds_per_day", _("每日巡查次数"), width=12),
    Column("points", _("检查点"), width=8),
    Column("is_active", _("状态"), width=8),
    Column("description", _("说明"), width=40),
]


def _route(request, pk):
    return get_object_or_404(routes_for(request.user), pk=pk)


def _checkpoint(request, pk):
    return get_object_or_404(
        Checkpoint.objects.select_related("route").filter(route__in=routes_for(request.user)),
        pk=pk,
    )


# ------------------------------------------------------------------ routes
@login_required
@permission_required(VIEW_ROUTE, raise_exception=True)
def route_list(request):
    routes = routes_for(request.user).annotate(points=Count("checkpoints", filter=ACTIVE_POINTS))
    filterset = RouteFilter(request.GET, queryset=routes)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                r.name,
                r.get_kind_display(),
                r.rounds_per_day,
                r.points,
                _("启用") if r.is_active else _("停用"),
                r.description,
            ]
            for r in filterset.qs.order_by("name", "id")
        ]
        record_export(request, "security.PatrolRoute", rows=len(rows))
        return xlsx_response(build_workbook(_("巡查路线"), ROUTE_COLUMNS, rows), _("巡查路线"))
    table = RouteTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "security/patrols/route_list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": ROUTES_MENU},
    )


def _route_form_page(request, form, route=None):
    return render(
        request,
        "security/patrols/route_form.html",
        {
            "form": form,
            "route": route,
            "title": _("编辑巡查路线") if route else _("新增巡查路线"),
            "active_menu": ROUTES_MENU,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(ADD_ROUTE, raise_exception=True)
def route_create(request):
    form = RouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            route = services.route_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增巡查路线“%(r)s”，请添加检查点。") % {"r": route})
            return redirect("security:route_detail", pk=route.pk)
    return _route_form_page(request, form)


@login_required
@permission_required(EDIT_ROUTE, raise_exception=True)
def route_edit(request, pk):
    route = _route(request, pk)
    if request.method == "POST":
        form = RouteForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.route_update(actor=request.user, route=route, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存巡查路线。"))
                return redirect("security:route_detail", pk=route.pk)
    else:
        form = RouteForm(
            editing=True,
            initial={name: getattr(route, name) for name in (*RouteForm.FIELDS, "is_active")},
        )
    return _route_form_page(request, form, route)


@login_required
@permission_required(VIEW_ROUTE, raise_exception=True)
def route_detail(request, pk):
    route = _route(request, pk)
    scans = (
        CheckpointScan.objects.filter(patrol__route=route)
        .select_related("checkpoint", "patrol__guard__person")
        .order_by("-scanned_at", "-id")[:HISTORY_LIMIT]
    )
    patrols = patrols_with_counts(patrols_for(request.user).filter(route=route))[:20]
    return render(
        request,
        "security/patrols/route_detail.html",
        {
            "route": route,
            "checkpoints": list(route.checkpoints.order_by("position", "id")),
            "scans": list(scans),
            "patrols": list(patrols),
            "can_edit": request.user.has_perm(EDIT_ROUTE),
            "can_edit_points": request.user.has_perm(EDIT_CHECKPOINT),
            "active_menu": ROUTES_MENU,
        },
    )


# ------------------------------------------------------------------ checkpoints
def _checkpoint_form_page(request, form, route, checkpoint=None):
    return render(
        request,
        "security/patrols/checkpoint_form.html",
        {
            "form": form,
            "route": route,
            "checkpoint": checkpoint,
            "title": _("编辑检查点") if checkpoint else _("添加检查点"),
            "active_menu": ROUTES_MENU,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(EDIT_CHECKPOINT, raise_exception=True)
def checkpoint_add(request, pk):
    route = _route(request, pk)
    form = CheckpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.checkpoint_add(
                actor=request.user, route=route, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已添加检查点“%(c)s”，请打印二维码标签张贴到现场。") % {"c": point.name},
            )
            return redirect("security:route_detail", pk=route.pk)
    return _checkpoint_form_page(request, form, route)


@login_required
@permission_required(EDIT_CHECKPOINT, raise_exception=True)
def checkpoint_edit(request, pk):
    point = _checkpoint(request, pk)
    if request.method == "POST":
        form = CheckpointForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.checkpoint_update(
                    actor=request.user, checkpoint=point, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存检查点。"))
                return redirect("security:route_detail", pk=point.route_id)
    else:
        form = CheckpointForm(
            editing=True,
            initial={
                "name": point.name,
                "location": point.location,
                "checklist": services.checklist_text(point.checklist),
                "position": point.position,
                "is_active": point.is_active,
            },
        )
    return _checkpoint_form_page(request, form, point.route, point)


@login_required
@permission_required(EDIT_CHECKPOINT, raise_exception=True)
@require_POST
def checkpoint_regenerate_code(request, pk):
    point = _checkpoint(request, pk)
    services.checkpoint_regenerate_code(actor=request.user, checkpoint=point)
    messages.success(
        request,
        _("已为“%(c)s”生成新的二维码，旧标签即时作废，请重新打印并张贴。") % {"c": point.name},
    )
    return redirect("security:route_detail", pk=point.route_id)


def qr_svg(data, *, scale=4):
    """An inline SVG QR code (segno; no image library, no external service)."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgclass=None, lineclass=None
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 - segno output of our own URL


@login_required
@permission_required(EDIT_CHECKPOINT, raise_exception=True)
def route_labels(request, pk):
    """One printable label per active checkpoint: the QR code of its scan URL and its name."""
    route = _route(request, pk)
    labels = [
        (
            point,
            qr_svg(request.build_absolute_uri(reverse("security:patrol_scan", args=[point.code]))),
        )
        for point in route.checkpoints.filter(is_active=True).order_by("position", "id")
    ]
    return render(
        request,
        "security/patrols/labels.html",
        {"route": route, "labels": labels, "active_menu": ROUTES_MENU},
    )


urlpatterns = [
    path("routes/", route_list, name="route_list"),
    path("routes/new/", route_create, name="route_create"),
    path("routes/<int:pk>/", route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", route_edit, name="route_edit"),
    path("routes/<int:pk>/checkpoints/add/", checkpoint_add, name="checkpoint_add"),
    path("routes/<int:pk>/labels/", route_labels, name="route_labels"),
    path("checkpoints/<int:pk>/edit/", checkpoint_edit, name="checkpoint_edit"),
    path(
        "checkpoints/<int:pk>/regenerate/",
        checkpoint_regenerate_code,
        name="checkpoint_regenerate_code",
    ),
]
