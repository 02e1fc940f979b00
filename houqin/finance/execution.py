"""预算执行率 at any date: spent ÷ budget per project and in total, against the time progress of
the year (days elapsed ÷ days in the year) and each project's cumulative monthly spending plan
(interpolated within the month; an even spread when no plan is set). A project is behind when
its rate is more than TOLERANCE points below its plan. Two queries.

  "至9月30日止完成全年支出进度75%": execution(center, 2021, date(2021, 9, 30)).total.rate
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from .models import BudgetProject, Expenditure

TOLERANCE = Decimal("5")  # percentage points
PLACES = Decimal("0.01")


def time_progress(day: dt.date) -> Decimal:
    """% of the year elapsed at the end of `day`."""
    days = 366 if calendar.isleap(day.year) else 365
    return (Decimal(day.timetuple().tm_yday) * 100 / days).quantize(PLACES)


def planned(project, day: dt.date) -> Decimal:
    """The project's planned cumulative % at the end of `day`."""
    if not project.monthly_plan:
        return time_progress(day)
    plan = [Decimal(p) for p in project.monthly_plan]
    before = plan[day.month - 2] if day.month > 1 else Decimal(0)
    month_days = calendar.monthrange(day.year, day.month)[1]
    share = Decimal(day.day) / month_days
    return (before + (plan[day.month - 1] - before) * share).quantize(PLACES)


@dataclass
class Line:
    project: BudgetProject | None
    budget: Decimal
    spent: Decimal
    pending: Decimal  # waiting for approval, not yet spent
    plan_pct: Decimal | None

    @property
    def rate(self):
        return (self.spent * 100 / self.budget).quantize(PLACES) if self.budget else None

    @property
    def remaining(self):
        return self.budget - self.spent

    @property
    def behind(self):
        return (
            self.plan_pct is not None
            and self.rate is not None
            and self.rate < self.plan_pct - TOLERANCE
        )


@dataclass
class Execution:
    year: int
    day: dt.date
    time_pct: Decimal
    lines: list
    total: Line
    unassigned: Decimal  # recorded this year on no project (待归集)


def execution(center_id, year, day: dt.date) -> Execution:
    projects = list(BudgetProject.objects.filter(center_id=center_id, year=year).order_by("code"))
    rows = (
        Expenditure.objects.filter(center_id=center_id, date__year=year, date__lte=day)
        .values("project_id")
        .annotate(
            spent=Sum("amount", filter=Q(status=Expenditure.Status.RECORDED)),
            pending=Sum("amount", filter=Q(status=Expenditure.Status.PENDING)),
        )
    )
    by_project = {r["project_id"]: r for r in rows}
    zero = Decimal(0)
    lines = []
    for project in projects:
        row = by_project.get(project.pk, {})
        lines.append(
            Line(
                project,
                project.amount,
                row.get("spent") or zero,
                row.get("pending") or zero,
                planned(project, day),
            )
        )
    budget = sum((line.budget for line in lines), zero)
    planned_amount = sum((line.budget * line.plan_pct / 100 for line in lines), zero)
    total = Line(
        None,
        budget,
        sum((line.spent for line in lines), zero),
        sum((line.pending for line in lines), zero),
        (planned_amount * 100 / budget).quantize(PLACES) if budget else None,
    )
    unassigned = by_project.get(None, {}).get("spent") or zero
    return Execution(year, day, time_progress(day), lines, total, unassigned)
