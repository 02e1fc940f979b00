"""服务合同 pages: the contracts list (with the 即将到期 filter) and the contract form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.vendors import ContractFilter
from ..forms.vendors import ContractForm
from ..selectors import contracts_for, vendors_for
from ..services.vendors import contract_save
from ..tables.vendors import ContractTable

PAGE_SIZE = 50
MENU = "vendors_contracts"

CONTRACT_COLUMNS = [
    Column("number", _("合同编号"), width=18),
    Column("vendor", _("外包单位"), width=28),
    Column("service", _("服务内容"), width=30),
    Column("start_date", _("开始日期"), width=12),
    Column("end_date", _("结束日期"), width=12),
    Column("amount", _("合同金额（元）"), width=14),
    Column("payment_terms", _("付款方式"), width=12),
    Column("notice", _("到期提前提醒（天）"), width=12),
    Column("procurement", _("政府采购"), width=24),
]


@login_required
@permission_required("vendors.view_contract", raise_exception=True)
def contract_list(request):
    filterset = ContractFilter(
        request.GET, queryset=contracts_for(request.user), center_id=request.user.center_id
    )
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                c.number,
                c.vendor.name,
                c.service,
                c.start_date,
                c.end_date,
                c.amount,
                c.get_payment_terms_display(),
                c.renewal_notice_days,
                str(c.procurement) if c.procurement else "",
            ]
            for c in filterset.qs
        ]
        record_export(request, "vendors.Contract", rows=len(rows))
        return xlsx_response(build_workbook(_("服务合同"), CONTRACT_COLUMNS, rows), _("服务合同"))
    table = ContractTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "vendors/contracts/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


def _save(request, form, contract=None):
    data = dict(form.cleaned_data)
    vendor = data.pop("vendor")
    return contract_save(actor=request.user, vendor=vendor, contract=contract, **data)


def _form_page(request, context, form):
    return render(
        request,
        "vendors/contracts/form.html",
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("vendors.add_contract", raise_exception=True)
def contract_create(request):
    vendor = None
    if request.GET.get("vendor", "").isdigit():
        vendor = vendors_for(request.user).filter(pk=request.GET["vendor"]).first()
    form = ContractForm.for_contract(
        None, request.POST or None, center_id=request.user.center_id, vendor=vendor
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = _save(request, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增合同“%(n)s”。") % {"n": contract.number})
            return redirect("vendors:vendor_detail", pk=contract.vendor_id)
    return _form_page(request, {"vendor": vendor}, form)


@login_required
@permission_required("vendors.change_contract", raise_exception=True)
def contract_edit(request, pk):
    contract = get_object_or_404(contracts_for(request.user), pk=pk)
    form = ContractForm.for_contract(contract, request.POST or None, center_id=contract.center_id)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["vendor"].pk != contract.vendor_id:
            form.add_error("vendor", _("合同的外包单位不能更改。"))
        else:
            try:
                _save(request, form, contract)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("vendors:vendor_detail", pk=contract.vendor_id)
    return _form_page(request, {"contract": contract, "vendor": contract.vendor}, form)


urlpatterns = [
    path("contracts/", contract_list, name="contract_list"),
    path("contracts/new/", contract_create, name="contract_create"),
    path("contracts/<int:pk>/edit/", contract_edit, name="contract_edit"),
]
