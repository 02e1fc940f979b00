"""Room availability grid: rooms × half-hours for a day, or rooms × days for a week."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..selectors import availability

DAY_FROM = dt.time(8, 0)
DAY_UNTIL = dt.time(21, 0)
SLOT = dt.timedelta(minutes=30)
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


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


@login_required
@permission_required("meetings.view_room", raise_exception=True)
def grid(request):
    day = _parse_day(request)
    week = request.GET.get("view") == "week"
    now = timezone.now()
    context = {
        "day": day,
        "week": week,
        "today": timezone.localdate(),
        "active_menu": "meetings_grid",
    }
    if week:
        monday = day - dt.timedelta(days=day.weekday())
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        room_days = availability(
            request.user, _at(monday, dt.time.min), _at(monday + dt.timedelta(days=7), dt.time.min)
        )
        context.update(
            days=[{"date": d, "weekday": WEEKDAYS[d.weekday()]} for d in days],
            rows=_week_rows(room_days, days),
            prev_day=monday - dt.timedelta(days=7),
            next_day=monday + dt.timedelta(days=7),
        )
    else:
        room_days = availability(request.user, _at(day, DAY_FROM), _at(day, DAY_UNTIL))
        slots, rows = _day_rows(room_days, day, now)
        context.update(
            slots=slots,
            rows=rows,
            weekday=WEEKDAYS[day.weekday()],
            prev_day=day - dt.timedelta(days=1),
            next_day=day + dt.timedelta(days=1),
        )
    return render(request, "meetings/grid.html", context)
