"""核销终端: counter tablets and scanners that verify pickups through the API with their own
token. The token is shown once, on the page that answers the creation; only its digest is kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..filters.wallets import DeviceFilter
from ..forms.wallets import DeviceForm
from ..selectors import devices_for
from ..services import devices as services
from ..tables.wallets import DeviceTable

PAGE_SIZE = 50
VIEW = "canteen.view_pickupdevice"
ADD = "canteen.add_pickupdevice"
CHANGE = "canteen.change_pickupdevice"
VERIFY_PATH = "/api/v1/canteen/pickup/verify/"


def _export(request, rows):
    record_export(request, "canteen.PickupDevice", rows=rows.count())
    columns = [
        Column("name", "终端名称", width=20),
        Column("hint", "令牌尾号", width=10),
        Column("active", "状态", width=8),
        Column("last_used", "最近使用", width=18),
        Column("created_by", "创建人", width=10),
        Column("created_at", "创建时间", width=18),
    ]
    data = [
        [
            d.name,
            d.token_hint,
            _("启用") if d.is_active else _("已停用"),
            d.last_used_at,
            d.created_by.display_name if d.created_by else "",
            d.created_at,
        ]
        for d in rows
    ]
    return xlsx_response(build_workbook(_("核销终端"), columns, data), _("核销终端"))


def _list_page(request, form=None, status=200):
    filterset = DeviceFilter(request.GET, queryset=devices_for(request.user))
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs.order_by("name", "pk"))
    table = DeviceTable(filterset.qs, request=request)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    context = {
        "table": table,
        "filter": filterset,
        "form": form or (DeviceForm() if request.user.has_perm(ADD) else None),
        "verify_url": request.build_absolute_uri(VERIFY_PATH),
        "active_menu": "canteen_devices",
    }
    template = "canteen/devices/device_list.html"
    return render(
        request, f"{template}#results" if request.htmx else template, context, status=status
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def device_list(request):
    return _list_page(request)


@never_cache
@login_required
@permission_required(ADD, raise_exception=True)
@require_POST
def device_create(request):
    form = DeviceForm(request.POST)
    if form.is_valid():
        try:
            device, token = services.pickup_device_create(
                actor=request.user, center=request.user.center, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Shown once, never stored: the page must not be cached or re-shown.
            return render(
                request,
                "canteen/devices/device_token.html",
                {
                    "device": device,
                    "token": token,
                    "verify_url": request.build_absolute_uri(VERIFY_PATH),
                    "active_menu": "canteen_devices",
                },
            )
    return _list_page(request, form=form)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def device_revoke(request, pk):
    device = get_object_or_404(devices_for(request.user), pk=pk)
    if not device.is_active:
        messages.info(request, _("终端“%(n)s”已停用。") % {"n": device.name})
        return redirect("canteen:device_list")
    try:
        services.pickup_device_revoke(actor=request.user, device=device)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已停用终端“%(n)s”，其令牌立即失效。") % {"n": device.name})
    return redirect("canteen:device_list")


urlpatterns = [
    path("manage/devices/", device_list, name="device_list"),
    path("manage/devices/create/", device_create, name="device_create"),
    path("manage/devices/<int:pk>/revoke/", device_revoke, name="device_revoke"),
]
