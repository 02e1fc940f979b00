"""To-do items of the finance module: for finance officers, the affiliated units' voucher
handovers past their due date (one item, in one query). Pending disposals and
expenditures are in the approvals inbox."""

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem

from .models import VoucherHandover
from .services.vouchers import overdue


def finance_todos(user, limit):
    if limit <= 0 or user.center_id is None or not user.has_perm("finance.change_voucherhandover"):
        return 0, []
    today = timezone.localdate()
    late = overdue(VoucherHandover.objects.filter(center_id=user.center_id), today)
    found = late.aggregate(n=Count("id"), first=Min("due_date"))
    count, first = found["n"], found["first"]
    if not count:
        return 0, []
    item = TodoItem(
        title=_("%(n)s 项凭证移交已逾期") % {"n": count},
        url=reverse("finance:voucher_list") + "?state=overdue",
        created=timezone.make_aware(dt.datetime.combine(first, dt.time())),
        due=first,
        overdue=True,
        detail=_("最早应于 %(d)s 移交") % {"d": first.strftime("%Y-%m-%d")},
    )
    return 1, [item]
