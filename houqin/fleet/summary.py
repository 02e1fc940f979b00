"""The fleet figures for a period, for reports/ (the annual work summary) and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). A fixed number of queries (10) whatever the amount of
data. `now` is accepted like the other modules' summaries, but no fleet figure depends on it:
every count is of records dated in the period, and the vehicles and quotas are the fleet as it
stands (vehicles keep no disposal date, so the fleet of an earlier date cannot be rebuilt).
DEFINITIONS[key] = (label, definition) for the figures the summary's sentences use.

Definitions:
  trips / km          completed trips starting in the period; km = Σ(end − start odometer)
  requests            requests departing in the period: received (all but cancelled),
                      served (dispatched or completed), unmet (无车可派) with reasons grouped
  rating_avg / satisfied_pct   ratings of requests departing in the period; satisfied = ≥ 4
  disinfection        duty records of the per-trip disinfection tasks completed in the period
  trainings           duty records of category safety_training completed in the period
  vehicles            per vehicle (not disposed, or with costs): fuel, repair + maintenance,
                      insurance (RepairRecord kind insurance), tolls + parking, km,
                      cost per km (all costs ÷ km)
  quotas              per category: 编制 (VehicleQuota) vs actual (vehicles not disposed)
                      and vacancies (quota − actual, never negative)
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.models import DutyPlan, DutyRecord
from houqin.core.duties.recurrence import as_bound

from .models import FuelRecord, RepairRecord, Trip, TripRequest, Vehicle, VehicleQuota

R = TripRequest.Status
ZERO = Decimal("0")

DEFINITIONS = {
    "requests_received": (
        _("受理用车申请（次）"),
        _("出发时间在期间内的用车申请数（含审批中、未批准和无车可派的），已取消的不计。"),
    ),
    "requests_served": (
        _("派车（次）"),
        _("出发时间在期间内、已派车或已完成的用车申请数。"),
    ),
    "requests_unmet": (_("无车可派（次）"), _("出发时间在期间内、标记为无车可派的用车申请数。")),
    "served_pct": (_("派车率（%）"), _("派车次数占受理用车申请数的比例。")),
    "trips": (_("出车（趟）"), _("计划出车时间在期间内、已收车的派车单数。")),
    "km": (_("行驶里程（公里）"), _("上述派车单收车里程减出车里程之和。")),
    "ratings": (_("满意度评价（次）"), _("出发时间在期间内、申请人已评价的用车申请数。")),
    "rating_avg": (_("平均评分（星）"), _("上述评价的平均星级（1–5）。")),
    "satisfied_pct": (_("满意率（%）"), _("上述评价中 4 星及以上的比例。")),
    "disinfection_records": (
        _("车辆清洁消杀（次）"),
        _("期间内完成的出车前、收车后清洁消杀任务记录数。"),
    ),
    "trainings": (_("司勤人员安全培训（次）"), _("期间内完成的安全培训责任任务记录数。")),
    "costs_total": (
        _("公务用车运行费用（元）"),
        _("期间内燃油（充电）、维修保养、保险费用及已收车派车单的通行、停车费合计。"),
    ),
    "actual_total": (_("现有公务用车（辆）"), _("当前未处置的公务用车数（不随统计期间变化）。")),
    "quota_total": (_("公务用车编制（辆）"), _("当前各单位车辆编制数合计（不随统计期间变化）。")),
    "vacancies": (_("编制空缺（辆）"), _("各类别编制数减现有车辆数（不为负）之和。")),
}


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def vehicle_costs(center, start, end):
    """Per-vehicle cost rows for [start, end) (dates or aware datetimes). 4 queries."""
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = start.date(), end.date()  # record dates: [day_from, day_to)
    fuel = dict(
        FuelRecord.objects.filter(center=center, date__gte=day_from, date__lt=day_to)
        .values("vehicle_id")
        .annotate(s=Sum("cost"))
        .order_by()
        .values_list("vehicle_id", "s")
    )
    repairs = defaultdict(dict)
    for vid, kind, s in (
        RepairRecord.objects.filter(center=center, date__gte=day_from, date__lt=day_to)
        .values("vehicle_id", "kind")
        .annotate(s=Sum("cost"))
        .order_by()
        .values_list("vehicle_id", "kind", "s")
    ):
        repairs[vid][kind] = s
    trips = {
        r["vehicle_id"]: r
        for r in Trip.objects.filter(
            center=center,
            status=Trip.Status.COMPLETED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values("vehicle_id")
        .annotate(
            n=Count("pk"),
            km=Sum(F("end_odometer") - F("start_odometer")),
            fees=Sum(F("tolls") + F("parking")),
        )
        .order_by()
    }
    rows = []
    for v in Vehicle.objects.filter(center=center).order_by("plate"):
        t = trips.get(v.pk, {})
        rep = repairs.get(v.pk, {})
        row = {
            "vehicle": v,
            "plate": v.plate,
            "fuel": fuel.get(v.pk) or ZERO,
            "repair": (rep.get(RepairRecord.Kind.REPAIR) or ZERO)
            + (rep.get(RepairRecord.Kind.MAINTENANCE) or ZERO),
            "insurance": rep.get(RepairRecord.Kind.INSURANCE) or ZERO,
            "tolls_parking": t.get("fees") or ZERO,
            "km": t.get("km") or ZERO,
            "trips": t.get("n", 0),
        }
        row["total"] = row["fuel"] + row["repair"] + row["insurance"] + row["tolls_parking"]
        row["cost_per_km"] = (
            (row["total"] / row["km"]).quantize(Decimal("0.01")) if row["km"] else None
        )
        if v.status != Vehicle.Status.DISPOSED or row["total"] or row["trips"]:
            rows.append(row)
    return rows


def quota_table(center):
    """[{category, label, quota, actual, vacancy}] for every category. 2 queries."""
    quotas = dict(
        VehicleQuota.objects.filter(center=center)
        .values("category")
        .annotate(q=Sum("quota"))
        .order_by()
        .values_list("category", "q")
    )
    actual = dict(
        Vehicle.objects.filter(center=center)
        .exclude(status=Vehicle.Status.DISPOSED)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("category", "n")
    )
    return [
        {
            "category": code,
            "label": str(label),
            "quota": quotas.get(code, 0),
            "actual": actual.get(code, 0),
            "vacancy": max(0, quotas.get(code, 0) - actual.get(code, 0)),
        }
        for code, label in Vehicle.Category.choices
    ]


def figures(center, start, end, *, now=None) -> dict:
    start, end = as_bound(start), as_bound(end)
    done = Trip.objects.filter(
        center=center, status=Trip.Status.COMPLETED, starts_at__gte=start, starts_at__lt=end
    ).aggregate(n=Count("pk"), km=Sum(F("end_odometer") - F("start_odometer")))
    in_period = TripRequest.objects.filter(center=center, departs_at__gte=start, departs_at__lt=end)
    req = in_period.aggregate(
        received=Count("pk", filter=~Q(status=R.CANCELLED)),
        served=Count("pk", filter=Q(status__in=(R.DISPATCHED, R.COMPLETED))),
        unmet=Count("pk", filter=Q(status=R.UNMET)),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        satisfied=Count("pk", filter=Q(rating__gte=4)),
        rating_avg=Avg("rating"),
    )
    reasons = [
        {"reason": r["unmet_reason"], "count": r["n"]}
        for r in in_period.filter(status=R.UNMET)
        .values("unmet_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "unmet_reason")
    ]
    records = DutyRecord.objects.filter(
        center=center, completed_at__gte=start, completed_at__lt=end
    )
    duty = records.aggregate(
        disinfection=Count(
            "pk",
            filter=Q(
                task__target_type=ContentType.objects.get_for_model(Trip),
                task__category=DutyPlan.Category.DISINFECTION,
            ),
        ),
        trainings=Count("pk", filter=Q(task__category=DutyPlan.Category.SAFETY_TRAINING)),
    )
    vehicles = vehicle_costs(center, start, end)
    quotas = quota_table(center)
    return {
        "trips": done["n"],
        "km": done["km"] or ZERO,
        "requests_received": req["received"],
        "requests_served": req["served"],
        "requests_unmet": req["unmet"],
        "unmet_reasons": reasons,
        "served_pct": _rate(req["served"], req["received"]),
        "ratings": req["rated"],
        "rating_avg": round(float(req["rating_avg"]), 2) if req["rating_avg"] is not None else None,
        "satisfied_pct": _rate(req["satisfied"], req["rated"]),
        "disinfection_records": duty["disinfection"],
        "trainings": duty["trainings"],
        "vehicles": vehicles,
        "costs_total": sum((v["total"] for v in vehicles), ZERO),
        "quotas": quotas,
        "quota_total": sum(q["quota"] for q in quotas),
        "actual_total": sum(q["actual"] for q in quotas),
        "vacancies": sum(q["vacancy"] for q in quotas),
    }
