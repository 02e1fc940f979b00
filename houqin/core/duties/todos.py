"""The duties contribution to the to-do inbox: the user's open tasks of today and overdue."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem

from .recurrence import to_local
from .selectors import my_tasks


def duty_todos(user, limit):
    """(count, up to `limit` items) in two queries (plus the cached role lookup)."""
    qs = my_tasks(user)
    count = qs.count()
    if not count:
        return 0, []
    now = timezone.now()
    items = []
    for task in qs[:limit]:
        due = to_local(task.due_at)
        detail = _("应于 %(due)s 完成") % {"due": f"{due:%m-%d %H:%M}"}
        if task.location_text:
            detail += f" · {task.location_text}"
        items.append(
            TodoItem(
                title=task.title,
                url=reverse("duties:task_complete", args=[task.pk]),
                created=task.due_at,
                due=task.due_at,
                overdue=task.is_overdue(now),
                detail=detail,
            )
        )
    return count, items
