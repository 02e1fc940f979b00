"""Plan pages for managers: list, create/edit with a schedule preview, detail with calendar."""

import calendar as pycalendar

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from .. import services
from ..checklist import ITEM_TYPES, limits_text
from ..filters import PlanFilter
from ..forms import ChecklistFormSet, PlanForm, ScheduleForm, checklist_from, checklist_initial
from ..permissions import ADD_PLAN, CHANGE_PLAN, EXPORT_RECORDS, VIEW_PLANS, get_plan_for_user
from ..recurrence import PRESETS, describe, month_bounds, next_occurrences, parse_rule
from ..selectors import plan_history, plans_for
from ..tables import PlanTable, assignee_text
from .common import PAGE_SIZE, month_or_current, shift_month

PLAN_COLUMNS = [
    Column("title", "名称", width=24),
    Column("category", "类别"),
    Column("schedule", "频次", width=30),
    Column("location", "地点", width=20),
    Column("assignees", "执行方", width=24),
    Column("manager", "负责人"),
    Column("grace", "宽限（分钟）"),
    Column("active", "启用", width=8),
]


@login_required
@permission_required(VIEW_PLANS, raise_exception=True)
def plan_list(request):
    filterset = PlanFilter(request.GET, queryset=plans_for(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        if not request.user.has_perm(EXPORT_RECORDS):
            raise PermissionDenied
        plans = filterset.qs.order_by("category", "title")
        record_event(
            AuditEvent.Kind.EXPORT, request=request, model="duties.DutyPlan", rows=plans.count()
        )
        rows = (
            [
                p.title,
                p.get_category_display(),
                describe(p.rrule, p.dtstart, p.workdays_only),
                p.location_text,
                assignee_text(p),
                p.manager.display_name if p.manager else "",
                p.grace_minutes,
                "是" if p.is_active else "否",
            ]
            for p in plans
        )
        return xlsx_response(build_workbook(_("责任计划"), PLAN_COLUMNS, rows), _("责任计划"))
    table = PlanTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "duties/plan_list.html#results" if request.htmx else "duties/plan_list.html"
    return render(
        request, template, {"table": table, "filter": filterset, "active_menu": "duties_plans"}
    )


def _presets_context():
    return {
        "preset_time": " ".join(p.key for p in PRESETS if p.uses_time),
        "preset_months": " ".join(p.key for p in PRESETS if p.uses_months),
    }


def _plan_form_page(request, plan=None):
    center_id = request.user.center_id
    form = PlanForm(request.POST or None, center_id=center_id, plan=plan)
    formset = ChecklistFormSet(
        request.POST or None,
        prefix="checklist",
        initial=None if request.method == "POST" else checklist_initial(plan and plan.checklist),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kwargs = form.service_kwargs(checklist_from(formset))
        try:
            if plan is None:
                plan = services.duty_plan_create(
                    actor=request.user, center=request.user.center, **kwargs
                )
                messages.success(
                    request, _("已新增计划“%(t)s”，并已生成近期任务。") % {"t": plan.title}
                )
            else:
                plan = services.duty_plan_update(actor=request.user, plan=plan, **kwargs)
                messages.success(request, _("已保存，未来的任务已按新设置更新。"))
        except ValidationError as exc:
            # Checklist errors are not a field of the form: they show above it.
            apply_errors(form, exc)
        else:
            return redirect("duties:plan_detail", pk=plan.pk)
    title = _("编辑计划") if plan else _("新增计划")
    return render(
        request,
        "duties/plan_form.html",
        {
            "form": form,
            "formset": formset,
            "plan": plan,
            "title": title,
            "active_menu": "duties_plans",
            **_presets_context(),
        },
    )


@login_required
@permission_required(ADD_PLAN, raise_exception=True)
def plan_create(request):
    return _plan_form_page(request)


@login_required
@permission_required(CHANGE_PLAN, raise_exception=True)
def plan_edit(request, pk):
    return _plan_form_page(request, get_plan_for_user(request.user, pk))


@login_required
@permission_required(VIEW_PLANS, raise_exception=True)
def plan_preview(request):
    """htmx fragment: the rule in words and its next five occurrences, or why it is invalid."""
    form = ScheduleForm(request.GET)
    context = {"errors": [], "occurrences": [], "description": ""}
    if form.is_valid():
        data = form.cleaned_data
        try:
            parse_rule(data["rule"], data["dtstart"])
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            context["description"] = describe(data["rule"], data["dtstart"], data["workdays_only"])
            context["occurrences"] = next_occurrences(
                data["rule"],
                data["dtstart"],
                timezone.now(),
                5,
                workdays_only=data["workdays_only"],
            )
    else:
        context["errors"] = [m for messages_ in form.errors.values() for m in messages_]
    return render(request, "duties/_preview.html", context)


STATUS_STYLES = {
    "on_time": ("success", _("按时完成")),
    "late": ("warning", _("逾期完成")),
    "missed": ("danger", _("逾期未完成")),
    "open": ("primary", _("待完成")),
    "upcoming": ("secondary", _("未到期")),
    "cancelled": ("light", _("已取消")),
}


def task_state(task, now) -> str:
    if task.status == task.Status.CANCELLED:
        return "cancelled"
    if task.status == task.Status.DONE:
        return "on_time" if task.record.on_time else "late"
    if now >= task.late_after:
        return "missed"
    return "open" if now >= task.due_at else "upcoming"


@login_required
@permission_required(VIEW_PLANS, raise_exception=True)
def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    year, month, valid = month_or_current(request.GET.get("month"))
    if not valid:
        messages.warning(request, _("月份格式应为 2026-11，已显示本月。"))
    start, end = month_bounds(year, month)
    now = timezone.now()
    tasks = list(plan_history(plan, start, end))
    by_day = {}
    counts = dict.fromkeys(STATUS_STYLES, 0)
    for task in tasks:
        task.state = task_state(task, now)
        task.css, task.state_label = STATUS_STYLES[task.state]
        counts[task.state] += 1
        by_day.setdefault(timezone.localtime(task.due_at).date(), []).append(task)
    weeks = [
        [{"date": d, "in_month": d.month == month, "tasks": by_day.get(d, [])} for d in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    checklist = [
        {
            **item,
            "type_label": ITEM_TYPES.get(item["type"], item["type"]),
            "limits": limits_text(item),
        }
        for item in plan.checklist
    ]
    return render(
        request,
        "duties/plan_detail.html",
        {
            "plan": plan,
            "schedule": describe(plan.rrule, plan.dtstart, plan.workdays_only),
            "upcoming": next_occurrences(
                plan.rrule, plan.dtstart, now, 5, workdays_only=plan.workdays_only
            )
            if plan.is_active
            else [],
            "assignees": assignee_text(plan),
            "checklist": checklist,
            "weeks": weeks,
            "tasks": tasks,
            "counts": [
                (STATUS_STYLES[k][0], STATUS_STYLES[k][1], n) for k, n in counts.items() if n
            ],
            "month_label": _("%(y)d 年 %(m)d 月") % {"y": year, "m": month},
            "month": f"{year:04d}-{month:02d}",
            "prev_month": shift_month(year, month, -1),
            "next_month": shift_month(year, month, 1),
            "weekday_names": ["一", "二", "三", "四", "五", "六", "日"],
            "active_menu": "duties_plans",
        },
    )


@login_required
@permission_required(CHANGE_PLAN, raise_exception=True)
@require_POST
def plan_deactivate(request, pk):
    plan = get_plan_for_user(request.user, pk)
    services.duty_plan_deactivate(actor=request.user, plan=plan)
    messages.success(request, _("已停用计划，未来的任务已撤销。"))
    return redirect("duties:plan_detail", pk=plan.pk)


@login_required
@permission_required(CHANGE_PLAN, raise_exception=True)
@require_POST
def plan_activate(request, pk):
    plan = get_plan_for_user(request.user, pk)
    try:
        services.duty_plan_activate(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已重新启用计划，并已生成近期任务。"))
    return redirect("duties:plan_detail", pk=plan.pk)
