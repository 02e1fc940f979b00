"""调度台: the dispatch queue, the vehicles × hours / drivers × hours timeline, 派车单."""

import datetime as dt
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from houqin.core.audit import record_event
from houqin.core.models import AuditEvent

from .. import services
from ..docs import DOCX_CONTENT_TYPE, trip_sheet_docx
from ..forms import DispatchForm, ReasonForm
from ..models import DriverShift, Trip, TripRequest, Vehicle
from .common import (
    DISPATCH_PERM,
    Availability,
    at,
    drivers_for,
    error_messages,
    form_error_messages,
    get_request_for_user,
    get_trip_for_user,
    is_dispatcher,
    parse_day,
    requests_for,
    vehicles_for,
)

HOURS = range(6, 23)  # timeline columns 06:00 … 22:00


def _timeline(rows, trips_by_key, day):
    """Rows of cells (one per hour, trips spanning several) for the template."""
    start_of = {h: at(day, dt.time(h)) for h in HOURS}
    out = []
    for key, label, extra in rows:
        trips = trips_by_key.get(key, [])
        cells = []
        hours = list(HOURS)
        i = 0
        while i < len(hours):
            start = start_of[hours[i]]
            end = start + dt.timedelta(hours=1)
            hit = next((t for t in trips if t.starts_at < end and t.ends_at > start), None)
            if hit is None:
                cells.append({"kind": "free", "span": 1, "trip": None})
                i += 1
                continue
            span = 1
            while i + span < len(hours) and hit.ends_at > start_of[hours[i + span]]:
                span += 1
            cells.append({"kind": hit.status, "span": span, "trip": hit})
            i += span
        out.append({"label": label, "extra": extra, "cells": cells})
    return out


@login_required
@permission_required(DISPATCH_PERM, raise_exception=True)
def board(request):
    user = request.user
    day = parse_day(request)
    day_start, day_end = at(day), at(day + dt.timedelta(days=1))
    queue = list(
        requests_for(user)
        .filter(
            status=TripRequest.Status.APPROVED, departs_at__lt=day_end, returns_at__gt=day_start
        )
        .order_by("departs_at")
    )
    vehicles = list(vehicles_for(user).exclude(status=Vehicle.Status.DISPOSED).order_by("plate"))
    drivers = sorted(drivers_for(user).filter(is_active=True), key=lambda d: str(d))
    window_start = min([day_start, *(r.departs_at for r in queue)])
    window_end = max([day_end, *(r.returns_at for r in queue)])
    busy = Availability(user.center_id, window_start, window_end)

    for r in queue:
        r.free_vehicles = [
            v
            for v in vehicles
            if v.seats - 1 >= r.passengers and busy.vehicle_free(v, r.departs_at, r.returns_at)
        ]
        r.free_drivers = [d for d in drivers if busy.driver_free(d, r.departs_at, r.returns_at)]
    if queue:
        merge_start = min(r.departs_at for r in queue)
        merge_end = max(r.returns_at for r in queue)
        merge_vehicles = [v for v in vehicles if busy.vehicle_free(v, merge_start, merge_end)]
        merge_drivers = [d for d in drivers if busy.driver_free(d, merge_start, merge_end)]
    else:
        merge_vehicles, merge_drivers = [], []

    day_trips = [t for t in busy.trips if t.starts_at < day_end and t.ends_at > day_start]
    by_vehicle, by_driver = defaultdict(list), defaultdict(list)
    for t in day_trips:
        by_vehicle[t.vehicle_id].append(t)
        by_driver[t.driver_id].append(t)
    sealed = {s.vehicle_id for s in busy.seals if s.starts_at < day_end and s.ends_at > day_start}
    vehicle_rows = _timeline(
        [
            (
                v.pk,
                v.plate,
                _("%(s)d座 %(st)s%(sealed)s")
                % {
                    "s": v.seats,
                    "st": v.get_status_display(),
                    "sealed": _("（封存）") if v.pk in sealed else "",
                },
            )
            for v in vehicles
        ],
        by_vehicle,
        day,
    )
    driver_rows = _timeline([(d.pk, str(d), "") for d in drivers], by_driver, day)
    # 今日在班驾驶员 (排班): one query whatever the number of shifts.
    on_shift = list(
        DriverShift.objects.filter(center_id=user.center_id, date=day)
        .select_related("driver__user__person", "driver__team")
        .order_by("kind", "driver__team__name", "driver_id")
    )
    return render(
        request,
        "fleet/board.html",
        {
            "day": day,
            "today": timezone.localdate(),
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "queue": queue,
            "merge_vehicles": merge_vehicles,
            "merge_drivers": merge_drivers,
            "hours": [f"{h:02d}" for h in HOURS],
            "vehicle_rows": vehicle_rows,
            "driver_rows": driver_rows,
            "on_shift": on_shift,
            "active_menu": "fleet_board",
        },
    )


def _board_url(request):
    day = request.POST.get("date", "")
    url = reverse("fleet:board")
    try:
        return f"{url}?date={dt.date.fromisoformat(day).isoformat()}"
    except ValueError:
        return url


@login_required
@permission_required(DISPATCH_PERM, raise_exception=True)
@require_POST
def dispatch(request):
    user = request.user
    form = DispatchForm(
        request.POST,
        requests=requests_for(user).filter(status=TripRequest.Status.APPROVED),
        vehicles=vehicles_for(user),
        drivers=drivers_for(user),
    )
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(_board_url(request))
    try:
        trip = services.trip_dispatch(
            actor=user,
            requests=list(form.cleaned_data["requests"]),
            vehicle=form.cleaned_data["vehicle"],
            driver=form.cleaned_data["driver"],
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect(_board_url(request))
    messages.success(request, _("已派车，派车单号 %(n)s。") % {"n": trip.number})
    return redirect("fleet:trip_detail", pk=trip.pk)


@login_required
@permission_required(DISPATCH_PERM, raise_exception=True)
@require_POST
def request_unmet(request, pk):
    trip_request = get_request_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写无车可派的原因。"))
        return redirect(_board_url(request))
    try:
        services.trip_request_mark_unmet(
            actor=request.user, request=trip_request, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("已标记为无车可派：%(p)s") % {"p": trip_request.purpose})
    return redirect(_board_url(request))


def _trip_requests(trip):
    return list(trip.requests.select_related("agency", "requester__person").order_by("departs_at"))


@login_required
@permission_required("fleet.view_trip", raise_exception=True)
def trip_detail(request, pk):
    trip = get_trip_for_user(request.user, pk)
    dispatcher = is_dispatcher(request.user)
    return render(
        request,
        "fleet/trip_detail.html",
        {
            "trip": trip,
            "requests": _trip_requests(trip),
            "fuel_records": list(trip.fuel_records.order_by("date", "pk")),
            "can_cancel": dispatcher and trip.status == Trip.Status.SCHEDULED,
            "is_driver": trip.driver.user_id == request.user.pk,
            "cancel_form": ReasonForm(),
            "reassign_vehicles": list(vehicles_for(request.user, include_disposed=False))
            if dispatcher and trip.status == Trip.Status.SCHEDULED
            else [],
            "reassign_drivers": list(drivers_for(request.user, active_only=True))
            if dispatcher and trip.status == Trip.Status.SCHEDULED
            else [],
            "active_menu": "fleet_board" if dispatcher else "fleet_my_trips",
        },
    )


@login_required
@permission_required(DISPATCH_PERM, raise_exception=True)
@require_POST
def trip_cancel(request, pk):
    trip = get_trip_for_user(request.user, pk)
    try:
        services.trip_cancel(
            actor=request.user, trip=trip, reason=request.POST.get("reason", "").strip()
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("已取消派车单，相关申请已退回待派车。"))
    return redirect("fleet:trip_detail", pk=trip.pk)


@login_required
@permission_required("fleet.view_trip", raise_exception=True)
def trip_sheet(request, pk):
    trip = get_trip_for_user(request.user, pk)
    content = trip_sheet_docx(trip, _trip_requests(trip))
    record_event(AuditEvent.Kind.EXPORT, request=request, model="fleet.Trip", rows=1, pk=trip.pk)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{trip.number}.docx"'
    return response


class ReassignForm(forms.Form):
    vehicle = forms.ModelChoiceField(
        queryset=None,
        error_messages={"required": _l("请选择车辆。"), "invalid_choice": _l("请选择车辆。")},
    )
    driver = forms.ModelChoiceField(
        queryset=None,
        error_messages={"required": _l("请选择驾驶员。"), "invalid_choice": _l("请选择驾驶员。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles_for(user, include_disposed=False)
        self.fields["driver"].queryset = drivers_for(user)


@login_required
@permission_required(DISPATCH_PERM, raise_exception=True)
@require_POST
def trip_reassign(request, pk):
    trip = get_trip_for_user(request.user, pk)
    form = ReassignForm(request.POST, user=request.user)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("fleet:trip_detail", pk=trip.pk)
    try:
        trip = services.trip_reassign(actor=request.user, trip=trip, **form.cleaned_data)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("已改派：%(v)s，驾驶员 %(d)s。") % {"v": trip.vehicle.plate, "d": trip.driver},
        )
    return redirect("fleet:trip_detail", pk=trip.pk)
