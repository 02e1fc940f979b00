"""The 安保消防 scale year's events and registers (part of houqin/security/scale.py).

~50 incidents, the contingency plans, six trainings and drills, ~800 pieces of fire equipment
with their monthly checks (a few replaced in the year) and the cameras register.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta

from houqin.core.scale import at, bulk_stamped
from houqin.org.models import Person

from .demo_data import (
    CAMERAS,
    FAULTY_CAMERAS,
    PLAN_MEASURES,
)
from .models import (
    Camera,
    ContingencyPlan,
    Drill,
    FireEquipment,
    FireEquipmentCheck,
    Incident,
)

INCIDENTS = 50
FIRE_EQUIPMENT = 800
CAMERAS_N = 150
# (kind, count share, code prefix, location pattern, model, life in years)
EQUIPMENT_KINDS = [
    (FireEquipment.Kind.EXTINGUISHER_ABC, 0.45, "MHQ", "{b}{f}楼{s}", "MFZ/ABC4", 5),
    (FireEquipment.Kind.EXTINGUISHER_CO2, 0.08, "EYH", "{b}{f}楼机房", "MT/3", 5),
    (FireEquipment.Kind.HYDRANT, 0.15, "XHS", "{b}{f}楼消火栓箱", "SG24A65", 10),
    (FireEquipment.Kind.OUTDOOR_HYDRANT, 0.02, "SWX", "院内{n}号室外消火栓", "SS100/65", 15),
    (FireEquipment.Kind.DETECTOR, 0.12, "YG", "{b}{f}楼{s}", "JTY-GD-G3", 10),
    (FireEquipment.Kind.EMERGENCY_LIGHT, 0.12, "YJ", "{b}{f}楼疏散通道", "M-BLZD-1LROEI", 6),
    (FireEquipment.Kind.FIRE_DOOR, 0.05, "FHM", "{b}{n}号楼梯间", "GFM-1021", 15),
    (FireEquipment.Kind.SPRINKLER, 0.005, "PL", "{b}地下室", "ZSTX15-68", 15),
    (FireEquipment.Kind.ALARM, 0.005, "BJ", "{b}消防控制室", "JB-QB-GST200", 10),
]
BUILDINGS = ["主楼", "附楼", "综合楼", "会议中心", "机关食堂"]
INCIDENT_KINDS = [
    (Incident.Kind.PETITION, 0.3, "东门", "来访人员情绪激动，要求面见领导", "劝导并联系信访部门"),
    (Incident.Kind.EQUIPMENT, 0.25, "配电房", "巡查发现设备异响、温度偏高", "通知物业维修"),
    (Incident.Kind.MEDICAL, 0.15, "会议室", "参会人员突发身体不适", "协助拨打120并陪同送医"),
    (Incident.Kind.SECURITY, 0.12, "停车场", "可疑人员在车辆旁逗留", "上前盘问并调取监控"),
    (Incident.Kind.FIRE, 0.06, "后院", "垃圾桶内烟头引燃纸屑冒烟", "使用灭火器当即扑灭"),
    (Incident.Kind.WEATHER, 0.07, "院内", "暴雨导致地下车库入口积水", "设置挡水板并排水"),
    (Incident.Kind.OTHER, 0.05, "大厅", "群众遗失物品", "登记并联系失主认领"),
]
DRILL_PLAN = [  # (kind, title, month, day, named, others)
    (Drill.Kind.TRAINING, "全体干部职工消防安全知识培训", 3, 18, 0.1, 40),
    (Drill.Kind.EVACUATION, "办公大楼消防疏散演练（上半年）", 5, 12, 0.08, 60),
    (Drill.Kind.GUARD_TRAINING, "保安队伍业务技能培训", 6, 20, 0, 0),
    (Drill.Kind.FIRE_DRILL, "微型消防站灭火实战演练", 9, 16, 0.01, 15),
    (Drill.Kind.EVACUATION, "办公大楼消防疏散演练（下半年）", 11, 9, 0.08, 60),
    (Drill.Kind.TRAINING, "“119”消防宣传月专题培训", 11, 20, 0.06, 20),
]


def _weighted(rng, rows, weight_at=1):
    return rng.choices(rows, weights=[r[weight_at] for r in rows])[0]


# ------------------------------------------------------------------ events
def seed_events(ctx, guards):
    rng = ctx.rng
    manager = ctx.accounts["security"]
    reporters = [g.pk for g in guards] + [ctx.accounts["guard"].pk]
    incidents = []
    for _ in range(ctx.scaled(INCIDENTS)):
        kind, _w, place, description, handling = _weighted(rng, INCIDENT_KINDS)
        day = ctx.first_day + dt.timedelta(days=rng.randint(0, 360))
        occurred = at(day, rng.randint(7, 22), rng.randint(0, 59))
        closed = occurred + dt.timedelta(hours=rng.uniform(1, 30))
        incidents.append(
            Incident(
                center=ctx.center,
                occurred_at=occurred,
                place=place,
                kind=kind,
                description=description + "。",
                handling=handling + "。",
                result="已妥善处置。",
                follow_up="加强巡查。",
                status=Incident.Status.CLOSED,
                reported_by_id=rng.choice(reporters),
                closed_at=closed,
                created_at=occurred + dt.timedelta(minutes=30),
                updated_at=closed,
            )
        )
    incidents = bulk_stamped(ctx, Incident, incidents)
    plans = []
    for month, title in ((3, "区两会安保工作预案"), (7, "防汛救灾会商会安保预案")):
        start = at(dt.date(ctx.year, month, 10), 9)
        plans.append(
            ContingencyPlan(
                center=ctx.center,
                title=title,
                event_start=start,
                event_end=start + dt.timedelta(hours=6),
                measures=PLAN_MEASURES,
                responsible=manager,
                coordination_meeting_at=start - dt.timedelta(days=3),
                status=ContingencyPlan.Status.DONE,
                created_at=start - dt.timedelta(days=10),
                updated_at=start + dt.timedelta(days=1),
            )
        )
    bulk_stamped(ctx, ContingencyPlan, plans)
    drills, named = [], []
    for kind, title, month, day, share, others in DRILL_PLAN:
        held = dt.date(ctx.year, month, day)
        drills.append(
            Drill(
                center=ctx.center,
                kind=kind,
                title=title,
                held_on=held,
                place="主楼及院内广场" if kind == Drill.Kind.EVACUATION else "中心会议室",
                organizer="安保消防股",
                other_participants=others,
                summary="按计划完成，达到预期效果。",
                created_at=at(held, 18),
            )
        )
        if kind == Drill.Kind.GUARD_TRAINING:
            people = list(Person.objects.filter(user_id__in=reporters))
        else:
            people = rng.sample(ctx.people, max(1, int(len(ctx.people) * share)))
        named.append(people)
    drills = bulk_stamped(ctx, Drill, drills)
    through = Drill.participants.through
    links = ctx.bulk(
        through,
        (
            through(drill_id=d.pk, person_id=p.pk)
            for d, people in zip(drills, named, strict=True)
            for p in people
        ),
    )
    return len(incidents) + len(plans) + len(drills) + len(links)


# ------------------------------------------------------------------ registers
def seed_equipment(ctx, guards):
    rng = ctx.rng
    checkers = [g.pk for g in guards] + [ctx.accounts["guard"].pk]
    year_end = ctx.last_day
    total = ctx.scaled(FIRE_EQUIPMENT)
    pieces, counters = [], {}
    for kind, share, prefix, pattern, model, life in EQUIPMENT_KINDS:
        for _ in range(max(1, round(total * share))):
            counters[prefix] = counters.get(prefix, 0) + 1
            n = counters[prefix]
            # Spread expiries so a few run out in the year and a few just after.
            expires = ctx.first_day + dt.timedelta(days=rng.randint(60, 365 * life))
            produced = expires - relativedelta(years=life)
            pieces.append(
                FireEquipment(
                    center=ctx.center,
                    code=f"{prefix}-{n:04d}",
                    kind=kind,
                    location=pattern.format(
                        b=rng.choice(BUILDINGS), f=rng.randint(1, 8), s="东侧", n=n
                    ),
                    model=model,
                    produced_on=produced,
                    expires_on=expires,
                    created_at=at(ctx.first_day - dt.timedelta(days=30), 9),
                )
            )
    # Those expiring in the year were replaced on expiry (a new piece in their place), but
    # for a handful the replacement is still pending at the year's end.
    new = []
    for piece in pieces:
        if piece.expires_on <= year_end:
            if rng.random() < 0.05:
                continue
            on = piece.expires_on - dt.timedelta(days=rng.randint(0, 20))
            piece.status, piece.replaced_on = FireEquipment.Status.REPLACED, on
            piece.notes = "到期更换"
            life = piece.expires_on.year - piece.produced_on.year
            new.append(
                FireEquipment(
                    center=ctx.center,
                    code=f"{piece.code}-R",
                    kind=piece.kind,
                    location=piece.location,
                    model=piece.model,
                    produced_on=on - dt.timedelta(days=60),
                    expires_on=on - dt.timedelta(days=60) + relativedelta(years=life),
                    created_at=at(on, 10),
                )
            )
    checks = []
    for piece in pieces + new:
        first = piece.created_at.date()
        last = piece.replaced_on or year_end
        for month in range(1, 13):
            day = dt.date(ctx.year, month, rng.randint(5, 15))
            if not (first <= day <= last):
                continue
            ok = rng.random() > 0.01
            checks.append(
                FireEquipmentCheck(
                    equipment=piece,
                    checked_on=day,
                    is_ok=ok,
                    note="" if ok else "压力表指针在红区，已报更换",
                    checked_by_id=rng.choice(checkers),
                    created_at=at(day, 15),
                )
            )
            piece.last_checked_on = day
            piece.updated_at = at(day, 15)
    pieces = bulk_stamped(ctx, FireEquipment, pieces + new)
    checks = bulk_stamped(ctx, FireEquipmentCheck, checks)
    cameras = []
    base = [(code, where, model) for code, where, model in CAMERAS]
    for i in range(ctx.scaled(CAMERAS_N)):
        code, where, model = base[i % len(base)]
        faulty = rng.random() < 0.03
        cameras.append(
            Camera(
                center=ctx.center,
                code=f"{code}-{i // len(base) + 1}",
                location=f"{BUILDINGS[i // len(base) % len(BUILDINGS)]}·{where}",
                model=model,
                installed_on=dt.date(ctx.year - rng.randint(1, 6), rng.randint(1, 12), 15),
                status=Camera.Status.FAULTY if faulty else Camera.Status.IN_SERVICE,
                notes=FAULTY_CAMERAS["JK-DK-03"] if faulty else "",
            )
        )
    cameras = ctx.bulk(Camera, cameras)
    return len(pieces) + len(checks) + len(cameras)
