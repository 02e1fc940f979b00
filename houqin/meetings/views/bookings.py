"""Booking pages: create (single or weekly series), list, detail, edit and the actions."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.approvals.selectors import approval_for_object
from houqin.core.audit import record_event
from houqin.core.forms import apply_errors
from houqin.core.models import AuditEvent
from houqin.core.xlsx import Column, build_workbook, xlsx_response
from houqin.org.scoping import user_agency

from .. import services
from ..filters import BookingFilter
from ..forms import BookingForm, CancelForm, ServedForm
from ..models import Booking
from ..permissions import get_booking_for_user
from ..selectors import bookings_for
from ..tables import BookingTable

PAGE_SIZE = 50
# Service field names → the form fields that carry them.
FIELD_MAP = {"starts_at": "start_time", "ends_at": "end_time", "rrule": "repeat"}


def _apply(form, exc):
    if hasattr(exc, "error_dict"):
        exc = ValidationError({FIELD_MAP.get(k, k): v for k, v in exc.error_dict.items()})
    apply_errors(form, exc)


def _initial(request):
    """Prefill from the grid: ?room=&start=YYYY-MM-DDTHH:MM (or ?date=)."""
    initial = {"level": Booking.Level.ORDINARY}
    agency = user_agency(request.user)
    if agency is not None:
        initial["agency"] = agency.pk
    if request.GET.get("room", "").isdigit():
        initial["room"] = int(request.GET["room"])
    start = None
    try:
        if request.GET.get("start"):
            start = dt.datetime.fromisoformat(request.GET["start"])
        elif request.GET.get("date"):
            start = dt.datetime.combine(dt.date.fromisoformat(request.GET["date"]), dt.time(9))
    except ValueError:
        start = None
    if start is not None:
        initial.update(
            date=start.date(),
            start_time=start.time(),
            end_time=(start + dt.timedelta(hours=1)).time(),
        )
    return initial


def _status_message(request, booking):
    if booking.status == Booking.Status.PENDING:
        messages.info(request, _("预订已提交，待会务管理员审批：%(t)s") % {"t": booking.title})
    else:
        messages.success(request, _("预订成功，已确认：%(t)s") % {"t": booking.title})


@login_required
@permission_required("meetings.add_booking", raise_exception=True)
def booking_create(request):
    form = BookingForm(request.POST or None, user=request.user, initial=_initial(request))
    clashes = False
    if request.method == "POST" and form.is_valid():
        repeat = bool(form.cleaned_data.get("repeat"))
        try:
            if repeat:
                _series, created, skipped = services.booking_series_create(
                    actor=request.user, **form.series_fields()
                )
            else:
                created = [services.booking_create(actor=request.user, **form.booking_fields())]
                skipped = []
        except ValidationError as exc:
            _apply(form, exc)
            clashes = repeat and "repeat" in form.errors
        else:
            if not created:
                messages.warning(request, _("所有日期均有冲突，未创建任何预订。"))
                return redirect("meetings:grid")
            first = created[0]
            if len(created) > 1 or skipped:
                messages.success(
                    request,
                    _("已创建周期预订 %(n)d 次，跳过冲突 %(s)d 次。")
                    % {"n": len(created), "s": len(skipped)},
                )
            _status_message(request, first)
            return redirect("meetings:booking_detail", pk=first.pk)
    return render(
        request,
        "meetings/booking_form.html",
        {
            "form": form,
            "series": True,
            "clashes": clashes,
            "title": _("预订会议室"),
            "active_menu": "meetings_grid",
        },
    )


@login_required
def booking_list(request):
    filterset = BookingFilter(request.GET, queryset=bookings_for(request.user), request=request)
    if request.GET.get("export") == "xlsx":
        rows = filterset.qs.order_by("starts_at")
        record_event(
            AuditEvent.Kind.EXPORT,
            request=request,
            model="meetings.Booking",
            rows=rows.count(),
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
        columns = [
            Column("date", _("日期"), width=12),
            Column("time", _("时间"), width=14),
            Column("room", _("会议室"), width=16),
            Column("title", _("会议名称"), width=30),
            Column("agency", _("主办单位"), width=20),
            Column("booker", _("预订人"), width=12),
            Column("expected", _("预计人数"), width=10),
            Column("actual", _("实到人数"), width=10),
            Column("level", _("会议级别"), width=10),
            Column("status", _("状态"), width=10),
            Column("notes", _("备注"), width=30),
        ]
        data = []
        for b in rows:
            start, end = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)
            data.append(
                [
                    start.date(),
                    f"{start:%H:%M}–{end:%H:%M}",
                    b.room.name,
                    b.title,
                    b.agency.name,
                    b.booker.display_name,
                    b.attendees_expected,
                    b.attendees_actual,
                    b.get_level_display(),
                    b.get_status_display(),
                    b.notes,
                ]
            )
        return xlsx_response(build_workbook(_("会议预订"), columns, data), _("会议预订"))
    table = BookingTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = (
        "meetings/booking_list.html#results" if request.htmx else "meetings/booking_list.html"
    )
    return render(
        request,
        template,
        {"table": table, "filter": filterset, "active_menu": "meetings_bookings"},
    )


def _can_change(user, booking):
    return booking.booker_id == user.pk or user.has_perm("meetings.change_booking")


@login_required
def booking_detail(request, pk):
    booking = get_booking_for_user(request.user, pk)
    can_change = _can_change(request.user, booking)
    open_ = booking.status in (Booking.Status.PENDING, Booking.Status.CONFIRMED)
    is_manager = request.user.has_perm("meetings.change_booking")
    approval = approval_for_object(booking, request_type="meetings.booking")
    return render(
        request,
        "meetings/booking_detail.html",
        {
            "booking": booking,
            "services_list": list(booking.services.all()),
            "approval": approval,
            "can_edit": can_change and open_,
            "can_cancel_rest": can_change and open_ and booking.series_id is not None,
            "can_check_in": can_change
            and booking.status == Booking.Status.CONFIRMED
            and not booking.checked_in_at,
            "can_serve": is_manager and booking.status == Booking.Status.CONFIRMED,
            "cancel_form": CancelForm(),
            "served_form": ServedForm(initial={"attendees_actual": booking.attendees_expected}),
            "active_menu": "meetings_bookings",
        },
    )


@login_required
def booking_edit(request, pk):
    booking = get_booking_for_user(request.user, pk)
    if not _can_change(request.user, booking):
        raise PermissionDenied
    form = BookingForm(
        request.POST or None,
        user=request.user,
        series=False,
        initial=BookingForm.initial_for(booking),
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_update(
                actor=request.user, booking=booking, **form.booking_fields()
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("已保存预订。"))
            return redirect("meetings:booking_detail", pk=booking.pk)
    return render(
        request,
        "meetings/booking_form.html",
        {
            "form": form,
            "booking": booking,
            "series": False,
            "title": _("修改预订"),
            "active_menu": "meetings_bookings",
        },
    )


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _back(request, booking):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("meetings:booking_detail", pk=booking.pk)


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_booking_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return _back(request, booking)
    try:
        services.booking_cancel(
            actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已取消预订。"))
    return _back(request, booking)


@login_required
@require_POST
def booking_cancel_rest(request, pk):
    booking = get_booking_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return _back(request, booking)
    try:
        cancelled = services.booking_series_cancel_rest(
            actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已取消本次及以后的 %(n)d 次会议。") % {"n": len(cancelled)})
    return _back(request, booking)


@login_required
@require_POST
def booking_check_in(request, pk):
    booking = get_booking_for_user(request.user, pk)
    try:
        services.booking_check_in(actor=request.user, booking=booking)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已签到。"))
    return _back(request, booking)


@login_required
@permission_required("meetings.change_booking", raise_exception=True)
@require_POST
def booking_served(request, pk):
    booking = get_booking_for_user(request.user, pk)
    form = ServedForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["attendees_actual"][0])
        return _back(request, booking)
    try:
        services.booking_mark_served(
            actor=request.user,
            booking=booking,
            attendees_actual=form.cleaned_data["attendees_actual"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已标记为已服务：%(t)s") % {"t": booking.title})
    return _back(request, booking)
