"""安全检查 pages: inspection rounds (duty plans with a named responsible person per area),
the findings list (xlsx), a manual finding with photos, the finding page (rectify by the
responsible person, close 销号 or send back by a manager), finding photos (access-checked).

Thin: parse, fetch through the scoped selectors, call one service, render."""

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
from houqin.core.duties.forms import ChecklistFormSet, checklist_from, checklist_initial
from houqin.core.duties.recurrence import PRESETS
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.equipment import FindingFilter
from ..forms.findings import FindingForm, InspectionPlanForm, RectifyForm, RejectForm
from ..models import Category, FindingPhoto
from ..selectors import findings_for
from ..services import findings as services
from ..tables.equipment import FindingTable

VIEW_PERM = "maintenance.view_finding"
ADD_PERM = services.ADD_PERM
MANAGE_PERM = services.MANAGE_PERM
PAGE_SIZE = 50
ACTIVE = "maintenance_findings"

COLUMNS = [
    Column("area", _("区域/部位"), width=20),
    Column("description", _("问题描述"), width=40),
    Column("responsible", _("整改责任人"), width=12),
    Column("deadline", _("整改期限"), width=12),
    Column("status", _("状态"), width=10),
    Column("overdue", _("是否超期"), width=10),
    Column("found_at", _("发现时间"), width=18),
    Column("rectification", _("整改情况"), width=40),
    Column("rectified_at", _("整改时间"), width=18),
    Column("closed_at", _("销号时间"), width=18),
]


def _local(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _findings(request):
    return findings_for(request.user).select_related("responsible__person")


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def finding_list(request):
    filterset = FindingFilter(
        request.GET, queryset=_findings(request), center_id=request.user.center_id
    )
    if request.GET.get("export") == "xlsx":
        today = timezone.localdate()
        rows = [
            [
                f.area,
                f.description,
                f.responsible.display_name,
                f.deadline,
                f.get_status_display(),
                _("超期") if services.is_overdue(f, today) else "",
                _local(f.created_at),
                f.rectification,
                _local(f.rectified_at),
                _local(f.closed_at),
            ]
            for f in filterset.qs.order_by("status", "deadline", "id")
        ]
        record_export(request, "maintenance.Finding", rows=len(rows))
        return xlsx_response(build_workbook(_("安全检查问题"), COLUMNS, rows), _("安全检查问题"))
    table = FindingTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "maintenance/findings/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": ACTIVE},
    )


@login_required
@permission_required(ADD_PERM, raise_exception=True)
def finding_create(request):
    form = FindingForm(
        request.POST or None, request.FILES or None, center_id=request.user.center_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记问题，并已通知整改责任人。"))
            return redirect("maintenance:finding_detail", pk=finding.pk)
    return render(
        request,
        "maintenance/findings/form.html",
        {"form": form, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


def _detail(request, finding, *, rectify_form=None, reject_form=None, status=200):
    user = request.user
    open_ = finding.status == finding.Status.OPEN
    rectified = finding.status == finding.Status.RECTIFIED
    can_manage = services.can_manage(user, finding.center_id)
    photos = list(finding.photos.all())
    return render(
        request,
        "maintenance/findings/detail.html",
        {
            "finding": finding,
            "overdue": services.is_overdue(finding),
            "found_photos": [p for p in photos if p.stage == "found"],
            "rectified_photos": [p for p in photos if p.stage == "rectified"],
            "rectify_form": (rectify_form or RectifyForm())
            if open_ and services.can_rectify(user, finding)
            else None,
            "can_close": rectified and can_manage,
            "can_convert": open_ and can_manage and finding.work_order_id is None,
            "categories": Category.choices,
            "reject_form": (reject_form or RejectForm()) if rectified and can_manage else None,
            "active_menu": ACTIVE,
        },
        status=status,
    )


def _finding(request, pk):
    return get_object_or_404(
        _findings(request).select_related("closed_by__person", "found_by__person"), pk=pk
    )


@login_required
def finding_detail(request, pk):
    return _detail(request, _finding(request, pk))


@login_required
@require_POST
def finding_rectify(request, pk):
    finding = _finding(request, pk)
    form = RectifyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.finding_rectify(
                actor=request.user,
                finding=finding,
                note=form.cleaned_data["rectification"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记整改情况，等待销号。"))
            return redirect("maintenance:finding_detail", pk=finding.pk)
    return _detail(request, finding, rectify_form=form, status=422)


@login_required
@permission_required(MANAGE_PERM, raise_exception=True)
@require_POST
def finding_close(request, pk):
    finding = _finding(request, pk)
    try:
        services.finding_close(actor=request.user, finding=finding)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已销号。"))
    return redirect("maintenance:finding_detail", pk=finding.pk)


@login_required
@permission_required(MANAGE_PERM, raise_exception=True)
@require_POST
def finding_reject(request, pk):
    finding = _finding(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.finding_reject(
                actor=request.user, finding=finding, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已退回整改，并已通知整改责任人。"))
            return redirect("maintenance:finding_detail", pk=finding.pk)
    return _detail(request, finding, reject_form=form, status=422)


@login_required
def finding_photo(request, pk):
    """A finding's photo, only to those who may see the finding (never a public URL)."""
    photo = get_object_or_404(
        FindingPhoto.objects.filter(
            center_id=request.user.center_id, finding__in=findings_for(request.user)
        ),
        pk=pk,
    )
    return serve_file(photo.image, filename=f"finding-photo-{photo.pk}")


@login_required
@permission_required(MANAGE_PERM, raise_exception=True)
def inspection_plan_create(request):
    """An inspection round of one area with a named responsible person."""
    center_id = request.user.center_id
    form = InspectionPlanForm(
        request.POST or None,
        center_id=center_id,
        initial={
            "preset": "weekly_monday",
            "time": dt.time(9, 0),
            "dtstart": dt.datetime.combine(timezone.localdate(), dt.time(9, 0)),
            "workdays_only": True,
        },
    )
    formset = ChecklistFormSet(
        request.POST or None,
        prefix="checklist",
        initial=None
        if request.method == "POST"
        else checklist_initial(
            [{**item, "required": True} for item in services.INSPECTION_CHECKLIST]
        ),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = services.inspection_plan_create(
                actor=request.user,
                center=request.user.center,
                **form.service_kwargs(checklist_from(formset)),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已新增安全检查计划“%(t)s”，并已生成近期任务。") % {"t": plan.title}
            )
            return redirect("duties:plan_detail", pk=plan.pk)
    return render(
        request,
        "maintenance/findings/inspection_form.html",
        {
            "form": form,
            "formset": formset,
            "preset_time": " ".join(p.key for p in PRESETS if p.uses_time),
            "preset_months": " ".join(p.key for p in PRESETS if p.uses_months),
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required(MANAGE_PERM, raise_exception=True)
@require_POST
def finding_work_order(request, pk):
    """转维修工单: open a repair work order for the finding."""
    finding = _finding(request, pk)
    try:
        order = services.finding_to_work_order(
            actor=request.user,
            finding=finding,
            category=request.POST.get("category", ""),
            urgency=request.POST.get("urgency") or "normal",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已生成维修工单 %(n)s。") % {"n": order.number})
    return redirect("maintenance:finding_detail", pk=finding.pk)


urlpatterns = [
    path("inspections/new/", inspection_plan_create, name="inspection_plan_create"),
    path("findings/", finding_list, name="finding_list"),
    path("findings/new/", finding_create, name="finding_create"),
    path("findings/<int:pk>/", finding_detail, name="finding_detail"),
    path("findings/<int:pk>/rectify/", finding_rectify, name="finding_rectify"),
    path("findings/<int:pk>/close/", finding_close, name="finding_close"),
    path("findings/<int:pk>/reject/", finding_reject, name="finding_reject"),
    path("findings/<int:pk>/work-order/", finding_work_order, name="finding_work_order"),
    path("findings/photos/<int:pk>/", finding_photo, name="finding_photo"),
]
