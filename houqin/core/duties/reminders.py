"""Reminders: tell assignees once when a task is due within 30 minutes, and once when it is
overdue (past `late_after`; the person responsible is told too). Each task row is claimed by
a conditional UPDATE before anything is sent, so overlapping runs never send twice."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify

from .models import DutyTask
from .recurrence import to_local

DUE_SOON = dt.timedelta(minutes=30)
# A task that became due or overdue longer ago than this (the job was down) is not announced.
LOOKBACK = dt.timedelta(hours=24)


def recipients_of(task, *, include_responsible=False):
    """Named assignees and holders of the task's role in its center (active accounts); the
    person responsible when the task has no staff assignee (a vendor's) or when asked."""
    q = Q(duty_tasks=task)
    if task.assignee_role:
        q |= Q(
            center_id=task.center_id,
            role_assignments__center_id=task.center_id,
            role_assignments__role=task.assignee_role,
        )
    users = list(get_user_model().objects.filter(q, is_active=True).distinct())
    responsible = task.responsible_id
    if responsible and (include_responsible or not users):
        users += list(get_user_model().objects.filter(pk=responsible, is_active=True))
    return users


def _send(task_id, field, now) -> bool:
    with transaction.atomic():
        claimed = DutyTask.objects.filter(
            pk=task_id, status=DutyTask.Status.OPEN, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if not claimed:
            return False
        task = DutyTask.objects.select_related("plan").get(pk=task_id)
        due = to_local(task.due_at)
        where = f"（{task.location_text}）" if task.location_text else ""
        url = reverse("duties:task_complete", args=[task.pk])
        if field == "reminded_at":
            notify(
                recipients=recipients_of(task),
                kind="duty.due",
                title=_("即将到期：%(title)s %(time)s")
                % {"title": task.title, "time": f"{due:%H:%M}"},
                body=_("请于 %(due)s 前完成%(where)s。")
                % {"due": f"{due:%m-%d %H:%M}", "where": where},
                url=url,
                obj=task,
                center=task.center_id,
            )
        else:
            notify(
                recipients=recipients_of(task, include_responsible=True),
                kind="duty.overdue",
                title=_("已逾期：%(title)s") % {"title": task.title},
                body=_("应于 %(due)s 完成%(where)s，至今未登记完成。")
                % {"due": f"{due:%m-%d %H:%M}", "where": where},
                url=url,
                obj=task,
                center=task.center_id,
            )
    return True


def duty_reminders_send(*, now=None) -> dict[str, int]:
    """Send the due-soon and overdue reminders that are due; returns how many of each."""
    now = now or timezone.now()
    open_tasks = DutyTask.objects.filter(status=DutyTask.Status.OPEN)
    due_ids = open_tasks.filter(
        reminded_at__isnull=True,
        due_at__lte=now + DUE_SOON,
        due_at__gt=now - LOOKBACK,
        late_after__gt=now,
    ).values_list("pk", flat=True)
    overdue_ids = open_tasks.filter(
        overdue_notified_at__isnull=True, late_after__lte=now, late_after__gt=now - LOOKBACK
    ).values_list("pk", flat=True)
    sent = {"due": 0, "overdue": 0}
    for pk in list(due_ids):
        sent["due"] += _send(pk, "reminded_at", now)
    for pk in list(overdue_ids):
        sent["overdue"] += _send(pk, "overdue_notified_at", now)
    return sent
