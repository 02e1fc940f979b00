"""支出登记 pages: the expenditures of the center (filters by year, project — or none,
待归集 —, status, dates and text; xlsx export), recording one (at or above the center's
approval threshold it goes to the leader's approval and counts once approved), its detail with
the approval and the module it comes from, cancelling it and putting it on a project.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.approvals.selectors import approval_for_object
from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.budgets import ExpenditureFilter
from ..forms.budgets import AssignForm, ExpenditureForm
from ..models import Expenditure, FinanceSettings
from ..selectors import expenditures_for, projects_for
from ..services.budgets import (
    REQUEST_TYPE,
    expenditure_assign,
    expenditure_cancel,
    expenditure_record,
)
from ..tables.budgets import ExpenditureTable

PAGE_SIZE = 50
MENU = "finance_expenditures"

COLUMNS = [
    Column("date", _("支出日期"), width=12),
    Column("payee", _("收款单位/人"), width=24),
    Column("purpose", _("用途"), width=30),
    Column("project", _("预算项目"), width=28),
    Column("amount", _("金额（元）"), width=14),
    Column("voucher_no", _("凭证号"), width=14),
    Column("source", _("来源"), width=16),
    Column("status", _("状态"), width=10),
]


def threshold_of(center_id):
    """The center's approval threshold, without creating its settings row on a read."""
    found = (
        FinanceSettings.objects.filter(center_id=center_id)
        .values_list("approval_threshold", flat=True)
        .first()
    )
    return (
        found
        if found is not None
        else FinanceSettings._meta.get_field("approval_threshold").get_default()
    )


@login_required
@permission_required("finance.view_expenditure", raise_exception=True)
def expenditure_list(request):
    projects = projects_for(request.user).order_by("-year", "code")
    filterset = ExpenditureFilter(
        request.GET, queryset=expenditures_for(request.user), projects=projects
    )
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                e.date,
                e.payee,
                e.purpose,
                f"{e.project.code} {e.project.name}" if e.project else _("待归集"),
                e.amount,
                e.voucher_no,
                e.get_cost_kind_display() or _("手工登记"),
                e.get_status_display(),
            ]
            for e in filterset.qs
        ]
        record_export(request, "finance.Expenditure", rows=len(rows))
        return xlsx_response(build_workbook(_("支出登记"), COLUMNS, rows), _("支出登记"))
    table = ExpenditureTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "finance/expenditures/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


@login_required
@permission_required("finance.add_expenditure", raise_exception=True)
def expenditure_create(request):
    center_id = request.user.center_id
    initial = {"date": timezone.localdate()}
    chosen = request.GET.get("project", "")
    if chosen.isdigit() and projects_for(request.user).filter(pk=chosen).exists():
        initial["project"] = int(chosen)
    form = ExpenditureForm(request.POST or None, center_id=center_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            expenditure = expenditure_record(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if expenditure.status == Expenditure.Status.PENDING:
                messages.success(
                    request, _("已登记。金额达到审批标准，已提交中心领导审批，通过后计入已支出。")
                )
            else:
                messages.success(request, _("已登记支出。"))
            return redirect("finance:expenditure_detail", pk=expenditure.pk)
    return render(
        request,
        "finance/expenditures/form.html",
        {"form": form, "threshold": threshold_of(center_id), "active_menu": MENU},
        status=422 if form.errors else 200,
    )


def _detail(request, expenditure, *, assign_form=None, error=None, status=200):
    can_write = request.user.has_perm("finance.change_expenditure")
    return render(
        request,
        "finance/expenditures/detail.html",
        {
            "expenditure": expenditure,
            "approval": approval_for_object(expenditure, request_type=REQUEST_TYPE),
            "can_cancel": can_write
            and expenditure.source_id is None
            and expenditure.status in (Expenditure.Status.RECORDED, Expenditure.Status.PENDING),
            "assign_form": (assign_form or AssignForm(expenditure=expenditure))
            if can_write
            else None,
            "error": error,
            "active_menu": MENU,
        },
        status=status,
    )


def _expenditure(request, pk):
    return get_object_or_404(expenditures_for(request.user), pk=pk)


@login_required
@permission_required("finance.view_expenditure", raise_exception=True)
def expenditure_detail(request, pk):
    return _detail(request, _expenditure(request, pk))


@login_required
@permission_required("finance.change_expenditure", raise_exception=True)
@require_POST
def expenditure_cancel_view(request, pk):
    expenditure = _expenditure(request, pk)
    try:
        expenditure_cancel(actor=request.user, expenditure=expenditure)
    except ValidationError as exc:
        return _detail(request, expenditure, error="；".join(exc.messages), status=422)
    messages.success(request, _("已撤销该支出，不再计入执行率。"))
    return redirect("finance:expenditure_detail", pk=expenditure.pk)


@login_required
@permission_required("finance.change_expenditure", raise_exception=True)
@require_POST
def expenditure_assign_view(request, pk):
    expenditure = _expenditure(request, pk)
    form = AssignForm(request.POST, expenditure=expenditure)
    if form.is_valid():
        try:
            expenditure_assign(
                actor=request.user, expenditure=expenditure, project=form.cleaned_data["project"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存所属预算项目。"))
            return redirect("finance:expenditure_detail", pk=expenditure.pk)
    expenditure.refresh_from_db()
    return _detail(request, expenditure, assign_form=form, status=422)


urlpatterns = [
    path("expenditures/", expenditure_list, name="expenditure_list"),
    path("expenditures/new/", expenditure_create, name="expenditure_create"),
    path("expenditures/<int:pk>/", expenditure_detail, name="expenditure_detail"),
    path("expenditures/<int:pk>/cancel/", expenditure_cancel_view, name="expenditure_cancel"),
    path("expenditures/<int:pk>/assign/", expenditure_assign_view, name="expenditure_assign"),
]
