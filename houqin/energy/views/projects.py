"""节能项目 pages: projects assigned from upstream (e.g. the city center's 16 EV charging
stations) with their progress against the target, and each project's stations.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

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

from ..filters.projects import ProjectFilter
from ..forms.projects import ProjectForm, StationForm
from ..selectors import projects_for, stations_for
from ..services.projects import project_progress, project_save, station_save
from ..tables.projects import ProjectTable, StationTable, is_overdue

PAGE_SIZE = 50
MENU = "energy_projects"


def _form_page(request, template, context, form):
    return render(
        request,
        template,
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


def _project(request, pk):
    return get_object_or_404(projects_for(request.user), pk=pk)


# ------------------------------------------------------------------ projects

PROJECT_COLUMNS = [
    Column("name", _("项目名称"), width=28),
    Column("kind", _("类型"), width=14),
    Column("assigned_by", _("下达单位"), width=24),
    Column("year", _("下达年度"), width=10),
    Column("target", _("目标数量"), width=10),
    Column("total", _("站点数"), width=10),
    Column("completed", _("已建成"), width=10),
    Column("rate", _("完成率（%）"), width=12),
    Column("deadline", _("完成期限"), width=12),
]


@login_required
@permission_required("energy.view_energyproject", raise_exception=True)
def project_list(request):
    filterset = ProjectFilter(request.GET, queryset=projects_for(request.user))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.name,
                p.get_kind_display(),
                p.assigned_by,
                p.year,
                p.target,
                p.stations_total,
                p.stations_completed,
                round(p.stations_completed * 100 / p.target, 1),
                p.deadline,
            ]
            for p in filterset.qs
        ]
        record_export(request, "energy.EnergyProject", rows=len(rows))
        return xlsx_response(build_workbook(_("节能项目"), PROJECT_COLUMNS, rows), _("节能项目"))
    table = ProjectTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "energy/projects/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


@login_required
@permission_required("energy.add_energyproject", raise_exception=True)
def project_create(request):
    form = ProjectForm.for_project(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_save(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增项目“%(n)s”。") % {"n": project.name})
            return redirect("energy:project_detail", pk=project.pk)
    return _form_page(request, "energy/projects/form.html", {}, form)


@login_required
@permission_required("energy.change_energyproject", raise_exception=True)
def project_edit(request, pk):
    project = _project(request, pk)
    form = ProjectForm.for_project(project, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project_save(
                actor=request.user, center=project.center, project=project, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("energy:project_detail", pk=project.pk)
    return _form_page(request, "energy/projects/form.html", {"project": project}, form)


@login_required
@permission_required("energy.view_energyproject", raise_exception=True)
def project_detail(request, pk):
    project = _project(request, pk)
    progress = project_progress(project)
    can_change = request.user.has_perm("energy.change_chargingstation")
    table = StationTable(
        stations_for(request.user).filter(project=project),
        exclude=() if can_change else ("actions",),
    )
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "energy/projects/detail.html",
        {
            "project": project,
            "progress": progress,
            "overdue": is_overdue(project, progress.completed, timezone.localdate()),
            "table": table,
            "active_menu": MENU,
        },
    )


# ------------------------------------------------------------------ stations


@login_required
@permission_required("energy.add_chargingstation", raise_exception=True)
def station_create(request, pk):
    project = _project(request, pk)
    form = StationForm(request.POST or None, center_id=project.center_id)
    if request.method == "POST" and form.is_valid():
        try:
            station = station_save(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增站点“%(n)s”。") % {"n": station.name})
            return redirect("energy:project_detail", pk=project.pk)
    return _form_page(request, "energy/projects/station_form.html", {"project": project}, form)


@login_required
@permission_required("energy.change_chargingstation", raise_exception=True)
def station_edit(request, pk):
    station = get_object_or_404(stations_for(request.user), pk=pk)
    project = station.project
    form = StationForm(request.POST or None, center_id=project.center_id, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            station_save(actor=request.user, project=project, station=station, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存站点“%(n)s”。") % {"n": station.name})
            return redirect("energy:project_detail", pk=project.pk)
    return _form_page(
        request,
        "energy/projects/station_form.html",
        {"project": project, "station": station},
        form,
    )


urlpatterns = [
    path("projects/", project_list, name="project_list"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/stations/new/", station_create, name="station_create"),
    path("projects/stations/<int:pk>/edit/", station_edit, name="station_edit"),
]
