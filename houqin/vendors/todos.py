"""To-do items of the vendors module for vendor managers, in a constant number of queries:

- each contract ending within its renewal notice days (合同即将到期);
- per vendor, staff on post whose health certificate has expired or expires within 30 days;
- per active scoring sheet, the active vendors of its kind not yet evaluated for the last
  finished month or quarter (due within EVALUATION_DUE_DAYS after the period ends).
"""

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem

from .models import Contract, EvaluationSheet, Vendor, VendorEvaluation, VendorStaff
from .selectors import expiring_contracts, staff_on_post
from .services.evaluations import last_finished_period
from .tables.common import CERT_WARNING_DAYS

EVALUATION_DUE_DAYS = 10


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def contract_items(center_id, today):
    contracts = expiring_contracts(
        Contract.objects.filter(center_id=center_id, vendor__is_active=True), today
    ).select_related("vendor")
    return [
        TodoItem(
            title=_("合同即将到期：%(v)s %(n)s") % {"v": c.vendor.name, "n": c.number},
            url=reverse("vendors:vendor_detail", args=[c.vendor_id]),
            created=_aware(c.end_date - dt.timedelta(days=c.renewal_notice_days)),
            due=c.end_date,
            detail=_("%(d)s 到期，请办理续签或重新采购") % {"d": f"{c.end_date:%Y-%m-%d}"},
        )
        for c in contracts.order_by("end_date", "id")
    ]


def health_cert_items(center_id, today):
    limit = today + dt.timedelta(days=CERT_WARNING_DAYS)
    rows = (
        staff_on_post(VendorStaff.objects, today)
        .filter(
            vendor__center_id=center_id,
            vendor__is_active=True,
            health_cert_expiry__isnull=False,
            health_cert_expiry__lte=limit,
        )
        .values("vendor_id", "vendor__name")
        .annotate(
            n=Count("pk"),
            expired=Count("pk", filter=Q(health_cert_expiry__lt=today)),
            first=Min("health_cert_expiry"),
        )
        .order_by("vendor__name")
    )
    return [
        TodoItem(
            title=_("%(v)s 有 %(n)s 人健康证过期或即将到期")
            % {"v": row["vendor__name"], "n": row["n"]},
            url=reverse("vendors:vendor_detail", args=[row["vendor_id"]]),
            created=_aware(min(row["first"], today) - dt.timedelta(days=CERT_WARNING_DAYS)),
            due=row["first"],
            overdue=row["expired"] > 0,
            detail=_("已过期 %(e)s 人") % {"e": row["expired"]} if row["expired"] else "",
        )
        for row in rows
    ]


def evaluation_items(center_id, today):
    sheets = list(
        EvaluationSheet.objects.filter(center_id=center_id, is_active=True)
        .annotate(item_count=Count("items"))
        .filter(item_count__gt=0)
    )
    if not sheets:
        return []
    vendors = list(Vendor.objects.filter(center_id=center_id, is_active=True))
    periods = {s.pk: last_finished_period(s.period, today) for s in sheets}
    done = set(
        VendorEvaluation.objects.filter(
            center_id=center_id,
            sheet__in=sheets,
            period_start__in={start for start, _end in periods.values()},
        ).values_list("sheet_id", "vendor_id", "period_start")
    )
    items = []
    for sheet in sheets:
        start, end = periods[sheet.pk]
        waiting = [
            v
            for v in vendors
            if (not sheet.vendor_kind or v.kind == sheet.vendor_kind)
            and (sheet.pk, v.pk, start) not in done
        ]
        if not waiting:
            continue
        due = end + dt.timedelta(days=EVALUATION_DUE_DAYS)
        query = {
            "sheet": sheet.pk,
            "period_start": f"{start:%Y-%m-%d}",
            "period_end": f"{end:%Y-%m-%d}",
        }
        if len(waiting) == 1:
            query["vendor"] = waiting[0].pk
        items.append(
            TodoItem(
                title=_("%(s)s：%(n)s 家单位待考核（%(a)s 至 %(b)s）")
                % {
                    "s": sheet.name,
                    "n": len(waiting),
                    "a": f"{start:%Y-%m-%d}",
                    "b": f"{end:%Y-%m-%d}",
                },
                url=reverse("vendors:evaluation_create") + "?" + urlencode(query),
                created=_aware(end + dt.timedelta(days=1)),
                due=due,
                overdue=today > due,
                detail="、".join(v.name for v in waiting[:5]) + ("…" if len(waiting) > 5 else ""),
            )
        )
    return items


def vendor_todos(user, limit):
    if limit <= 0 or user.center_id is None or not user.has_perm("vendors.change_vendor"):
        return 0, []
    today = timezone.localdate()
    items = (
        contract_items(user.center_id, today)
        + health_cert_items(user.center_id, today)
        + evaluation_items(user.center_id, today)
    )
    items.sort(key=lambda item: item.created, reverse=True)
    return len(items), items[:limit]
