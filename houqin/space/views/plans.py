"""用房申请 and 调整方案 pages.

Requests: an agency's liaison or leader (or a space manager on its behalf) applies for more
office space; the shared approval flow decides (the decision buttons live on the approvals
pages, linked from here); the applicant resubmits a returned request or withdraws it.
Plans: space managers draft the annual adjustment plan step by step, see its effect on each
agency's area and excess before applying it in one transaction; leaders and administrators
read it.

Thin: parse, fetch through the scoped selectors (another center's row: 404), call one
service, redirect with a message or re-render with the errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.approvals.selectors import (
    approval_for_object,
    approval_history,
    approval_steps,
)
from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response
from houqin.org.scoping import user_agency

from ..compliance import ZERO, compliance, plan_effect
from ..filters.plans import PlanFilter, RequestFilter
from ..forms.plans import PlanForm, RequestForm, StepForm, plan_rooms
from ..models import AdjustmentPlan, PlanStep, SpaceRequest
from ..selectors import is_manager, plans_for, requests_for, rooms_for, sees_center
from ..services import plans as services
from ..tables.plans import PlanTable, RequestTable

PAGE_SIZE = 50
REQUESTS = "space_requests"
PLANS = "space_plans"
PLAN_EDIT = services.PLAN_PERM

REQUEST_COLUMNS = [
    Column("created", _("提交时间"), width=17),
    Column("agency", _("申请单位"), width=20),
    Column("requester", _("申请人"), width=10),
    Column("headcount", _("现有人数"), width=9),
    Column("area", _("申请面积（㎡）"), width=12),
    Column("reason", _("申请理由"), width=40),
    Column("status", _("状态"), width=10),
    Column("decided", _("审批完成时间"), width=17),
]
PLAN_COLUMNS = [
    Column("year", _("年度"), width=8),
    Column("title", _("方案名称"), width=30),
    Column("effective", _("实施日期"), width=12),
    Column("status", _("状态"), width=10),
    Column("steps", _("调整步骤"), width=9),
    Column("created_by", _("起草人"), width=10),
    Column("applied_at", _("实施时间"), width=17),
    Column("applied_by", _("实施人"), width=10),
]


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


# ------------------------------------------------------------------ requests


def _requests(user):
    return requests_for(user).select_related("requested_by__person")


def _space_request(request, pk):
    return get_object_or_404(_requests(request.user), pk=pk)


def _approval(space_request):
    return approval_for_object(space_request, request_type=services.REQUEST_TYPE)


@login_required
@permission_required("space.view_spacerequest", raise_exception=True)
def request_list(request):
    user = request.user
    filterset = RequestFilter(
        request.GET,
        queryset=_requests(user),
        center_id=user.center_id,
        choose_agency=sees_center(user),
    )
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                r.created_at,
                r.agency.name,
                r.requested_by.display_name,
                r.headcount,
                r.area_wanted,
                r.reason,
                r.get_status_display(),
                r.decided_at,
            ]
            for r in filterset.qs.order_by("created_at", "id")
        ]
        record_export(request, "space.SpaceRequest", rows=len(rows))
        return xlsx_response(build_workbook(_("用房申请"), REQUEST_COLUMNS, rows), _("用房申请"))
    table = RequestTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "space/requests/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": REQUESTS},
    )


def _request_form_page(request, form, space_request=None, agency=None):
    return render(
        request,
        "space/requests/form.html",
        {
            "form": form,
            "space_request": space_request,
            "agency": agency,
            "title": _("修改后重新提交") if space_request else _("申请增加办公用房"),
            "active_menu": REQUESTS,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("space.add_spacerequest", raise_exception=True)
def request_create(request):
    user = request.user
    manager = is_manager(user)
    agency = None if manager else user_agency(user)
    form = RequestForm(request.POST or None, center_id=user.center_id, choose_agency=manager)
    if agency is None and not manager:
        form.add_error(None, _("您的账号未关联所在单位，不能提交用房申请。"))
    elif request.method == "POST" and form.is_valid():
        try:
            space_request = services.request_submit(
                actor=user,
                agency=form.cleaned_data["agency"] if manager else agency,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("用房申请已提交，等待审批。"))
            return redirect("space:request_detail", pk=space_request.pk)
    return _request_form_page(request, form, agency=agency)


def _agency_figures(space_request):
    """The agency's compliance today (headcount, entitlement, office area, excess), so the
    approvers can judge the request; None when the agency has neither people nor rooms."""
    report = compliance(space_request.center_id, agency=space_request.agency)
    return report.agencies[0] if report.agencies else None


@login_required
@permission_required("space.view_spacerequest", raise_exception=True)
def request_detail(request, pk):
    space_request = _space_request(request, pk)
    approval = _approval(space_request)
    mine = space_request.requested_by_id == request.user.pk
    open_ = approval is not None and approval.is_open
    figures = _agency_figures(space_request)
    steps = (
        space_request.plan_steps.select_related("plan", "room__building", "to_agency")
        .exclude(plan__status=AdjustmentPlan.Status.CANCELLED)
        .order_by("plan__effective_date", "position")
    )
    return render(
        request,
        "space/requests/detail.html",
        {
            "req": space_request,
            "approval": approval,
            "approval_steps": approval_steps(approval) if approval else [],
            "history": approval_history(approval) if approval else [],
            "figures": figures,
            # What the standard still allows the agency, next to what it asks for.
            "headroom": max(figures.entitlement - figures.office_area, ZERO) if figures else None,
            "plan_steps": list(steps),
            "sees_plans": request.user.has_perm("space.view_adjustmentplan")
            and sees_center(request.user),
            "can_resubmit": mine
            and open_
            and space_request.status == SpaceRequest.Status.RETURNED
            and approval.status == approval.Status.RETURNED,
            "can_cancel": mine and open_,
            "active_menu": REQUESTS,
        },
    )


@login_required
@permission_required("space.add_spacerequest", raise_exception=True)
def request_resubmit(request, pk):
    space_request = _space_request(request, pk)
    if (
        space_request.requested_by_id != request.user.pk
        or space_request.status != SpaceRequest.Status.RETURNED
    ):
        messages.error(request, _("只有申请人可以修改退回的申请。"))
        return redirect("space:request_detail", pk=space_request.pk)
    form = RequestForm(
        request.POST or None,
        initial={
            "reason": space_request.reason,
            "headcount": space_request.headcount,
            "area_wanted": space_request.area_wanted,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_resubmit(
                actor=request.user,
                request=space_request,
                approval=_approval(space_request),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已重新提交，审批从第一步重新开始。"))
            return redirect("space:request_detail", pk=space_request.pk)
    return _request_form_page(request, form, space_request, space_request.agency)


@login_required
@require_POST
@permission_required("space.add_spacerequest", raise_exception=True)
def request_cancel(request, pk):
    space_request = _space_request(request, pk)
    try:
        services.request_cancel(
            actor=request.user, request=space_request, approval=_approval(space_request)
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已撤回用房申请。"))
    return redirect("space:request_detail", pk=space_request.pk)


# ------------------------------------------------------------------ plans


def _plan(request, pk):
    plans = plans_for(request.user).select_related("created_by__person", "applied_by__person")
    return get_object_or_404(plans, pk=pk)


@login_required
@permission_required("space.view_adjustmentplan", raise_exception=True)
def plan_list(request):
    plans = plans_for(request.user).select_related("created_by__person", "applied_by__person")
    filterset = PlanFilter(request.GET, queryset=plans.annotate(step_count=Count("steps")))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.year,
                p.title,
                p.effective_date,
                p.get_status_display(),
                p.step_count,
                p.created_by.display_name,
                p.applied_at,
                p.applied_by.display_name if p.applied_by_id else "",
            ]
            for p in filterset.qs.order_by("-year", "-created_at", "-id")
        ]
        record_export(request, "space.AdjustmentPlan", rows=len(rows))
        return xlsx_response(build_workbook(_("调整方案"), PLAN_COLUMNS, rows), _("调整方案"))
    table = PlanTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "space/plans/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": PLANS},
    )


def _plan_form_page(request, form, plan=None):
    return render(
        request,
        "space/plans/form.html",
        {
            "form": form,
            "plan": plan,
            "title": _("编辑调整方案") if plan else _("新建调整方案"),
            "active_menu": PLANS,
        },
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(PLAN_EDIT, raise_exception=True)
def plan_create(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建调整方案，请添加调整步骤。"))
            return redirect("space:plan_detail", pk=plan.pk)
    return _plan_form_page(request, form)


@login_required
@permission_required(PLAN_EDIT, raise_exception=True)
def plan_edit(request, pk):
    plan = _plan(request, pk)
    if plan.status != AdjustmentPlan.Status.DRAFT:
        messages.error(request, _("方案%(s)s，不能再修改。") % {"s": plan.get_status_display()})
        return redirect("space:plan_detail", pk=plan.pk)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存调整方案。"))
            return redirect("space:plan_detail", pk=plan.pk)
    return _plan_form_page(request, form, plan)


def _step_form(request, plan, data=None):
    return StepForm(
        data,
        rooms=plan_rooms(rooms_for(request.user), plan),
        center_id=plan.center_id,
    )


def _plan_page(request, plan, step_form=None):
    user = request.user
    draft = plan.status == AdjustmentPlan.Status.DRAFT
    can_edit = draft and user.has_perm(PLAN_EDIT)
    steps = plan.steps.select_related(
        "room__building", "from_agency", "to_agency", "request__agency"
    ).order_by("position")
    effect = plan_effect(plan) if draft else None
    if can_edit and step_form is None:
        step_form = _step_form(request, plan)
    return render(
        request,
        "space/plans/detail.html",
        {
            "plan": plan,
            "steps": list(steps),
            "effect": effect,
            "can_edit": can_edit,
            "step_form": step_form if can_edit else None,
            "active_menu": PLANS,
        },
        status=422 if step_form is not None and step_form.errors else 200,
    )


@login_required
@permission_required("space.view_adjustmentplan", raise_exception=True)
def plan_detail(request, pk):
    return _plan_page(request, _plan(request, pk))


@login_required
@require_POST
@permission_required(PLAN_EDIT, raise_exception=True)
def plan_step_add(request, pk):
    plan = _plan(request, pk)
    form = _step_form(request, plan, request.POST)
    if form.is_valid():
        try:
            step = services.plan_step_add(actor=request.user, plan=plan, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加第 %(n)s 步。") % {"n": step.position})
            return redirect("space:plan_detail", pk=plan.pk)
    if plan.status != AdjustmentPlan.Status.DRAFT:  # a closed plan shows no form
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("space:plan_detail", pk=plan.pk)
    return _plan_page(request, plan, step_form=form)


@login_required
@require_POST
@permission_required(PLAN_EDIT, raise_exception=True)
def plan_step_remove(request, pk):
    step = get_object_or_404(
        PlanStep.objects.filter(plan__in=plans_for(request.user)).select_related("plan"), pk=pk
    )
    try:
        services.plan_step_remove(actor=request.user, step=step)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已删除第 %(n)s 步。") % {"n": step.position})
    return redirect("space:plan_detail", pk=step.plan_id)


@login_required
@require_POST
@permission_required(PLAN_EDIT, raise_exception=True)
def plan_apply(request, pk):
    plan = _plan(request, pk)
    try:
        services.plan_apply(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, _("方案未实施，未作任何变更："))
        _errors(request, exc)
    else:
        messages.success(request, _("调整方案已实施，各房间分配已按方案变更。"))
    return redirect("space:plan_detail", pk=plan.pk)


@login_required
@require_POST
@permission_required(PLAN_EDIT, raise_exception=True)
def plan_cancel(request, pk):
    plan = _plan(request, pk)
    try:
        services.plan_cancel(actor=request.user, plan=plan)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("调整方案已作废。"))
    return redirect("space:plan_detail", pk=plan.pk)


urlpatterns = [
    path("requests/", request_list, name="request_list"),
    path("requests/new/", request_create, name="request_create"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
    path("requests/<int:pk>/resubmit/", request_resubmit, name="request_resubmit"),
    path("requests/<int:pk>/cancel/", request_cancel, name="request_cancel"),
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("plans/<int:pk>/steps/add/", plan_step_add, name="plan_step_add"),
    path("plans/steps/<int:pk>/remove/", plan_step_remove, name="plan_step_remove"),
    path("plans/<int:pk>/apply/", plan_apply, name="plan_apply"),
    path("plans/<int:pk>/cancel/", plan_cancel, name="plan_cancel"),
]
