"""Approval pages: the three boxes, a request's detail with its action form, flow settings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.forms import apply_errors as _apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from . import services
from .filters import ApprovalFilter
from .forms import CommentForm, DecisionForm, FlowForm, FlowStepFormSet
from .models import Scope
from .permissions import (
    MANAGE_FLOWS,
    can_cancel,
    can_decide,
    can_resubmit,
    get_approval_for_user,
    get_request_type_or_404,
)
from .registry import get_request_type
from .rules import current_step
from .selectors import (
    approval_history,
    approvals_done,
    approvals_to_decide,
    flow_overview,
    flows_for,
    my_approvals,
)
from .tables import ApprovalTable

PAGE_SIZE = 50

TABS = {
    "to_decide": (gettext_lazy("待我审批"), approvals_to_decide),
    "mine": (gettext_lazy("我发起的"), my_approvals),
    "done": (gettext_lazy("我已处理"), approvals_done),
}

EXPORT_COLUMNS = [
    Column("title", "标题", width=36),
    Column("type", "申请类型", width=16),
    Column("requester", "申请人"),
    Column("agency", "申请部门", width=20),
    Column("status", "状态"),
    Column("step", "当前步骤", width=18),
    Column("created", "提交时间", width=18),
    Column("decided", "办结时间", width=18),
]

DECISIONS = {
    "approve": services.approval_approve,
    "reject": services.approval_reject,
    "return": services.approval_return,
}


def _export(request, approvals):
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        model="approvals.ApprovalRequest",
        rows=approvals.count(),
        filters={k: v for k, v in request.GET.items() if k != "export"},
    )
    rows = (
        [
            a.title,
            a.request_type_label,
            a.requester.display_name,
            a.agency.name if a.agency_id else "",
            a.get_status_display(),
            a.current_step_name if a.is_open else "",
            a.created_at,
            a.decided_at,
        ]
        for a in approvals.iterator(chunk_size=500)
    )
    return xlsx_response(build_workbook("审批", EXPORT_COLUMNS, rows), _("审批清单"))


@login_required
def approval_list(request):
    tab = request.GET.get("tab")
    if tab not in TABS:
        tab = "to_decide"
    label, selector = TABS[tab]
    filterset = ApprovalFilter(request.GET, queryset=selector(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs)
    table = ApprovalTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "approvals/approval_list.html#results" if request.htmx else None
    return render(
        request,
        template or "approvals/approval_list.html",
        {
            "table": table,
            "filter": filterset,
            "tab": tab,
            "tab_label": label,
            "tabs": [(key, value[0]) for key, value in TABS.items()],
            "to_decide_count": approvals_to_decide(request.user).count(),
            "active_menu": "approvals",
        },
    )


def _detail_context(request, approval, decision_form=None):
    request_type = get_request_type(approval.request_type)
    target = approval.target
    decide = can_decide(request.user, approval)
    if decide and decision_form is None:
        decision_form = DecisionForm(initial={"position": approval.current_position})
    return {
        "approval": approval,
        "request_type": request_type,
        "target": target,
        "target_url": request_type.target_url(target) if request_type else "",
        "steps": list(approval.steps.all()),
        "current": current_step(approval),
        "history": approval_history(approval),
        "can_decide": decide,
        "decision_form": decision_form if decide else None,
        "can_resubmit": can_resubmit(request.user, approval),
        "can_cancel": can_cancel(request.user, approval),
        "comment_form": CommentForm(),
        "active_menu": "approvals",
    }


@login_required
def approval_detail(request, pk):
    approval = get_approval_for_user(request.user, pk)
    return render(request, "approvals/approval_detail.html", _detail_context(request, approval))


@login_required
@require_POST
def approval_decide(request, pk):
    approval = get_approval_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            DECISIONS[data["action"]](
                actor=request.user,
                approval=approval,
                comment=data["comment"],
                position=data["position"],
            )
        except ValidationError as exc:
            if "comment" not in getattr(exc, "error_dict", {}):
                messages.error(request, "；".join(exc.messages))
                return redirect("approvals:detail", pk=pk)
            _apply_errors(form, exc)
        else:
            done = {
                "approve": _("已同意。"),
                "reject": _("已驳回。"),
                "return": _("已退回申请人修改。"),
            }[data["action"]]
            messages.success(request, done)
            return redirect("approvals:detail", pk=pk)
    return render(
        request,
        "approvals/approval_detail.html",
        _detail_context(request, approval, decision_form=form),
    )


def _requester_action(request, pk, service, success):
    approval = get_approval_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        return redirect("approvals:detail", pk=pk)
    try:
        service(actor=request.user, approval=approval, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("approvals:detail", pk=pk)


@login_required
@require_POST
def approval_resubmit(request, pk):
    return _requester_action(
        request, pk, services.approval_resubmit, _("已重新提交，审批从第一步重新开始。")
    )


@login_required
@require_POST
def approval_cancel(request, pk):
    return _requester_action(request, pk, services.approval_cancel, _("已撤回申请。"))


# ---------------------------------------------------------------- flows

manage_flows = permission_required(MANAGE_FLOWS, raise_exception=True)


@login_required
@manage_flows
def flow_list(request):
    return render(
        request,
        "approvals/flow_list.html",
        {"rows": flow_overview(request.user), "active_menu": "approval_flows"},
    )


def _center_users(user):
    return (
        get_user_model()
        .objects.filter(center_id=user.center_id, is_active=True)
        .select_related("person")
        .order_by("person__name", "username")
    )


def _initial_steps(request_type, flow):
    if flow is not None:
        return [
            {
                "name": step.name,
                "approver_role": step.approver_role,
                "scope": step.scope,
                "approver_user": step.approver_user_id,
                "ORDER": step.position,
            }
            for step in flow.steps.all()
        ]
    return [
        {
            "name": str(spec.name),
            "approver_role": spec.role or "",
            "scope": spec.scope if spec.role else Scope.CENTER,
            "approver_user": spec.user_id,
            "ORDER": position,
        }
        for position, spec in enumerate(request_type.default_steps, start=1)
    ]


@login_required
@manage_flows
def flow_edit(request, code):
    request_type = get_request_type_or_404(code)
    flow = flows_for(request.user).filter(request_type=code).first()
    users = _center_users(request.user)
    initial_flow = {
        "name": flow.name if flow else str(request_type.label),
        "is_active": flow.is_active if flow else True,
    }
    form = FlowForm(request.POST or None, initial=initial_flow)
    formset = FlowStepFormSet(
        request.POST or None,
        initial=_initial_steps(request_type, flow),
        prefix="steps",
        form_kwargs={"users": users},
    )
    # Validate both (no short-circuit) so every error shows at once.
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            services.approval_flow_save(
                actor=request.user,
                request_type=code,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
                steps=formset.ordered_steps(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存“%(type)s”审批流程。") % {"type": request_type.label},
            )
            return redirect("approvals:flow_list")
    return render(
        request,
        "approvals/flow_form.html",
        {
            "request_type": request_type,
            "flow": flow,
            "form": form,
            "formset": formset,
            "active_menu": "approval_flows",
        },
    )
