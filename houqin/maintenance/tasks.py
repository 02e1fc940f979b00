"""Periodic jobs of the maintenance app (scheduled by Celery beat; also a management command)."""

from celery import shared_task
from django.utils import timezone

OVERDUE_KIND = "maintenance.overdue"
REMINDER_PREFIX = "超时提醒日期："


def overdue_reminders(*, now=None) -> int:
    """Tell the assignee and the center's maintenance managers about every open work order
    (待派单 / 已派单 / 维修中 / 待配件) past its completion deadline.

    At most once per order per day (Asia/Shanghai): the reminder's body starts with the day
    it was sent, and an order that already has a "maintenance.overdue" notification with
    today's line is skipped, so the job may run hourly. Returns the number of orders
    reminded about.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from houqin.core.notifications.models import Notification
    from houqin.core.notifications.services import notify
    from houqin.core.roles import Role

    from .models import WorkOrder

    S = WorkOrder.Status
    now = now or timezone.now()
    day_line = f"{REMINDER_PREFIX}{timezone.localdate(now):%Y-%m-%d}"
    orders = list(
        WorkOrder.objects.filter(
            status__in=(S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS), due_at__lt=now
        )
        .select_related("assignee")
        .order_by("center_id", "due_at", "pk")
    )
    if not orders:
        return 0
    done = set(
        Notification.objects.filter(
            kind=OVERDUE_KIND,
            target_type=ContentType.objects.get_for_model(WorkOrder),
            target_id__in=[o.pk for o in orders],
            body__startswith=day_line,
        ).values_list("target_id", flat=True)
    )
    User = get_user_model()
    managers = {}
    sent = 0
    for order in orders:
        if order.pk in done:
            continue
        if order.center_id not in managers:
            managers[order.center_id] = list(
                User.objects.filter(
                    is_active=True,
                    role_assignments__center_id=order.center_id,
                    role_assignments__role=Role.MAINTENANCE_MANAGER,
                ).distinct()
            )
        recipients = [*managers[order.center_id], order.assignee]
        due = timezone.localtime(order.due_at)
        who = (
            order.assignee.display_name if order.assignee_id else (order.vendor_name or _("未派单"))
        )
        rows = notify(
            recipients=recipients,
            kind=OVERDUE_KIND,
            title=_("维修工单 %(n)s 已超时：%(d)s")
            % {"n": order.number, "d": order.description[:30]},
            body=_("%(line)s\n应于 %(due)s 前完成，当前状态：%(s)s，维修人员：%(w)s。")
            % {
                "line": day_line,
                "due": f"{due:%Y-%m-%d %H:%M}",
                "s": order.get_status_display(),
                "w": who,
            },
            url=reverse("maintenance:order_detail", args=[order.pk]),
            obj=order,
        )
        if rows:
            sent += 1
    return sent


@shared_task(name="maintenance.overdue_reminders")
def overdue_reminders_task():
    return overdue_reminders()
