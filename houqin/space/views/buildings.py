"""楼栋 pages: the list (with room totals, xlsx), create/edit, the detail page with its floors
(floor plan and rooms of each), floor plan upload and the access-checked floor plan image.

Thin: parse, fetch through the scoped selectors (another center's building is a 404), call one
service, render."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..forms.register import BuildingForm, FloorPlanForm
from ..models import Floor, SpaceRoom
from ..selectors import buildings_for, buildings_with_totals, is_manager, rooms_with_holder
from ..services import register as services
from ..tables.register import BuildingTable

VIEW_PERM = "space.view_building"
ADD_PERM = "space.add_building"
EDIT_PERM = "space.change_building"
PAGE_SIZE = 50
ACTIVE = "space_buildings"

COLUMNS = [
    Column("name", _("楼栋名称"), width=20),
    Column("code", _("编号"), width=8),
    Column("address", _("地址"), width=30),
    Column("ownership", _("产权性质"), width=10),
    Column("owner_name", _("产权单位"), width=20),
    Column("floor_area", _("建筑面积（㎡）"), width=14),
    Column("built_year", _("建成年份"), width=10),
    Column("floors_above", _("地上层数"), width=10),
    Column("floors_below", _("地下层数"), width=10),
    Column("room_count", _("房间数"), width=10),
    Column("room_area", _("使用面积合计（㎡）"), width=16),
    Column("idle_count", _("闲置房间"), width=10),
    Column("is_active", _("在用"), width=8),
]


def _building(request, pk):
    return get_object_or_404(buildings_for(request.user), pk=pk)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def building_list(request):
    buildings = buildings_with_totals(buildings_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                b.name,
                b.code,
                b.address,
                b.get_ownership_display(),
                b.owner_name,
                b.floor_area,
                b.built_year,
                b.floors_above,
                b.floors_below,
                b.room_count,
                b.room_area or 0,
                b.idle_count,
                _("是") if b.is_active else _("否"),
            ]
            for b in buildings.order_by("code", "name", "id")
        ]
        record_export(request, "space.Building", rows=len(rows))
        return xlsx_response(build_workbook(_("楼栋"), COLUMNS, rows), _("楼栋"))
    table = BuildingTable(buildings)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "space/buildings/list.html",
        {"table": table, "can_edit": is_manager(request.user), "active_menu": ACTIVE},
    )


def _form_page(request, form, building=None):
    title = _("编辑楼栋") if building else _("登记楼栋")
    return render(
        request,
        "space/buildings/form.html",
        {"form": form, "building": building, "title": title, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def building_create(request):
    form = BuildingForm(request.POST or None, initial={"floors_above": 1, "floors_below": 0})
    if request.method == "POST" and form.is_valid():
        try:
            building = services.building_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记楼栋 %(b)s。") % {"b": building})
            return redirect("space:building_detail", pk=building.pk)
    return _form_page(request, form)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def building_edit(request, pk):
    building = _building(request, pk)
    if request.method == "POST":
        form = BuildingForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.building_update(
                    actor=request.user, building=building, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存楼栋信息。"))
                return redirect("space:building_detail", pk=building.pk)
    else:
        form = BuildingForm(initial=BuildingForm.initial_for(building), editing=True)
    return _form_page(request, form, building)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def building_detail(request, pk):
    building = get_object_or_404(buildings_with_totals(buildings_for(request.user)), pk=pk)
    floors = list(building.floors.order_by("-level"))
    rooms = rooms_with_holder(
        SpaceRoom.objects.filter(building=building, is_active=True).order_by("number", "id")
    )
    by_floor = defaultdict(list)
    for room in rooms:
        by_floor[room.floor_id].append(room)
    return render(
        request,
        "space/buildings/detail.html",
        {
            "building": building,
            "floors": [(floor, by_floor[floor.pk]) for floor in floors],
            "can_edit": is_manager(request.user),
            "plan_form": FloorPlanForm(),
            "active_menu": ACTIVE,
        },
    )


def _floor(request, pk):
    return get_object_or_404(
        Floor.objects.filter(building__in=buildings_for(request.user)).select_related("building"),
        pk=pk,
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def floor_plan(request, pk):
    """The floor plan image, only to those who may see the building (never a media URL)."""
    floor = _floor(request, pk)
    return serve_file(floor.plan, filename=f"{floor}平面图")  # inline: shown in the page


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def floor_plan_upload(request, pk):
    floor = _floor(request, pk)
    form = FloorPlanForm(request.POST, request.FILES)
    back = reverse("space:building_detail", args=[floor.building_id]) + f"#floor-{floor.pk}"
    if form.is_valid():
        try:
            services.floor_plan_set(actor=request.user, floor=floor, file=form.cleaned_data["plan"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传 %(f)s 平面图。") % {"f": floor})
            return redirect(back)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, _("%(f)s 平面图未上传：%(e)s") % {"f": floor, "e": error})
    return redirect(back)


urlpatterns = [
    path("buildings/", building_list, name="building_list"),
    path("buildings/new/", building_create, name="building_create"),
    path("buildings/<int:pk>/", building_detail, name="building_detail"),
    path("buildings/<int:pk>/edit/", building_edit, name="building_edit"),
    path("floors/<int:pk>/plan/", floor_plan, name="floor_plan"),
    path("floors/<int:pk>/plan/upload/", floor_plan_upload, name="floor_plan_upload"),
]
