"""预算执行: the finance module's home. The execution of the year's budget projects at a date
(execution.py): total budget, spent, the execution rate against the time progress, what waits
for approval and what is on no project yet (待归集), a table per project with its plan and a
滞后 badge, an ECharts chart (rate and plan per project, the time-progress line) and the
sentence of the quarterly report ("2021年度项目预算120万元，至9月30日止完成全年支出进度75%").

Constant number of queries: execution() is two, the pending total one."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from ..execution import TOLERANCE, execution
from ..forms.budgets import ExecutionDateForm
from ..models import Expenditure
from ..selectors import expenditures_for, sees_center

VIEW_PERM = "finance.view_budgetproject"
ACTIVE = "finance_execution"
TEN_THOUSAND = Decimal(10000)


def _day(request):
    today = timezone.localdate()
    form = ExecutionDateForm(request.GET or None, initial={"date": today})
    if form.is_bound and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.warning(request, error)
        return form, today
    day = form.cleaned_data.get("date") if form.is_bound else None
    return form, day or today


def _number(value):
    return float(value) if value is not None else None


def _wan(value):
    """Yuan in 万元 without trailing zeros: 1200000 → "120", 1234500 → "123.45"."""
    text = f"{(value / TEN_THOUSAND).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value):
    """75.00 → "75", 74.79 → "74.79"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def sentence(result):
    """“2021年度项目预算120万元，至9月30日止完成全年支出进度75%”."""
    if not result.total.budget:
        return ""
    return _("%(y)s年度项目预算%(b)s万元，至%(m)s月%(d)s日止完成全年支出进度%(r)s%%") % {
        "y": result.year,
        "b": _wan(result.total.budget),
        "m": result.day.month,
        "d": result.day.day,
        "r": _pct(result.total.rate),
    }


def _chart(result):
    return {
        "categories": [line.project.code for line in result.lines],
        "names": [line.project.name for line in result.lines],
        "rate": {"name": _("执行率"), "data": [_number(line.rate) for line in result.lines]},
        "plan": {"name": _("计划进度"), "data": [_number(line.plan_pct) for line in result.lines]},
        "time": {"name": _("时间进度"), "value": _number(result.time_pct)},
        "unit": "%",
    }


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def execution_view(request):
    if not sees_center(request.user):
        raise PermissionDenied(_("预算执行只对财务人员、中心管理员和中心领导开放。"))
    form, day = _day(request)
    result = execution(request.user.center_id, day.year, day)
    pending = _pending(request.user, day)
    return render(
        request,
        "finance/execution/execution.html",
        {
            "form": form,
            "day": day,
            "year": day.year,
            "result": result,
            "pending": pending,
            "tolerance": TOLERANCE,
            "sentence": sentence(result),
            "chart_data": _chart(result),
            "year_start": dt.date(day.year, 1, 1),
            "active_menu": ACTIVE,
        },
    )


def _pending(user, day):
    """Expenditures of the year up to `day` waiting for approval (any project or none)."""
    return (
        expenditures_for(user)
        .filter(date__year=day.year, date__lte=day, status=Expenditure.Status.PENDING)
        .aggregate(count=Count("id"), amount=Sum("amount"))
    )


urlpatterns = [
    path("", execution_view, name="execution"),
]
