"""To-do items of the energy module, in a fixed number of queries:

energy manager  readings flagged 待核实 (one item), active meters without last month's entry
                (one item, from the 5th of the month), units waiting for review (one each), and
                from January to March the annual statistics report due on 31 March
liaison/leader  their agency's enrolment waiting for its self-assessment
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from houqin.core.menu import TodoItem
from houqin.org.scoping import user_agency

from .models import ConservationUnit, Meter, MeterReading

ENTRY_DUE_DAY = 5  # last month's readings are expected by the 5th
REPORT_DUE = (3, 31)  # 公共机构能源资源消费统计: last year's report by 31 March


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _previous_month(today):
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def manager_items(user, today):
    items = []
    flagged = MeterReading.objects.filter(meter__center_id=user.center_id, flagged=True)
    count = flagged.count()
    if count:
        items.append(
            TodoItem(
                title=_("%(n)s 条能耗读数待核实") % {"n": count},
                url=reverse("energy:reading_list") + "?flagged=1",
                created=_aware(today.replace(day=1)),
                detail=_("读数小于上月或用量异常"),
            )
        )
    month = _previous_month(today)
    if today.day >= ENTRY_DUE_DAY:
        missing = (
            Meter.objects.filter(center_id=user.center_id, is_active=True)
            .exclude(readings__month=month)
            .count()
        )
        if missing:
            due = today.replace(day=ENTRY_DUE_DAY)
            items.append(
                TodoItem(
                    title=_("%(m)s 有 %(n)s 块表未录入")
                    % {"m": f"{month.year}年{month.month}月", "n": missing},
                    url=reverse("energy:reading_entry")
                    + "?"
                    + urlencode({"month": f"{month:%Y-%m}"}),
                    created=_aware(due),
                    due=due,
                    overdue=True,
                )
            )
    waiting = ConservationUnit.objects.filter(
        campaign__center_id=user.center_id, status=ConservationUnit.Status.SELF_ASSESSED
    ).select_related("agency", "batch")
    for unit in waiting:
        items.append(
            TodoItem(
                title=_("评审节约型机关创建：%(a)s") % {"a": unit.agency.name},
                url=reverse("energy:unit_detail", args=[unit.pk]),
                created=unit.self_assessed_at or unit.updated_at,
                due=unit.batch.deadline,
                overdue=bool(unit.batch.deadline and unit.batch.deadline < today),
                detail=_("自评 %(s)s 分") % {"s": unit.self_score},
            )
        )
    report_due = dt.date(today.year, *REPORT_DUE)
    if today <= report_due:
        items.append(
            TodoItem(
                title=_("报送 %(y)s 年度公共机构能源资源消费统计") % {"y": today.year - 1},
                url=reverse("energy:indicators") + "?" + urlencode({"year": today.year - 1}),
                created=_aware(dt.date(today.year, 1, 1)),
                due=report_due,
                detail=_("3 月 31 日前报送"),
            )
        )
    return items


def agency_items(user, today):
    agency = user_agency(user)
    if agency is None:
        return []
    units = ConservationUnit.objects.filter(
        campaign__center_id=user.center_id,
        agency=agency,
        status=ConservationUnit.Status.ENROLLED,
    ).select_related("campaign", "batch")
    return [
        TodoItem(
            title=_("完成节约型机关创建自评：%(c)s") % {"c": unit.campaign.name},
            url=reverse("energy:unit_detail", args=[unit.pk]),
            created=unit.created_at,
            due=unit.batch.deadline,
            overdue=bool(unit.batch.deadline and unit.batch.deadline < today),
            detail=_("第%(n)s批") % {"n": unit.batch.number},
        )
        for unit in units
    ]


def energy_todos(user, limit):
    if limit <= 0 or user.center_id is None:
        return 0, []
    today = timezone.localdate()
    items = []
    if user.has_perm("energy.change_meterreading"):
        items += manager_items(user, today)
    elif user.has_perm("energy.self_assess_conservationunit"):
        items += agency_items(user, today)
    items.sort(key=lambda item: item.created, reverse=True)
    return len(items), items[:limit]
