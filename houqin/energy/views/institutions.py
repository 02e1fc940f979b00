"""The energy register pages: public institutions in scope (list with this year's base data,
create/edit, detail with the base data per year and its meters), meters (list with filters
and xlsx, create/edit, detail with the readings by month, stop/restart), the five-year targets
and the conversion factors in force.

Thin: parse, fetch through the scoped selectors (another center's row is 404), call one
service, render; a refused input re-renders the form with the errors (status 422)."""

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
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.register import InstitutionFilter, MeterFilter
from ..forms.register import InstitutionForm, InstitutionYearForm, MeterForm, TargetForm
from ..indicators import factors_on
from ..models import EnergyFactor
from ..selectors import (
    institution_rows_for,
    institution_years_for,
    institutions_for,
    meter_rows_for,
    meters_for,
    readings_for,
    targets_for,
)
from ..services import register as services
from ..tables.register import FactorTable, InstitutionTable, MeterTable, TargetTable

PAGE_SIZE = 50
HISTORY_LIMIT = 60  # months of readings on a meter's page
INSTITUTIONS = "energy_institutions"
METERS = "energy_meters"
TARGETS = "energy_targets"

INSTITUTION_COLUMNS = [
    Column("name", _("单位名称"), width=28),
    Column("agency", _("对应部门/单位"), width=20),
    Column("building", _("办公楼"), width=18),
    Column("year", _("年度"), width=8),
    Column("floor_area", _("建筑面积（㎡）"), width=14),
    Column("headcount", _("用能人数"), width=10),
    Column("establishment", _("编制人数"), width=10),
    Column("meters", _("计量表数"), width=10),
    Column("is_active", _("纳入统计"), width=10),
]
METER_COLUMNS = [
    Column("code", _("表计编号"), width=16),
    Column("name", _("名称/位置"), width=24),
    Column("institution", _("公共机构"), width=24),
    Column("kind", _("能源品种"), width=10),
    Column("unit", _("计量单位"), width=10),
    Column("mode", _("录入方式"), width=10),
    Column("parent", _("上级总表"), width=16),
    Column("last_month", _("最近抄表月份"), width=14),
    Column("last_value", _("最近读数/用量"), width=14),
    Column("is_active", _("状态"), width=8),
]


def _render(request, template, context, form):
    return render(request, template, context, status=422 if form.errors else 200)


def _list_template(request, template, context):
    return render(request, f"{template}#results" if request.htmx else template, context)


def _year_param(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


# ------------------------------------------------------------------ institutions


@login_required
@permission_required("energy.view_institution", raise_exception=True)
def institution_list(request):
    year = _year_param(request)
    filterset = InstitutionFilter(
        request.GET, queryset=institution_rows_for(request.user, year), request=request
    )
    filterset.form.fields["year"].widget.attrs["placeholder"] = str(year)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                i.name,
                i.agency.name if i.agency else "",
                i.building.name if i.building else "",
                year,
                i.year_floor_area,
                i.year_headcount,
                i.year_establishment,
                i.meters_count,
                _("是") if i.is_active else _("否"),
            ]
            for i in filterset.qs.order_by("name", "id")
        ]
        record_export(request, "energy.Institution", rows=len(rows))
        title = _("公共机构基础数据")
        return xlsx_response(build_workbook(title, INSTITUTION_COLUMNS, rows), title)
    table = InstitutionTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return _list_template(
        request,
        "energy/institutions/list.html",
        {"table": table, "filter": filterset, "year": year, "active_menu": INSTITUTIONS},
    )


def _institution_page(request, form, institution=None):
    title = _("编辑公共机构") if institution else _("添加公共机构")
    return _render(
        request,
        "energy/institutions/form.html",
        {"form": form, "institution": institution, "title": title, "active_menu": INSTITUTIONS},
        form,
    )


@login_required
@permission_required("energy.add_institution", raise_exception=True)
def institution_create(request):
    form = InstitutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_save(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已添加公共机构 %(n)s，请录入其年度基础数据。") % {"n": institution.name},
            )
            return redirect("energy:institution_detail", pk=institution.pk)
    return _institution_page(request, form)


@login_required
@permission_required("energy.change_institution", raise_exception=True)
def institution_edit(request, pk):
    institution = get_object_or_404(institutions_for(request.user), pk=pk)
    if request.method == "POST":
        form = InstitutionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.institution_save(
                    actor=request.user,
                    center=request.user.center,
                    institution=institution,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存公共机构信息。"))
                return redirect("energy:institution_detail", pk=institution.pk)
    else:
        form = InstitutionForm(initial=InstitutionForm.initial_for(institution), user=request.user)
    return _institution_page(request, form, institution)


def _institution_detail(request, institution, year_form=None, editing=None, status=200):
    years = list(
        institution_years_for(request.user).filter(institution=institution).order_by("-year")
    )
    if year_form is None:
        editing_id = request.GET.get("edit_year")
        editing = next((y for y in years if str(y.pk) == editing_id), None)
        latest = years[0] if years else None  # newest first
        year_form = InstitutionYearForm(initial=InstitutionYearForm.initial_for(editing, latest))
    return render(
        request,
        "energy/institutions/detail.html",
        {
            "institution": institution,
            "years": years,
            "year_form": year_form,
            "editing": editing,
            "meters": list(
                meter_rows_for(request.user)
                .filter(institution=institution)
                .order_by("kind", "code")
            ),
            "can_edit": request.user.has_perm("energy.change_institution"),
            "can_edit_years": request.user.has_perm("energy.add_institutionyear"),
            "can_add_meter": request.user.has_perm("energy.add_meter"),
            "active_menu": INSTITUTIONS,
        },
        status=status,
    )


@login_required
@permission_required("energy.view_institution", raise_exception=True)
def institution_detail(request, pk):
    return _institution_detail(request, get_object_or_404(institutions_for(request.user), pk=pk))


@require_POST
@login_required
@permission_required("energy.add_institutionyear", raise_exception=True)
def institution_year_save(request, pk):
    institution = get_object_or_404(institutions_for(request.user), pk=pk)
    form = InstitutionYearForm(request.POST)
    record = None
    if form.is_valid():
        if form.cleaned_data["record"]:
            record = get_object_or_404(
                institution_years_for(request.user).filter(institution=institution),
                pk=form.cleaned_data["record"],
            )
        try:
            saved = services.institution_year_save(
                actor=request.user, institution=institution, record=record, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(y)s 年基础数据。") % {"y": saved.year})
            return redirect("energy:institution_detail", pk=institution.pk)
    return _institution_detail(request, institution, form, record, status=422)


# ------------------------------------------------------------------ meters


def _meter_rows(meter):
    return [
        meter.code,
        meter.name,
        meter.institution.name,
        meter.get_kind_display(),
        meter.unit,
        meter.get_mode_display(),
        meter.parent.code if meter.parent else "",
        f"{meter.last_month:%Y-%m}" if meter.last_month else "",
        meter.last_value,
        _("启用") if meter.is_active else _("停用"),
    ]


@login_required
@permission_required("energy.view_meter", raise_exception=True)
def meter_list(request):
    filterset = MeterFilter(request.GET, queryset=meter_rows_for(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        rows = [
            _meter_rows(m) for m in filterset.qs.order_by("institution__name", "kind", "code", "id")
        ]
        record_export(request, "energy.Meter", rows=len(rows))
        title = _("计量表台账")
        return xlsx_response(build_workbook(title, METER_COLUMNS, rows), title)
    table = MeterTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return _list_template(
        request,
        "energy/meters/list.html",
        {"table": table, "filter": filterset, "active_menu": METERS},
    )


def _meter_page(request, form, meter=None):
    title = _("编辑计量表") if meter else _("登记计量表")
    return _render(
        request,
        "energy/meters/form.html",
        {"form": form, "meter": meter, "title": title, "active_menu": METERS},
        form,
    )


@login_required
@permission_required("energy.add_meter", raise_exception=True)
def meter_create(request):
    initial = {}
    institution_id = request.GET.get("institution")
    if institution_id and institution_id.isdigit():
        initial["institution"] = institutions_for(request.user).filter(pk=institution_id).first()
    form = MeterForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meter = services.meter_save(
                actor=request.user, center=request.user.center, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记计量表 %(m)s。") % {"m": meter})
            return redirect("energy:meter_detail", pk=meter.pk)
    return _meter_page(request, form)


@login_required
@permission_required("energy.change_meter", raise_exception=True)
def meter_edit(request, pk):
    meter = get_object_or_404(meters_for(request.user), pk=pk)
    if request.method == "POST":
        form = MeterForm(request.POST, user=request.user, meter=meter)
        if form.is_valid():
            try:
                services.meter_save(
                    actor=request.user,
                    center=request.user.center,
                    meter=meter,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存计量表 %(m)s。") % {"m": meter.code})
                return redirect("energy:meter_detail", pk=meter.pk)
    else:
        form = MeterForm(initial=MeterForm.initial_for(meter), user=request.user, meter=meter)
    return _meter_page(request, form, meter)


@login_required
@permission_required("energy.view_meter", raise_exception=True)
def meter_detail(request, pk):
    meter = get_object_or_404(meters_for(request.user), pk=pk)
    readings = list(
        readings_for(request.user)
        .filter(meter=meter)
        .select_related("entered_by__person", "confirmed_by__person")
        .order_by("-month")[:HISTORY_LIMIT]
    )
    return render(
        request,
        "energy/meters/detail.html",
        {
            "meter": meter,
            "readings": readings,
            "children": list(meters_for(request.user).filter(parent=meter).order_by("code")),
            "history_limit": HISTORY_LIMIT,
            "can_edit": request.user.has_perm("energy.change_meter"),
            "can_confirm": request.user.has_perm("energy.change_meterreading"),
            "active_menu": METERS,
        },
    )


def _switch(request, pk, service, done):
    meter = get_object_or_404(meters_for(request.user), pk=pk)
    try:
        service(actor=request.user, meter=meter)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"m": meter.code})
    return redirect("energy:meter_detail", pk=meter.pk)


@require_POST
@login_required
@permission_required("energy.change_meter", raise_exception=True)
def meter_deactivate(request, pk):
    return _switch(request, pk, services.meter_deactivate, _("计量表 %(m)s 已停用。"))


@require_POST
@login_required
@permission_required("energy.change_meter", raise_exception=True)
def meter_reactivate(request, pk):
    return _switch(request, pk, services.meter_reactivate, _("计量表 %(m)s 已重新启用。"))


# ------------------------------------------------------------------ targets and factors


@login_required
@permission_required("energy.view_energytarget", raise_exception=True)
def target_list(request):
    can_edit = request.user.has_perm("energy.change_energytarget")
    table = TargetTable(targets_for(request.user), exclude=() if can_edit else ("actions",))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "energy/targets/list.html",
        {
            "table": table,
            "can_view_factors": request.user.has_perm("energy.view_energyfactor"),
            "active_menu": TARGETS,
        },
    )


def _target_page(request, form, target=None):
    title = _("编辑节能目标") if target else _("添加节能目标")
    return _render(
        request,
        "energy/targets/form.html",
        {"form": form, "target": target, "title": title, "active_menu": TARGETS},
        form,
    )


def _next_target_initial(user):
    """The five years after the latest target (14th plan: 2020 → 2025, −5 / −6 / −6 %)."""
    latest = targets_for(user).order_by("-target_year").first()
    base = latest.target_year if latest else 2020
    return {
        "base_year": base,
        "target_year": base + 5,
        "per_area_pct": latest.per_area_pct if latest else 5,
        "per_capita_pct": latest.per_capita_pct if latest else 6,
        "water_pct": latest.water_pct if latest else 6,
    }


@login_required
@permission_required("energy.add_energytarget", raise_exception=True)
def target_create(request):
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                target = services.target_save(
                    actor=request.user, center=request.user.center, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已添加节能目标 %(t)s。") % {"t": target})
                return redirect("energy:target_list")
    else:
        form = TargetForm(initial=_next_target_initial(request.user))
    return _target_page(request, form)


@login_required
@permission_required("energy.change_energytarget", raise_exception=True)
def target_edit(request, pk):
    target = get_object_or_404(targets_for(request.user), pk=pk)
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                services.target_save(
                    actor=request.user,
                    center=request.user.center,
                    target=target,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存节能目标 %(t)s。") % {"t": target})
                return redirect("energy:target_list")
    else:
        form = TargetForm(initial=TargetForm.initial_for(target))
    return _target_page(request, form, target)


@login_required
@permission_required("energy.view_energyfactor", raise_exception=True)
def factor_list(request):
    in_force = [f.pk for f in factors_on(timezone.localdate()).values()]
    table = FactorTable(EnergyFactor.objects.all(), in_force=in_force)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "energy/targets/factors.html", {"table": table, "active_menu": TARGETS})


urlpatterns = [
    path("institutions/", institution_list, name="institution_list"),
    path("institutions/new/", institution_create, name="institution_create"),
    path("institutions/<int:pk>/", institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", institution_edit, name="institution_edit"),
    path("institutions/<int:pk>/years/", institution_year_save, name="institution_year_save"),
    path("meters/", meter_list, name="meter_list"),
    path("meters/new/", meter_create, name="meter_create"),
    path("meters/<int:pk>/", meter_detail, name="meter_detail"),
    path("meters/<int:pk>/edit/", meter_edit, name="meter_edit"),
    path("meters/<int:pk>/deactivate/", meter_deactivate, name="meter_deactivate"),
    path("meters/<int:pk>/reactivate/", meter_reactivate, name="meter_reactivate"),
    path("targets/", target_list, name="target_list"),
    path("targets/new/", target_create, name="target_create"),
    path("targets/<int:pk>/edit/", target_edit, name="target_edit"),
    path("factors/", factor_list, name="factor_list"),
]
