"""The space manager's to-do items: offices to take back from people who left, and leases
about to end. Two queries whatever the number of rooms."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem
from houqin.org.models import Person

from .compliance import return_due
from .models import Lease, Occupancy
from .rules import LEASE_EXPIRY_NOTICE_DAYS


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def space_todos(user, limit):
    if limit <= 0 or user.center_id is None or not user.has_perm("space.change_spaceroom"):
        return 0, []
    today = timezone.localdate()
    items = []
    occupancies = (
        Occupancy.objects.filter(center_id=user.center_id, end_date__isnull=True)
        .exclude(person__status=Person.Status.ACTIVE)
        .select_related("person", "room__building")
    )
    for occupancy in occupancies:
        person = occupancy.person
        due = return_due(person)
        items.append(
            TodoItem(
                title=_("收回 %(p)s 的办公室 %(r)s") % {"p": person.name, "r": occupancy.room},
                url=reverse("space:room_detail", args=[occupancy.room_id]),
                created=_aware(person.status_date),
                due=due,
                overdue=due <= today,
                detail=_("%(s)s于 %(d)s")
                % {"s": person.get_status_display(), "d": person.status_date},
            )
        )
    leases = Lease.objects.filter(
        center_id=user.center_id,
        status=Lease.Status.ACTIVE,
        end_date__lte=today + dt.timedelta(days=LEASE_EXPIRY_NOTICE_DAYS),
    )
    for lease in leases:
        items.append(
            TodoItem(
                title=_("租用房屋到期：%(a)s") % {"a": lease.address},
                url=reverse("space:lease_detail", args=[lease.pk]),
                created=_aware(lease.end_date - dt.timedelta(days=LEASE_EXPIRY_NOTICE_DAYS)),
                due=lease.end_date,
                overdue=lease.end_date < today,
                detail=_("续租或腾退"),
            )
        )
    items.sort(key=lambda item: item.created, reverse=True)
    return len(items), items[:limit]
