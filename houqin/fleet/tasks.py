"""Periodic jobs of the fleet app (scheduled by Celery beat; also a management command)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

REMIND_DAYS = 30


def expiry_reminders(*, today=None):
    """Notify each center's dispatchers of insurance, inspection (年检) and driving licences
    expiring within 30 days (or already expired). At most once per item per day: the
    notification is keyed by kind, object and title (which carries the date). Returns the
    number of items reminded about."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from houqin.core.notifications.models import Notification
    from houqin.core.notifications.services import notify
    from houqin.core.roles import Role

    from .models import Driver, Vehicle

    today = today or timezone.localdate()
    limit = today + dt.timedelta(days=REMIND_DAYS)
    items = []
    vehicles = Vehicle.objects.exclude(status=Vehicle.Status.DISPOSED)
    for v in vehicles.filter(insurance_expiry__lte=limit):
        items.append((v, _("%(p)s 保险 %(d)s 到期") % {"p": v.plate, "d": v.insurance_expiry}))
    for v in vehicles.filter(inspection_expiry__lte=limit):
        items.append((v, _("%(p)s 年检 %(d)s 到期") % {"p": v.plate, "d": v.inspection_expiry}))
    for d in Driver.objects.filter(is_active=True, licence_expiry__lte=limit).select_related(
        "user", "user__person"
    ):
        items.append((d, _("驾驶员%(n)s驾驶证 %(d)s 到期") % {"n": d, "d": d.licence_expiry}))
    if not items:
        return 0
    User = get_user_model()
    dispatchers = {}
    sent = 0
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    for obj, title in items:
        center_id = obj.center_id
        if center_id not in dispatchers:
            dispatchers[center_id] = list(
                User.objects.filter(
                    is_active=True,
                    role_assignments__center_id=center_id,
                    role_assignments__role=Role.FLEET_DISPATCHER,
                ).distinct()
            )
        if not dispatchers[center_id]:
            continue
        if Notification.objects.filter(
            kind="fleet.expiry", center_id=center_id, title=title, created_at__gte=start_of_day
        ).exists():
            continue
        url = (
            reverse("fleet:vehicle_edit", args=[obj.pk])
            if isinstance(obj, Vehicle)
            else reverse("fleet:vehicle_list")
        )
        notify(
            recipients=dispatchers[center_id], kind="fleet.expiry", title=title, url=url, obj=obj
        )
        sent += 1
    return sent


@shared_task(name="fleet.expiry_reminders")
def expiry_reminders_task():
    return expiry_reminders()
