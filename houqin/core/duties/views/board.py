"""The overdue / compliance board: per plan, due vs done on time vs late vs missed in a month."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.audit import record_event
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..models import DutyPlan
from ..permissions import EXPORT_RECORDS, VIEW_TASKS
from ..recurrence import month_bounds
from ..selectors import compliance, overdue_tasks
from .common import month_or_current, shift_month

OVERDUE_LIMIT = 50
BOARD_COLUMNS = [
    Column("title", "计划", width=28),
    Column("category", "类别"),
    Column("frequency", "频次"),
    Column("due", "应完成", width=10),
    Column("on_time", "按时完成", width=10),
    Column("late", "逾期完成", width=10),
    Column("missed", "逾期未完成", width=12),
    Column("open", "进行中", width=10),
    Column("upcoming", "未到期", width=10),
    Column("rate", "按时率", width=10),
    Column("summary", "说明", width=40),
]


class BoardForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("月份"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("类别"),
        required=False,
        choices=[("", gettext_lazy("全部")), *DutyPlan.Category.choices],
    )


def _rate(row) -> str:
    return "—" if row.on_time_rate is None else f"{row.on_time_rate:.0%}"


@login_required
@permission_required(VIEW_TASKS, raise_exception=True)
def compliance_board(request):
    form = BoardForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    year, month, valid = month_or_current(data.get("month"))
    if not valid:
        messages.warning(request, _("月份格式应为 2026-11，已显示本月。"))
    category = data.get("category") or None
    start, end = month_bounds(year, month)
    now = timezone.now()
    rows = compliance(request.user.center, start, end, category, now=now)
    period = _("%(m)d月") % {"m": month}
    for row in rows:
        row.text = row.summary(period)
        row.rate_text = _rate(row)
        row.rate_css = (
            "secondary"
            if row.on_time_rate is None
            else "success"
            if row.on_time_rate >= 0.95
            else "warning"
            if row.on_time_rate >= 0.8
            else "danger"
        )
    if request.GET.get("export") == "xlsx" and request.user.has_perm(EXPORT_RECORDS):
        record_event(
            AuditEvent.Kind.EXPORT,
            request=request,
            model="duties.compliance",
            month=f"{year}-{month:02d}",
            rows=len(rows),
        )
        table = (
            [
                r.title,
                r.category_label,
                r.frequency,
                r.due,
                r.done_on_time,
                r.done_late,
                r.missed,
                r.open,
                r.upcoming,
                r.rate_text,
                r.text,
            ]
            for r in rows
        )
        title = _("责任事项完成情况 %(y)d年%(m)d月") % {"y": year, "m": month}
        return xlsx_response(build_workbook(title, BOARD_COLUMNS, table), title)
    totals = {
        name: sum(getattr(r, name) for r in rows)
        for name in ("due", "done_on_time", "done_late", "missed", "open", "upcoming")
    }
    overdue = list(overdue_tasks(request.user.center, now=now, category=category)[:OVERDUE_LIMIT])
    return render(
        request,
        "duties/compliance.html",
        {
            # Shown with the month actually displayed (the current one when none was asked).
            "form": BoardForm(initial={"month": f"{year:04d}-{month:02d}", "category": category}),
            "rows": rows,
            "totals": totals,
            "overdue": overdue,
            "overdue_limit": OVERDUE_LIMIT,
            "month": f"{year:04d}-{month:02d}",
            "month_label": _("%(y)d 年 %(m)d 月") % {"y": year, "m": month},
            "prev_month": shift_month(year, month, -1),
            "next_month": shift_month(year, month, 1),
            "category": category or "",
            "active_menu": "duties_board",
        },
    )
