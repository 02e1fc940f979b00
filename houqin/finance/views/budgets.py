"""预算项目 pages: the year's budget projects with what they have spent, a project's execution
(budget, spent, rate against its plan), its monthly spending plan (12 cumulative percentages)
and its expenditures.

Thin: parse, fetch through the scoped selectors (404 for another center), call one service,
render (422 with the errors on the form)."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..execution import execution
from ..filters.budgets import ProjectFilter
from ..forms.budgets import PlanForm, ProjectForm
from ..models import Expenditure
from ..selectors import expenditures_for, projects_for
from ..services.budgets import project_save
from ..tables.budgets import ExpenditureTable, ProjectTable

PAGE_SIZE = 50
MENU = "finance_projects"

PROJECT_COLUMNS = [
    Column("year", _("年度"), width=8),
    Column("code", _("项目编码"), width=16),
    Column("name", _("项目名称"), width=30),
    Column("category", _("支出类别"), width=12),
    Column("source", _("资金来源"), width=14),
    Column("amount", _("预算金额（元）"), width=16),
    Column("spent", _("已支出（元）"), width=16),
    Column("rate", _("执行率（%）"), width=12),
    Column("cost_kind", _("归集费用"), width=16),
    Column("responsible", _("负责人"), width=12),
]


def with_spent(queryset):
    """Each project with `spent`: its recorded expenditures (approved ones included)."""
    return queryset.annotate(
        spent=Coalesce(
            Sum(
                "expenditures__amount",
                filter=Q(expenditures__status=Expenditure.Status.RECORDED),
            ),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def _responsible(user):
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.username


@login_required
@permission_required("finance.view_budgetproject", raise_exception=True)
def project_list(request):
    filterset = ProjectFilter(request.GET, queryset=with_spent(projects_for(request.user)))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.year,
                p.code,
                p.name,
                p.get_category_display(),
                p.get_source_display(),
                p.amount,
                p.spent,
                round(p.spent * 100 / p.amount, 2) if p.amount else None,
                p.get_cost_kind_display(),
                _responsible(p.responsible),
            ]
            for p in filterset.qs.select_related("responsible__person")
        ]
        record_export(request, "finance.BudgetProject", rows=len(rows))
        return xlsx_response(build_workbook(_("预算项目"), PROJECT_COLUMNS, rows), _("预算项目"))
    table = ProjectTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "finance/budgets/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


def _form_page(request, context, form):
    return render(
        request,
        "finance/budgets/form.html",
        {**context, "form": form, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


def _default_year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
@permission_required("finance.add_budgetproject", raise_exception=True)
def project_create(request):
    form = ProjectForm.for_project(
        None,
        request.POST or None,
        center_id=request.user.center_id,
        year=_default_year(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = project_save(
                actor=request.user, center=request.user.center, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增预算项目“%(n)s”。") % {"n": project.name})
            return redirect("finance:project_detail", pk=project.pk)
    return _form_page(request, {}, form)


@login_required
@permission_required("finance.change_budgetproject", raise_exception=True)
def project_edit(request, pk):
    project = get_object_or_404(projects_for(request.user), pk=pk)
    form = ProjectForm.for_project(
        project, request.POST or None, center_id=project.center_id, year=project.year
    )
    if request.method == "POST" and form.is_valid():
        try:
            project_save(
                actor=request.user,
                center=project.center,
                project=project,
                monthly_plan=project.monthly_plan,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("finance:project_detail", pk=project.pk)
    return _form_page(request, {"project": project}, form)


def _on(project):
    """The day the project's execution is shown at: today, within the project's year."""
    today = timezone.localdate()
    return min(max(today, dt.date(project.year, 1, 1)), dt.date(project.year, 12, 31))


def _detail(request, project, plan_form=None, status=200):
    day = _on(project)
    result = execution(project.center_id, project.year, day)
    line = next(line for line in result.lines if line.project.pk == project.pk)
    table = ExpenditureTable(
        expenditures_for(request.user).filter(project=project), exclude=("project",)
    )
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "finance/budgets/detail.html",
        {
            "project": project,
            "line": line,
            "day": day,
            "time_pct": result.time_pct,
            "plan_form": plan_form or PlanForm(project=project),
            "table": table,
            "active_menu": MENU,
        },
        status=status,
    )


@login_required
@permission_required("finance.view_budgetproject", raise_exception=True)
def project_detail(request, pk):
    project = get_object_or_404(
        projects_for(request.user).select_related("responsible__person"), pk=pk
    )
    return _detail(request, project)


@login_required
@permission_required("finance.change_budgetproject", raise_exception=True)
@require_POST
def project_plan(request, pk):
    """Save the 12 cumulative percentages of the monthly plan (all empty: even spread)."""
    project = get_object_or_404(projects_for(request.user), pk=pk)
    form = PlanForm(request.POST, project=project)
    if form.is_valid():
        try:
            project_save(
                actor=request.user,
                center=project.center,
                project=project,
                year=project.year,
                code=project.code,
                name=project.name,
                category=project.category,
                source=project.source,
                amount=project.amount,
                responsible=project.responsible,
                cost_kind=project.cost_kind,
                notes=project.notes,
                monthly_plan=form.plan(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存分月支出计划。"))
            return redirect("finance:project_detail", pk=project.pk)
    project.refresh_from_db()
    return _detail(request, project, plan_form=form, status=422)


urlpatterns = [
    path("projects/", project_list, name="project_list"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/plan/", project_plan, name="project_plan"),
]
