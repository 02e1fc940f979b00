"""Daily reminders of the space app (Celery beat "space-reminders"; also the management
command space_reminders).

- a lease ending within LEASE_EXPIRY_NOTICE_DAYS (or already past its end) and still active:
  the center's space managers are told once (Lease.expiry_notified_on; a renewal with a new
  end date re-arms it);
- the office of a person who left and is still not handed back one month after they left
  (中办发〔2017〕70号): the space managers are told once per office (overdue_notified_at).

Each row is claimed by a conditional UPDATE before the notification is written, in one
transaction, so two workers running at once never tell twice; a second run sends nothing.
"""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.org.models import Person

from .compliance import return_due
from .hooks import space_managers
from .models import Lease, Occupancy
from .rules import LEASE_EXPIRY_NOTICE_DAYS


def _managers(cache, center_id):
    if center_id not in cache:
        cache[center_id] = space_managers(center_id)
    return cache[center_id]


def lease_expiry_reminders(*, today, cache) -> int:
    from houqin.core.notifications.services import notify

    limit = today + dt.timedelta(days=LEASE_EXPIRY_NOTICE_DAYS)
    leases = Lease.objects.filter(
        status=Lease.Status.ACTIVE, end_date__lte=limit, expiry_notified_on__isnull=True
    ).order_by("center_id", "end_date", "pk")
    sent = 0
    for lease in leases:
        recipients = _managers(cache, lease.center_id)
        if not recipients:
            continue  # told once a space manager is appointed
        with transaction.atomic():
            claimed = Lease.objects.filter(
                pk=lease.pk, status=Lease.Status.ACTIVE, expiry_notified_on__isnull=True
            ).update(expiry_notified_on=today)
            if not claimed:
                continue
            if lease.end_date < today:
                title = _("租用房屋“%(l)s”已于 %(d)s 到期，请办理续租或腾退")
            else:
                title = _("租用房屋“%(l)s”将于 %(d)s 到期，请办理续租或腾退")
            notify(
                recipients=recipients,
                kind="space.lease_expiry",
                title=title % {"l": lease, "d": lease.end_date},
                body=_("年租金 %(r)s 元，批准文号：%(a)s。")
                % {"r": lease.annual_rent, "a": lease.approval_ref or "—"},
                url=reverse("space:lease_detail", args=[lease.pk]),
                obj=lease,
            )
        sent += 1
    return sent


def office_overdue_reminders(*, today, now, cache) -> int:
    from houqin.core.notifications.services import notify

    occupancies = (
        Occupancy.objects.filter(
            end_date__isnull=True,
            overdue_notified_at__isnull=True,
            person__status_date__lte=today,
        )
        .exclude(person__status=Person.Status.ACTIVE)
        .select_related("person", "room__building")
        .order_by("center_id", "person_id", "pk")
    )
    sent = 0
    for occupancy in occupancies:
        person = occupancy.person
        due = return_due(person)
        if due is None or due > today:
            continue
        recipients = _managers(cache, occupancy.center_id)
        if not recipients:
            continue
        with transaction.atomic():
            claimed = Occupancy.objects.filter(
                pk=occupancy.pk, end_date__isnull=True, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now)
            if not claimed:
                continue
            notify(
                recipients=recipients,
                kind="space.office_overdue",
                title=_("%(p)s 已%(s)s，其办公室 %(r)s 逾期未收回（应于 %(d)s 前收回）")
                % {
                    "p": person.name,
                    "s": person.get_status_display(),
                    "r": occupancy.room,
                    "d": due,
                },
                url=reverse("space:compliance") + "#unreturned",
                obj=occupancy,
            )
        sent += 1
    return sent


def space_reminders(now=None) -> dict:
    """Run both reminders; returns how many leases and offices were reminded about."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cache = {}
    return {
        "lease_expiry": lease_expiry_reminders(today=today, cache=cache),
        "office_overdue": office_overdue_reminders(today=today, now=now, cache=cache),
    }


@shared_task(name="space.reminders")
def space_reminders_task():
    return space_reminders()
