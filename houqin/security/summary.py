"""The security and fire-safety figures for a period, for reports/ (the annual work summary)
and the dashboard.

figures(center, start, end, *, now=None) -> dict (start/end: dates = local midnights, or aware
datetimes; the period is [start, end)). A fixed number of queries (10: 4 for the patrols,
6 here) whatever the amount of data. DEFINITIONS[key] = (label, definition) for every figure;
records(center, start, end, key) lists the rows a figure counts (a list of querysets);
figure_url(key, start, end) links a figure to the page that lists its rows.

"At the end of the period" means on its last day, or today when the period has not ended yet.

Definitions (the report's "登记来访 X 人次、巡查 X 次、培训演练 X 次 X 人"):
  visitors_registered / visitors_people   visits let in during the period (by entry time) and
                        the people they brought (Σ 来访人数)
  visits_refused        visits refused at the gate (watch list, screening) registered in the
                        period (by registration time)
  patrols_planned / patrols_done / patrols_incomplete   from services.patrols.patrol_summary:
                        Σ active routes × rounds a day × the days of the period up to today,
                        against the patrols started in the period that were completed or left
                        incomplete; patrols_done_pct = done ÷ planned; also per kind (安保 / 防火)
  fire_patrol_due / fire_patrol_done / fire_patrol_on_time_pct   the duties engine's daily
                        防火巡查 tasks due in the period (done = on time + late)
  fire_inspections_due / fire_inspections_done   the same for 消防检查 (quarterly)
  incidents             incidents that occurred in the period; also by kind
  trainings / training_people   trainings (消防安全培训, 安保业务培训) held in the period and
                        their participants (named + others)
  drills / drill_people  drills (疏散演练, 灭火演练) held in the period and their participants
  equipment_replaced    fire equipment replaced or scrapped in the period (by the date)
  equipment_expired     fire equipment in place at the end of the period whose expiry date had
                        passed by then (not replaced or scrapped by that day)
  cameras_in_service / cameras_total   cameras installed at the end of the period (not yet
                        removed) and those of them in service (by their current status)
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.recurrence import as_bound, local_today, to_local

from .models import Camera, Drill, FireEquipment, Incident, Patrol, Visit
from .services.patrols import patrol_summary

V = Visit.Status
FE = FireEquipment.Status
FIRE_PATROL = DutyPlan.Category.FIRE_PATROL
FIRE_INSPECTION = DutyPlan.Category.FIRE_INSPECTION
TRAININGS = (Drill.Kind.TRAINING, Drill.Kind.GUARD_TRAINING)
DRILLS = (Drill.Kind.EVACUATION, Drill.Kind.FIRE_DRILL)

DEFINITIONS = {
    "visitors_registered": (
        _("登记来访（批次）"),
        _("期间内经门岗登记进入的来访（按进入时间），含预约到访。"),
    ),
    "visitors_people": (_("来访人数（人次）"), _("期间内登记进入的来访的来访人数之和。")),
    "visits_refused": (
        _("拒绝入内（批次）"),
        _("期间内登记的、因关注名单或入口查验未通过而拒绝入内的来访数。"),
    ),
    "patrols_planned": (
        _("应巡查（次）"),
        _("启用的巡查路线每日巡查次数之和 × 期间内截至今天的天数。"),
    ),
    "patrols_done": (_("完成巡查（次）"), _("期间内开始、全部检查点已扫码的巡查次数。")),
    "patrols_incomplete": (_("未巡完（次）"), _("期间内开始、有检查点未扫码的巡查次数。")),
    "patrols_done_pct": (_("巡查完成率（%）"), _("完成巡查次数占应巡查次数的比例。")),
    "fire_patrol_done": (
        _("防火巡查（次）"),
        _("防火巡查责任任务中，期间内到期并已完成（含逾期完成）的次数。"),
    ),
    "fire_patrol_on_time_pct": (
        _("防火巡查按时率（%）"),
        _("防火巡查责任任务在期间内到期的次数中按时完成的比例。"),
    ),
    "fire_inspections_done": (
        _("消防检查（次）"),
        _("消防检查责任任务中，期间内到期并已完成（含逾期完成）的次数。"),
    ),
    "incidents": (_("处置突发事件（起）"), _("期间内发生并登记的突发事件数，另按类型统计。")),
    "trainings": (_("开展培训（次）"), _("期间内举办的消防安全培训和安保业务培训次数。")),
    "training_people": (
        _("培训人数（人次）"),
        _("期间内培训的参加人员（登记在册的人员与其他参加人数之和）。"),
    ),
    "drills": (_("开展演练（次）"), _("期间内组织的疏散演练和灭火演练次数。")),
    "drill_people": (_("演练人数（人次）"), _("期间内演练的参加人员之和。")),
    "equipment_replaced": (
        _("更换/报废消防器材（件）"),
        _("期间内更换或报废的消防器材数（按更换/报废日期）。"),
    ),
    "equipment_expired": (
        _("期末过期消防器材（件）"),
        _("期末仍在位、有效期已过的消防器材数（应为零）。"),
    ),
    "cameras_in_service": (
        _("在用监控摄像机（台）"),
        _("期末已安装、未拆除且状态正常的摄像机数。"),
    ),
    "cameras_total": (_("监控摄像机（台）"), _("期末已安装且未拆除的摄像机数。")),
}


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _days(start, end):
    return to_local(start).date(), to_local(end).date()


def _end_day(day_to, now):
    """The day the "at the end of the period" figures are read: its last day, or today."""
    return min(day_to - dt.timedelta(days=1), local_today(now))


def _elapsed_end(start, end, now):
    """The end of the period, or the next local midnight when the period has not ended."""
    tomorrow = as_bound(local_today(now) + dt.timedelta(days=1))
    return max(start, min(end, tomorrow))


def _expired_q(end_day):
    """In place on end_day (registered by then, not retired by then) and expired."""
    return (Q(status__in=(FE.IN_SERVICE, FE.FAULTY)) | Q(replaced_on__gt=end_day)) & Q(
        expires_on__lt=end_day, created_at__date__lte=end_day
    )


def _equipment_expired(center, end_day):
    return FireEquipment.objects.filter(_expired_q(end_day), center=center)


def _cameras(center, end_day):
    return Camera.objects.filter(
        Q(installed_on__isnull=True) | Q(installed_on__lte=end_day),
        Q(retired_on__isnull=True) | Q(retired_on__gt=end_day),
        center=center,
    )


def figures(center, start, end, *, now=None) -> dict:
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    end_day = _end_day(day_to, now)

    visits = Visit.objects.filter(center=center).aggregate(
        registered=Count("pk", filter=Q(entered_at__gte=start, entered_at__lt=end)),
        people=Sum("party_size", filter=Q(entered_at__gte=start, entered_at__lt=end)),
        refused=Count("pk", filter=Q(status=V.REFUSED, created_at__gte=start, created_at__lt=end)),
    )
    patrols = patrol_summary(center.pk, start, _elapsed_end(start, end, now))

    duties = {
        FIRE_PATROL: {"due": 0, "done": 0, "on_time": 0},
        FIRE_INSPECTION: {"due": 0, "done": 0, "on_time": 0},
    }
    done = Q(status=DutyTask.Status.DONE)
    rows = (
        DutyTask.objects.filter(
            center=center,
            category__in=list(duties),
            due_at__gte=start,
            due_at__lt=end,
        )
        .exclude(status=DutyTask.Status.CANCELLED)
        .values("category")
        .annotate(
            due=Count("pk", filter=Q(due_at__lte=now) | done),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(record__on_time=True)),
        )
        .order_by()
    )
    for row in rows:
        duties[row["category"]] = {k: row[k] for k in ("due", "done", "on_time")}

    by_kind = dict(
        Incident.objects.filter(center=center, occurred_at__gte=start, occurred_at__lt=end)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    drill_rows = list(
        Drill.objects.filter(center=center, held_on__gte=day_from, held_on__lt=day_to)
        .order_by()
        .annotate(named=Count("participants"))
        .values_list("kind", "named", "other_participants")
    )
    held = {kind: [0, 0] for kind in Drill.Kind.values}
    for kind, named, other in drill_rows:
        held[kind][0] += 1
        held[kind][1] += named + other

    equipment = FireEquipment.objects.filter(center=center).aggregate(
        replaced=Count(
            "pk",
            filter=Q(
                status__in=(FE.REPLACED, FE.SCRAPPED),
                replaced_on__gte=day_from,
                replaced_on__lt=day_to,
            ),
        ),
        expired=Count("pk", filter=_expired_q(end_day)),
    )
    cameras = _cameras(center, end_day).aggregate(
        total=Count("pk"), in_service=Count("pk", filter=Q(status=Camera.Status.IN_SERVICE))
    )
    fire_patrol, inspections = duties[FIRE_PATROL], duties[FIRE_INSPECTION]
    return {
        "period": (start, end),
        "as_of": end_day,
        "visitors_registered": visits["registered"],
        "visitors_people": visits["people"] or 0,
        "visits_refused": visits["refused"],
        "patrols_planned": patrols["planned"],
        "patrols_done": patrols["done"],
        "patrols_incomplete": patrols["incomplete"],
        "patrols_done_pct": _rate(patrols["done"], patrols["planned"]),
        "patrols_by_kind": patrols["by_kind"],
        "patrol_problems": patrols["abnormal_scans"],
        "fire_patrol_due": fire_patrol["due"],
        "fire_patrol_done": fire_patrol["done"],
        "fire_patrol_on_time": fire_patrol["on_time"],
        "fire_patrol_on_time_pct": _rate(fire_patrol["on_time"], fire_patrol["due"]),
        "fire_inspections_due": inspections["due"],
        "fire_inspections_done": inspections["done"],
        "fire_inspections_on_time": inspections["on_time"],
        "incidents": sum(by_kind.values()),
        "incidents_by_kind": [
            {"kind": code, "label": str(label), "count": by_kind.get(code, 0)}
            for code, label in Incident.Kind.choices
        ],
        "trainings": sum(held[k][0] for k in TRAININGS),
        "training_people": sum(held[k][1] for k in TRAININGS),
        "drills": sum(held[k][0] for k in DRILLS),
        "drill_people": sum(held[k][1] for k in DRILLS),
        "drills_by_kind": [
            {"kind": code, "label": str(label), "count": held[code][0], "people": held[code][1]}
            for code, label in Drill.Kind.choices
        ],
        "equipment_replaced": equipment["replaced"],
        "equipment_expired": equipment["expired"],
        "cameras_in_service": cameras["in_service"],
        "cameras_total": cameras["total"],
        "definitions": DEFINITIONS,
    }


# ------------------------------------------------------------------ the rows behind a figure


def records(center, start, end, key, *, now=None) -> list:
    """The querysets of the rows `key` counts (KeyError for an unknown figure)."""
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    day_from, day_to = _days(start, end)
    end_day = _end_day(day_to, now)
    visits = Visit.objects.filter(center=center).select_related("visitor", "host_agency", "gate")
    entered = visits.filter(entered_at__gte=start, entered_at__lt=end)
    patrols = Patrol.objects.filter(
        center=center, started_at__gte=start, started_at__lt=end
    ).select_related("route", "guard__person")

    def tasks(category):
        return (
            DutyTask.objects.filter(
                center=center, category=category, due_at__gte=start, due_at__lt=end
            )
            .exclude(status=DutyTask.Status.CANCELLED)
            .select_related("plan", "record")
        )

    def drills(kinds):
        return Drill.objects.filter(
            center=center, held_on__gte=day_from, held_on__lt=day_to, kind__in=kinds
        ).prefetch_related("participants")

    cameras = _cameras(center, end_day)
    table = {
        "visitors_registered": lambda: [entered],
        "visitors_people": lambda: [entered],
        "visits_refused": lambda: [
            visits.filter(status=V.REFUSED, created_at__gte=start, created_at__lt=end)
        ],
        "patrols_planned": lambda: [patrols],
        "patrols_done": lambda: [patrols.filter(status=Patrol.Status.DONE)],
        "patrols_incomplete": lambda: [patrols.filter(status=Patrol.Status.INCOMPLETE)],
        "patrols_done_pct": lambda: [patrols],
        "fire_patrol_done": lambda: [tasks(FIRE_PATROL).filter(status=DutyTask.Status.DONE)],
        "fire_patrol_on_time_pct": lambda: [tasks(FIRE_PATROL)],
        "fire_inspections_done": lambda: [
            tasks(FIRE_INSPECTION).filter(status=DutyTask.Status.DONE)
        ],
        "incidents": lambda: [
            Incident.objects.filter(center=center, occurred_at__gte=start, occurred_at__lt=end)
        ],
        "trainings": lambda: [drills(TRAININGS)],
        "training_people": lambda: [drills(TRAININGS)],
        "drills": lambda: [drills(DRILLS)],
        "drill_people": lambda: [drills(DRILLS)],
        "equipment_replaced": lambda: [
            FireEquipment.objects.filter(
                center=center,
                status__in=(FE.REPLACED, FE.SCRAPPED),
                replaced_on__gte=day_from,
                replaced_on__lt=day_to,
            )
        ],
        "equipment_expired": lambda: [_equipment_expired(center, end_day)],
        "cameras_in_service": lambda: [cameras.filter(status=Camera.Status.IN_SERVICE)],
        "cameras_total": lambda: [cameras],
    }
    return table[key]()


# Which page lists a figure's rows, with which query.
URLS = {
    "incidents": ("security:incident_list", {}),
    "trainings": ("security:drill_list", {}),
    "training_people": ("security:drill_list", {}),
    "drills": ("security:drill_list", {}),
    "drill_people": ("security:drill_list", {}),
    "equipment_replaced": ("security:equipment_list", {}),
    "equipment_expired": ("security:equipment_list", {"expiry": "expired"}),
    "cameras_in_service": ("security:camera_list", {"status": Camera.Status.IN_SERVICE}),
    "cameras_total": ("security:camera_list", {}),
    "visitors_registered": ("security:visit_list", {}),
    "visitors_people": ("security:visit_list", {}),
    "visits_refused": ("security:visit_list", {"status": V.REFUSED}),
    "patrols_done": ("security:patrol_list", {"status": Patrol.Status.DONE}),
    "patrols_incomplete": ("security:patrol_list", {"status": Patrol.Status.INCOMPLETE}),
}


def figure_url(key, start, end, *, now=None) -> str | None:
    """A page listing the figure's records, for the summary preview; None when none does."""
    if key not in URLS:
        return None
    name, query = URLS[key]
    try:
        url = reverse(name)
    except NoReverseMatch:  # the page is not installed (yet)
        return None
    return f"{url}?{urlencode(query)}" if query else url
