"""用车申请 pages: create (mobile-friendly), list with export, detail, cancel, rate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.approvals.selectors import approval_for_object
from houqin.core.audit import record_event
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response
from houqin.org.scoping import user_agency

from .. import services
from ..filters import TripRequestFilter
from ..forms import RatingForm, ReasonForm, TripRequestForm
from ..models import TripRequest
from ..tables import TripRequestTable
from .common import apply, error_messages, get_request_for_user, is_dispatcher, requests_for

PAGE_SIZE = 50


@login_required
@permission_required("fleet.add_triprequest", raise_exception=True)
def request_create(request):
    initial = {"needs_driver": True, "passengers": 1}
    agency = user_agency(request.user)
    if agency is not None:
        initial["agency"] = agency.pk
    form = TripRequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            trip_request = services.trip_request_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            apply(form, exc, TripRequestForm.FIELD_MAP)
        else:
            messages.success(request, _("用车申请已提交，等待审批。"))
            return redirect("fleet:request_detail", pk=trip_request.pk)
    return render(request, "fleet/request_form.html", {"form": form})


def _export(request, rows):
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        model="fleet.TripRequest",
        rows=rows.count(),
        filters={k: v for k, v in request.GET.items() if k != "export"},
    )
    columns = [
        Column("departs", _("出发时间"), width=17),
        Column("returns", _("预计返回"), width=17),
        Column("agency", _("用车单位"), width=20),
        Column("requester", _("申请人"), width=10),
        Column("purpose", _("公务事由"), width=30),
        Column("origin", _("出发地"), width=16),
        Column("destination", _("目的地"), width=16),
        Column("passengers", _("乘车人数"), width=8),
        Column("status", _("状态"), width=10),
        Column("trip", _("派车单号"), width=14),
        Column("vehicle", _("车辆"), width=12),
        Column("driver", _("驾驶员"), width=10),
        Column("unmet", _("未派车原因"), width=20),
        Column("rating", _("满意度"), width=8),
    ]
    data = []
    for r in rows:
        trip = r.trip
        data.append(
            [
                timezone.localtime(r.departs_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(r.returns_at).strftime("%Y-%m-%d %H:%M"),
                r.agency.name,
                r.requester.display_name,
                r.purpose,
                r.origin,
                r.destination,
                r.passengers,
                r.get_status_display(),
                trip.number if trip else "",
                trip.vehicle.plate if trip else "",
                str(trip.driver) if trip else "",
                r.unmet_reason,
                r.rating,
            ]
        )
    return xlsx_response(build_workbook(_("用车申请"), columns, data), _("用车申请"))


@login_required
def request_list(request):
    filterset = TripRequestFilter(request.GET, queryset=requests_for(request.user))
    if request.GET.get("export") == "xlsx":
        return _export(request, filterset.qs.order_by("departs_at"))
    table = TripRequestTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "fleet/request_list.html#results" if request.htmx else "fleet/request_list.html"
    return render(
        request,
        template,
        {"table": table, "filter": filterset, "active_menu": "fleet_requests"},
    )


@login_required
def request_detail(request, pk):
    trip_request = get_request_for_user(request.user, pk)
    user = request.user
    open_ = trip_request.status in (TripRequest.Status.PENDING, TripRequest.Status.APPROVED)
    mine = trip_request.requester_id == user.pk
    return render(
        request,
        "fleet/request_detail.html",
        {
            "req": trip_request,
            "trip": trip_request.trip,
            "approval": approval_for_object(trip_request, request_type="fleet.trip"),
            "can_cancel": open_ and (mine or is_dispatcher(user)),
            "can_rate": mine
            and trip_request.status == TripRequest.Status.COMPLETED
            and trip_request.rated_at is None,
            "cancel_form": ReasonForm(),
            "rating_form": RatingForm(),
            "active_menu": "fleet_requests",
        },
    )


@login_required
@require_POST
def request_cancel(request, pk):
    trip_request = get_request_for_user(request.user, pk)
    reason = request.POST.get("reason", "").strip()[:200]
    try:
        services.trip_request_cancel(actor=request.user, request=trip_request, reason=reason)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("已取消用车申请。"))
    return redirect("fleet:request_detail", pk=trip_request.pk)


@login_required
@require_POST
def request_rate(request, pk):
    trip_request = get_request_for_user(request.user, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择 1–5 星。"))
        return redirect("fleet:request_detail", pk=trip_request.pk)
    try:
        services.trip_request_rate(
            actor=request.user,
            request=trip_request,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("感谢您的评价。"))
    return redirect("fleet:request_detail", pk=trip_request.pk)
