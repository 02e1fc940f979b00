"""To-do items of the activities module: each survey sheet of the user still pending in an
open survey (one query)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem

from .selectors import pending_for


def activities_todos(user, limit):
    if limit <= 0 or not user.is_authenticated or user.center_id is None:
        return 0, []
    today = timezone.localdate()
    rows = list(pending_for(user).order_by("-survey__opened_at", "-id"))
    items = [
        TodoItem(
            title=_("填报摸排：%(t)s") % {"t": r.survey.title},
            url=reverse("activities:survey_answer", args=[r.pk]),
            created=r.survey.opened_at
            or timezone.make_aware(dt.datetime.combine(r.survey.deadline, dt.time())),
            due=r.survey.deadline,
            overdue=r.survey.deadline < today,
            detail=_("截止 %(d)s") % {"d": r.survey.deadline.isoformat()},
        )
        for r in rows
    ]
    return len(items), items[:limit]
