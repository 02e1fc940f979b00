"""Driver's phone pages: my trips, 出车 (start) and 收车 (end)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..forms import TripEndForm, TripStartForm
from ..models import Trip
from .common import apply, at, get_own_trip, trips_for


@login_required
@permission_required("fleet.view_trip", raise_exception=True)
def my_trips(request):
    today = timezone.localdate()
    trips = list(
        trips_for(request.user)
        .filter(driver__user=request.user)
        .filter(
            Q(status=Trip.Status.IN_PROGRESS)
            | Q(status=Trip.Status.SCHEDULED, ends_at__gte=at(today))
            | Q(status=Trip.Status.COMPLETED, ended_at__gte=at(today))
        )
        .prefetch_related("requests")
        .order_by("starts_at")[:50]
    )
    tomorrow = at(today + dt.timedelta(days=1))
    return render(
        request,
        "fleet/my_trips.html",
        {
            "today_trips": [t for t in trips if t.starts_at < tomorrow],
            "upcoming": [t for t in trips if t.starts_at >= tomorrow],
        },
    )


def _trip_form(request, pk, form_class, service, initial, title, done):
    trip = get_own_trip(request.user, pk)
    form = form_class(request.POST or None, initial=initial(trip))
    if request.method == "POST" and form.is_valid():
        fields = (
            form.service_fields()
            if hasattr(form, "service_fields")
            else {
                "odometer": form.cleaned_data["odometer"],
                "disinfected": form.cleaned_data["disinfected"],
            }
        )
        try:
            service(actor=request.user, trip=trip, **fields)
        except ValidationError as exc:
            apply(form, exc)
        else:
            messages.success(request, done % {"n": trip.number})
            return redirect("fleet:my_trips")
    return render(request, "fleet/trip_action.html", {"trip": trip, "form": form, "title": title})


@login_required
def trip_start(request, pk):
    return _trip_form(
        request,
        pk,
        TripStartForm,
        services.trip_start,
        lambda trip: {"odometer": trip.vehicle.odometer_km},
        _("出车"),
        _("已出车：%(n)s，注意行车安全。"),
    )


@login_required
def trip_end(request, pk):
    return _trip_form(
        request,
        pk,
        TripEndForm,
        services.trip_end,
        lambda trip: {"odometer": trip.start_odometer},
        _("收车"),
        _("已收车：%(n)s。"),
    )
