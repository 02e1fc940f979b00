"""The outsourced-vendor figures for a period, for reports/ (the annual work summary) and the
dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). Two queries whatever the amount of data.
DEFINITIONS[key] = (label, definition) for every figure. A center that has never evaluated a
vendor gets None rather than 0, so the report can say "no data".

Definitions (the report's "对物业、保安、食堂等外包服务单位开展考核 X 次"):
  vendors_active        vendors the center works with (合作中) now
  evaluations           periodic evaluations whose period ends in the period
  evaluations_flagged   those of them whose total was below the sheet's threshold (付款预警)
  average_score         the average total of those evaluations
  by_vendor             per vendor: [{vendor_id, name, kind, evaluations, average, flagged}],
                        in the order the vendors were registered
"""

from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.recurrence import as_bound, to_local

from .models import Vendor, VendorEvaluation

ONE = Decimal("0.1")

DEFINITIONS = {
    "vendors_active": (_("合作中的外包单位（家）"), _("当前合作中的外包服务单位数。")),
    "evaluations": (_("外包考核（次）"), _("考核期间止在统计期间内的定期考核次数。")),
    "evaluations_flagged": (
        _("付款预警（次）"),
        _("上述考核中总分低于考核表合格分数、付款被预警的次数。"),
    ),
    "average_score": (_("平均考核得分"), _("上述考核总分的平均值。")),
    "by_vendor": (_("各外包单位考核情况"), _("每家外包单位的考核次数、平均得分和付款预警次数。")),
}


def _round(value):
    return None if value is None else Decimal(value).quantize(ONE)


def figures(center, start, end, *, now=None) -> dict:
    day_from, day_to = to_local(as_bound(start)).date(), to_local(as_bound(end)).date()
    center_id = getattr(center, "pk", center)
    in_period = Q(evaluations__period_end__gte=day_from, evaluations__period_end__lt=day_to)
    vendors = list(
        Vendor.objects.filter(center_id=center_id)
        .annotate(
            ever=Count("evaluations"),
            n=Count("evaluations", filter=in_period),
            avg=Avg("evaluations__total", filter=in_period),
            flagged=Count("evaluations", filter=in_period & Q(evaluations__payment_flagged=True)),
        )
        .order_by("pk")
    )
    overall = VendorEvaluation.objects.filter(
        center_id=center_id, period_end__gte=day_from, period_end__lt=day_to
    ).aggregate(avg=Avg("total"))
    evaluated = any(v.ever for v in vendors)
    by_vendor = [
        {
            "vendor_id": v.pk,
            "name": v.name,
            "kind": v.get_kind_display(),
            "evaluations": v.n,
            "average": _round(v.avg),
            "flagged": v.flagged,
        }
        for v in vendors
        if v.n
    ]
    return {
        "vendors_active": sum(1 for v in vendors if v.is_active) if vendors else None,
        "evaluations": sum(v.n for v in vendors) if evaluated else None,
        "evaluations_flagged": sum(v.flagged for v in vendors) if evaluated else None,
        "average_score": _round(overall["avg"]) if evaluated else None,
        "by_vendor": by_vendor if evaluated else None,
    }
