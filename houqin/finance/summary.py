"""The finance figures for a period, for reports/ (the annual work summary) and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). Five queries whatever the amount of data.
DEFINITIONS[key] = (label, definition) for every figure.

"At the end of the period" means on its last day, or today when the period has not ended yet.
A part of the module the center has never used (no budget project in the year, no asset, no
procurement record) gives None rather than 0, so the report can say "no data".

Definitions (the report's "2021年度项目预算X万元，至9月30日止完成全年支出进度75%"):
  budget_year           the year of the day at the end of the period
  budget_total          Σ amounts of that year's budget projects
  spent / execution_rate   expenditures recorded (approved) on those projects from 1 January
                        to the end of the period, and spent ÷ budget_total (%, execution.py)
  time_pct              time progress of the year at that day (%)
  behind_projects       projects whose rate is more than 5 points below their plan then
  expenditures_total    expenditures recorded with a date in the period (any project, or none)
  expenditures_by_project   the same per project: [{project_id, code, name, amount}], largest
                        first; the ones on no project (待归集) as one row with project_id None
  assets_count / assets_value   fixed assets held at the end of the period (acquired by then,
                        not disposed by then) and Σ their original values
  procurements / procurement_amount   procurement records with a contract date in the period
                        and Σ their contract amounts
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.recurrence import as_bound, local_today, to_local

from .execution import execution
from .models import Expenditure, FixedAsset, Procurement

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _yuan(value):
    return (value or ZERO).quantize(CENT)


DEFINITIONS = {
    "budget_year": (_("预算年度"), _("期末所在的年度。")),
    "budget_total": (_("预算总额（元）"), _("期末所在年度全部预算项目的预算金额之和。")),
    "spent": (
        _("已支出（元）"),
        _("当年 1 月 1 日至期末，各预算项目已入账（含审批通过）的支出之和。"),
    ),
    "execution_rate": (_("预算执行率（%）"), _("已支出 ÷ 预算总额。")),
    "time_pct": (_("时间进度（%）"), _("期末在全年中已过去的天数比例。")),
    "behind_projects": (
        _("进度滞后项目（个）"),
        _("期末执行率低于分月支出计划 5 个百分点以上的预算项目数。"),
    ),
    "expenditures_total": (_("期间支出（元）"), _("支出日期在期间内、已入账的支出之和。")),
    "expenditures_by_project": (
        _("各项目期间支出"),
        _("期间内已入账支出按预算项目汇总；未归集到项目的单列。"),
    ),
    "assets_count": (
        _("固定资产（项）"),
        _("期末在账的固定资产数（期末前取得、期末前未处置）。"),
    ),
    "assets_value": (_("固定资产原值（元）"), _("期末在账固定资产的原值之和。")),
    "procurements": (_("政府采购（项）"), _("合同日期在期间内的政府采购项目数。")),
    "procurement_amount": (_("政府采购金额（元）"), _("上述采购项目的成交金额之和。")),
}


def _days(start, end):
    return to_local(start).date(), to_local(end).date()


def _end_day(day_to, now):
    return min(day_to - dt.timedelta(days=1), local_today(now or timezone.now()))


def figures(center, start, end, *, now=None) -> dict:
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    end_day = _end_day(day_to, now)
    center_id = getattr(center, "pk", center)

    # Budget execution at the end of the period (two queries).
    report = execution(center_id, end_day.year, end_day)
    has_budget = bool(report.lines)

    # Expenditures of the period per project (one query).
    rows = list(
        Expenditure.objects.filter(
            center_id=center_id,
            status=Expenditure.Status.RECORDED,
            date__gte=day_from,
            date__lt=day_to,
        )
        .order_by()
        .values("project_id", "project__code", "project__name")
        .annotate(amount=Sum("amount"))
    )
    by_project = sorted(
        (
            {
                "project_id": r["project_id"],
                "code": r["project__code"] or "",
                "name": r["project__name"] or str(_("待归集")),
                "amount": _yuan(r["amount"]),
            }
            for r in rows
        ),
        key=lambda r: (-r["amount"], r["code"]),
    )

    # Assets held at the end of the period (one query).
    held = Q(purchase_date__lte=end_day) & (
        Q(disposed_on__isnull=True) | Q(disposed_on__gt=end_day)
    )
    assets = FixedAsset.objects.filter(center_id=center_id).aggregate(
        any=Count("pk"),
        n=Count("pk", filter=held),
        value=Sum("value", filter=held),
    )

    # Procurement contracted in the period (one query).
    contracted = Q(contract_date__gte=day_from, contract_date__lt=day_to)
    procurement = Procurement.objects.filter(center_id=center_id).aggregate(
        any=Count("pk"),
        n=Count("pk", filter=contracted),
        amount=Sum("amount", filter=contracted),
    )

    return {
        "budget_year": end_day.year,
        "budget_total": _yuan(report.total.budget) if has_budget else None,
        "spent": _yuan(report.total.spent) if has_budget else None,
        "execution_rate": report.total.rate if has_budget else None,
        "time_pct": report.time_pct,
        "behind_projects": sum(1 for line in report.lines if line.behind) if has_budget else None,
        "expenditures_total": sum((r["amount"] for r in by_project), ZERO) if rows else None,
        "expenditures_by_project": by_project if rows else None,
        "assets_count": assets["n"] if assets["any"] else None,
        "assets_value": _yuan(assets["value"]) if assets["any"] else None,
        "procurements": procurement["n"] if procurement["any"] else None,
        "procurement_amount": _yuan(procurement["amount"]) if procurement["any"] else None,
    }
