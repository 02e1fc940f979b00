"""The maintenance figures for a period, for reports/ (the annual work summary) and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). A fixed number of queries (10) whatever the amount of
data. DEFINITIONS[key] = (label, definition) for every figure; records(center, start, end, key)
lists the rows a figure counts (a list of querysets); figure_url(key, start, end) links the
work-order figures to the manager's order list.

Definitions (the report's "受理维修 X 次"):
  repairs_received       work orders reported in the period (by creation time), every source,
                         except duplicates merged into another order; also by category and
                         by source
  repairs_completed      orders finished (完工) in the period and still done, confirmed or
                         closed (a reopened order counts when it is finished again)
  avg_response_hours     mean working hours from reporting to acceptance (接单; or the start
                         of work when not accepted first) of the orders reported in the period
                         and accepted; working hours on the workday calendar
                         (houqin.core.workdays.hours), the same clock for every urgency
  avg_completion_hours   mean working hours from reporting to completion of the orders
                         completed in the period
  within_sla_pct         of the orders completed in the period, the share finished by their
                         completion deadline (due_at, possibly set by the manager)
  rating_avg / satisfied_pct   ratings (1–5) of the orders completed in the period;
                         satisfied = 4 or 5 stars
  spending_total         labor + material costs of the orders completed in the period (元);
                         also labor_total and material_total
  preventive_due / preventive_done / preventive_on_time_pct   duties-engine compliance of the
                         tasks of category 预防性维护 due in the period (done = on time + late)
  inspections_due / inspections_done   the same for category 安全检查
  findings_found         problems recorded by safety inspections in the period
  findings_rectified     findings rectified (整改) in the period, by rectification time
  findings_open          findings still waiting for rectification now (whatever their date)
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.recurrence import as_bound, to_local
from houqin.core.duties.summary import compliance
from houqin.core.workdays.calendar import workdays_between
from houqin.core.workdays.hours import Epoch, WorkingClock

from .models import Category, Finding, WorkOrder

ZERO = Decimal("0.00")
S = WorkOrder.Status
COMPLETED = (S.DONE, S.CONFIRMED, S.CLOSED)
PREVENTIVE = DutyPlan.Category.MAINTENANCE
INSPECTION = DutyPlan.Category.SAFETY_INSPECTION

DEFINITIONS = {
    "repairs_received": (
        _("受理报修（次）"),
        _("期间内报修（含预防性维护、安全检查转来）的维修工单数，重复报修合并的不计。"),
    ),
    "repairs_completed": (
        _("完成维修（次）"),
        _("期间内完工、且仍为已完工、已确认或已关闭状态的工单数。"),
    ),
    "avg_response_hours": (
        _("平均响应时间（工作小时）"),
        _("期间内报修并已接单的工单，从报修到接单（或开始维修）的工作小时平均值。"),
    ),
    "avg_completion_hours": (
        _("平均完成时间（工作小时）"),
        _("期间内完工的工单，从报修到完工的工作小时平均值。"),
    ),
    "within_sla_pct": (
        _("按时完成率（%）"),
        _("期间内完工的工单中，在完成时限之前完工的比例。"),
    ),
    "rating_avg": (_("平均满意度（星）"), _("期间内完工并经报修人评价的工单的平均星级（1–5）。")),
    "satisfied_pct": (_("满意率（%）"), _("期间内完工并已评价的工单中，评价 4 星及以上的比例。")),
    "spending_total": (
        _("维修费用（元）"),
        _("期间内完工的工单的人工费与材料费合计。"),
    ),
    "preventive_done": (
        _("预防性维护完成（次）"),
        _("预防性维护责任任务中，期间内到期并已完成（含逾期完成）的次数。"),
    ),
    "preventive_on_time_pct": (
        _("预防性维护按时率（%）"),
        _("预防性维护责任任务在期间内到期的次数中按时完成的比例。"),
    ),
    "inspections_done": (
        _("安全检查（次）"),
        _("安全检查责任任务中，期间内到期并已完成（含逾期完成）的次数。"),
    ),
    "findings_found": (_("检查发现问题（项）"), _("期间内安全检查登记的问题数。")),
    "findings_rectified": (_("问题整改（项）"), _("期间内完成整改（含已销号）的问题数。")),
}


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _mean(values):
    return round(sum(values) / len(values), 1) if values else None


def _workdays(epochs):
    """One calendar query covering every moment (none when there is nothing to measure)."""
    if not epochs:
        return set()
    tz = timezone.get_current_timezone()
    first, last = (dt.datetime.fromtimestamp(e, tz).date() for e in (min(epochs), max(epochs)))
    return set(workdays_between(first, last + dt.timedelta(days=1)))


def _duties(center, start, end, category, now):
    rows = compliance(center, start, end, category, now=now)
    due = sum(r.due for r in rows)
    on_time = sum(r.done_on_time for r in rows)
    done = sum(r.done for r in rows)
    return due, done, on_time


def figures(center, start, end, *, now=None) -> dict:
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    reported = WorkOrder.objects.filter(
        center=center, created_at__gte=start, created_at__lt=end
    ).exclude(status=S.MERGED)
    by_category = dict(
        reported.order_by().values("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    by_source = dict(
        reported.order_by().values("source").annotate(n=Count("pk")).values_list("source", "n")
    )
    # Epoch seconds, not datetimes: a year has ~20,000 of these moments, and building an
    # aware datetime for each costs more than the rest of the figures together.
    responses = list(
        reported.filter(Q(accepted_at__isnull=False) | Q(started_at__isnull=False)).values_list(
            Epoch("created_at"), Epoch(Coalesce("accepted_at", "started_at"))
        )
    )
    completed = list(
        WorkOrder.objects.filter(
            center=center, status__in=COMPLETED, finished_at__gte=start, finished_at__lt=end
        ).values_list(
            Epoch("created_at"),
            Epoch("finished_at"),
            Epoch("due_at"),
            "labor_cost",
            "material_cost",
            "rating",
        )
    )
    clock = WorkingClock(
        _workdays([t for row in responses for t in row] + [t for row in completed for t in row[:2]])
    )
    response_hours = [clock.hours_between(created, taken) for created, taken in responses]
    completion_hours = [
        clock.hours_between(created, finished) for created, finished, *_rest in completed
    ]
    ratings = [row[5] for row in completed if row[5] is not None]
    labor = sum((row[3] for row in completed), ZERO)
    material = sum((row[4] for row in completed), ZERO)
    on_time = sum(1 for row in completed if row[1] <= row[2])
    preventive_due, preventive_done, preventive_on_time = _duties(
        center, start, end, PREVENTIVE, now
    )
    inspections_due, inspections_done, inspections_on_time = _duties(
        center, start, end, INSPECTION, now
    )
    findings = Finding.objects.filter(center=center).aggregate(
        found=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        rectified=Count(
            "pk",
            filter=Q(
                status__in=(Finding.Status.RECTIFIED, Finding.Status.CLOSED),
                rectified_at__gte=start,
                rectified_at__lt=end,
            ),
        ),
        open=Count("pk", filter=Q(status=Finding.Status.OPEN)),
    )
    return {
        "period": (start, end),
        "repairs_received": sum(by_category.values()),
        "repairs_by_category": [
            {"category": code, "label": str(label), "count": by_category.get(code, 0)}
            for code, label in Category.choices
        ],
        "repairs_by_source": {code: by_source.get(code, 0) for code in WorkOrder.Source.values},
        "repairs_completed": len(completed),
        "avg_response_hours": _mean(response_hours),
        "avg_completion_hours": _mean(completion_hours),
        "completed_within_sla": on_time,
        "within_sla_pct": _rate(on_time, len(completed)),
        "ratings": len(ratings),
        "rating_avg": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "satisfied_pct": _rate(sum(1 for r in ratings if r >= 4), len(ratings)),
        "labor_total": labor,
        "material_total": material,
        "spending_total": labor + material,
        "preventive_due": preventive_due,
        "preventive_done": preventive_done,
        "preventive_on_time": preventive_on_time,
        "preventive_on_time_pct": _rate(preventive_on_time, preventive_due),
        "inspections_due": inspections_due,
        "inspections_done": inspections_done,
        "inspections_on_time": inspections_on_time,
        "findings_found": findings["found"],
        "findings_rectified": findings["rectified"],
        "findings_open": findings["open"],
        "definitions": DEFINITIONS,
    }


# ------------------------------------------------------------------ the rows behind a figure


def records(center, start, end, key) -> list:
    """The querysets of the rows `key` counts (KeyError for an unknown figure)."""
    start, end = as_bound(start), as_bound(end)
    orders = WorkOrder.objects.filter(center=center).select_related(
        "assignee__person", "reporter__person", "agency", "equipment"
    )
    reported = orders.filter(created_at__gte=start, created_at__lt=end).exclude(status=S.MERGED)
    completed = orders.filter(status__in=COMPLETED, finished_at__gte=start, finished_at__lt=end)

    def tasks(category):
        return (
            DutyTask.objects.filter(
                center=center, category=category, due_at__gte=start, due_at__lt=end
            )
            .exclude(status=DutyTask.Status.CANCELLED)
            .select_related("plan", "record")
        )

    findings = Finding.objects.filter(center=center).select_related("responsible__person")
    table = {
        "repairs_received": lambda: [reported],
        "repairs_completed": lambda: [completed],
        "avg_response_hours": lambda: [
            reported.filter(Q(accepted_at__isnull=False) | Q(started_at__isnull=False))
        ],
        "avg_completion_hours": lambda: [completed],
        "within_sla_pct": lambda: [completed],
        "rating_avg": lambda: [completed.filter(rating__isnull=False)],
        "satisfied_pct": lambda: [completed.filter(rating__isnull=False)],
        "spending_total": lambda: [completed],
        "preventive_done": lambda: [tasks(PREVENTIVE).filter(status=DutyTask.Status.DONE)],
        "preventive_on_time_pct": lambda: [tasks(PREVENTIVE)],
        "inspections_done": lambda: [tasks(INSPECTION).filter(status=DutyTask.Status.DONE)],
        "findings_found": lambda: [findings.filter(created_at__gte=start, created_at__lt=end)],
        "findings_rectified": lambda: [
            findings.filter(
                status__in=(Finding.Status.RECTIFIED, Finding.Status.CLOSED),
                rectified_at__gte=start,
                rectified_at__lt=end,
            )
        ],
    }
    return table[key]()


def figure_url(key, start, end) -> str | None:
    """A page listing the figure's records, for the summary preview; None when none does."""
    if key != "repairs_received":
        return None
    start, end = as_bound(start), as_bound(end)
    day_from = to_local(start).date()
    last = to_local(end).date() - dt.timedelta(days=1)
    query = {"date_from": day_from.isoformat(), "date_to": last.isoformat()}
    return f"{reverse('maintenance:order_list')}?{urlencode(query)}"
