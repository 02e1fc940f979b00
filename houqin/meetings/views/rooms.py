"""Room management (meeting manager): list, create, edit, maintenance blocks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from .. import services
from ..filters import RoomFilter
from ..forms import BlockForm, RoomForm
from ..models import RoomBlock
from ..permissions import get_room_for_user
from ..selectors import rooms_for
from ..tables import RoomTable

PAGE_SIZE = 50
PERM = "meetings.change_room"


@login_required
@permission_required(PERM, raise_exception=True)
def room_list(request):
    filterset = RoomFilter(
        request.GET, queryset=rooms_for(request.user, include_inactive=True), request=request
    )
    if request.GET.get("export") == "xlsx":
        rows = filterset.qs
        record_event(
            AuditEvent.Kind.EXPORT,
            request=request,
            model="meetings.Room",
            rows=rows.count(),
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
        columns = [
            Column("name", _("名称"), width=18),
            Column("code", _("编号")),
            Column("kind", _("类型")),
            Column("building", _("楼栋")),
            Column("floor", _("楼层"), width=8),
            Column("capacity", _("容纳人数"), width=10),
            Column("equipment", _("设备"), width=30),
            Column("hours", _("开放时间")),
            Column("approval", _("预订须审批"), width=10),
            Column("bookable_by", _("可预订人员"), width=16),
            Column("active", _("启用"), width=8),
        ]
        data = [
            [
                r.name,
                r.code,
                r.get_kind_display(),
                r.building,
                r.floor,
                r.capacity,
                r.equipment,
                f"{r.open_from:%H:%M}–{r.open_until:%H:%M}",
                _("是") if r.requires_approval else _("否"),
                r.get_bookable_by_display(),
                _("是") if r.is_active else _("否"),
            ]
            for r in rows
        ]
        return xlsx_response(build_workbook(_("会议室"), columns, data), _("会议室"))
    table = RoomTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "meetings/room_list.html#results" if request.htmx else "meetings/room_list.html"
    return render(
        request, template, {"table": table, "filter": filterset, "active_menu": "meetings_rooms"}
    )


@login_required
@permission_required(PERM, raise_exception=True)
def room_create(request):
    form = RoomForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(
                actor=request.user, center=request.user.center, **form.room_fields()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增会议室“%(name)s”。") % {"name": room.name})
            return redirect("meetings:room_edit", pk=room.pk)
    return render(
        request,
        "meetings/room_form.html",
        {"form": form, "title": _("新增会议室"), "active_menu": "meetings_rooms"},
    )


def _room_page(request, room, form, block_form):
    blocks = room.blocks.filter(ends_at__gt=timezone.now()).order_by("starts_at")
    return render(
        request,
        "meetings/room_form.html",
        {
            "form": form,
            "room": room,
            "blocks": blocks,
            "block_form": block_form,
            "title": _("编辑会议室"),
            "active_menu": "meetings_rooms",
        },
    )


@login_required
@permission_required(PERM, raise_exception=True)
def room_edit(request, pk):
    room = get_room_for_user(request.user, pk, include_inactive=True)
    form = RoomForm(request.POST or None, request.FILES or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            # The form mutated `room` in _post_clean; give the service a fresh copy.
            services.room_update(
                actor=request.user,
                room=get_room_for_user(request.user, pk, include_inactive=True),
                **form.room_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("meetings:room_edit", pk=pk)
        room = get_room_for_user(request.user, pk, include_inactive=True)
    return _room_page(request, room, form, BlockForm())


@login_required
@permission_required(PERM, raise_exception=True)
def room_block_create(request, pk):
    room = get_room_for_user(request.user, pk, include_inactive=True)
    if request.method != "POST":
        return redirect("meetings:room_edit", pk=pk)
    block_form = BlockForm(request.POST)
    if block_form.is_valid():
        try:
            services.room_block_create(actor=request.user, room=room, **block_form.cleaned_data)
        except ValidationError as exc:
            apply_errors(block_form, exc)
        else:
            messages.success(request, _("已添加停用时段。"))
            return redirect("meetings:room_edit", pk=pk)
    return _room_page(request, room, RoomForm(instance=room), block_form)


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def room_block_delete(request, pk):
    block = get_object_or_404(
        RoomBlock.objects.select_related("room"),
        pk=pk,
        room__in=rooms_for(request.user, include_inactive=True),
    )
    services.room_block_delete(actor=request.user, block=block)
    messages.success(request, _("已删除停用时段。"))
    return redirect("meetings:room_edit", pk=block.room_id)
