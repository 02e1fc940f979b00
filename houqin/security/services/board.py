"""安全台账: the fire-safety compliance board of a center for the current year (DOMAIN.md §8).

board(center_id, *, today=None, now=None) -> list[BoardRow], a fixed number of queries
(about 12) whatever the amount of data. Each row: what the rule asks, the figure, a status
(ok ✓ / bad ✗ / pending 进行中 / info) and a note. The view links every row to its list.

Rows:
  fire_patrol       daily fire patrol (duties category 防火巡查): due vs done on time / late /
                    missed from Jan 1 to today; ✗ when a task was missed or there is no plan
  fire_inspection   quarterly fire inspection (duties category 消防检查): a completed record
                    in every quarter so far; ✗ for a past quarter without one, 进行中 for the
                    current quarter not done yet
  evacuation        the last evacuation drill (any year) within the last 6 months ✓ / ✗
  training          people of the center (active) who attended a 消防安全培训 this year /
                    active people; ✓ at 100 %, 进行中 below
  incidents         incidents this year by kind, and how many are still open
  patrols           patrols done vs planned this year (services.patrols.patrol_summary)
  equipment         fire equipment in use already expired / expiring within 30 days
  cameras           cameras in service vs faulty
"""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.models import DutyPlan, DutyRecord
from houqin.core.duties.recurrence import as_bound
from houqin.core.duties.summary import compliance
from houqin.org.models import Person

from ..models import Camera, Drill, FireEquipment, Incident

EXPIRY_WINDOW_DAYS = 30
DRILL_INTERVAL_MONTHS = 6
OK, BAD, PENDING, INFO = "ok", "bad", "pending", "info"


@dataclass
class BoardRow:
    key: str
    label: str
    rule: str
    value: str
    status: str
    note: str = ""
    parts: list = field(default_factory=list)  # [(label, status)] e.g. the quarters
    figures: dict = field(default_factory=dict)  # the raw numbers behind `value`


def _pct(part, whole):
    return "—" if not whole else f"{100 * part / whole:.0f}%"


def _fire_patrol(center_id, start, end, now):
    rows = compliance(center_id, start, end, DutyPlan.Category.FIRE_PATROL, now=now)
    due = sum(r.due for r in rows)
    on_time = sum(r.done_on_time for r in rows)
    late = sum(r.done_late for r in rows)
    missed = sum(r.missed for r in rows)
    if not rows:
        status, note = BAD, _("尚未设置每日防火巡查责任计划。")
    elif missed:
        status, note = BAD, _("有 %(n)s 次巡查逾期未完成。") % {"n": missed}
    else:
        status, note = OK, ""
    return BoardRow(
        "fire_patrol",
        _("每日防火巡查"),
        _("每日防火巡查并签字记录（消防法第十七条）"),
        _(
            "应巡查 %(due)s 次，按时 %(ok)s 次，逾期完成 %(late)s 次，"
            "未完成 %(missed)s 次；按时率 %(rate)s"
        )
        % {"due": due, "ok": on_time, "late": late, "missed": missed, "rate": _pct(on_time, due)},
        status,
        note,
        figures={"due": due, "on_time": on_time, "late": late, "missed": missed},
    )


def _quarters(today):
    year = today.year
    for q in range(1, (today.month - 1) // 3 + 2):
        first = dt.date(year, 3 * q - 2, 1)
        yield q, first, first + relativedelta(months=3)


def _fire_inspection(center_id, today):
    quarters = list(_quarters(today))
    counts = DutyRecord.objects.filter(
        center_id=center_id, task__category=DutyPlan.Category.FIRE_INSPECTION
    ).aggregate(
        **{
            f"q{q}": Count(
                "pk", filter=Q(completed_at__gte=as_bound(lo), completed_at__lt=as_bound(hi))
            )
            for q, lo, hi in quarters
        }
    )
    parts, missing = [], 0
    for q, _lo, hi in quarters:
        done = counts[f"q{q}"]
        if done:
            parts.append((_("第%(q)s季度 %(n)s 次") % {"q": q, "n": done}, OK))
        elif hi <= today:
            missing += 1
            parts.append((_("第%(q)s季度 未检查") % {"q": q}, BAD))
        else:
            parts.append((_("第%(q)s季度 待检查") % {"q": q}, PENDING))
    done_quarters = sum(1 for _label, s in parts if s == OK)
    if missing:
        status, note = BAD, _("有 %(n)s 个季度未开展消防检查。") % {"n": missing}
    elif parts[-1][1] == PENDING:
        status, note = PENDING, _("本季度尚未开展消防检查。")
    else:
        status, note = OK, ""
    return BoardRow(
        "fire_inspection",
        _("季度消防检查"),
        _("机关单位至少每季度开展一次防火检查"),
        _("已检查 %(d)s / %(n)s 个季度") % {"d": done_quarters, "n": len(parts)},
        status,
        note,
        parts,
        figures={"done_quarters": done_quarters, "missing": missing},
    )


def _evacuation(center_id, today):
    last = Drill.objects.filter(
        center_id=center_id, kind=Drill.Kind.EVACUATION, held_on__lte=today
    ).aggregate(last=Max("held_on"))["last"]
    due_by = last + relativedelta(months=DRILL_INTERVAL_MONTHS) if last else None
    if last is None:
        value, status, note = _("尚无疏散演练记录"), BAD, ""
    elif due_by >= today:
        value, status = _("最近一次：%(d)s") % {"d": last.isoformat()}, OK
        note = _("下次应在 %(d)s 前组织。") % {"d": due_by.isoformat()}
    else:
        value, status = _("最近一次：%(d)s") % {"d": last.isoformat()}, BAD
        note = _("已超过半年未组织疏散演练（应在 %(d)s 前）。") % {"d": due_by.isoformat()}
    return BoardRow(
        "evacuation",
        _("疏散演练"),
        _("消防安全重点单位至少每半年组织一次疏散演练"),
        value,
        status,
        note,
        figures={"last": last, "due_by": due_by},
    )


def _training(center_id, start, today):
    people = Person.objects.filter(center_id=center_id, status=Person.Status.ACTIVE)
    active = people.count()
    trained = (
        people.filter(
            drills__center_id=center_id,
            drills__kind=Drill.Kind.TRAINING,
            drills__held_on__gte=start,
            drills__held_on__lte=today,
        )
        .distinct()
        .count()
    )
    if not active:
        status, note = INFO, _("本中心尚无在职人员档案。")
    elif trained >= active:
        status, note = OK, ""
    else:
        status = PENDING
        note = _("还有 %(n)s 人今年未参加消防安全培训。") % {"n": active - trained}
    return BoardRow(
        "training",
        _("消防安全培训覆盖率"),
        _("每年对每名职工至少进行一次消防安全培训"),
        _("%(t)s / %(a)s 人（%(p)s）") % {"t": trained, "a": active, "p": _pct(trained, active)},
        status,
        note,
        figures={"trained": trained, "active": active},
    )


def _incidents(center_id, start, end):
    rows = (
        Incident.objects.filter(center_id=center_id, occurred_at__gte=start, occurred_at__lt=end)
        .values("kind")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(status=Incident.Status.OPEN)))
        .order_by()
    )
    by_kind = {r["kind"]: r["n"] for r in rows}
    still_open = sum(r["open"] for r in rows)
    total = sum(by_kind.values())
    parts = [
        (f"{label} {by_kind[code]}", INFO)
        for code, label in Incident.Kind.choices
        if code in by_kind
    ]
    return BoardRow(
        "incidents",
        _("突发事件"),
        _("突发事件及时处置、登记处置结果和后续措施"),
        _("本年 %(n)s 起，处置中 %(o)s 起") % {"n": total, "o": still_open},
        PENDING if still_open else INFO,
        "",
        parts,
        figures={"total": total, "open": still_open, "by_kind": by_kind},
    )


def _patrols(center_id, start, end):
    from .patrols import patrol_summary

    figures = patrol_summary(center_id, start, end)
    planned, done = figures["planned"], figures["done"]
    if not planned:
        status, note = INFO, _("尚未设置巡查路线。")
    elif figures["incomplete"]:
        status = BAD
        note = _("有 %(n)s 次巡查未完成全部点位。") % {"n": figures["incomplete"]}
    else:
        status, note = (OK if done >= planned else PENDING), ""
    return BoardRow(
        "patrols",
        _("安保、防火巡查"),
        _("按巡查路线扫码巡查各点位"),
        _("完成 %(d)s / 计划 %(p)s 次（%(r)s），发现异常 %(a)s 处")
        % {"d": done, "p": planned, "r": _pct(done, planned), "a": figures["abnormal_scans"]},
        status,
        note,
        figures=figures,
    )


def _equipment(center_id, today):
    soon = today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
    counts = FireEquipment.objects.filter(
        center_id=center_id,
        status__in=(FireEquipment.Status.IN_SERVICE, FireEquipment.Status.FAULTY),
    ).aggregate(
        total=Count("pk"),
        expired=Count("pk", filter=Q(expires_on__lt=today)),
        expiring=Count("pk", filter=Q(expires_on__gte=today, expires_on__lte=soon)),
        faulty=Count("pk", filter=Q(status=FireEquipment.Status.FAULTY)),
    )
    if counts["expired"] or counts["faulty"]:
        status = BAD
    elif counts["expiring"]:
        status = PENDING
    else:
        status = OK
    return BoardRow(
        "equipment",
        _("消防器材有效期"),
        _("消防器材完好有效，过期、损坏的及时更换"),
        _("在册 %(t)s 件：已过期 %(x)s，%(d)s 天内到期 %(s)s，故障 %(f)s")
        % {
            "t": counts["total"],
            "x": counts["expired"],
            "d": EXPIRY_WINDOW_DAYS,
            "s": counts["expiring"],
            "f": counts["faulty"],
        },
        status,
        figures=counts,
    )


def _cameras(center_id):
    counts = Camera.objects.filter(center_id=center_id).aggregate(
        ok=Count("pk", filter=Q(status=Camera.Status.IN_SERVICE)),
        faulty=Count("pk", filter=Q(status=Camera.Status.FAULTY)),
    )
    return BoardRow(
        "cameras",
        _("视频监控"),
        _("监控设备正常运行，故障、老旧设备及时更换"),
        _("正常 %(o)s 台，故障 %(f)s 台") % {"o": counts["ok"], "f": counts["faulty"]},
        BAD if counts["faulty"] else (OK if counts["ok"] else INFO),
        figures=counts,
    )


def board(center_id, *, today=None, now=None) -> list[BoardRow]:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    year_start = dt.date(today.year, 1, 1)
    start, end = as_bound(year_start), as_bound(today + dt.timedelta(days=1))
    return [
        _fire_patrol(center_id, start, end, now),
        _fire_inspection(center_id, today),
        _evacuation(center_id, today),
        _training(center_id, year_start, today),
        _incidents(center_id, start, end),
        _patrols(center_id, year_start, today + dt.timedelta(days=1)),
        _equipment(center_id, today),
        _cameras(center_id),
    ]
