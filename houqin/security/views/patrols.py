"""巡查 pages.

The guard's phone pages: patrol_home (routes to start, the open patrol with each checkpoint ✓/✗
and no code or link: the guard scans the label on site), patrol_scan (the URL in the QR label:
the checkpoint's checklist), patrol_start, patrol_finish. The manager's pages: routes (list,
detail with checkpoints and the history of scans, create/edit), checkpoints (add/edit, a new
code for a lost label), printable QR labels, and the patrol records (list with filters and xlsx,
detail with the answers and problems).

Thin: parse, fetch through the scoped selectors, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.patrols import PatrolFilter
from ..forms.patrols import (
    FinishForm,
    ScanForm,
)
from ..models import Patrol
from ..selectors import patrols_for, patrols_with_counts, routes_for
from ..services import patrols as services
from ..tables.patrols import PatrolTable
from . import routes

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

PATROL_COLUMNS = [
    Column("started_at", _("开始时间"), width=17),
    Column("finished_at", _("结束时间"), width=17),
    Column("route", _("路线"), width=20),
    Column("kind", _("类别"), width=10),
    Column("guard", _("巡查人"), width=10),
    Column("scanned", _("已扫检查点"), width=10),
    Column("points", _("检查点总数"), width=10),
    Column("problems", _("异常"), width=8),
    Column("status", _("状态"), width=8),
    Column("note", _("情况说明"), width=30),
]


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _route(request, pk):
    return get_object_or_404(routes_for(request.user), pk=pk)


# ------------------------------------------------------------------ the guard's phone
def _home(request, finish_form=None, status=200):
    user = request.user
    patrol = services.open_patrol(user)
    checkpoints = []
    if patrol is not None:
        scans = {scan.checkpoint_id: scan for scan in patrol.scans.all()}
        checkpoints = [
            (point, scans.get(point.pk))
            for point in patrol.route.checkpoints.filter(is_active=True)
        ]
    routes = (
        routes_for(user)
        .filter(is_active=True)
        .annotate(points=Count("checkpoints", filter=ACTIVE_POINTS))
    )
    recent = patrols_for(user).filter(guard=user).exclude(status=Patrol.Status.IN_PROGRESS)[:5]
    return render(
        request,
        "security/patrols/phone/home.html",
        {
            "patrol": patrol,
            "checkpoints": checkpoints,
            "scanned": sum(1 for _point, scan in checkpoints if scan is not None),
            "routes": list(routes),
            "recent": list(recent),
            "finish_form": finish_form or FinishForm(),
            "active_menu": HOME_MENU,
        },
        status=status,
    )


@login_required
@permission_required(PATROL_PERM, raise_exception=True)
def patrol_home(request):
    return _home(request)


@login_required
@permission_required(PATROL_PERM, raise_exception=True)
@require_POST
def patrol_start(request, pk):
    route = _route(request, pk)
    try:
        services.patrol_start(actor=request.user, route=route)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("已开始巡查“%(r)s”，请到现场依次扫描检查点二维码。") % {"r": route.name}
        )
    return redirect("security:patrol_home")


@login_required
@permission_required(PATROL_PERM, raise_exception=True)
def patrol_scan(request, code):
    """The page a checkpoint's QR label opens: its checklist; POST records the scan."""
    try:
        checkpoint = services.find_checkpoint(request.user, code)
    except ValidationError as exc:
        return render(
            request,
            "security/patrols/phone/scan_invalid.html",
            {"message": exc.messages[0], "active_menu": HOME_MENU},
            status=404,
        )
    form = ScanForm(request.POST or None, checklist=checkpoint.checklist)
    if request.method == "POST" and form.is_valid():
        try:
            scan = services.patrol_scan(
                actor=request.user,
                code=code,
                answers=form.answers(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if scan.is_ok:
                messages.success(request, _("已记录检查点“%(c)s”。") % {"c": checkpoint.name})
            else:
                messages.warning(
                    request,
                    _("已记录检查点“%(c)s”的异常情况，并已通知安保负责人。")
                    % {"c": checkpoint.name},
                )
            return redirect("security:patrol_home")
    patrol = services.open_patrol(request.user)
    same_route = patrol is not None and patrol.route_id == checkpoint.route_id
    return render(
        request,
        "security/patrols/phone/scan.html",
        {
            "checkpoint": checkpoint,
            "form": form,
            "patrol": patrol,
            "other_patrol": patrol if patrol is not None and not same_route else None,
            "already": same_route and patrol.scans.filter(checkpoint=checkpoint).exists(),
            "active_menu": HOME_MENU,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(VIEW_PATROL, raise_exception=True)
@require_POST
def patrol_finish(request, pk):
    patrol = get_object_or_404(patrols_for(request.user), pk=pk)
    own = patrol.guard_id == request.user.pk
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            patrol = services.patrol_finish(
                actor=request.user, patrol=patrol, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        if own:
            return _home(request, finish_form=form, status=422)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("security:patrol_detail", pk=patrol.pk)
    if patrol.status == Patrol.Status.DONE:
        messages.success(request, _("巡查已完成，全部检查点均已扫描。"))
    else:
        messages.warning(request, _("巡查已结束，记为“未巡完”。"))
    if own:
        return redirect("security:patrol_home")
    return redirect("security:patrol_detail", pk=patrol.pk)


# ------------------------------------------------------------------ patrol records
@login_required
@permission_required(VIEW_PATROL, raise_exception=True)
def patrol_list(request):
    user = request.user
    filterset = PatrolFilter(
        request.GET,
        queryset=patrols_with_counts(patrols_for(user)),
        patrols=patrols_for(user),
        routes=routes_for(user),
    )
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                _local(p.started_at),
                _local(p.finished_at),
                p.route.name,
                p.route.get_kind_display(),
                p.guard.display_name,
                p.scanned,
                p.points,
                p.problems,
                p.get_status_display(),
                p.note,
            ]
            for p in filterset.qs.order_by("-started_at", "-id")
        ]
        record_export(request, "security.Patrol", rows=len(rows))
        return xlsx_response(build_workbook(_("巡查记录"), PATROL_COLUMNS, rows), _("巡查记录"))
    table = PatrolTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "security/patrols/patrol_list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": ROUTES_MENU},
    )


@login_required
@permission_required(VIEW_PATROL, raise_exception=True)
def patrol_detail(request, pk):
    patrol = get_object_or_404(patrols_with_counts(patrols_for(request.user)), pk=pk)
    scans = list(patrol.scans.select_related("checkpoint").order_by("scanned_at", "id"))
    missing = []
    if patrol.status != Patrol.Status.DONE:
        missing = list(services.missing_checkpoints(patrol).order_by("position"))
    own = patrol.guard_id == request.user.pk
    return render(
        request,
        "security/patrols/patrol_detail.html",
        {
            "patrol": patrol,
            "scans": scans,
            "missing": missing,
            "can_finish": patrol.status == Patrol.Status.IN_PROGRESS
            and (own or request.user.has_perm(services.PATROL_MANAGE_PERM)),
            "finish_form": FinishForm(),
            "active_menu": ROUTES_MENU,
        },
    )


urlpatterns = [
    path("patrol/", patrol_home, name="patrol_home"),
    path("patrol/routes/<int:pk>/start/", patrol_start, name="patrol_start"),
    path("patrol/scan/<str:code>/", patrol_scan, name="patrol_scan"),
    path("patrol/<int:pk>/finish/", patrol_finish, name="patrol_finish"),
    path("patrols/", patrol_list, name="patrol_list"),
    path("patrols/<int:pk>/", patrol_detail, name="patrol_detail"),
    *routes.urlpatterns,
]
