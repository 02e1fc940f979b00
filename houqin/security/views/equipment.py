"""消防器材 and 监控设备 pages: the fire equipment register (list with filters and xlsx,
create/edit, detail with the checks history and the monthly check form — guards check too —,
更换/报废) and the cameras register (list with xlsx, create/edit).

Thin: parse, fetch through the scoped selectors (another center's row is 404), call one
service, render; a refused input re-renders the form with the errors (status 422)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.equipment import CameraFilter, FireEquipmentFilter
from ..forms.equipment import CameraForm, CheckForm, FireEquipmentForm, ReplaceForm
from ..selectors import cameras_for, equipment_for
from ..services import equipment as services
from ..tables.equipment import CameraTable, FireEquipmentTable

VIEW_PERM = "security.view_fireequipment"
CAMERA_VIEW_PERM = "security.view_camera"
PAGE_SIZE = 50
HISTORY_LIMIT = 50
ACTIVE = "security_equipment"
CAMERAS_ACTIVE = "security_cameras"

COLUMNS = [
    Column("code", _("编号"), width=14),
    Column("kind", _("类别"), width=16),
    Column("location", _("位置"), width=24),
    Column("model", _("规格型号"), width=14),
    Column("quantity", _("数量"), width=6),
    Column("produced_on", _("生产日期"), width=12),
    Column("expires_on", _("有效期至"), width=12),
    Column("last_checked_on", _("最近检查"), width=12),
    Column("status", _("状态"), width=8),
    Column("replaced_on", _("更换/报废日期"), width=12),
    Column("notes", _("备注"), width=30),
]
CAMERA_COLUMNS = [
    Column("code", _("编号"), width=14),
    Column("location", _("安装位置"), width=24),
    Column("model", _("型号"), width=16),
    Column("installed_on", _("安装日期"), width=12),
    Column("status", _("状态"), width=10),
    Column("retired_on", _("拆除/更换日期"), width=12),
    Column("notes", _("备注"), width=30),
]


def _equipment(request, pk):
    return get_object_or_404(equipment_for(request.user), pk=pk)


def _render(request, template, context, form):
    return render(request, template, context, status=422 if form.errors else 200)


# ------------------------------------------------------------------ fire equipment


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def equipment_list(request):
    filterset = FireEquipmentFilter(request.GET, queryset=equipment_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                e.code,
                e.get_kind_display(),
                e.location,
                e.model,
                e.quantity,
                e.produced_on,
                e.expires_on,
                e.last_checked_on,
                e.get_status_display(),
                e.replaced_on,
                e.notes,
            ]
            for e in filterset.qs.order_by("location", "code", "id")
        ]
        record_export(request, "security.FireEquipment", rows=len(rows))
        return xlsx_response(build_workbook(_("消防器材台账"), COLUMNS, rows), _("消防器材台账"))
    table = FireEquipmentTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "security/equipment/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": ACTIVE},
    )


def _form_page(request, form, equipment=None):
    title = _("编辑器材") if equipment else _("登记消防器材")
    return _render(
        request,
        "security/equipment/form.html",
        {"form": form, "equipment": equipment, "title": title, "active_menu": ACTIVE},
        form,
    )


@login_required
@permission_required(services.ADD_PERM, raise_exception=True)
def equipment_create(request):
    form = FireEquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            equipment = services.fire_equipment_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记器材 %(e)s。") % {"e": equipment})
            return redirect("security:equipment_detail", pk=equipment.pk)
    return _form_page(request, form)


@login_required
@permission_required(services.EDIT_PERM, raise_exception=True)
def equipment_edit(request, pk):
    equipment = _equipment(request, pk)
    if request.method == "POST":
        form = FireEquipmentForm(request.POST, equipment=equipment)
        if form.is_valid():
            try:
                services.fire_equipment_update(
                    actor=request.user, equipment=equipment, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存器材信息。"))
                return redirect("security:equipment_detail", pk=equipment.pk)
    else:
        form = FireEquipmentForm(
            initial=FireEquipmentForm.initial_for(equipment), equipment=equipment
        )
    return _form_page(request, form, equipment)


def _detail(request, equipment, check_form=None, status=200):
    checks = list(
        equipment.checks.select_related("checked_by__person").order_by("-checked_on", "-id")[
            :HISTORY_LIMIT
        ]
    )
    user = request.user
    can_check = equipment.status in services.ACTIVE and user.has_perm(services.CHECK_PERM)
    return render(
        request,
        "security/equipment/detail.html",
        {
            "equipment": equipment,
            "checks": checks,
            "check_form": check_form
            or CheckForm(initial={"checked_on": timezone.localdate(), "is_ok": "1"}),
            "can_check": can_check,
            "can_edit": user.has_perm(services.EDIT_PERM),
            "is_active": equipment.status in services.ACTIVE,
            "active_menu": ACTIVE,
        },
        status=status,
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def equipment_detail(request, pk):
    return _detail(request, _equipment(request, pk))


@require_POST
@login_required
@permission_required(services.CHECK_PERM, raise_exception=True)
def equipment_check(request, pk):
    equipment = _equipment(request, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.fire_equipment_check(
                actor=request.user, equipment=equipment, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记检查结果。"))
            return redirect("security:equipment_detail", pk=equipment.pk)
    return _detail(request, equipment, form, status=422)


@login_required
@permission_required(services.EDIT_PERM, raise_exception=True)
def equipment_replace(request, pk):
    equipment = _equipment(request, pk)
    if equipment.status not in services.ACTIVE:
        messages.warning(request, _("该器材已%(s)s。") % {"s": equipment.get_status_display()})
        return redirect("security:equipment_detail", pk=equipment.pk)
    form = ReplaceForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            old, new = services.fire_equipment_replace(
                actor=request.user, equipment=equipment, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if new is not None:
                messages.success(
                    request,
                    _("器材 %(o)s 已%(s)s，并已登记新器材 %(n)s。")
                    % {"o": old.code, "s": old.get_status_display(), "n": new.code},
                )
                return redirect("security:equipment_detail", pk=new.pk)
            messages.success(
                request, _("器材 %(o)s 已%(s)s。") % {"o": old.code, "s": old.get_status_display()}
            )
            return redirect("security:equipment_detail", pk=old.pk)
    return _render(
        request,
        "security/equipment/replace.html",
        {"form": form, "equipment": equipment, "active_menu": ACTIVE},
        form,
    )


# ------------------------------------------------------------------ cameras


@login_required
@permission_required(CAMERA_VIEW_PERM, raise_exception=True)
def camera_list(request):
    filterset = CameraFilter(request.GET, queryset=cameras_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                c.code,
                c.location,
                c.model,
                c.installed_on,
                c.get_status_display(),
                c.retired_on,
                c.notes,
            ]
            for c in filterset.qs.order_by("location", "code", "id")
        ]
        record_export(request, "security.Camera", rows=len(rows))
        return xlsx_response(
            build_workbook(_("监控设备台账"), CAMERA_COLUMNS, rows), _("监控设备台账")
        )
    can_edit = request.user.has_perm(services.CAMERA_EDIT_PERM)
    table = CameraTable(filterset.qs, exclude=() if can_edit else ("actions",))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "security/cameras/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": CAMERAS_ACTIVE},
    )


def _camera_page(request, form, camera=None):
    title = _("编辑摄像机") if camera else _("登记摄像机")
    return _render(
        request,
        "security/cameras/form.html",
        {"form": form, "camera": camera, "title": title, "active_menu": CAMERAS_ACTIVE},
        form,
    )


@login_required
@permission_required(services.CAMERA_ADD_PERM, raise_exception=True)
def camera_create(request):
    form = CameraForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            camera = services.camera_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记摄像机 %(c)s。") % {"c": camera.code})
            return redirect("security:camera_list")
    return _camera_page(request, form)


@login_required
@permission_required(services.CAMERA_EDIT_PERM, raise_exception=True)
def camera_edit(request, pk):
    camera = get_object_or_404(cameras_for(request.user), pk=pk)
    if request.method == "POST":
        form = CameraForm(request.POST)
        if form.is_valid():
            try:
                services.camera_update(actor=request.user, camera=camera, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存摄像机 %(c)s。") % {"c": camera.code})
                return redirect("security:camera_list")
    else:
        form = CameraForm(initial=CameraForm.initial_for(camera))
    return _camera_page(request, form, camera)


urlpatterns = [
    path("equipment/", equipment_list, name="equipment_list"),
    path("equipment/new/", equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/", equipment_detail, name="equipment_detail"),
    path("equipment/<int:pk>/edit/", equipment_edit, name="equipment_edit"),
    path("equipment/<int:pk>/check/", equipment_check, name="equipment_check"),
    path("equipment/<int:pk>/replace/", equipment_replace, name="equipment_replace"),
    path("cameras/", camera_list, name="camera_list"),
    path("cameras/new/", camera_create, name="camera_create"),
    path("cameras/<int:pk>/edit/", camera_edit, name="camera_edit"),
]
