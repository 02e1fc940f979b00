"""政府采购 records and the affiliated units' voucher handovers (凭证移交).

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.procurement import ProcurementFilter, VoucherFilter
from ..forms.procurement import HandoverForm, ProcurementForm, VoucherPlanForm
from ..selectors import procurements_for, vouchers_for
from ..services.procurement import over_budget, procurement_save
from ..services.vouchers import is_overdue, overdue, voucher_handover, voucher_plan
from ..tables.procurement import ProcurementTable, VoucherTable

PAGE_SIZE = 50
MENU = "finance_procurement"
VOUCHER_MENU = "finance_vouchers"


def _form_page(request, template, context, form, menu=MENU):
    return render(
        request,
        template,
        {**context, "form": form, "active_menu": menu},
        status=422 if form.errors else 200,
    )


# ------------------------------------------------------------------ procurement

PROCUREMENT_COLUMNS = [
    Column("item", _("采购项目"), width=28),
    Column("method", _("采购方式"), width=12),
    Column("filing_number", _("备案编号"), width=16),
    Column("project", _("预算项目"), width=24),
    Column("budget", _("预算金额（元）"), width=14),
    Column("supplier", _("供应商"), width=24),
    Column("amount", _("成交金额（元）"), width=14),
    Column("contract_no", _("合同编号"), width=16),
    Column("contract_date", _("合同日期"), width=12),
    Column("status", _("状态"), width=10),
    Column("over", _("超预算"), width=8),
]


@login_required
@permission_required("finance.view_procurement", raise_exception=True)
def procurement_list(request):
    filterset = ProcurementFilter(request.GET, queryset=procurements_for(request.user))
    qs = filterset.qs
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.item,
                p.get_method_display(),
                p.filing_number,
                f"{p.project.code} {p.project.name}" if p.project else "",
                p.budget,
                p.supplier,
                p.amount,
                p.contract_no,
                p.contract_date,
                p.get_status_display(),
                _("是") if over_budget(p) else "",
            ]
            for p in qs
        ]
        record_export(request, "finance.Procurement", rows=len(rows))
        return xlsx_response(
            build_workbook(_("政府采购"), PROCUREMENT_COLUMNS, rows), _("政府采购")
        )
    totals = qs.aggregate(
        count=Count("id"),
        budget_sum=Sum("budget"),
        amount_sum=Sum("amount"),
        over=Count("id", filter=Q(amount__gt=F("budget"))),
    )
    table = ProcurementTable(qs, can_change=request.user.has_perm("finance.change_procurement"))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "finance/procurement/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "totals": totals, "active_menu": MENU},
    )


def _saved(request, procurement, created):
    if over_budget(procurement):
        messages.warning(
            request,
            _("成交金额 %(a)s 元超过预算金额 %(b)s 元，请核实资金来源。")
            % {"a": procurement.amount, "b": procurement.budget},
        )
    messages.success(
        request,
        (_("已新增采购记录“%(n)s”。") if created else _("已保存采购记录“%(n)s”。"))
        % {"n": procurement.item},
    )
    return redirect("finance:procurement_list")


@login_required
@permission_required("finance.add_procurement", raise_exception=True)
def procurement_create(request):
    form = ProcurementForm(request.POST or None, center_id=request.user.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            procurement = procurement_save(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(request, procurement, True)
    return _form_page(request, "finance/procurement/form.html", {}, form)


@login_required
@permission_required("finance.change_procurement", raise_exception=True)
def procurement_edit(request, pk):
    procurement = get_object_or_404(procurements_for(request.user), pk=pk)
    form = ProcurementForm(
        request.POST or None, center_id=procurement.center_id, procurement=procurement
    )
    if request.method == "POST" and form.is_valid():
        try:
            procurement_save(
                actor=request.user,
                center=procurement.center,
                procurement=procurement,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(request, procurement, False)
    return _form_page(
        request,
        "finance/procurement/form.html",
        {"procurement": procurement, "over_budget": over_budget(procurement)},
        form,
    )


# ------------------------------------------------------------------ vouchers


@login_required
@permission_required("finance.view_voucherhandover", raise_exception=True)
def voucher_list(request):
    base = vouchers_for(request.user).select_related("received_by__person")
    filterset = VoucherFilter(request.GET, queryset=base)
    today = timezone.localdate()
    overdue_count = overdue(base, today).count()
    can_change = request.user.has_perm("finance.change_voucherhandover")
    table = VoucherTable(filterset.qs, exclude=() if can_change else ("actions",))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "finance/vouchers/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": table,
            "filter": filterset,
            "overdue_count": overdue_count,
            "active_menu": VOUCHER_MENU,
        },
    )


@login_required
@permission_required("finance.add_voucherhandover", raise_exception=True)
def voucher_create(request):
    form = VoucherPlanForm(request.POST or None, center_id=request.user.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            created = voucher_plan(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已新增 %(n)s 个单位的凭证移交计划。") % {"n": len(created)}
            )
            return redirect("finance:voucher_list")
    return _form_page(request, "finance/vouchers/form.html", {}, form, VOUCHER_MENU)


@login_required
@permission_required("finance.change_voucherhandover", raise_exception=True)
def voucher_handover_view(request, pk):
    voucher = get_object_or_404(vouchers_for(request.user), pk=pk)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voucher_handover(actor=request.user, voucher=voucher, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记 %(v)s 的凭证移交。") % {"v": voucher})
            return redirect("finance:voucher_list")
    return _form_page(
        request,
        "finance/vouchers/handover_form.html",
        {"voucher": voucher, "overdue": is_overdue(voucher)},
        form,
        VOUCHER_MENU,
    )


urlpatterns = [
    path("procurement/", procurement_list, name="procurement_list"),
    path("procurement/new/", procurement_create, name="procurement_create"),
    path("procurement/<int:pk>/edit/", procurement_edit, name="procurement_edit"),
    path("vouchers/", voucher_list, name="voucher_list"),
    path("vouchers/new/", voucher_create, name="voucher_create"),
    path("vouchers/<int:pk>/handover/", voucher_handover_view, name="voucher_handover"),
]
