"""维修改造项目 pages: the list (status, budget, final cost, progress; xlsx), create/edit, the
detail page (items with totals, progress history) and its actions: add/remove an item,
report progress, complete with the final cost, cancel.

Thin: parse, fetch through the scoped selectors, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.estate import ProjectFilter
from ..forms.estate import (
    ProjectCancelForm,
    ProjectCompleteForm,
    ProjectForm,
    ProjectItemForm,
    ProjectProgressForm,
)
from ..models import ProjectItem
from ..selectors import projects_for
from ..services import estate as services
from ..tables.estate import ProjectTable

VIEW_PERM = "space.view_renovationproject"
EDIT_PERM = services.PROJECT_PERM
PAGE_SIZE = 50
ACTIVE = "space_projects"

COLUMNS = [
    Column("title", _("项目名称"), width=30),
    Column("building", _("楼栋"), width=16),
    Column("contractor", _("施工单位"), width=20),
    Column("budget", _("预算（元）"), width=14),
    Column("final_cost", _("决算金额（元）"), width=14),
    Column("progress", _("进度（%）"), width=8),
    Column("status", _("状态"), width=8),
    Column("start_date", _("开工日期"), width=12),
    Column("finish_date", _("竣工日期"), width=12),
    Column("description", _("项目内容"), width=40),
]


def _project(request, pk):
    return get_object_or_404(projects_for(request.user), pk=pk)


def _export(request, projects):
    rows = [
        [
            p.title,
            p.building.name if p.building else "",
            p.contractor,
            p.budget,
            p.final_cost,
            p.progress,
            p.get_status_display(),
            p.start_date,
            p.finish_date,
            p.description,
        ]
        for p in projects.order_by("-created_at", "-id")
    ]
    record_export(request, "space.RenovationProject", rows=len(rows))
    return xlsx_response(build_workbook(_("维修改造项目"), COLUMNS, rows), _("维修改造项目"))


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def project_list(request):
    filterset = ProjectFilter(
        request.GET, queryset=projects_for(request.user), center_id=request.user.center_id
    )
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs)
    table = ProjectTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    totals = filterset.qs.order_by().aggregate(
        count=Count("pk"), budget=Sum("budget"), final_cost=Sum("final_cost")
    )
    template = "space/projects/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "totals": totals, "active_menu": ACTIVE},
    )


def _form_page(request, form, project=None):
    title = _("编辑维修改造项目") if project else _("新建维修改造项目")
    return render(
        request,
        "space/projects/form.html",
        {"form": form, "project": project, "title": title, "active_menu": ACTIVE},
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def project_create(request):
    form = ProjectForm(request.POST or None, center_id=request.user.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建项目“%(t)s”。") % {"t": project.title})
            return redirect("space:project_detail", pk=project.pk)
    return _form_page(request, form)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
def project_edit(request, pk):
    project = _project(request, pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, center_id=project.center_id)
        if form.is_valid():
            try:
                services.project_update(
                    actor=request.user, project=project, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存项目信息。"))
                return redirect("space:project_detail", pk=project.pk)
    else:
        form = ProjectForm(initial=ProjectForm.initial_from(project), center_id=project.center_id)
    return _form_page(request, form, project)


def _detail(request, project, status=200, **forms):
    items = list(project.items.all())
    amounts = [i.amount for i in items if i.amount is not None]
    open_ = project.status in services.OPEN
    # A refusal on a closed project: its forms are not shown, so the message goes on top.
    refused = [] if open_ else [e for f in forms.values() for e in f.non_field_errors()]
    context = {
        "project": project,
        "items": items,
        "items_total": sum(amounts) if amounts else None,
        "refused": refused,
        "updates": list(project.updates.select_related("created_by__person")),
        "can_edit": request.user.has_perm(EDIT_PERM) and open_,
        "item_form": forms.get("item_form") or ProjectItemForm(),
        "progress_form": forms.get("progress_form")
        or ProjectProgressForm(initial={"progress": project.progress}),
        "complete_form": forms.get("complete_form")
        or ProjectCompleteForm(initial={"finish_date": timezone.localdate()}),
        "cancel_form": forms.get("cancel_form") or ProjectCancelForm(),
        "active_menu": ACTIVE,
    }
    return render(request, "space/projects/detail.html", context, status=status)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
def project_detail(request, pk):
    return _detail(request, _project(request, pk))


def _action(request, project, form_class, form_key, call, done):
    """A POST from one of the detail page's forms: the service call, or the page again with
    the errors next to that form (422)."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(**form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("space:project_detail", pk=project.pk)
    return _detail(request, project, status=422, **{form_key: form})


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def project_item_add(request, pk):
    project = _project(request, pk)

    def call(**data):
        services.project_item_add(actor=request.user, project=project, **data)

    return _action(request, project, ProjectItemForm, "item_form", call, _("已添加项目内容。"))


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def project_item_remove(request, pk):
    item = get_object_or_404(
        ProjectItem.objects.filter(project__in=projects_for(request.user)), pk=pk
    )
    try:
        services.project_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已删除“%(n)s”。") % {"n": item.name})
    return redirect("space:project_detail", pk=item.project_id)


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def project_progress(request, pk):
    project = _project(request, pk)

    def call(**data):
        services.project_progress(actor=request.user, project=project, **data)

    return _action(
        request, project, ProjectProgressForm, "progress_form", call, _("已登记项目进展。")
    )


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def project_complete(request, pk):
    project = _project(request, pk)

    def call(**data):
        services.project_complete(actor=request.user, project=project, **data)

    return _action(request, project, ProjectCompleteForm, "complete_form", call, _("项目已竣工。"))


@login_required
@permission_required(EDIT_PERM, raise_exception=True)
@require_POST
def project_cancel(request, pk):
    project = _project(request, pk)

    def call(**data):
        services.project_cancel(actor=request.user, project=project, **data)

    return _action(request, project, ProjectCancelForm, "cancel_form", call, _("项目已取消。"))


urlpatterns = [
    path("projects/", project_list, name="project_list"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/items/add/", project_item_add, name="project_item_add"),
    path("projects/items/<int:pk>/remove/", project_item_remove, name="project_item_remove"),
    path("projects/<int:pk>/progress/", project_progress, name="project_progress"),
    path("projects/<int:pk>/complete/", project_complete, name="project_complete"),
    path("projects/<int:pk>/cancel/", project_cancel, name="project_cancel"),
]
