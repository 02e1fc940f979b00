"""值班排班 pages: the week grid (?week=YYYY-MM-DD: rows are shifts grouped by post, columns
the 7 days, coverage gaps in red above it, the user's own duties highlighted), assigning and
removing people, copying last week; the shift list and its create/edit forms.

Security managers edit; guards, center admins and leaders read the grid; other staff get 403,
another center's rows 404. Thin: parse, fetch through the scoped selectors, call one service.
"""

import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..forms.rosters import AssignForm, CopyWeekForm, ShiftForm
from ..models.rosters import Post
from ..selectors import roster_for, shifts_for, works_gate
from ..services import rosters as services

VIEW_PERM = "security.view_rosterentry"
ASSIGN_PERM = "security.add_rosterentry"
REMOVE_PERM = "security.delete_rosterentry"
ACTIVE = "security_roster"
WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def _roster_columns():
    return [
        Column("date", _("日期"), width=12),
        Column("weekday", _("星期"), width=6),
        Column("post", _("岗位"), width=12),
        Column("shift", _("班次"), width=10),
        Column("time", _("时间"), width=14),
        Column("user", _("值班人员"), width=14),
        Column("note", _("备注"), width=24),
    ]


def _shift_columns():
    return [
        Column("post", _("岗位"), width=12),
        Column("name", _("班次"), width=10),
        Column("start", _("开始"), width=8),
        Column("end", _("结束"), width=8),
        Column("hours", _("时长（小时）"), width=10),
        Column("min_staff", _("最少人数"), width=8),
        Column("is_active", _("启用"), width=6),
    ]


def _gate_staff(view):
    """The roster is gate work: a user outside the security roles of a center gets 403."""

    def wrapped(request, *args, **kwargs):
        if not works_gate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _parse_day(value):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _week_url(monday):
    return f"{reverse('security:roster')}?{urlencode({'week': monday.isoformat()})}"


def _time_label(shift):
    overnight = _("次日") if shift.end <= shift.start else ""
    return f"{shift.start:%H:%M}–{overnight}{shift.end:%H:%M}"


def _assign_form(request, data=None, initial=None):
    return AssignForm(
        data,
        initial=initial,
        shifts=shifts_for(request.user).filter(is_active=True).order_by("post", "start", "id"),
        users=services.eligible_users(request.user.center_id),
    )


def _gap_groups(gaps):
    """Uncovered holes repeat every day the shifts are the same: group them by post and time."""
    uncovered = defaultdict(list)
    understaffed = []
    for gap in gaps:
        if gap.kind == gap.UNCOVERED:
            end = "24:00" if gap.end.date() > gap.date else f"{gap.end:%H:%M}"
            uncovered[(gap.post_label, f"{gap.start:%H:%M}", end)].append(gap.date)
        else:
            understaffed.append(gap)
    holes = [
        {"post": post, "start": start, "end": end, "days": days}
        for (post, start, end), days in uncovered.items()
    ]
    return holes, understaffed


def _week_context(request, monday):
    user = request.user
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    shifts = list(shifts_for(user).filter(is_active=True).order_by("post", "start", "id"))
    entries = list(
        roster_for(user)
        .filter(date__range=(days[0], days[-1]), shift__is_active=True)
        .order_by("date", "shift__start", "user__person__name", "id")
    )
    cells = defaultdict(list)
    mine = []
    for entry in entries:
        cells[(entry.shift_id, entry.date)].append(entry)
        if entry.user_id == user.pk:
            mine.append(entry)
    groups = []
    for post in Post.values:
        rows = [
            {
                "shift": shift,
                "time": _time_label(shift),
                "cells": [
                    {
                        "day": day,
                        "entries": cells[(shift.pk, day)],
                        "short": len(cells[(shift.pk, day)]) < shift.min_staff,
                        "mine": any(e.user_id == user.pk for e in cells[(shift.pk, day)]),
                    }
                    for day in days
                ],
            }
            for shift in shifts
            if shift.post == post
        ]
        if rows:
            groups.append({"label": Post(post).label, "rows": rows})
    gaps = services.roster_gaps(user.center_id, days[0], days[-1])
    holes, understaffed = _gap_groups(gaps)
    today = timezone.localdate()
    return {
        "monday": monday,
        "days": [
            {"date": d, "weekday": WEEKDAYS[i], "today": d == today} for i, d in enumerate(days)
        ],
        "groups": groups,
        "holes": holes,
        "understaffed": understaffed,
        "mine": [
            {"entry": e, "weekday": WEEKDAYS[e.date.weekday()], "time": _time_label(e.shift)}
            for e in mine
        ],
        "entry_count": len(entries),
        "prev_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
        "this_week": services.monday_of(today),
        "can_edit": user.has_perm(ASSIGN_PERM),
        "can_remove": user.has_perm(REMOVE_PERM),
        "can_shifts": user.has_perm("security.view_shift"),
        "active_menu": ACTIVE,
    }


def _week_page(request, monday, form=None, status=200):
    context = _week_context(request, monday)
    if context["can_edit"]:
        context["assign_form"] = form or _assign_form(request, initial={"date": monday})
    return render(request, "security/roster/week.html", context, status=status)


def _export_week(request, monday):
    entries = list(
        roster_for(request.user)
        .filter(date__range=(monday, monday + dt.timedelta(days=6)), shift__is_active=True)
        .order_by("date", "shift__post", "shift__start", "user__person__name", "id")
    )
    rows = [
        [
            e.date,
            str(WEEKDAYS[e.date.weekday()]),
            str(e.shift.get_post_display()),
            e.shift.name,
            _time_label(e.shift),
            e.user.display_name,
            e.note,
        ]
        for e in entries
    ]
    record_export(request, "security.RosterEntry", rows=len(rows))
    title = _("值班表 %(d)s 起") % {"d": monday.isoformat()}
    return xlsx_response(build_workbook(_("值班表"), _roster_columns(), rows), title)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@_gate_staff
def roster(request):
    day = _parse_day(request.GET.get("week")) or timezone.localdate()
    monday = services.monday_of(day)
    if request.GET.get("export") == "xlsx":
        return _export_week(request, monday)
    return _week_page(request, monday)


@require_POST
@login_required
@permission_required(ASSIGN_PERM, raise_exception=True)
@_gate_staff
def roster_assign(request):
    form = _assign_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.roster_assign(
                actor=request.user,
                shift=data["shift"],
                date=data["date"],
                user=data["user"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已安排 %(u)s %(d)s %(s)s。")
                % {"u": entry.user.display_name, "d": entry.date.isoformat(), "s": entry.shift},
            )
            return redirect(_week_url(services.monday_of(entry.date)))
    day = form.cleaned_data.get("date") or _parse_day(request.POST.get("date"))
    monday = services.monday_of(day or timezone.localdate())
    return _week_page(request, monday, form=form, status=422)


@require_POST
@login_required
@permission_required(REMOVE_PERM, raise_exception=True)
@_gate_staff
def roster_remove(request, pk):
    entry = get_object_or_404(roster_for(request.user), pk=pk)
    monday = services.monday_of(entry.date)
    label = _("%(u)s %(d)s %(s)s") % {
        "u": entry.user.display_name,
        "d": entry.date.isoformat(),
        "s": entry.shift,
    }
    services.roster_remove(actor=request.user, entry=entry)
    messages.success(request, _("已取消排班：%(l)s。") % {"l": label})
    return redirect(_week_url(monday))


@require_POST
@login_required
@permission_required(ASSIGN_PERM, raise_exception=True)
@_gate_staff
def roster_copy_week(request):
    form = CopyWeekForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("week", []):
            messages.error(request, error)
        return redirect("security:roster")
    to_monday = services.monday_of(form.cleaned_data["week"])
    try:
        result = services.roster_copy_week(
            actor=request.user,
            center=request.user.center,
            from_monday=to_monday - dt.timedelta(days=7),
            to_monday=to_monday,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if result["copied"] or result["skipped"]:
            messages.success(
                request,
                _("已从上周复制 %(c)s 条排班，跳过 %(s)s 条（重复、时间冲突或人员不可值班）。")
                % {"c": result["copied"], "s": result["skipped"]},
            )
        else:
            messages.warning(request, _("上周没有排班，未复制任何内容。"))
    return redirect(_week_url(to_monday))


# ---------------------------------------------------------------- shifts


@login_required
@permission_required("security.view_shift", raise_exception=True)
@_gate_staff
def shift_list(request):
    shifts = list(shifts_for(request.user).order_by("-is_active", "post", "start", "id"))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                str(s.get_post_display()),
                s.name,
                f"{s.start:%H:%M}",
                f"{s.end:%H:%M}",
                services.shift_hours(s),
                s.min_staff,
                _("是") if s.is_active else _("否"),
            ]
            for s in shifts
        ]
        record_export(request, "security.Shift", rows=len(rows))
        return xlsx_response(build_workbook(_("班次"), _shift_columns(), rows), _("班次"))
    rows = [{"shift": s, "time": _time_label(s), "hours": services.shift_hours(s)} for s in shifts]
    return render(
        request,
        "security/roster/shift_list.html",
        {
            "rows": rows,
            "can_edit": request.user.has_perm("security.change_shift"),
            "can_add": request.user.has_perm("security.add_shift"),
            "active_menu": ACTIVE,
        },
    )


def _shift_form_page(request, form, shift=None):
    title = _("编辑班次") if shift else _("新建班次")
    return render(
        request,
        "security/roster/shift_form.html",
        {"form": form, "shift": shift, "title": title, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("security.add_shift", raise_exception=True)
@_gate_staff
def shift_create(request):
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建班次 %(s)s。") % {"s": shift})
            return redirect("security:shift_list")
    return _shift_form_page(request, form)


@login_required
@permission_required("security.change_shift", raise_exception=True)
@_gate_staff
def shift_edit(request, pk):
    shift = get_object_or_404(shifts_for(request.user), pk=pk)
    if request.method == "POST":
        form = ShiftForm(request.POST)
        if form.is_valid():
            try:
                services.shift_update(actor=request.user, shift=shift, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存班次 %(s)s。") % {"s": shift.name})
                return redirect("security:shift_list")
    else:
        form = ShiftForm(initial={name: getattr(shift, name) for name in ShiftForm.FIELDS})
    return _shift_form_page(request, form, shift)


urlpatterns = [
    path("roster/", roster, name="roster"),
    path("roster/assign/", roster_assign, name="roster_assign"),
    path("roster/<int:pk>/remove/", roster_remove, name="roster_remove"),
    path("roster/copy-week/", roster_copy_week, name="roster_copy_week"),
    path("shifts/", shift_list, name="shift_list"),
    path("shifts/new/", shift_create, name="shift_create"),
    path("shifts/<int:pk>/edit/", shift_edit, name="shift_edit"),
]
