"""房间台账 pages: the list (filters, xlsx), create/edit, under-repair toggle, the detail page
(holder, people and their share, history) and the xlsx import with its template. The
allocation actions on a room are in views/allocation.py; their URLs are listed here too.

Thin: parse, fetch through the scoped selectors (another center's room is a 404; a liaison
sees their agency's rooms only), call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, ImportFileError, build_workbook, xlsx_response

from ..compliance import CENT, compliance
from ..filters.rooms import RoomFilter
from ..forms.allocation import AllocateForm, OccupancyAddForm, VacateForm
from ..forms.register import RoomForm, RoomImportForm
from ..models import SpaceRoom, SubUse, UseKind
from ..models.buildings import SUB_USE_KIND
from ..selectors import (
    allocations_for,
    buildings_for,
    is_manager,
    occupancies_for,
    rooms_for,
    rooms_with_holder,
)
from ..services import register as services
from ..tables.register import RoomTable
from .allocation import urlpatterns as allocation_urlpatterns

VIEW_PERM = "space.view_spaceroom"
ADD_PERM = "space.add_spaceroom"
EDIT_PERM = "space.change_spaceroom"
PAGE_SIZE = 50
HISTORY_LIMIT = 100
ACTIVE = "space_rooms"

COLUMNS = [
    Column("building", _("楼栋"), width=16),
    Column("floor", _("楼层"), width=8),
    Column("number", _("房间号"), width=10),
    Column("name", _("房间名称"), width=18),
    Column("use_kind", _("用房类别"), width=12),
    Column("sub_use", _("具体用途"), width=10),
    Column("usable_area", _("使用面积（㎡）"), width=14),
    Column("capacity", _("核定使用人数"), width=12),
    Column("people", _("现有人数"), width=10),
    Column("holder", _("使用单位"), width=20),
    Column("status", _("状态"), width=8),
    Column("notes", _("备注"), width=24),
]


def _room(request, pk):
    return get_object_or_404(rooms_for(request.user), pk=pk)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def room_list(request):
    rooms = rooms_for(request.user)
    filterset = RoomFilter(request.GET, queryset=rooms_with_holder(rooms), rooms=rooms)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                r.building.name,
                r.floor.name,
                r.number,
                r.name,
                r.get_use_kind_display(),
                r.get_sub_use_display(),
                r.usable_area,
                r.capacity,
                r.people,
                r.holder_name or "",
                r.get_status_display(),
                r.notes,
            ]
            for r in filterset.qs.order_by(*SpaceRoom._meta.ordering)
        ]
        record_export(request, "space.SpaceRoom", rows=len(rows))
        return xlsx_response(build_workbook(_("房间台账"), COLUMNS, rows), _("房间台账"))
    table = RoomTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "space/rooms/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": table,
            "filter": filterset,
            "can_edit": is_manager(request.user),
            "active_menu": ACTIVE,
        },
    )


def _form_page(request, form, room=None, building=None):
    title = _("编辑房间") if room else _("登记房间")
    return render(
        request,
        "space/rooms/form.html",
        {
            "form": form,
            "room": room,
            "building": building,
            "title": title,
            "active_menu": ACTIVE,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def room_create(request):
    buildings = buildings_for(request.user).filter(is_active=True)
    building = None
    if request.GET.get("building"):
        building = get_object_or_404(buildings, pk=request.GET["building"])
    form = RoomForm(request.POST or None, buildings=buildings, building=building)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(
                actor=request.user, building=form.chosen_building(), **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记房间 %(r)s。") % {"r": room})
            return redirect("space:room_detail", pk=room.pk)
    return _form_page(request, form, building=building)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def room_edit(request, pk):
    room = _room(request, pk)
    buildings = buildings_for(request.user)
    if request.method == "POST":
        form = RoomForm(request.POST, buildings=buildings, building=room.building)
        if form.is_valid():
            try:
                services.room_update(actor=request.user, room=room, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存房间信息。"))
                return redirect("space:room_detail", pk=room.pk)
    else:
        form = RoomForm(
            initial=RoomForm.initial_for(room), buildings=buildings, building=room.building
        )
    return _form_page(request, form, room=room, building=room.building)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def room_repair(request, pk):
    room = _room(request, pk)
    repair = request.POST.get("repair") == "1"
    room = services.room_set_repair(actor=request.user, room=room, repair=repair)
    if repair:
        messages.success(request, _("房间 %(r)s 已标记为维修中，暂停分配。") % {"r": room})
    else:
        messages.success(request, _("房间 %(r)s 已恢复使用。") % {"r": room})
    return redirect("space:room_detail", pk=room.pk)


def _occupants(room, allocation):
    """The people in the room now, each with their share of it and, from the compliance
    picture of the holder, their total office area, limit and excess."""
    current = list(
        room.occupancies.filter(end_date__isnull=True)
        .select_related("person__rank", "person__agency")
        .order_by("start_date", "id")
    )
    if not current:
        return []
    report = compliance(room.center_id, agency=allocation.agency if allocation else None)
    rows = {row.person.pk: row for row in report.people}
    share = (room.usable_area / len(current)).quantize(CENT)
    return [(occupancy, share, rows.get(occupancy.person_id)) for occupancy in current]


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def room_detail(request, pk):
    room = _room(request, pk)
    allocation = (
        room.allocations.filter(end_date__isnull=True)
        .select_related("agency", "created_by")
        .first()
    )
    occupants = _occupants(room, allocation)
    can_edit = is_manager(request.user)
    context = {
        "room": room,
        "allocation": allocation,
        "occupants": occupants,
        "allocations": list(
            allocations_for(request.user)
            .filter(room=room)
            .select_related("created_by__person")
            .order_by("-start_date", "-id")[:HISTORY_LIMIT]
        ),
        "occupancies": list(
            occupancies_for(request.user)
            .filter(room=room)
            .order_by("-start_date", "-id")[:HISTORY_LIMIT]
        ),
        "can_edit": can_edit,
        "active_menu": ACTIVE,
    }
    if can_edit:
        context["allocate_form"] = AllocateForm(center_id=room.center_id)
        context["vacate_form"] = VacateForm()
        has_desk = room.use_kind == UseKind.OFFICE and len(occupants) < room.capacity
        if allocation is not None and has_desk:
            context["occupant_form"] = OccupancyAddForm(room=room, agency=allocation.agency)
    return render(request, "space/rooms/detail.html", context)


# ------------------------------------------------------------------ import


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def room_import_template(request):
    return xlsx_response(import_template(request.user), _("房间导入模板"))


def import_template(user):
    """The import workbook: the columns with an example row, and a 填写说明 sheet listing the
    columns, the center's buildings with their floors, and the kinds of each use."""
    buildings = list(buildings_for(user).filter(is_active=True).prefetch_related("floors"))
    example_building = buildings[0].name if buildings else "行政中心大楼"
    example = [[example_building, "3", "301", "办公室", "18.00", "办公室用房", "办公室", "1", ""]]
    workbook = build_workbook("房间", services.ROOM_COLUMNS, example)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "是否必填", "说明"])
    for col in services.ROOM_COLUMNS:
        notes.append([col.header, "必填" if col.required else "选填", col.help])
    notes.append([])
    notes.append(["可用楼栋", "编号", "楼层（层号）"])
    for building in buildings:
        levels = "、".join(
            str(f.level) for f in sorted(building.floors.all(), key=lambda f: f.level)
        )
        notes.append([building.name, building.code, levels])
    notes.append([])
    notes.append(["具体用途", "用房类别"])
    for value, label in SubUse.choices:
        kind = SUB_USE_KIND.get(value)
        notes.append([str(label), str(UseKind(kind).label) if kind else "须填写用房类别"])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 14
    notes.column_dimensions["C"].width = 60
    return workbook


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def room_import(request):
    posted = request.method == "POST"
    form = RoomImportForm(request.POST, request.FILES) if posted else RoomImportForm()
    context = {"form": form, "columns": services.ROOM_COLUMNS, "active_menu": ACTIVE}
    if posted and form.is_valid():
        try:
            count = services.rooms_import(
                actor=request.user,
                center=request.user.center,
                uploaded=form.cleaned_data["file"],
                request=request,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except services.ImportRowsError as exc:
            context["row_errors"] = exc.errors
            context["error_rows"] = len({row for row, _msg in exc.errors})
        else:
            messages.success(request, _("导入成功：新增 %(n)d 个房间。") % {"n": count})
            return redirect("space:room_list")
    status = 422 if form.errors or context.get("row_errors") else 200
    return render(request, "space/rooms/import.html", context, status=status)


urlpatterns = [
    path("rooms/", room_list, name="room_list"),
    path("rooms/new/", room_create, name="room_create"),
    path("rooms/import/", room_import, name="room_import"),
    path("rooms/import/template/", room_import_template, name="room_import_template"),
    path("rooms/<int:pk>/", room_detail, name="room_detail"),
    path("rooms/<int:pk>/edit/", room_edit, name="room_edit"),
    path("rooms/<int:pk>/repair/", room_repair, name="room_repair"),
    *allocation_urlpatterns,
]
