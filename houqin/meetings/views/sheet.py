"""会务服务单: what to prepare where on a day, for the meeting manager. Printable."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import ServedForm
from ..selectors import service_sheet as sheet_for


@login_required
@permission_required("meetings.change_booking", raise_exception=True)
def service_sheet(request):
    day = timezone.localdate()
    if request.GET.get("date"):
        try:
            day = dt.date.fromisoformat(request.GET["date"])
        except ValueError:
            messages.warning(request, _("日期格式不正确（应为 YYYY-MM-DD），已显示今天。"))
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    bookings = list(sheet_for(request.user, start, start + dt.timedelta(days=1)))
    return render(
        request,
        "meetings/service_sheet.html",
        {
            "day": day,
            "bookings": bookings,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "served_form": ServedForm(),
            "active_menu": "meetings_sheet",
        },
    )
