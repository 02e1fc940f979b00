"""车辆管理: register list with export, create/edit, 封存, fuel and repair records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_event
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from .. import services
from ..filters import VehicleFilter
from ..forms import VEHICLE_FIELDS, FuelForm, RepairForm, SealForm, VehicleForm
from ..models import Vehicle
from ..tables import VehicleTable
from .common import apply, expiring, get_vehicle_for_user, vehicles_for

PAGE_SIZE = 50
MANAGE = "fleet.change_vehicle"
RECENT = 20


def _export(request, rows):
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        model="fleet.Vehicle",
        rows=rows.count(),
        filters={k: v for k, v in request.GET.items() if k != "export"},
    )
    columns = [
        Column("plate", _("车牌号"), width=12),
        Column("brand_model", _("品牌型号"), width=20),
        Column("category", _("类别"), width=20),
        Column("energy", _("能源类型"), width=10),
        Column("seats", _("座位数"), width=8),
        Column("owner", _("编制所属单位"), width=20),
        Column("parking", _("定点停放"), width=16),
        Column("fuel", _("定点加油"), width=16),
        Column("repair", _("定点维修"), width=16),
        Column("driver", _("责任驾驶员"), width=10),
        Column("insurance", _("保险到期"), width=12),
        Column("inspection", _("年检到期"), width=12),
        Column("odometer", _("当前里程（公里）"), width=12),
        Column("status", _("状态"), width=8),
    ]
    data = [
        [
            v.plate,
            v.brand_model,
            v.get_category_display(),
            v.get_energy_display(),
            v.seats,
            v.owner_agency.name if v.owner_agency else "",
            v.fixed_parking,
            v.fixed_fuel_station,
            v.fixed_repair_shop,
            str(v.responsible_driver) if v.responsible_driver else "",
            v.insurance_expiry,
            v.inspection_expiry,
            v.odometer_km,
            v.get_status_display(),
        ]
        for v in rows
    ]
    return xlsx_response(build_workbook(_("公务用车"), columns, data), _("公务用车"))


@login_required
@permission_required(MANAGE, raise_exception=True)
def vehicle_list(request):
    filterset = VehicleFilter(request.GET, queryset=vehicles_for(request.user))
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs.order_by("plate"))
    table = VehicleTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "fleet/vehicle_list.html#results" if request.htmx else "fleet/vehicle_list.html"
    return render(
        request,
        template,
        {
            "table": table,
            "filter": filterset,
            "year": timezone.localdate().year,
            "active_menu": "fleet_vehicles",
        },
    )


def _fields(form):
    return {name: form.cleaned_data[name] for name in VEHICLE_FIELDS}


@login_required
@permission_required(MANAGE, raise_exception=True)
def vehicle_create(request):
    form = VehicleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            vehicle = services.vehicle_save(
                actor=request.user, center=request.user.center, **_fields(form)
            )
        except ValidationError as exc:
            apply(form, exc)
        else:
            messages.success(request, _("已登记车辆 %(p)s。") % {"p": vehicle.plate})
            return redirect("fleet:vehicle_edit", pk=vehicle.pk)
    return render(
        request,
        "fleet/vehicle_form.html",
        {"form": form, "title": _("登记车辆"), "active_menu": "fleet_vehicles"},
    )


def _vehicle_page(request, vehicle, form=None, seal_form=None, fuel_form=None, repair_form=None):
    today = timezone.localdate()
    if form is None:
        # A fresh instance: the service compares with the saved vehicle (odometer forward).
        form = VehicleForm(
            user=request.user,
            instance=Vehicle(center_id=vehicle.center_id),
            initial=model_to_dict(vehicle, fields=VEHICLE_FIELDS),
        )
    return render(
        request,
        "fleet/vehicle_form.html",
        {
            "vehicle": vehicle,
            "form": form,
            "seal_form": seal_form or SealForm(),
            "fuel_form": fuel_form or FuelForm(initial={"date": today}),
            "repair_form": repair_form or RepairForm(initial={"date": today}),
            "seals": list(vehicle.seals.filter(ends_at__gt=timezone.now()).order_by("starts_at")),
            "fuel_records": list(vehicle.fuel_records.order_by("-date", "-pk")[:RECENT]),
            "repair_records": list(vehicle.repair_records.order_by("-date", "-pk")[:RECENT]),
            "insurance_expiring": expiring(vehicle.insurance_expiry, today),
            "inspection_expiring": expiring(vehicle.inspection_expiry, today),
            "title": vehicle.plate,
            "active_menu": "fleet_vehicles",
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def vehicle_edit(request, pk):
    vehicle = get_vehicle_for_user(request.user, pk)
    if request.method != "POST":
        return _vehicle_page(request, vehicle)
    form = VehicleForm(
        request.POST, user=request.user, instance=Vehicle(center_id=vehicle.center_id)
    )
    if form.is_valid():
        try:
            services.vehicle_save(
                actor=request.user, center=request.user.center, vehicle=vehicle, **_fields(form)
            )
        except ValidationError as exc:
            apply(form, exc)
            vehicle.refresh_from_db()
        else:
            messages.success(request, _("已保存车辆信息。"))
            return redirect("fleet:vehicle_edit", pk=vehicle.pk)
    return _vehicle_page(request, vehicle, form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def vehicle_seal(request, pk):
    vehicle = get_vehicle_for_user(request.user, pk)
    form = SealForm(request.POST)
    if form.is_valid():
        try:
            services.vehicle_seal(actor=request.user, vehicle=vehicle, **form.cleaned_data)
        except ValidationError as exc:
            apply(form, exc)
        else:
            messages.success(request, _("已封存车辆 %(p)s。") % {"p": vehicle.plate})
            return redirect("fleet:vehicle_edit", pk=vehicle.pk)
    return _vehicle_page(request, vehicle, seal_form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def fuel_add(request, pk):
    vehicle = get_vehicle_for_user(request.user, pk)
    form = FuelForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            record = services.fuel_record_add(
                actor=request.user,
                vehicle=vehicle,
                date=d["date"],
                liters=d["fuel_liters"],
                cost=d["fuel_cost"],
                station=d["fuel_station"],
            )
        except ValidationError as exc:
            apply(form, exc)
        else:
            if record.off_fixed_station:
                messages.warning(request, _("已记录加油，注意：非定点加油。"))
            else:
                messages.success(request, _("已记录加油。"))
            return redirect("fleet:vehicle_edit", pk=vehicle.pk)
    return _vehicle_page(request, vehicle, fuel_form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def repair_add(request, pk):
    vehicle = get_vehicle_for_user(request.user, pk)
    form = RepairForm(request.POST)
    if form.is_valid():
        try:
            record = services.repair_record_add(
                actor=request.user, vehicle=vehicle, **form.cleaned_data
            )
        except ValidationError as exc:
            apply(form, exc)
        else:
            if record.off_fixed_shop:
                messages.warning(request, _("已记录，注意：非定点维修。"))
            else:
                messages.success(request, _("已记录维修保养。"))
            return redirect("fleet:vehicle_edit", pk=vehicle.pk)
    return _vehicle_page(request, vehicle, repair_form=form)


@login_required
@permission_required("fleet.view_vehicle", raise_exception=True)
def statistics_xlsx(request):
    from houqin.fleet.statistics import vehicle_statistics_workbook

    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    record_event(AuditEvent.Kind.EXPORT, request=request, model="fleet.statistics", year=year)
    workbook = vehicle_statistics_workbook(request.user.center, year)
    return xlsx_response(workbook, _("公务用车统计%(y)d") % {"y": year})
