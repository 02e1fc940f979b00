"""The canteen figures for a period, for reports/ (the annual work summary) and the dashboard.

figures(center, start, end) -> dict (start/end: dates = local midnights, or aware datetimes;
the period is [start, end)). A fixed number of queries (12) whatever the amount of data.
DEFINITIONS[key] = (label, definition) for every figure; records(center, start, end, key)
lists the rows a figure counts (a list of querysets: "meals served" counts orders and
walk-in sales); figure_url(key, start, end) links the order figures to the order list.

Definitions (the report's "供餐共计 X 份"):
  meals_served        collected orders + walk-in meals of the meals dated in the period
                      (one order is one meal, whatever its dishes); also by meal and by month
  orders_placed       orders for the meals of the period, including those cancelled later
  orders_cancelled / orders_collected / orders_uncollected   of those, by status
  walk_in_meals       meals sold at the counter without an order (Σ meals of walk-in sales)
  topups_total        ledger top-ups written in the period (cash, bank transfer, meal
                      subsidy, online), also by method
  spending_total      ledger charges written in the period (orders and counter sales paid
                      by wallet), as a positive sum; refunds_total the refunds;
                      net_spending = spending − refunds
  menus_published     menus of the period in status 已发布 (withdrawn ones: menus_cancelled)
  food_safety         per kind: records made in the period (晨检 by date, 留样 by time kept,
                      进货查验 by purchase date, 餐具消毒 by duty record completion), and the
                      duties-engine compliance of the kind's plan for tasks due in the period:
                      due, done on time, on_time_pct = on time ÷ due
  food_safety_on_time_pct   the same over the four plans together
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.models import DutyRecord, DutyTask
from houqin.core.duties.recurrence import as_bound, to_local
from houqin.core.duties.summary import compliance

from .models import (
    FoodSafetyPlan,
    LedgerEntry,
    MealOrder,
    Menu,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
    WalkInSale,
)
from .models.menus import Meal
from .reports import meal_counts

ZERO = Decimal("0.00")
K, M = LedgerEntry.Kind, LedgerEntry.Method
TOPUP_METHODS = (M.CASH, M.TRANSFER, M.SUBSIDY, M.ONLINE)
FS = FoodSafetyPlan.Kind

DEFINITIONS = {
    "meals_served": (
        _("供餐份数"),
        _("期间内各餐次已领取的订餐份数与窗口消费份数之和（一笔订餐计一份）。"),
    ),
    "orders_placed": (_("订餐笔数"), _("期间内各餐次的订餐笔数，含此后取消的订单。")),
    "orders_cancelled": (_("取消订餐"), _("本人取消或因停供退款的订单。")),
    "orders_collected": (_("已领取订餐"), _("在取餐窗口扫码或凭取餐码领取的订单。")),
    "orders_uncollected": (_("未领取订餐"), _("收餐结算时仍未领取的订单。")),
    "walk_in_meals": (_("窗口消费份数"), _("未订餐、在窗口现场购买的份数。")),
    "topups_total": (
        _("餐卡充值金额（元）"),
        _("期间内入账的充值流水：现金、银行转账、餐费补贴、在线支付。"),
    ),
    "spending_total": (
        _("餐卡消费金额（元）"),
        _("期间内入账的消费流水（订餐和窗口餐卡消费）合计。"),
    ),
    "refunds_total": (
        _("餐卡退款金额（元）"),
        _("期间内入账的退款流水（取消、停供、未取餐退款）。"),
    ),
    "net_spending": (_("餐卡净消费（元）"), _("消费金额减退款金额。")),
    "menus_published": (_("发布菜单数"), _("期间内各日各餐次处于已发布状态的菜单数。")),
    "menus_cancelled": (_("停供餐次"), _("期间内停供的餐次数。")),
    "morning_checks": (_("晨检记录"), _("从业人员晨检记录条数（按检查日期）。")),
    "samples": (_("留样记录"), _("食品留样记录条数（按留样时间）。")),
    "purchase_inspections": (_("进货查验记录"), _("进货查验记录条数（按进货日期）。")),
    "tableware_disinfections": (_("餐具消毒记录"), _("餐具消毒责任任务的完成记录数。")),
    "food_safety_on_time_pct": (
        _("食品安全记录按时率（%）"),
        _("晨检、留样、进货查验、餐具消毒责任计划在期间内到期的任务中按时完成的比例。"),
    ),
}
RECORD_KEYS = {
    FS.MORNING_CHECK: "morning_checks",
    FS.SAMPLE: "samples",
    FS.PURCHASE: "purchase_inspections",
    FS.TABLEWARE: "tableware_disinfections",
}


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _days(start, end):
    """The local dates of the bounds: date fields are compared on [day_from, day_to)."""
    return to_local(start).date(), to_local(end).date()


def _ledger(center, start, end) -> dict:
    sums = LedgerEntry.objects.filter(
        center=center, created_at__gte=start, created_at__lt=end
    ).aggregate(
        charges=Sum("amount", filter=Q(kind=K.CHARGE)),
        refunds=Sum("amount", filter=Q(kind=K.REFUND)),
        **{
            f"topup_{method}": Sum("amount", filter=Q(kind=K.TOPUP, method=method))
            for method in TOPUP_METHODS
        },
    )
    by_method = {method: sums[f"topup_{method}"] or ZERO for method in TOPUP_METHODS}
    spending = -(sums["charges"] or ZERO)
    refunds = sums["refunds"] or ZERO
    return {
        "topups_total": sum(by_method.values(), ZERO),
        "topups_by_method": by_method,
        "spending_total": spending,
        "refunds_total": refunds,
        "net_spending": spending - refunds,
    }


def _food_safety(center, start, end, now) -> dict:
    plans = dict(FoodSafetyPlan.objects.filter(center=center).values_list("plan_id", "kind"))
    day_from, day_to = _days(start, end)
    counts = {
        FS.MORNING_CHECK: MorningCheck.objects.filter(
            center=center, date__gte=day_from, date__lt=day_to
        ).count(),
        FS.SAMPLE: SampleRetention.objects.filter(
            center=center, kept_at__gte=start, kept_at__lt=end
        ).count(),
        FS.PURCHASE: PurchaseInspection.objects.filter(
            center=center, purchased_on__gte=day_from, purchased_on__lt=day_to
        ).count(),
    }
    tableware = [p for p, kind in plans.items() if kind == FS.TABLEWARE]
    counts[FS.TABLEWARE] = (
        DutyRecord.objects.filter(
            center=center,
            task__plan_id__in=tableware,
            completed_at__gte=start,
            completed_at__lt=end,
        ).count()
        if tableware
        else 0
    )
    kinds = {
        kind: {
            "label": str(label),
            "records": counts[kind],
            "due": 0,
            "on_time": 0,
            "late": 0,
            "missed": 0,
            "has_plan": kind in plans.values(),
        }
        for kind, label in FS.choices
    }
    for row in compliance(center, start, end, now=now) if plans else []:
        kind = plans.get(row.plan.pk) if row.plan is not None else None
        if kind is None:
            continue
        entry = kinds[kind]
        entry["due"] += row.due
        entry["on_time"] += row.done_on_time
        entry["late"] += row.done_late
        entry["missed"] += row.missed
    for entry in kinds.values():
        entry["on_time_pct"] = _rate(entry["on_time"], entry["due"])
    due = sum(e["due"] for e in kinds.values())
    on_time = sum(e["on_time"] for e in kinds.values())
    return {
        "food_safety": kinds,
        "food_safety_records": sum(counts.values()),
        "food_safety_due": due,
        "food_safety_on_time": on_time,
        "food_safety_on_time_pct": _rate(on_time, due),
        **{RECORD_KEYS[kind]: counts[kind] for kind in counts},
    }


def figures(center, start, end, *, now=None) -> dict:
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    counts = meal_counts(center.pk, day_from, day_to, by="month")
    by_month = {}
    for row in counts.rows:
        month = by_month.setdefault(
            row.period, {"month": row.period, **dict.fromkeys(Meal.values, 0), "total": 0}
        )
        month[row.meal] += row.served
        month["total"] += row.served
    menus = Menu.objects.filter(center=center, date__gte=day_from, date__lt=day_to).aggregate(
        published=Count("pk", filter=Q(status=Menu.Status.PUBLISHED)),
        cancelled=Count("pk", filter=Q(status=Menu.Status.CANCELLED)),
    )
    total = counts.total
    return {
        "period": (start, end),
        "meals_served": total.served,
        "meals_served_by_meal": {row.meal: row.served for row in counts.by_meal},
        "meals_served_by_month": [by_month[k] for k in sorted(by_month)],
        "orders_placed": total.placed,
        "orders_cancelled": total.cancelled,
        "orders_collected": total.collected,
        "orders_uncollected": total.uncollected,
        "orders_pending": total.pending,
        "walk_in_meals": total.walk_in_meals,
        **_ledger(center, start, end),
        "menus_published": menus["published"],
        "menus_cancelled": menus["cancelled"],
        **_food_safety(center, start, end, now),
        "definitions": DEFINITIONS,
    }


# ------------------------------------------------------------------ the rows behind a figure


def records(center, start, end, key) -> list:
    """The querysets of the rows `key` counts (KeyError for an unknown figure)."""
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    orders = MealOrder.objects.filter(
        center=center, menu__date__gte=day_from, menu__date__lt=day_to
    ).select_related("menu", "person", "agency")
    walk_ins = WalkInSale.objects.filter(
        center=center, menu__date__gte=day_from, menu__date__lt=day_to
    ).select_related("menu")
    ledger = LedgerEntry.objects.filter(
        center=center, created_at__gte=start, created_at__lt=end
    ).select_related("wallet__person")
    menus = Menu.objects.filter(center=center, date__gte=day_from, date__lt=day_to)
    plans = FoodSafetyPlan.objects.filter(center=center)
    status = MealOrder.Status
    table = {
        "meals_served": lambda: [orders.filter(status=status.COLLECTED), walk_ins],
        "orders_placed": lambda: [orders],
        "orders_cancelled": lambda: [orders.filter(status=status.CANCELLED)],
        "orders_collected": lambda: [orders.filter(status=status.COLLECTED)],
        "orders_uncollected": lambda: [orders.filter(status=status.UNCOLLECTED)],
        "walk_in_meals": lambda: [walk_ins],
        "topups_total": lambda: [ledger.filter(kind=K.TOPUP)],
        "spending_total": lambda: [ledger.filter(kind=K.CHARGE)],
        "refunds_total": lambda: [ledger.filter(kind=K.REFUND)],
        "net_spending": lambda: [ledger.filter(kind__in=(K.CHARGE, K.REFUND))],
        "menus_published": lambda: [menus.filter(status=Menu.Status.PUBLISHED)],
        "menus_cancelled": lambda: [menus.filter(status=Menu.Status.CANCELLED)],
        "morning_checks": lambda: [
            MorningCheck.objects.filter(
                center=center, date__gte=day_from, date__lt=day_to
            ).select_related("worker")
        ],
        "samples": lambda: [
            SampleRetention.objects.filter(
                center=center, kept_at__gte=start, kept_at__lt=end
            ).select_related("menu", "dish")
        ],
        "purchase_inspections": lambda: [
            PurchaseInspection.objects.filter(
                center=center, purchased_on__gte=day_from, purchased_on__lt=day_to
            )
        ],
        "tableware_disinfections": lambda: [
            DutyRecord.objects.filter(
                center=center,
                task__plan_id__in=plans.filter(kind=FS.TABLEWARE).values("plan_id"),
                completed_at__gte=start,
                completed_at__lt=end,
            ).select_related("task")
        ],
        "food_safety_on_time_pct": lambda: [
            DutyTask.objects.filter(
                center=center,
                plan_id__in=plans.values("plan_id"),
                due_at__gte=start,
                due_at__lt=end,
            )
            .exclude(status=DutyTask.Status.CANCELLED)
            .select_related("record")
        ],
    }
    return table[key]()


ORDER_STATUS = {
    "orders_placed": "",
    "orders_cancelled": MealOrder.Status.CANCELLED,
    "orders_collected": MealOrder.Status.COLLECTED,
    "orders_uncollected": MealOrder.Status.UNCOLLECTED,
}


def figure_url(key, start, end) -> str | None:
    """A page listing the figure's records, for the summary preview; None when none does."""
    day_from, day_to = _days(as_bound(start), as_bound(end))
    last = day_to - dt.timedelta(days=1)
    if key in ORDER_STATUS:
        query = {"date_from": day_from.isoformat(), "date_to": last.isoformat()}
        if ORDER_STATUS[key]:
            query["status"] = ORDER_STATUS[key]
        return f"{reverse('canteen:order_list')}?{urlencode(query)}"
    if key in ("meals_served", "walk_in_meals"):
        query = {"start": day_from.isoformat(), "end": last.isoformat(), "by": "month"}
        return f"{reverse('canteen:meal_report')}?{urlencode(query)}"
    return None
