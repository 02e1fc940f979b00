"""设备台账 pages: the register (list, xlsx), create/edit, the detail page with documents, the
history of work orders and maintenance tasks, preventive plans on the equipment; document
download (access-checked, never a public URL); a new preventive maintenance plan.

Thin: parse, fetch through the scoped selectors, call one service, render."""

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.duties.forms import ChecklistFormSet, checklist_from, checklist_initial
from houqin.core.duties.models import DutyPlan
from houqin.core.duties.recurrence import PRESETS
from houqin.core.duties.selectors import tasks_for_object
from houqin.core.forms import apply_errors
from houqin.core.uploads import serve_file
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.equipment import EquipmentFilter
from ..forms.equipment import DocumentForm, EquipmentForm, MaintenancePlanForm
from ..models import EquipmentDocument
from ..selectors import equipment_for, orders_for
from ..services import equipment as services
from ..services.work_orders import is_overdue
from ..tables.equipment import EquipmentTable

VIEW_PERM = "maintenance.view_equipment"
EDIT_PERM = services.EDIT_PERM
PAGE_SIZE = 50
HISTORY_LIMIT = 50
ACTIVE = "maintenance_equipment"

COLUMNS = [
    Column("code", _("设备编号/标签"), width=16),
    Column("name", _("设备名称"), width=20),
    Column("kind", _("设备类别"), width=12),
    Column("location", _("安装位置"), width=24),
    Column("model", _("规格型号"), width=16),
    Column("manufacturer", _("生产厂家"), width=18),
    Column("vendor_name", _("维保单位"), width=18),
    Column("install_date", _("安装日期"), width=12),
    Column("warranty_until", _("保修期至"), width=12),
    Column("contract_no", _("维保合同号"), width=16),
    Column("contract_until", _("维保合同到期"), width=12),
    Column("status", _("状态"), width=8),
    Column("notes", _("备注"), width=30),
]


def _equipment(request, pk):
    return get_object_or_404(equipment_for(request.user), pk=pk)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def equipment_list(request):
    filterset = EquipmentFilter(request.GET, queryset=equipment_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                e.code,
                e.name,
                e.get_kind_display(),
                e.location,
                e.model,
                e.manufacturer,
                e.vendor_name,
                e.install_date,
                e.warranty_until,
                e.contract_no,
                e.contract_until,
                e.get_status_display(),
                e.notes,
            ]
            for e in filterset.qs.order_by("kind", "code", "id")
        ]
        record_export(request, "maintenance.Equipment", rows=len(rows))
        return xlsx_response(build_workbook(_("设备台账"), COLUMNS, rows), _("设备台账"))
    table = EquipmentTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "maintenance/equipment/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": ACTIVE},
    )


def _form_page(request, form, equipment=None):
    title = _("编辑设备") if equipment else _("登记设备")
    return render(
        request,
        "maintenance/equipment/form.html",
        {"form": form, "equipment": equipment, "title": title, "active_menu": ACTIVE},
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def equipment_create(request):
    form = EquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            equipment = services.equipment_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记设备 %(e)s。") % {"e": equipment})
            return redirect("maintenance:equipment_detail", pk=equipment.pk)
    return _form_page(request, form)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def equipment_edit(request, pk):
    equipment = _equipment(request, pk)
    if request.method == "POST":
        form = EquipmentForm(request.POST)
        if form.is_valid():
            try:
                services.equipment_update(
                    actor=request.user, equipment=equipment, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存设备信息。"))
                return redirect("maintenance:equipment_detail", pk=equipment.pk)
    else:
        form = EquipmentForm(
            initial={name: getattr(equipment, name) for name in EquipmentForm.FIELDS}
        )
    return _form_page(request, form, equipment)


def _plans(equipment):
    return (
        DutyPlan.objects.filter(
            center_id=equipment.center_id,
            target_type=ContentType.objects.get_for_model(equipment),
            target_id=equipment.pk,
        )
        .select_related("manager__person")
        .order_by("-is_active", "title")
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def equipment_detail(request, pk):
    equipment = _equipment(request, pk)
    now = timezone.now()
    orders = list(
        orders_for(request.user)
        .filter(equipment=equipment)
        .select_related("assignee__person")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    tasks = list(
        tasks_for_object(equipment, center=equipment.center_id)
        .select_related("plan", "record__completed_by__person")
        .order_by("-due_at", "-id")[:HISTORY_LIMIT]
    )
    return render(
        request,
        "maintenance/equipment/detail.html",
        {
            "equipment": equipment,
            "documents": list(equipment.documents.select_related("uploaded_by__person")),
            "orders": [(order, is_overdue(order, now)) for order in orders],
            "tasks": [(task, task.is_overdue(now)) for task in tasks],
            "plans": list(_plans(equipment)),
            "can_edit": request.user.has_perm(EDIT_PERM),
            "document_form": DocumentForm(),
            "active_menu": ACTIVE,
        },
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def equipment_document_add(request, pk):
    equipment = _equipment(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.equipment_document_add(
                actor=request.user,
                equipment=equipment,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传“%(t)s”。") % {"t": document.title})
            return redirect("maintenance:equipment_detail", pk=equipment.pk)
    return render(
        request,
        "maintenance/equipment/document_form.html",
        {"form": form, "equipment": equipment, "active_menu": ACTIVE},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def equipment_document(request, pk):
    """A document of a piece of equipment, to those who may see the equipment."""
    document = get_object_or_404(
        EquipmentDocument.objects.filter(
            center_id=request.user.center_id,
            equipment__in=equipment_for(request.user),
        ),
        pk=pk,
    )
    inline = Path(document.file.name).suffix.lower() in (".pdf", ".png", ".jpg", ".jpeg")
    return serve_file(document.file, filename=document.title, attachment=not inline)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def plan_create(request, pk):
    """A preventive maintenance plan on the equipment, with the schedule and checklist
    suggested for its kind."""
    equipment = _equipment(request, pk)
    preset, months = services.schedule_for(equipment.kind)
    today = timezone.localdate()
    form = MaintenancePlanForm(
        request.POST or None,
        initial={
            "title": _("%(n)s（%(c)s）预防性维护") % {"n": equipment.name, "c": equipment.code},
            "vendor_name": equipment.vendor_name,
            "preset": preset,
            "months": months,
            "time": dt.time(9, 0),
            "dtstart": dt.datetime.combine(today, dt.time(9, 0)),
        },
    )
    formset = ChecklistFormSet(
        request.POST or None,
        prefix="checklist",
        initial=None
        if request.method == "POST"
        else checklist_initial(services.checklist_for(equipment.kind)),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = services.maintenance_plan_create(
                actor=request.user,
                equipment=equipment,
                **form.service_kwargs(checklist_from(formset)),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已新增维护计划“%(t)s”，并已生成近期任务。") % {"t": plan.title}
            )
            return redirect("maintenance:equipment_detail", pk=equipment.pk)
    return render(
        request,
        "maintenance/equipment/plan_form.html",
        {
            "form": form,
            "formset": formset,
            "equipment": equipment,
            "preset_time": " ".join(p.key for p in PRESETS if p.uses_time),
            "preset_months": " ".join(p.key for p in PRESETS if p.uses_months),
            "active_menu": ACTIVE,
        },
    )


urlpatterns = [
    path("equipment/", equipment_list, name="equipment_list"),
    path("equipment/new/", equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/", equipment_detail, name="equipment_detail"),
    path("equipment/<int:pk>/edit/", equipment_edit, name="equipment_edit"),
    path(
        "equipment/<int:pk>/documents/new/",
        equipment_document_add,
        name="equipment_document_add",
    ),
    path("equipment/documents/<int:pk>/", equipment_document, name="equipment_document"),
    path("equipment/<int:pk>/plans/new/", plan_create, name="plan_create"),
]
