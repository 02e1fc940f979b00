"""Reads of the workday calendar. The calendar is national (one for every center)."""

from .models import HolidayOverride


def holiday_overrides_for(user):
    if not user.has_perm("workdays.view_holidayoverride"):
        return HolidayOverride.objects.none()
    return HolidayOverride.objects.select_related("created_by__person").order_by("date")
