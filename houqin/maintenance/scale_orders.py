"""The repair orders of the 维修 scale year (part of houqin/maintenance/scale.py), with the
tables both parts read (equipment, faults, seasons).

~10,000 orders at factor 1, reported by the agencies' people over the year and taken through
the steps the services record (report, assign, accept, start, wait for parts, finish with
materials, confirm and rate, close — every step a WorkOrderEvent), on the working-hours
`Clock` of services.work_orders.deadlines; the finance expenditure of every completed order
with a cost.
"""

import bisect
import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Max

from houqin.core.duties.recurrence import TZ
from houqin.core.scale import CENT, bulk_stamped, money
from houqin.core.workdays.calendar import workdays_between
from houqin.core.workdays.hours import PERIODS

from .models import (
    Category,
    Equipment,
    MaterialUse,
    Urgency,
    WorkOrder,
    WorkOrderEvent,
)
from .services.work_orders import DEFAULT_SLA

S = WorkOrder.Status
K = Equipment.Kind
C = Category
ELEVATOR_VENDOR = "XX电梯工程有限公司"
MEP_VENDOR = "XX机电设备维保有限公司"
FIRE_VENDOR = "XX消防技术服务有限公司"
ORDERS = 10_000
TECHNICIANS = 12
BUILDINGS = ["办公主楼", "综合楼", "东附楼", "西附楼", "会议中心"]
# kind → (count at factor 1, name, location, vendor, model, maker)
EQUIPMENT = {
    K.ELEVATOR: (40, "客梯", "电梯井", ELEVATOR_VENDOR, "GeN2-MR 1000kg", "奥的斯"),
    K.AC_UNIT: (300, "分体空调", "办公室", "", "KFR-72LW", "格力"),
    K.CHILLER: (6, "冷水机组", "地下冷冻机房", MEP_VENDOR, "30XW-1002", "开利"),
    K.COOLING_TOWER: (6, "冷却塔", "屋面", MEP_VENDOR, "LRCM-H-200", "良机"),
    K.GENERATOR: (4, "柴油发电机组", "发电机房", MEP_VENDOR, "YC6MJ 500kW", "玉柴"),
    K.SWITCHGEAR: (60, "配电柜", "配电房", MEP_VENDOR, "GCS 抽出式", "正泰"),
    K.PUMP: (30, "水泵", "地下水泵房", MEP_VENDOR, "CDLF", "南方泵业"),
    K.FIRE_SYSTEM: (30, "消防系统", "消防控制室", FIRE_VENDOR, "ZSFZ150", ""),
    K.IRRIGATION: (4, "绿化喷灌", "机关大院", "", "", "雨鸟"),
    K.OTHER: (20, "自动门", "大厅", "", "", ""),
}
CATEGORY_EQUIPMENT = {C.AC: K.AC_UNIT, C.ELEVATOR: K.ELEVATOR, C.ELECTRIC: K.SWITCHGEAR}
CATEGORY_EQUIPMENT |= {C.WATER: K.PUMP}
# category → share of orders, faults: (description, completion note, [(material, spec,
# unit, price)])
FAULTS = {
    C.WATER: (
        0.20,
        [
            ("洗手盆水龙头漏水", "更换水龙头阀芯，试水正常", [("水龙头阀芯", "DN15", "个", 28)]),
            ("蹲便器冲水不止", "更换冲水阀密封圈", [("冲水阀密封圈", "通用", "个", 12)]),
            ("卫生间地漏堵塞返味", "疏通地漏并加装防臭芯", [("防臭地漏芯", "Φ50", "个", 35)]),
            ("茶水间下水管漏水", "更换下水软管", [("下水软管", "Φ40", "根", 18)]),
        ],
    ),
    C.ELECTRIC: (
        0.22,
        [
            ("办公室筒灯不亮", "更换 LED 筒灯", [("LED 筒灯", "6W", "个", 32)]),
            ("插座无电", "更换插座面板，检查回路正常", [("五孔插座", "10A", "个", 15)]),
            ("照明回路频繁跳闸", "更换漏电断路器", [("漏电断路器", "C16 30mA", "个", 85)]),
            ("走廊灯管闪烁", "更换 LED 灯管", [("LED 灯管", "T8 18W", "根", 22)]),
        ],
    ),
    C.AC: (
        0.18,
        [
            ("空调不制冷", "补充冷媒，清洗滤网，制冷正常", [("R410A 冷媒", "1kg", "kg", 95)]),
            ("空调漏水", "疏通冷凝水管", []),
            ("空调遥控器失灵", "更换遥控器", [("空调遥控器", "通用", "个", 30)]),
            ("空调异响", "紧固外机支架、更换减震垫", [("减震垫", "通用", "套", 25)]),
        ],
    ),
    C.ELEVATOR: (
        0.04,
        [
            ("电梯运行异响、平层不准", "调整平层感应器、润滑导轨", []),
            ("电梯门关闭不畅", "调整门机、更换门滑块", [("门滑块", "通用", "个", 45)]),
        ],
    ),
    C.DOOR_WINDOW: (
        0.12,
        [
            ("办公室门锁卡滞", "更换锁芯", [("锁芯", "C 级", "个", 68)]),
            ("窗户合页松动关不严", "更换窗合页", [("窗合页", "不锈钢", "副", 20)]),
            ("闭门器漏油", "更换闭门器", [("闭门器", "60kg", "个", 120)]),
        ],
    ),
    C.NETWORK: (
        0.08,
        [
            ("网口无法上网", "重做水晶头，测试连通", [("水晶头", "六类", "个", 2)]),
            ("电话无拨号音", "更换电话线、检查配线架", [("电话线", "4 芯", "米", 1.5)]),
        ],
    ),
    C.FURNITURE: (
        0.10,
        [
            ("办公椅气压棒下沉", "更换气压棒", [("气压棒", "通用", "根", 45)]),
            ("文件柜抽屉滑轨损坏", "更换滑轨", [("抽屉滑轨", "40cm", "副", 25)]),
            ("会议桌桌腿松动", "紧固桌腿螺栓", []),
        ],
    ),
    C.OTHER: (
        0.06,
        [
            ("大厅自动门感应失灵", "更换感应器", [("微波感应器", "24V", "个", 260)]),
            ("墙面渗水脱皮", "铲除脱皮、防水腻子修补", [("防水腻子", "20kg", "袋", 60)]),
        ],
    ),
}
# Air conditioning and water faults follow the seasons; the rest are even.
SEASON = {
    C.AC: [1.3, 0.9, 0.6, 0.5, 0.9, 1.8, 2.4, 2.4, 1.5, 0.6, 0.7, 1.3],
    C.WATER: [1.3, 1.2, 1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.2],
}
URGENCY = [(Urgency.NORMAL, 0.8), (Urgency.URGENT, 0.17), (Urgency.EMERGENCY, 0.03)]
COMMENTS = {5: ["修得很快，谢谢", "师傅很专业", ""], 4: ["", "基本满意"], 3: ["等待时间较长"]}
COMMENTS |= {2: ["第二次才修好"], 1: ["问题反复出现"]}


class Clock:
    """Working-hours arithmetic on one read of the workday calendar (the year and the first
    weeks of the next, for deadlines that run over New Year)."""

    def __init__(self, year):
        first = dt.date(year, 1, 1)
        self.days = workdays_between(first, dt.date(year + 1, 3, 1))
        self.set = set(self.days)

    def add(self, start, hours, *, around_the_clock=False):
        if around_the_clock:
            return start + dt.timedelta(hours=hours)
        remaining = dt.timedelta(hours=hours)
        day0 = start.astimezone(TZ).date()
        for day in self.days[bisect.bisect_left(self.days, day0) :]:
            for a, b in PERIODS:
                opens = dt.datetime.combine(day, a, tzinfo=TZ)
                closes = dt.datetime.combine(day, b, tzinfo=TZ)
                if closes <= start:
                    continue
                begin = max(opens, start)
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        return start + dt.timedelta(hours=hours * 3)  # beyond the window read: a fair guess


def _weighted(rng, pairs):
    roll, total = rng.random() * sum(w for _v, w in pairs), 0.0
    for value, weight in pairs:
        total += weight
        if roll <= total:
            return value
    return pairs[-1][0]


def _report_moment(ctx, clock, month_days, category, urgency):
    rng = ctx.rng
    weights = SEASON.get(category)
    month = rng.choices(range(1, 13), weights=weights)[0] if weights else rng.randint(1, 12)
    days = month_days[month]
    if urgency == Urgency.EMERGENCY and rng.random() < 0.3:  # a burst pipe at night
        day = dt.date(ctx.year, month, rng.randint(1, 28))
        return dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59)), TZ)
    day = rng.choice(days)
    minute = rng.choice(
        [rng.randint(8 * 60 + 20, 12 * 60), rng.randint(13 * 60 + 50, 17 * 60 + 40)]
    )
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), TZ)


def seed_orders(ctx, clock, techs, equipment):
    rng = ctx.rng
    cutoff = dt.datetime(ctx.year + 1, 1, 1, tzinfo=TZ)
    manager = ctx.accounts["maintenance"].pk
    by_kind = {}
    for item in equipment:
        by_kind.setdefault(item.kind, []).append(item)
    month_days = {
        m: [d for d in clock.days if d.year == ctx.year and d.month == m] for m in range(1, 13)
    }
    cats = [(c, FAULTS[c][0]) for c in FAULTS]
    orders, plans = [], []  # plans: per order, the steps to write once pks exist
    for _ in range(ctx.scaled(ORDERS)):
        category = _weighted(rng, cats)
        urgency = _weighted(rng, URGENCY)
        person = ctx.pick_person()
        t0 = _report_moment(ctx, clock, month_days, category, urgency)
        response, completion, around = DEFAULT_SLA[urgency]
        description, note, mats = rng.choice(FAULTS[category][1])
        eq = None
        if category in CATEGORY_EQUIPMENT and rng.random() < 0.4:
            eq = rng.choice(by_kind.get(CATEGORY_EQUIPMENT[category], [None]))
        building = rng.choice(BUILDINGS)
        floor = rng.randint(1, 8)
        vendor = ELEVATOR_VENDOR if category == C.ELEVATOR else ""
        if eq is not None and eq.vendor_name and category != C.WATER:
            vendor = eq.vendor_name
        tech, tech_name = rng.choice(techs)
        order = WorkOrder(
            center=ctx.center,
            number=f"tmp{len(orders):07d}-{ctx.center.pk}",
            category=category,
            urgency=urgency,
            priority={Urgency.EMERGENCY: 1, Urgency.URGENT: 2}.get(urgency, 3),
            description=f"{building}{floor}楼{description}",
            building=building,
            floor=f"{floor}F",
            room=f"{floor}{rng.randint(1, 30):02d}",
            reporter_id=person.user_id,
            reporter_phone=person.phone,
            agency_id=person.agency_id,
            equipment=eq,
            response_due_at=clock.add(t0, float(response), around_the_clock=around),
            due_at=clock.add(t0, float(completion), around_the_clock=around),
            created_at=t0,
        )
        steps = _lifecycle(ctx, clock, order, t0, around, response, completion)
        worker = manager if vendor else tech
        steps = [(a, at, manager if a in ("assign", "close") else worker) for a, at in steps]
        order.vendor_name = vendor
        plans.append((order, steps, person.user_id, worker, tech_name, note, mats))
        orders.append(order)
    # Time order: pk order follows reporting order, as in life.
    plans.sort(key=lambda p: p[0].created_at)
    events, materials, merged = [], [], []
    for index, (order, steps, reporter, worker, tech_name, note, mats) in enumerate(plans):
        roll = rng.random()
        if roll < 0.02 and order.created_at + dt.timedelta(minutes=40) < cutoff:
            order.status, order.vendor_name = S.CANCELLED, ""
            order.updated_at = order.created_at + dt.timedelta(minutes=40)
            steps[:] = [("cancel", order.updated_at, reporter)]
            continue
        if roll < 0.03 and index:
            target = plans[index - 1][0]
            at = order.created_at + dt.timedelta(minutes=15)
            if (
                target.status not in (S.CANCELLED, S.MERGED)
                and target.category == order.category
                and (target.finished_at is None or target.finished_at > at)
            ):
                order.status, order.vendor_name = S.MERGED, ""
                steps[:] = [("merge", order.created_at + dt.timedelta(minutes=15), manager)]
                order.updated_at = steps[0][1]
                merged.append((order, target))
                continue
        _apply(ctx, order, steps, reporter, worker, tech_name, note, mats, cutoff, materials)
    # The number is "WX<year><pk>" (services.work_order_report): the primary keys the inserts
    # will take are predicted, checked, and only mispredicted ones updated.
    ordered = [p[0] for p in plans if p[0].status != S.MERGED] + [o for o, _t in merged]
    first = _next_pk(WorkOrder)
    for i, order in enumerate(ordered):
        order.number = f"WX{ctx.year}{first + i:06d}"
    created = bulk_stamped(ctx, WorkOrder, ordered[: len(ordered) - len(merged)])
    for order, target in merged:
        order.merged_into_id = target.pk
    created += bulk_stamped(ctx, WorkOrder, [o for o, _t in merged])
    wrong = [o for o in created if o.number != f"WX{ctx.year}{o.pk:06d}"]
    for order in wrong:
        order.number = f"WX{ctx.year}{order.pk:06d}"
    WorkOrder.objects.bulk_update(wrong, ["number"], batch_size=500)
    for order, steps, reporter, _w, _n, _note, _m in plans:
        events.append(
            WorkOrderEvent(
                order_id=order.pk,
                action="report",
                to_status=S.NEW,
                actor_id=reporter,
                at=order.created_at,
            )
        )
        status = S.NEW
        for action, at, actor in steps:
            to = {
                "assign": S.ASSIGNED,
                "accept": S.ASSIGNED,
                "start": S.IN_PROGRESS,
                "wait_parts": S.WAITING_PARTS,
                "finish": S.DONE,
                "confirm": S.CONFIRMED,
                "close": S.CLOSED,
                "merge": S.MERGED,
                "cancel": S.CANCELLED,
            }[action]
            events.append(
                WorkOrderEvent(
                    order_id=order.pk,
                    action=action,
                    from_status=status,
                    to_status=to,
                    actor_id=actor,
                    at=at,
                    note=_event_note(action, order),
                )
            )
            status = to
    for order, target in merged:
        events.append(
            WorkOrderEvent(
                order_id=target.pk,
                action="merge",
                from_status=S.ASSIGNED,
                to_status=S.ASSIGNED,
                actor_id=manager,
                at=order.updated_at,
                note=f"合并了重复报修 {order.number}",
            )
        )
    ctx.bulk(WorkOrderEvent, events)
    for material, order in materials:
        material.order_id = order.pk
    ctx.bulk(MaterialUse, [m for m, _o in materials])
    rows = _expenditures(ctx, [p for p in plans if p[0].status in (S.DONE, S.CONFIRMED, S.CLOSED)])
    return len(plans), len(events) + len(materials) + rows


def _next_pk(model) -> int:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return cursor.fetchone()[0] + 1
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return (row[0] if row else 0) + 1
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _event_note(action, order):
    if action == "finish":
        return order.completion_note[:500]
    if action == "assign":
        return f"派给 {order.vendor_name or '维修人员'}"
    if action == "wait_parts":
        return "等待配件到货"
    if action == "confirm":
        return order.rating_comment
    if action == "merge":
        return "合并到前一张同类工单"
    return ""


def _lifecycle(ctx, clock, order, t0, around, response, completion):
    """The moments of each step of a normal order: (action, moment)."""
    rng = ctx.rng
    assign = t0 + dt.timedelta(minutes=rng.randint(5, 40))
    within = rng.random() < 0.9
    share = rng.uniform(0.1, 0.95) if within else rng.uniform(1.05, 2.0)
    accept = max(
        assign + dt.timedelta(minutes=2),
        clock.add(t0, float(response) * share, around_the_clock=around),
    )
    start = accept + dt.timedelta(minutes=rng.randint(5, 45))
    share = rng.uniform(0.15, 0.97) if rng.random() < 0.88 else rng.uniform(1.03, 2.5)
    finish = clock.add(t0, float(completion) * share, around_the_clock=around)
    finish = max(finish, start + dt.timedelta(minutes=rng.randint(20, 90)))
    steps = [("assign", assign), ("accept", accept), ("start", start)]
    if rng.random() < 0.08:
        wait = start + (finish - start) * 0.2
        steps += [("wait_parts", wait), ("start", start + (finish - start) * 0.7)]
    steps.append(("finish", finish))
    if rng.random() < 0.82:
        confirm = finish + dt.timedelta(hours=rng.uniform(0.5, 40))
        steps += [
            ("confirm", confirm),
            ("close", confirm + dt.timedelta(hours=rng.uniform(0.5, 20))),
        ]
    else:
        steps.append(("close", finish + dt.timedelta(days=rng.randint(3, 7))))
    return [(a, at.replace(microsecond=0)) for a, at in steps]


def _apply(ctx, order, steps, reporter, worker, tech_name, note, mats, cutoff, materials):
    """Take the order through the steps before the year's end; set what they set."""
    rng = ctx.rng
    steps[:] = [s for s in steps if s[1] < cutoff]
    status = S.NEW
    for action, at, _actor in steps:
        if action == "assign":
            status = S.ASSIGNED
            if not order.vendor_name:
                order.assignee_id = worker
        elif action == "accept":
            order.accepted_at = at
        elif action == "start":
            status = S.IN_PROGRESS
            order.accepted_at = order.accepted_at or at
            order.started_at = order.started_at or at
        elif action == "wait_parts":
            status = S.WAITING_PARTS
        elif action == "finish":
            status = S.DONE
            order.finished_at = at
            order.completion_note = note
            total = Decimal("0.00")
            for name, spec, unit, price in mats if rng.random() < 0.75 else []:
                qty = money(rng.choice([1, 1, 1, 2, 2, 3, 4]))
                amount = (qty * money(price)).quantize(CENT)
                total += amount
                materials.append(
                    (
                        MaterialUse(
                            name=name,
                            spec=spec,
                            quantity=qty,
                            unit=unit,
                            unit_price=money(price),
                            amount=amount,
                            added_by_id=worker,
                            added_at=at - dt.timedelta(minutes=10),
                        ),
                        order,
                    )
                )
            order.material_cost = total
            if order.vendor_name:
                order.labor_cost = money(rng.choice([200, 300, 500, 800, 1200]))
            elif rng.random() < 0.1:
                order.labor_cost = money(rng.choice([50, 100, 150]))
        elif action == "confirm":
            status = S.CONFIRMED
            order.rating = _weighted(rng, [(5, 0.62), (4, 0.27), (3, 0.07), (2, 0.03), (1, 0.01)])
            order.rating_comment = rng.choice(COMMENTS[order.rating])
            order.confirmed_at = at
        elif action == "close":
            status = S.CLOSED
            order.closed_at = at
    order.status = status
    order.updated_at = steps[-1][1] if steps else order.created_at
    if status == S.NEW:
        order.vendor_name = ""
    order._payee = order.vendor_name or tech_name


def _expenditures(ctx, plans):
    from houqin.finance.models import BudgetProject, CostKind, Expenditure

    project = BudgetProject.objects.filter(
        center_id=ctx.center.pk, year=ctx.year, cost_kind=CostKind.MAINTENANCE
    ).first()
    rows = []
    for order, _steps, _reporter, worker, _tech, _note, _mats in plans:
        amount = order.labor_cost + order.material_cost
        if amount <= 0:
            continue
        rows.append(
            Expenditure(
                center_id=ctx.center.pk,
                project=project,
                date=order.finished_at.astimezone(TZ).date(),
                amount=amount,
                payee=order._payee[:100],
                purpose=f"维修工单 {order.number}：{order.description[:150]}"[:200],
                cost_kind=CostKind.MAINTENANCE,
                status=Expenditure.Status.RECORDED,
                source_label="maintenance.workorder",
                source_id=order.pk,
                recorded_by_id=worker,
                created_at=order.finished_at,
                updated_at=order.closed_at or order.finished_at,
            )
        )
    return len(bulk_stamped(ctx, Expenditure, rows))
