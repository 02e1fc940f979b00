"""To-do for calendar administrators: enter next year's holidays when nobody knows them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem


def calendar_todos(user, limit):
    if limit <= 0 or not user.has_perm("workdays.change_holidayoverride"):
        return 0, []
    from . import calendar

    today = timezone.localdate()
    year = calendar.first_unknown_year(today)
    if year is None:
        return 0, []
    item = TodoItem(
        title=_("录入 %(year)d 年节假日安排") % {"year": year},
        url=reverse("workdays:calendar"),
        # Waiting since the start of the year before the unknown one (when it became due).
        created=timezone.make_aware(dt.datetime(min(year - 1, today.year), 1, 1)),
        detail=_("系统尚未掌握该年的放假和调休安排"),
    )
    return 1, [item]
