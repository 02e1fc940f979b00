"""The activity and staff-survey figures for a period, for reports/ (the annual work summary)
and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). Three queries whatever the amount of data.
DEFINITIONS[key] = (label, definition) for every figure. No activity (or no survey) in the
period gives None rather than 0, so the report can say "no data".

Definitions (the report's "组织学习 X 次、志愿服务 X 次 X 人次…", "疫苗接种摸排完成率 98%以上"):
  activities / participants   activities dated in the period and Σ their participants
  by_category           per category: [{category_id, name, count, participants}] in the
                        categories' order (inactive categories only when they have activities)
  surveys               surveys published in the period (by publication time): [{survey_id,
                        title, status, total, answered, exempt, completion_rate}] where total
                        counts each person's sheet once (family members are not counted) and
                        completion_rate = (answered + exempt) ÷ total (%)
  survey_completion_rate   the same pooled over those surveys
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.recurrence import as_bound, to_local

from .figures import percent
from .models import Activity, ActivityCategory, Survey, SurveyResponse

DEFINITIONS = {
    "activities": (_("活动（次）"), _("活动日期在期间内的活动记录数。")),
    "participants": (_("参加人次"), _("上述活动的参加人数之和。")),
    "by_category": (_("各类别活动"), _("按活动类别统计的次数和参加人次。")),
    "surveys": (
        _("摸排统计"),
        _("期间内发布的摸排及其完成率（已填报与免于填报之和 ÷ 应填报人数）。"),
    ),
    "survey_completion_rate": (_("摸排完成率（%）"), _("期间内发布的全部摸排合并计算的完成率。")),
}


def figures(center, start, end, *, now=None) -> dict:
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = to_local(start).date(), to_local(end).date()
    center_id = getattr(center, "pk", center)

    counted = {
        row["category_id"]: row
        for row in Activity.objects.filter(center_id=center_id, date__gte=day_from, date__lt=day_to)
        .order_by()
        .values("category_id")
        .annotate(n=Count("pk"), people=Sum("participant_total"))
    }
    by_category = []
    for category in ActivityCategory.objects.filter(center_id=center_id).order_by("order", "pk"):
        row = counted.get(category.pk)
        if row is None and not category.is_active:
            continue
        by_category.append(
            {
                "category_id": category.pk,
                "name": category.name,
                "count": row["n"] if row else 0,
                "participants": (row["people"] or 0) if row else 0,
            }
        )

    top = Q(responses__parent__isnull=True)
    status = SurveyResponse.Status
    surveys = []
    for survey in (
        Survey.objects.filter(center_id=center_id, opened_at__gte=start, opened_at__lt=end)
        .annotate(
            total=Count("responses", filter=top),
            answered=Count("responses", filter=top & Q(responses__status=status.ANSWERED)),
            exempt=Count("responses", filter=top & Q(responses__status=status.EXEMPT)),
        )
        .order_by("opened_at", "pk")
    ):
        surveys.append(
            {
                "survey_id": survey.pk,
                "title": survey.title,
                "status": survey.get_status_display(),
                "total": survey.total,
                "answered": survey.answered,
                "exempt": survey.exempt,
                "completion_rate": percent(survey.answered + survey.exempt, survey.total),
            }
        )
    total = sum(s["total"] for s in surveys)
    done = sum(s["answered"] + s["exempt"] for s in surveys)
    return {
        "activities": sum(r["n"] for r in counted.values()) if counted else None,
        "participants": sum(r["people"] or 0 for r in counted.values()) if counted else None,
        "by_category": by_category if counted else None,
        "surveys": surveys or None,
        "survey_completion_rate": percent(done, total) if total else None,
    }
