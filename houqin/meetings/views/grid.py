"""Room availability grid: rooms × half-hours for a day, or rooms × days for a week.

Rooms can be narrowed by building, kind and capacity, and come ROOMS_PER_PAGE at a time: the
grid is drawn cell by cell, so a center with 200 rooms must not cost four times one with 50.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Room
from ..selectors import availability, rooms_for

DAY_FROM = dt.time(8, 0)
DAY_UNTIL = dt.time(21, 0)
SLOT = dt.timedelta(minutes=30)
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ROOMS_PER_PAGE = 20


def _parse_day(request):
    raw = request.GET.get("date", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示今天。"))
    return timezone.localdate()


def _at(day, time):
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _label(item):
    """Text of a busy cell: agency short name + title, or 停用 + reason."""
    if hasattr(item, "title"):
        return f"{item.agency.short_name or item.agency.name} {item.title}"
    return _("停用：%(r)s") % {"r": item.reason}


def _day_rows(room_days, day, now):
    slots = []
    t = _at(day, DAY_FROM)
    end_of_day = _at(day, DAY_UNTIL)
    while t < end_of_day:
        slots.append(t)
        t += SLOT
    create = reverse("meetings:booking_create")
    rows = []
    for rd in room_days:
        room = rd.room
        opens, closes = _at(day, room.open_from), _at(day, room.open_until)
        busy = [("blocked", b) for b in rd.blocks] + [("busy", b) for b in rd.bookings]
        cells = []
        i = 0
        while i < len(slots):
            start = slots[i]
            end = start + SLOT
            hit = next(((k, b) for k, b in busy if b.starts_at < end and b.ends_at > start), None)
            if hit is not None:
                kind, item = hit
                span = 1
                while i + span < len(slots) and item.ends_at > slots[i + span]:
                    span += 1
                css = kind
                if kind == "busy" and item.status == item.Status.PENDING:
                    css = "pending"
                cells.append({"kind": css, "item": item, "span": span, "label": _label(item)})
                i += span
                continue
            if start < opens or end > closes:
                cells.append({"kind": "closed", "span": 1, "start": start})
            elif end <= now:
                cells.append({"kind": "past", "span": 1, "start": start})
            else:
                query = urlencode({"room": room.pk, "start": start.strftime("%Y-%m-%dT%H:%M")})
                cells.append(
                    {"kind": "free", "span": 1, "start": start, "url": f"{create}?{query}"}
                )
            i += 1
        rows.append({"room": room, "cells": cells})
    return slots, rows


def _week_rows(room_days, days):
    rows = []
    for rd in room_days:
        cells = []
        for day in days:
            start, end = _at(day, dt.time.min), _at(day + dt.timedelta(days=1), dt.time.min)
            items = [
                {"kind": "blocked", "item": b, "label": _label(b)}
                for b in rd.blocks
                if b.starts_at < end and b.ends_at > start
            ] + [
                {
                    "kind": "pending" if b.status == b.Status.PENDING else "busy",
                    "item": b,
                    "label": _label(b),
                }
                for b in rd.bookings
                if b.starts_at < end and b.ends_at > start
            ]
            cells.append({"day": day, "items": items})
        rows.append({"room": rd.room, "cells": cells})
    return rows


def _room_filters(request, rooms):
    """(filtered rooms, the filter values to show back, the building choices)."""
    buildings = sorted({b for b in rooms.values_list("building", flat=True).distinct() if b})
    building = request.GET.get("building", "")
    kind = request.GET.get("kind", "")
    seats = request.GET.get("seats", "")
    if building in buildings:
        rooms = rooms.filter(building=building)
    else:
        building = ""
    if kind in Room.Kind.values:
        rooms = rooms.filter(kind=kind)
    else:
        kind = ""
    if seats.isdigit() and 0 < int(seats) < 10_000:
        rooms = rooms.filter(capacity__gte=int(seats))
    elif seats:
        messages.warning(request, _("容纳人数应为正整数，已忽略。"))
        seats = ""
    chosen = {"building": building, "kind": kind, "seats": seats}
    return rooms, chosen, buildings


@login_required
@permission_required("meetings.view_room", raise_exception=True)
def grid(request):
    day = _parse_day(request)
    week = request.GET.get("view") == "week"
    now = timezone.now()
    rooms, chosen, buildings = _room_filters(request, rooms_for(request.user))
    page = Paginator(rooms, ROOMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "day": day,
        "week": week,
        "today": timezone.localdate(),
        "active_menu": "meetings_grid",
        "page_obj": page,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "buildings": buildings,
        "kinds": Room.Kind.choices,
    }
    if week:
        monday = day - dt.timedelta(days=day.weekday())
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        room_days = availability(
            request.user,
            _at(monday, dt.time.min),
            _at(monday + dt.timedelta(days=7), dt.time.min),
            rooms=page.object_list,
        )
        context.update(
            days=[{"date": d, "weekday": WEEKDAYS[d.weekday()]} for d in days],
            rows=_week_rows(room_days, days),
            prev_day=monday - dt.timedelta(days=7),
            next_day=monday + dt.timedelta(days=7),
        )
    else:
        room_days = availability(
            request.user, _at(day, DAY_FROM), _at(day, DAY_UNTIL), rooms=page.object_list
        )
        slots, rows = _day_rows(room_days, day, now)
        context.update(
            slots=slots,
            rows=rows,
            weekday=WEEKDAYS[day.weekday()],
            prev_day=day - dt.timedelta(days=1),
            next_day=day + dt.timedelta(days=1),
        )
    return render(request, "meetings/grid.html", context)
