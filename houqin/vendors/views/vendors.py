"""外包单位 pages: the vendors list, a vendor's page (contracts, staff roster, evaluations and
duties) and the forms of vendors and their staff.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.crypto import mask_phone
from houqin.core.duties.models import DutyPlan
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.vendors import VendorFilter
from ..forms.vendors import LeaveForm, StaffForm, VendorForm
from ..selectors import staff_for, vendors_for, vendors_with_figures
from ..services.evaluations import duty_rows
from ..services.vendors import staff_leave, staff_save, vendor_save
from ..tables.common import cert_status, contract_status
from ..tables.vendors import VendorTable
from .common import VendorsPage

PAGE_SIZE = 50
MENU = "vendors_vendors"
DUTY_WINDOW_DAYS = 90


def _vendor(request, pk):
    return get_object_or_404(vendors_for(request.user), pk=pk)


def _form_page(request, template, context, form):
    return render(
        request,
        template,
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


VENDOR_COLUMNS = [
    Column("name", _("单位名称"), width=30),
    Column("kind", _("服务类别"), width=14),
    Column("credit_code", _("统一社会信用代码"), width=22),
    Column("contact", _("联系人"), width=12),
    Column("phone", _("联系电话"), width=16),
    Column("address", _("地址"), width=30),
    Column("active", _("状态"), width=10),
    Column("contract_end", _("合同到期"), width=12),
    Column("last_score", _("最近考核得分"), width=12),
    Column("flagged", _("付款预警"), width=10),
]


def _vendor_rows(qs):
    return [
        [
            v.name,
            v.get_kind_display(),
            v.credit_code,
            v.contact,
            mask_phone(v.phone),
            v.address,
            _("合作中") if v.is_active else _("已终止"),
            v.contract_end,
            v.last_score,
            _("是") if v.last_flagged else "",
        ]
        for v in qs
    ]


@login_required
@permission_required("vendors.view_vendor", raise_exception=True)
def vendor_list(request):
    filterset = VendorFilter(request.GET, queryset=vendors_with_figures(request.user))
    if request.GET.get("export") == "xlsx":
        rows = _vendor_rows(filterset.qs)
        record_export(request, "vendors.Vendor", rows=len(rows))
        return xlsx_response(build_workbook(_("外包单位"), VENDOR_COLUMNS, rows), _("外包单位"))
    table = VendorTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "vendors/vendors/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


@login_required
@permission_required("vendors.add_vendor", raise_exception=True)
def vendor_create(request):
    form = VendorForm.for_vendor(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor = vendor_save(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增外包单位“%(n)s”。") % {"n": vendor.name})
            return redirect("vendors:vendor_detail", pk=vendor.pk)
    return _form_page(request, "vendors/vendors/form.html", {}, form)


@login_required
@permission_required("vendors.change_vendor", raise_exception=True)
def vendor_edit(request, pk):
    vendor = _vendor(request, pk)
    form = VendorForm.for_vendor(vendor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor_save(
                actor=request.user, center=vendor.center_id, vendor=vendor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("vendors:vendor_detail", pk=vendor.pk)
    return _form_page(request, "vendors/vendors/form.html", {"vendor": vendor}, form)


def _staff_rows(vendor, today):
    rows = []
    for person in vendor.staff.all():
        on_post = person.end_date is None or person.end_date >= today
        rows.append(
            {
                "staff": person,
                "phone": mask_phone(person.phone),
                "on_post": on_post,
                "cert": cert_status(person.health_cert_expiry, today),
            }
        )
    rows.sort(key=lambda r: (not r["on_post"], r["staff"].name))
    return rows


def _evaluation_rows(vendor):
    evaluations = list(vendor.evaluations.select_related("sheet").order_by("period_end", "id"))
    rows, previous = [], {}
    for evaluation in evaluations:
        before = previous.get(evaluation.sheet_id)
        trend = None
        if before is not None:
            trend = (
                "up"
                if evaluation.total > before
                else "down"
                if evaluation.total < before
                else "same"
            )
        previous[evaluation.sheet_id] = evaluation.total
        rows.append({"evaluation": evaluation, "trend": trend})
    rows.reverse()
    return rows


def _duty_rows(vendor, today):
    start = today - dt.timedelta(days=DUTY_WINDOW_DAYS)
    figures = {row.plan.pk: row for row in duty_rows(vendor, start, today)}
    plans = DutyPlan.objects.filter(center_id=vendor.center_id, vendor_name=vendor.name)
    rows = []
    for plan in plans:
        row = figures.get(plan.pk)
        rate = row.on_time_rate if row else None
        rows.append(
            {
                "plan": plan,
                "due": row.due if row else 0,
                "on_time": row.done_on_time if row else 0,
                "percent": None if rate is None else round(rate * 100, 1),
            }
        )
    return rows, start


@login_required
@permission_required("vendors.view_vendor", raise_exception=True)
def vendor_detail(request, pk):
    vendor = _vendor(request, pk)
    today = timezone.localdate()
    contracts = [
        {"contract": c, "status": contract_status(c, today)}
        for c in vendor.contracts.select_related("procurement")
    ]
    duties, duty_start = _duty_rows(vendor, today)
    return render(
        request,
        "vendors/vendors/detail.html",
        {
            "vendor": vendor,
            "contracts": contracts,
            "staff_rows": _staff_rows(vendor, today),
            "evaluation_rows": _evaluation_rows(vendor),
            "duties": duties,
            "duty_start": duty_start,
            "today": today,
            "page": VendorsPage(request.user),
            "active_menu": MENU,
        },
    )


# ------------------------------------------------------------------------------ staff
@login_required
@permission_required("vendors.add_vendorstaff", raise_exception=True)
def staff_create(request, pk):
    vendor = _vendor(request, pk)
    form = StaffForm.for_staff(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = staff_save(actor=request.user, vendor=vendor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加外包人员“%(n)s”。") % {"n": person.name})
            return redirect("vendors:vendor_detail", pk=vendor.pk)
    return _form_page(request, "vendors/vendors/staff_form.html", {"vendor": vendor}, form)


@login_required
@permission_required("vendors.change_vendorstaff", raise_exception=True)
def staff_edit(request, pk):
    person = get_object_or_404(staff_for(request.user), pk=pk)
    vendor = person.vendor
    form = StaffForm.for_staff(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_save(actor=request.user, vendor=vendor, staff=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("vendors:vendor_detail", pk=vendor.pk)
    return _form_page(
        request, "vendors/vendors/staff_form.html", {"vendor": vendor, "staff": person}, form
    )


@login_required
@permission_required("vendors.change_vendorstaff", raise_exception=True)
@require_POST
def staff_leave_view(request, pk):
    person = get_object_or_404(staff_for(request.user), pk=pk)
    form = LeaveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["end_date"][0])
        staff_leave(actor=request.user, staff=person, end_date=form.cleaned_data["end_date"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已登记“%(n)s”离岗。") % {"n": person.name})
    return redirect("vendors:vendor_detail", pk=person.vendor_id)


urlpatterns = [
    path("", vendor_list, name="vendor_list"),
    path("new/", vendor_create, name="vendor_create"),
    path("<int:pk>/", vendor_detail, name="vendor_detail"),
    path("<int:pk>/edit/", vendor_edit, name="vendor_edit"),
    path("<int:pk>/staff/new/", staff_create, name="staff_create"),
    path("staff/<int:pk>/edit/", staff_edit, name="staff_edit"),
    path("staff/<int:pk>/leave/", staff_leave_view, name="staff_leave"),
]
