"""The scale dataset of 维修 (manage.py seed_scale; see houqin/core/scale.py).

At factor 1 (3,000 staff): the SLA rules, ~500 pieces of equipment, a dozen technicians of
物业管理股 with accounts, ~10,000 repair orders reported by the agencies' people over the year
(seasonal: air conditioning in summer and winter), each taken through the steps the services
record (report, assign, accept, start, wait for parts, finish with materials, confirm and rate,
close — every step a WorkOrderEvent), the finance expenditure of every completed order with a
cost, and the preventive plans and inspection rounds with their year of duty tasks and the
findings of failed inspections. Steps that would fall after the year's end are not taken, so
the orders of the last days are still open.

Deadlines follow services.work_orders.deadlines on the same working-hours clock, computed here
from one read of the workday calendar instead of one query per order.

The orders (and the tables both parts read) are in scale_orders.py; this module writes the
technicians, equipment, SLA rules, preventive plans and inspection findings.
"""

import datetime as dt

from houqin.core.duties.models import DutyPlan
from houqin.core.duties.recurrence import TZ
from houqin.core.duties.scale import plan_create, year_of_tasks
from houqin.core.roles import Role
from houqin.core.scale import bulk_stamped, staff_logins
from houqin.org.models import Person

from .models import (
    Category,
    Equipment,
    Finding,
    SlaRule,
    Urgency,
)
from .scale_orders import (
    BUILDINGS,
    EQUIPMENT,
    TECHNICIANS,
    Clock,
    K,
    seed_orders,
)
from .services.equipment import checklist_for
from .services.work_orders import DEFAULT_SLA


def seed_technicians(ctx):
    """Technicians of 物业管理股 with a login each (no password: bench logins use the role
    accounts), holding the technician role."""
    prefix = ctx.accounts["admin"].username[: -len("admin")]
    section = ctx.center_sections["WYG"]
    usernames = [f"{prefix}tech{i:02d}" for i in range(1, ctx.scaled(TECHNICIANS) + 1)]
    users = staff_logins(ctx, usernames, (Role.TECHNICIAN, Role.STAFF))
    names = [
        "王建国",
        "李志强",
        "张海涛",
        "刘明",
        "陈刚",
        "杨勇",
        "黄伟",
        "赵磊",
        "吴军",
        "周鹏",
        "徐飞",
        "孙超",
    ]
    people = ctx.bulk(
        Person,
        (
            Person(
                center=ctx.center,
                agency=ctx.center,
                section=section,
                name=names[i % len(names)] + ("" if i < len(names) else str(i // len(names))),
                gender="M",
                position="水电工" if i % 3 else "空调工",
                employment_type=Person.EmploymentType.CONTRACT,
                phone=f"177{ctx.center.pk % 100:02d}{i:06d}"[:11],
                user=u,
            )
            for i, u in enumerate(users)
        ),
    )
    return [(u.pk, p.name) for u, p in zip(users, people, strict=True)], len(users) * 4


def seed_equipment(ctx):
    rng, rows = ctx.rng, []
    for kind, (count, name, where, vendor, model, maker) in EQUIPMENT.items():
        for i in range(1, ctx.scaled(count) + 1):
            building = BUILDINGS[i % len(BUILDINGS)]
            installed = dt.date(ctx.year - rng.randint(1, 14), rng.randint(1, 12), 10)
            rows.append(
                Equipment(
                    center=ctx.center,
                    kind=kind,
                    name=f"{building}{i}号{name}",
                    code=f"{kind.upper()[:3]}-{i:04d}",
                    location=f"{building}{where}",
                    model=model,
                    manufacturer=maker,
                    vendor_name=vendor,
                    install_date=installed,
                    warranty_until=installed.replace(year=installed.year + 2),
                    contract_no=f"WB-{ctx.year}-{kind[:3].upper()}" if vendor else "",
                    contract_until=dt.date(ctx.year + 1, 3, 31) if vendor else None,
                    status=Equipment.Status.IN_USE if rng.random() > 0.02 else "stopped",
                    created_at=dt.datetime(ctx.year - 1, 12, 1, 9, tzinfo=TZ),
                )
            )
    return bulk_stamped(ctx, Equipment, rows)


def seed_sla(ctx):
    rules = [
        SlaRule(
            center=ctx.center,
            category=category,
            urgency=urgency,
            response_hours=DEFAULT_SLA[urgency][0],
            completion_hours=DEFAULT_SLA[urgency][1],
            around_the_clock=DEFAULT_SLA[urgency][2],
        )
        for category in Category.values
        for urgency in Urgency.values
    ]
    return ctx.bulk(SlaRule, rules)


# ------------------------------------------------------------------ plans and findings
INSPECTION_AREAS = ["配电室", "食堂后厨", "地下车库", "档案室", "信息机房", "锅炉房"]
INSPECTION_CHECKLIST = [
    {"key": "clear", "label": "通道畅通、无杂物", "type": "bool", "required": True},
    {"key": "electric", "label": "电气线路无私拉乱接", "type": "bool", "required": True},
    {"key": "extinguisher", "label": "灭火器在位、在有效期内", "type": "bool", "required": True},
    {
        "key": "temperature",
        "label": "室内温度",
        "type": "number",
        "required": False,
        "max": 35,
        "unit": "℃",
    },
]


def seed_plans(ctx, equipment, techs):
    manager = ctx.accounts["maintenance"]
    start = dt.datetime(ctx.year, 1, 1, 9, 0, tzinfo=TZ)
    preventive = []
    for item in equipment:
        if item.kind not in (K.ELEVATOR, K.CHILLER, K.GENERATOR) or item.status != "in_use":
            continue
        rrule = {
            K.ELEVATOR: "FREQ=MONTHLY;BYMONTHDAY=10;BYHOUR=9;BYMINUTE=0",
            K.GENERATOR: "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=10;BYMINUTE=0",
            K.CHILLER: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0",
        }[item.kind]
        preventive.append(
            plan_create(
                ctx,
                target=item,
                title=f"{item.name}维保（{item.code}）"[:100],
                category=DutyPlan.Category.MAINTENANCE,
                location_text=f"{item.location}（{item.code}）"[:200],
                assignee_role=Role.TECHNICIAN,
                vendor_name=item.vendor_name,
                rrule=rrule,
                dtstart=start,
                grace_minutes=3 * 24 * 60,
                checklist=checklist_for(item.kind),
                manager=manager,
                created_by=manager,
            )
        )
    rounds = [
        plan_create(
            ctx,
            title=f"安全检查：{area}",
            category=DutyPlan.Category.SAFETY_INSPECTION,
            location_text=area,
            rrule="FREQ=MONTHLY;BYMONTHDAY=5;BYHOUR=10;BYMINUTE=0",
            dtstart=start,
            grace_minutes=24 * 60,
            checklist=INSPECTION_CHECKLIST,
            manager=manager,
            created_by=manager,
            assignees=[manager],
        )
        for area in INSPECTION_AREAS
    ]
    tech_ids = [t for t, _n in techs]
    tasks, records = year_of_tasks(ctx, preventive, doers={p.pk: tech_ids for p in preventive})

    def failures(plan, task):
        if ctx.rng.random() >= 0.2:
            return []
        item = ctx.rng.choice(INSPECTION_CHECKLIST[:3])
        return [
            {"key": item["key"], "label": item["label"], "answer": "否", "reason": "检查结果为“否”"}
        ]

    rtasks, rrecords = year_of_tasks(ctx, rounds, failures=failures)
    findings = _findings(ctx, rrecords, {t.pk: t for t in rtasks})
    return (
        len(preventive)
        + len(rounds)
        + len(tasks)
        + len(records)
        + len(rtasks)
        + len(rrecords)
        + findings
    )


def _findings(ctx, records, tasks):
    rng, manager = ctx.rng, ctx.accounts["maintenance"]
    cutoff = dt.datetime(ctx.year + 1, 1, 1, tzinfo=TZ)
    rows = []
    for record in records:
        for item in record.failed_items:
            found = record.completed_at
            deadline = found.astimezone(TZ).date() + dt.timedelta(days=rng.choice([7, 10, 15]))
            rectified = found + dt.timedelta(days=rng.uniform(1, 12))
            closed = rectified + dt.timedelta(days=rng.uniform(0.5, 3))
            status = Finding.Status.CLOSED if closed < cutoff else Finding.Status.OPEN
            if status == Finding.Status.OPEN and rectified < cutoff:
                status = Finding.Status.RECTIFIED
            rows.append(
                Finding(
                    center=ctx.center,
                    area=tasks[record.task_id].location_text,
                    description=f"{item['label']}：检查不合格",
                    responsible=manager,
                    deadline=deadline,
                    status=status,
                    rectification="已按要求整改" if status != Finding.Status.OPEN else "",
                    rectified_at=rectified if status != Finding.Status.OPEN else None,
                    closed_at=closed if status == Finding.Status.CLOSED else None,
                    closed_by=manager if status == Finding.Status.CLOSED else None,
                    duty_record_id=record.pk,
                    found_by_id=record.completed_by_id,
                    created_at=found,
                    updated_at=min(closed, cutoff) if status != Finding.Status.OPEN else found,
                )
            )
    return len(bulk_stamped(ctx, Finding, rows))


def seed(ctx) -> int:
    clock = Clock(ctx.year)
    rows = len(seed_sla(ctx))
    techs, written = seed_technicians(ctx)
    equipment = seed_equipment(ctx)
    orders, order_rows = seed_orders(ctx, clock, techs, equipment)
    plan_rows = seed_plans(ctx, equipment, techs)
    ctx.log(f"    设备 {len(equipment)} 台，维修人员 {len(techs)} 名，工单 {orders} 张")
    return rows + written + len(equipment) + orders + order_rows + plan_rows
