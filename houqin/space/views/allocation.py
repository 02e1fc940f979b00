"""Allocation actions on a room, for space managers: allocate it to an agency, vacate it (its
people move out the same day), add an occupant, end an occupancy, move an occupant to
another office of the same agency.

Each URL shows its form on GET (the room detail page embeds the first three) and calls one
service on POST; a refused action comes back on the form with the service's Chinese message
and nothing written. The URL patterns are included by views/rooms.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from houqin.core.forms import apply_errors

from ..forms.allocation import (
    AllocateForm,
    OccupancyAddForm,
    OccupancyEndForm,
    OccupancyMoveForm,
    VacateForm,
)
from ..selectors import occupancies_for, rooms_for
from ..services import allocation as services

EDIT_PERM = "space.change_spaceroom"
ACTIVE = "space_rooms"


def _room(request, pk):
    return get_object_or_404(rooms_for(request.user), pk=pk)


def _occupancy(request, pk):
    return get_object_or_404(occupancies_for(request.user).select_related("room__floor"), pk=pk)


def _page(request, form, room, *, title, submit, confirm="", warning=None, people=()):
    return render(
        request,
        "space/rooms/action.html",
        {
            "form": form,
            "room": room,
            "title": title,
            "submit": submit,
            "confirm": confirm,
            "warning": warning,
            "people": people,
            "active_menu": ACTIVE,
        },
        status=422 if form.errors else 200,
    )


def _run(form, call):
    """Call the service; its ValidationError goes onto the form. True when it succeeded."""
    try:
        call()
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def room_allocate(request, pk):
    room = _room(request, pk)
    form = AllocateForm(request.POST or None, center_id=room.center_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.allocation_create(
                actor=request.user,
                room=room,
                agency=data["agency"],
                start_date=data["start_date"],
                certificate_no=data["certificate_no"],
                certificate_date=data["certificate_date"],
                note=data["note"],
                source=data["source"],
            ),
        ):
            messages.success(
                request, _("已将房间 %(r)s 分配给%(a)s。") % {"r": room, "a": data["agency"]}
            )
            return redirect("space:room_detail", pk=room.pk)
    return _page(request, form, room, title=_("分配房间"), submit=_("分配"))


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def room_vacate(request, pk):
    room = _room(request, pk)
    form = VacateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        end_date = form.cleaned_data["end_date"]
        if _run(
            form,
            lambda: services.allocation_vacate(actor=request.user, room=room, end_date=end_date),
        ):
            messages.success(request, _("房间 %(r)s 已腾退，转为闲置。") % {"r": room})
            return redirect("space:room_detail", pk=room.pk)
    people = [
        o.person for o in room.occupancies.filter(end_date__isnull=True).select_related("person")
    ]
    return _page(
        request,
        form,
        room,
        title=_("腾退房间"),
        submit=_("腾退"),
        confirm=_("确定腾退该房间？房间内的使用人将同日迁出。"),
        warning=_("腾退后，以下使用人将在腾退日期同日迁出：") if people else None,
        people=people,
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def occupancy_add(request, pk):
    room = _room(request, pk)
    allocation = services.current_allocation(room)
    if allocation is None:
        messages.error(request, _("房间 %(r)s 尚未分配给任何单位，请先分配。") % {"r": room})
        return redirect("space:room_detail", pk=room.pk)
    form = OccupancyAddForm(request.POST or None, room=room, agency=allocation.agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.occupancy_add(
                actor=request.user,
                room=room,
                person=data["person"],
                start_date=data["start_date"],
                note=data["note"],
            ),
        ):
            messages.success(
                request, _("已安排 %(p)s 在房间 %(r)s 办公。") % {"p": data["person"], "r": room}
            )
            return redirect("space:room_detail", pk=room.pk)
    return _page(request, form, room, title=_("安排使用人"), submit=_("安排"))


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def occupancy_end(request, pk):
    occupancy = _occupancy(request, pk)
    form = OccupancyEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        end_date = form.cleaned_data["end_date"]
        if _run(
            form,
            lambda: services.occupancy_end(
                actor=request.user, occupancy=occupancy, end_date=end_date
            ),
        ):
            messages.success(
                request,
                _("%(p)s 已迁出房间 %(r)s。") % {"p": occupancy.person, "r": occupancy.room},
            )
            return redirect("space:room_detail", pk=occupancy.room_id)
    return _page(
        request,
        form,
        occupancy.room,
        title=_("%(p)s 迁出") % {"p": occupancy.person.name},
        submit=_("迁出"),
        confirm=_("确定办理迁出？"),
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def occupancy_move(request, pk):
    occupancy = _occupancy(request, pk)
    form = OccupancyMoveForm(request.POST or None, occupancy=occupancy)
    if request.method == "POST" and form.is_valid():
        target, date = form.cleaned_data["room"], form.cleaned_data["date"]
        if _run(
            form,
            lambda: services.occupancy_move(
                actor=request.user, occupancy=occupancy, room=target, date=date
            ),
        ):
            messages.success(
                request,
                _("%(p)s 已调整到房间 %(r)s。") % {"p": occupancy.person, "r": target},
            )
            return redirect(reverse("space:room_detail", args=[target.pk]))
    return _page(
        request,
        form,
        occupancy.room,
        title=_("调整 %(p)s 的办公室") % {"p": occupancy.person.name},
        submit=_("调整"),
    )


urlpatterns = [
    path("rooms/<int:pk>/allocate/", room_allocate, name="room_allocate"),
    path("rooms/<int:pk>/vacate/", room_vacate, name="room_vacate"),
    path("rooms/<int:pk>/occupants/add/", occupancy_add, name="occupancy_add"),
    path("occupancies/<int:pk>/end/", occupancy_end, name="occupancy_end"),
    path("occupancies/<int:pk>/move/", occupancy_move, name="occupancy_move"),
]
