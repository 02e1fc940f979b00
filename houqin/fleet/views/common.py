"""Small helpers shared by the fleet pages. Scoped reads come from ..selectors and
..permissions (re-exported here for the views)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.forms import apply_errors

from ..permissions import get_request_for_user, get_trip_for_user, get_vehicle_for_user
from ..selectors import (
    Availability,
    drivers_for,
    is_dispatcher,
    requests_for,
    trips_for,
    vehicles_for,
)

DISPATCH_PERM = "fleet.change_trip"

__all__ = [
    "Availability",
    "drivers_for",
    "get_request_for_user",
    "get_trip_for_user",
    "get_vehicle_for_user",
    "is_dispatcher",
    "requests_for",
    "trips_for",
    "vehicles_for",
]


def get_own_trip(user, pk):
    """A trip the user drives (even a dispatcher may only start/end their own)."""
    return get_object_or_404(trips_for(user).filter(driver__user=user), pk=pk)


# ---------------------------------------------------------------- helpers


def parse_day(request):
    raw = request.GET.get("date", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示今天。"))
    return timezone.localdate()


def at(day, time=dt.time.min):
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def apply(form, exc, field_map=None):
    """apply_errors with service field names renamed to the form's."""
    if field_map and hasattr(exc, "error_dict"):
        exc = ValidationError({field_map.get(k, k): v for k, v in exc.error_dict.items()})
    apply_errors(form, exc)


def error_messages(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def form_error_messages(request, form):
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


# ---------------------------------------------------------------- availability


def expiring(date, today=None, days=30):
    """True when `date` (insurance, inspection) is past or less than `days` days away."""
    if date is None:
        return False
    today = today or timezone.localdate()
    return date < today + dt.timedelta(days=days)
