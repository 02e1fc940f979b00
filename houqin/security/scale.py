"""The scale dataset of 安保消防 (manage.py seed_scale; see houqin/core/scale.py).

At factor 1 (3,000 staff): guards of 安保消防股 with logins, three gates with their checks and a
watch list, ~20,000 visits of ~8,000 visitors over the year's workdays (walk-ins registered at
the gate, a fifth invited by their host; in and out, a few refused or cancelled) with the east
gate's daily screening totals, the day/night shifts of the gate and the fire control room
staffed every day of the year in the demo's 8-day rotation, four patrol routes walked every
day, ~50 incidents, contingency plans, six trainings and drills, ~800 pieces of fire equipment
with their monthly checks (a few replaced in the year) and the cameras register.

The daily 防火巡查 and quarterly 消防检查 are duty plans: the duties seed writes them. The
incidents, drills and the registers are written by scale_events.py; the fixed tables (gates,
shifts, routes, cameras) are the demo's (demo_data.py).
"""

import datetime as dt

from houqin.core.crypto import digest
from houqin.core.duties.scale import workday_set
from houqin.core.roles import Role
from houqin.core.scale import at, bulk_stamped, staff_logins
from houqin.org.models import Person
from houqin.org.validators import id_check_digit

from .demo_data import (
    GATES,
    ROUTES,
    SHIFTS,
    VISITORS,
    WATCH_NAME,
    WATCH_REASON,
)
from .models import (
    Checkpoint,
    CheckpointScan,
    Gate,
    Patrol,
    PatrolRoute,
    RosterEntry,
    ScreeningTally,
    Shift,
    Visit,
    Visitor,
    WatchEntry,
)
from .scale_events import (
    seed_equipment,
    seed_events,
)
from .services.patrols import parse_checklist
from .services.visits import checks_from_labels

V = Visit.Status
GUARDS = 16
VISITS = 20_000
VISITORS_N = 8_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐韦覃莫蒙陆卢潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红文辉建国志宏海燕晓鹏飞婷雪"
COMPANIES = [c for _n, c, _p in VISITORS if c] + ["个人", "XX建设集团", "XX科技有限公司"]
PURPOSES = [p for _n, _c, p in VISITORS] + ["参加会议", "办理业务", "送达文件", "工作对接"]
EXTRA_ROUTES = [
    (
        "附楼及食堂安保巡逻",
        "security",
        "附楼、食堂、后院及围墙巡逻。",
        2,
        [
            ("附楼大厅", "附楼1楼", "门窗关闭上锁\n无异常人员滞留"),
            ("食堂仓库", "食堂1楼", "门锁完好\n无可疑物品"),
            ("后院", "后院", "照明正常\n无可疑物品"),
            ("围墙北段", "北侧", "围墙无破损"),
        ],
    ),
    (
        "地下车库防火巡查",
        "fire",
        "地下车库、水泵房、发电机房防火巡查。",
        1,
        [
            ("车库A区", "负一层", "安全出口畅通\n灭火器在位有效"),
            ("车库B区", "负一层", "疏散指示标志完好\n无违规充电"),
            ("水泵房", "负一层", "消防水泵处于自动状态"),
            ("发电机房", "负一层", "无油料泄漏\n灭火器在位有效"),
        ],
    ),
]


def _id_number(rng, n):
    """A valid resident ID number, distinct for every n below 100,000 (the region's last two
    digits and the sequence number come from n)."""
    first17 = (
        f"4509{n // 1000 % 100:02d}{rng.randint(1955, 2003)}"
        f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{n % 1000:03d}"
    )
    return first17 + id_check_digit(first17)


# ------------------------------------------------------------------ people
def seed_guards(ctx):
    """保安 of 安保消防股 with logins (no password), holding the guard role."""
    prefix, rng = ctx.accounts["admin"].username[: -len("admin")], ctx.rng
    usernames = [f"{prefix}baoan{i:02d}" for i in range(1, ctx.scaled(GUARDS) + 1)]
    users = staff_logins(ctx, usernames, (Role.GUARD, Role.STAFF))
    ctx.bulk(
        Person,
        (
            Person(
                center=ctx.center,
                agency=ctx.center,
                section=ctx.center_sections["AFG"],
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                gender="M",
                position="保安",
                employment_type=Person.EmploymentType.OUTSOURCED,
                phone=f"178{ctx.center.pk % 100:02d}{i:06d}"[:11],
                user=u,
            )
            for i, u in enumerate(users)
        ),
    )
    return users


# ------------------------------------------------------------------ gates and visits
def seed_gates(ctx):
    gates = [
        Gate(
            center=ctx.center,
            name=name,
            checks=checks_from_labels(checks),
            screening_per_entry=per_entry,
        )
        for name, checks, per_entry in GATES
    ]
    gates.append(Gate(center=ctx.center, name="西门", checks=[]))
    gates = ctx.bulk(Gate, gates)
    watch = []
    for i, (name, level, reason) in enumerate(
        [
            (WATCH_NAME, WatchEntry.Level.BLOCKED, WATCH_REASON),
            ("钱某某", WatchEntry.Level.ESCORT, "曾在办公区滞留，来访须安排人员陪同。"),
            ("孙某", WatchEntry.Level.BLOCKED, "多次冲击门岗，禁止入内。"),
        ]
    ):
        number = _id_number(ctx.rng, 99_900 + i)
        watch.append(
            WatchEntry(
                center=ctx.center,
                name=name,
                id_digest=digest(f"resident:{number}"),
                id_masked=f"{number[:3]}***********{number[-4:]}",
                level=level,
                reason=reason,
            )
        )
        watch[-1].number = number
    ctx.bulk(WatchEntry, watch)
    return gates, watch


def seed_visits(ctx, gates, watch, guards):
    rng = ctx.rng
    east, north, _west = gates
    screening = {c["key"]: True for c in north.checks}
    visitors = []
    for i in range(ctx.scaled(VISITORS_N)):
        number = _id_number(rng, i)
        visitors.append(
            Visitor(
                center=ctx.center,
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)),
                id_number=number,
                id_digest=digest(f"resident:{number}"),
                phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
                company=rng.choice(COMPANIES),
                created_at=at(ctx.first_day, 9),
            )
        )
    visitors = bulk_stamped(ctx, Visitor, visitors)
    days = sorted(workday_set(ctx))
    guard_ids = [g.pk for g in guards] or [ctx.accounts["guard"].pk]
    visits, tally = [], {}
    for _ in range(ctx.scaled(VISITS)):
        day = rng.choice(days)
        visitor = visitors[min(int(rng.paretovariate(1.2)) - 1, len(visitors) - 1)]
        if rng.random() < 0.6:
            visitor = rng.choice(visitors)
        host = ctx.pick_person()
        minute = rng.randint(8 * 60 + 30, 17 * 60)
        arrive = at(day, minute // 60, minute % 60)
        invited = rng.random() < 0.2
        gate = rng.choices(gates, weights=(0.6, 0.3, 0.1))[0]
        visit = Visit(
            center=ctx.center,
            visitor=visitor,
            party_size=rng.choices((1, 2, 3, 4), weights=(0.6, 0.25, 0.1, 0.05))[0],
            host_agency_id=host.agency_id,
            host_person_id=host.pk,
            purpose=rng.choice(PURPOSES),
            plate=f"桂K{rng.randint(10000, 99999)}" if rng.random() < 0.25 else "",
            gate=gate,
            registered_by_id=rng.choice(guard_ids),
            screening=screening if gate is north else {},
            created_at=arrive,
        )
        if invited:
            visit.invited_by_id = host.user_id
            visit.expected_at = arrive - dt.timedelta(minutes=rng.choice((0, 10, 20, 30)))
            visit.created_at = arrive - dt.timedelta(days=rng.randint(1, 3))
            if rng.random() < 0.05:  # called off by the host
                visit.status, visit.gate, visit.registered_by_id = V.CANCELLED, None, None
                visit.screening = {}
                visit.updated_at = visit.created_at + dt.timedelta(hours=2)
                visits.append(visit)
                continue
        if rng.random() < 0.004:  # screening failed at the north gate
            visit.gate, visit.status = north, V.REFUSED
            visit.screening = {**screening, next(iter(screening)): False}
            visit.note = "入口查验未通过"
        else:
            visit.status = V.OUT
            visit.entered_at = arrive
            visit.exited_at = arrive + dt.timedelta(minutes=rng.randint(15, 180))
            visit.updated_at = visit.exited_at
            if gate is east:
                tally[day] = tally.get(day, 0) + visit.party_size
        visits.append(visit)
    # The watch list's blocked people tried their luck a few times (refused at the gate).
    blocked = [w for w in watch if w.level == WatchEntry.Level.BLOCKED]
    refused = bulk_stamped(
        ctx,
        Visitor,
        [
            Visitor(
                center=ctx.center,
                name=w.name,
                id_number=w.number,
                id_digest=w.id_digest,
                created_at=at(days[0], 10),
            )
            for w in blocked
        ],
    )
    for entry, visitor in zip(blocked, refused, strict=True):
        for day in rng.sample(days, 3):
            arrive = at(day, 10, 20)
            visits.append(
                Visit(
                    center=ctx.center,
                    visitor=visitor,
                    host_agency_id=ctx.agencies[0].pk,
                    purpose="要求面见领导",
                    gate=east,
                    status=V.REFUSED,
                    registered_by_id=rng.choice(guard_ids),
                    note=f"关注名单：{entry.reason}"[:200],
                    created_at=arrive,
                )
            )
    visits.sort(key=lambda v: v.created_at)
    visits = bulk_stamped(ctx, Visit, visits)
    tallies = bulk_stamped(
        ctx,
        ScreeningTally,
        (
            ScreeningTally(
                center=ctx.center,
                gate=east,
                date=day,
                checked=n,
                abnormal=0,
                recorded_by_id=rng.choice(guard_ids),
                created_at=at(day, 18),
            )
            for day, n in sorted(tally.items())
        ),
    )
    return len(visitors) + len(visits) + len(tallies)


# ------------------------------------------------------------------ rosters and patrols


def seed_roster(ctx, guards):
    shifts = ctx.bulk(
        Shift,
        [
            Shift(center=ctx.center, post=post, name=name, start=a, end=b, min_staff=m)
            for post, name, a, b, m in SHIFTS
        ],
    )
    gate_day, gate_night, fire_day, fire_night = shifts
    # The demo's 8-day rotation: gate day, fire control day ×2, gate night, fire control
    # night ×2, two days off (nobody works a night and then the next day).
    slots = [gate_day, fire_day, fire_day, gate_night, fire_night, fire_night]
    people = [g.pk for g in guards] + [ctx.accounts["guard"].pk]
    entries = []
    for d, day in enumerate(ctx.days()):
        for i, user in enumerate(people):
            slot = (i + d) % 8
            if slot < len(slots):
                entries.append(
                    RosterEntry(
                        shift=slots[slot],
                        date=day,
                        user_id=user,
                        created_at=at(day - dt.timedelta(days=day.weekday() + 3), 10),
                    )
                )
    return len(shifts) + len(bulk_stamped(ctx, RosterEntry, entries))


def seed_patrols(ctx, guards):
    rng = ctx.rng
    set_up = at(ctx.first_day - dt.timedelta(days=12), 9)
    routes, points = [], {}
    for name, kind, description, rounds, checkpoints in ROUTES + EXTRA_ROUTES:
        route = PatrolRoute(
            center=ctx.center,
            name=name,
            kind=kind,
            description=description,
            rounds_per_day=rounds,
            created_at=set_up,
        )
        routes.append((route, checkpoints))
    bulk_stamped(ctx, PatrolRoute, [r for r, _c in routes])
    cps = []
    for route, checkpoints in routes:
        for position, (cp_name, location, lines) in enumerate(checkpoints, start=1):
            cps.append(
                Checkpoint(
                    route=route,
                    position=position,
                    name=cp_name,
                    location=location,
                    checklist=parse_checklist(lines),
                    created_at=set_up,
                )
            )
    for cp in bulk_stamped(ctx, Checkpoint, cps):
        points.setdefault(cp.route_id, []).append(cp)
    guard_ids = [g.pk for g in guards] + [ctx.accounts["guard"].pk]
    patrols, walks = [], []
    for day in ctx.days():
        for route, _c in routes:
            for r in range(route.rounds_per_day):
                hour = (9, 21)[r] if route.rounds_per_day > 1 else 16
                start = at(day, hour, rng.randint(0, 25))
                route_points = points[route.pk]
                skipped = rng.random() < 0.03
                scanned = route_points[:-1] if skipped else route_points
                end = start + dt.timedelta(minutes=6 * len(route_points) + 5)
                patrol = Patrol(
                    center=ctx.center,
                    route=route,
                    guard_id=rng.choice(guard_ids),
                    started_at=start,
                    finished_at=end,
                    status=Patrol.Status.INCOMPLETE if skipped else Patrol.Status.DONE,
                    note="施工围挡，无法到达，已报告股长。" if skipped else "",
                    created_at=start,
                    updated_at=end,
                )
                patrols.append(patrol)
                walks.append((patrol, scanned, start))
    bulk_stamped(ctx, Patrol, patrols)
    scans = []
    for patrol, scanned, start in walks:
        for k, point in enumerate(scanned):
            answers = {item["key"]: True for item in point.checklist}
            problem = rng.random() < 0.01
            if problem:
                answers[point.checklist[0]["key"]] = False
            scanned = start + dt.timedelta(minutes=6 * (k + 1))
            scans.append(
                CheckpointScan(
                    patrol=patrol,
                    checkpoint=point,
                    scanned_at=scanned,
                    answers=answers,
                    is_ok=not problem,
                    note=f"{point.checklist[0]['label']}：发现问题，已现场处理" if problem else "",
                    created_at=scanned,
                )
            )
    scans = bulk_stamped(ctx, CheckpointScan, scans)
    return len(routes) + len(cps) + len(patrols) + len(scans)


def seed(ctx) -> int:
    guards = seed_guards(ctx)
    gates, watch = seed_gates(ctx)
    rows = len(guards) * 4 + len(gates) + len(watch)
    rows += seed_visits(ctx, gates, watch, guards)
    rows += seed_roster(ctx, guards)
    rows += seed_patrols(ctx, guards)
    rows += seed_events(ctx, guards)
    rows += seed_equipment(ctx, guards)
    ctx.log(f"    保安 {len(guards)} 名，来访 {ctx.scaled(VISITS)} 批次")
    return rows
