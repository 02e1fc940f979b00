"""租用房屋 pages: the list (status filter, expiry badges, rent still paid and rent saved,
xlsx), create/edit, the detail page and vacating (腾退) with the yearly saving.

Thin: parse, fetch through the scoped selectors, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.estate import LeaseFilter
from ..forms.estate import LeaseForm, LeaseVacateForm
from ..rules import LEASE_EXPIRY_NOTICE_DAYS
from ..selectors import leases_for
from ..services import estate as services
from ..tables.estate import LeaseTable, lease_expiry

VIEW_PERM = "space.view_lease"
EDIT_PERM = services.LEASE_PERM
PAGE_SIZE = 50
ACTIVE = "space_leases"

COLUMNS = [
    Column("lessor", _("出租方"), width=20),
    Column("address", _("房屋地址"), width=30),
    Column("agency", _("使用单位"), width=18),
    Column("area", _("租用面积（㎡）"), width=12),
    Column("annual_rent", _("年租金（元）"), width=14),
    Column("start_date", _("租期起"), width=12),
    Column("end_date", _("租期止"), width=12),
    Column("approval_ref", _("批准文号"), width=20),
    Column("status", _("状态"), width=8),
    Column("vacated_on", _("腾退日期"), width=12),
    Column("annual_saving", _("每年节约租金（元）"), width=16),
    Column("notes", _("备注"), width=30),
]


def _lease(request, pk):
    return get_object_or_404(leases_for(request.user), pk=pk)


def _export(request, leases):
    rows = [
        [
            lease.lessor,
            lease.address,
            lease.agency.name if lease.agency else "",
            lease.area,
            lease.annual_rent,
            lease.start_date,
            lease.end_date,
            lease.approval_ref,
            lease.get_status_display(),
            lease.vacated_on,
            lease.annual_saving,
            lease.notes,
        ]
        for lease in leases.order_by("status", "end_date", "id")
    ]
    record_export(request, "space.Lease", rows=len(rows))
    return xlsx_response(build_workbook(_("租用房屋"), COLUMNS, rows), _("租用房屋"))


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def lease_list(request):
    base = leases_for(request.user)
    filterset = LeaseFilter(request.GET, queryset=base)
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs)
    table = LeaseTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    year = timezone.localdate().year
    template = "space/leases/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {
            "table": table,
            "filter": filterset,
            "totals": services.lease_totals(filterset.qs),
            "year": year,
            "year_totals": services.lease_totals(base, year=year),
            "notice_days": LEASE_EXPIRY_NOTICE_DAYS,
            "active_menu": ACTIVE,
        },
    )


def _form_page(request, form, lease=None):
    title = _("编辑租用房屋") if lease else _("登记租用房屋")
    return render(
        request,
        "space/leases/form.html",
        {"form": form, "lease": lease, "title": title, "active_menu": ACTIVE},
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def lease_create(request):
    center_id = request.user.center_id
    form = LeaseForm(request.POST or None, center_id=center_id)
    if request.method == "POST" and form.is_valid():
        try:
            lease = services.lease_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记租用房屋“%(l)s”。") % {"l": lease})
            return redirect("space:lease_detail", pk=lease.pk)
    return _form_page(request, form)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def lease_edit(request, pk):
    lease = _lease(request, pk)
    center_id = lease.center_id
    if request.method == "POST":
        form = LeaseForm(request.POST, center_id=center_id)
        if form.is_valid():
            try:
                services.lease_update(actor=request.user, lease=lease, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存租用房屋信息。"))
                return redirect("space:lease_detail", pk=lease.pk)
    else:
        form = LeaseForm(initial=LeaseForm.initial_from(lease), center_id=center_id)
    return _form_page(request, form, lease)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def lease_detail(request, pk):
    lease = _lease(request, pk)
    return render(
        request,
        "space/leases/detail.html",
        {
            "lease": lease,
            "end_date": lease_expiry(lease),
            "can_edit": request.user.has_perm(EDIT_PERM),
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def lease_vacate(request, pk):
    lease = _lease(request, pk)
    form = LeaseVacateForm(
        request.POST or None,
        initial={"vacated_on": timezone.localdate(), "notes": lease.notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lease = services.lease_vacate(actor=request.user, lease=lease, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已办理腾退，每年节约租金 %(s)s 元。") % {"s": f"{lease.annual_saving:.2f}"},
            )
            return redirect("space:lease_detail", pk=lease.pk)
    return render(
        request,
        "space/leases/vacate.html",
        {"form": form, "lease": lease, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


urlpatterns = [
    path("leases/", lease_list, name="lease_list"),
    path("leases/new/", lease_create, name="lease_create"),
    path("leases/<int:pk>/", lease_detail, name="lease_detail"),
    path("leases/<int:pk>/edit/", lease_edit, name="lease_edit"),
    path("leases/<int:pk>/vacate/", lease_vacate, name="lease_vacate"),
]
