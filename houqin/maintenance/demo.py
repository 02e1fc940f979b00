"""Demo maintenance for the demo center (seed_demo): SLA rules, the equipment register of the
seed report, and about 25 repair work orders of the last two months.

`seed(center, *, actor=None, now=None)` is idempotent: SLA rules by (category, urgency) — only
missing cells are written, an edited rule is left alone —, equipment by code, and the work
orders only while the center has no reported work order at all, so a second run (or one on a
later day) writes nothing.

Everything goes through the services, with an injected `now`: each order is reported on a past
workday (counted back from `now` on the workday calendar), then assigned by the demo manager
"maintenance" to the demo technician "technician" (the elevator faults to the elevator vendor),
accepted, started, finished with materials and a completion note, confirmed and rated by its
reporter ("staff", "liaison", "juzhang" and the other demo logins) and closed; the recent ones
are left at each stage of the board, a few of them past their deadline. Preventive plans are
not made here (see services.equipment and the duties demo).
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.core.duties.recurrence import TZ, local_today
from houqin.core.workdays.calendar import workdays_between
from houqin.org.scoping import user_person

from .demo_data import EQUIPMENT, ORDERS
from .models import Category, Equipment, SlaRule, Urgency, WorkOrder
from .services import equipment as equipment_services
from .services import sla as sla_services
from .services import work_orders as wo

STEPS = {
    "new": [],
    "cancelled": ["cancel"],
    "merged": ["merge"],
    "assigned": ["assign"],
    "accepted": ["assign", "accept"],
    "in_progress": ["assign", "accept", "start"],
    "waiting_parts": ["assign", "accept", "start", "wait_parts"],
    "done": ["assign", "accept", "start", "finish"],
    "confirmed": ["assign", "accept", "start", "finish", "confirm"],
    "closed": ["assign", "accept", "start", "finish", "confirm", "close"],
}


def _users(center):
    names = {o["by"] for o in ORDERS} | {"maintenance", "technician"}
    return {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=names, center_id=center.pk, is_active=True)
        .select_related("person")
    }


def seed_sla_rules(center, manager):
    """The default limits of every category and urgency, as the center's own rules."""
    existing = set(SlaRule.objects.filter(center=center).values_list("category", "urgency"))
    created = []
    for category in Category.values:
        for urgency in Urgency.values:
            if (category, urgency) in existing:
                continue
            response, completion, clock = wo.DEFAULT_SLA[urgency]
            created.append(
                sla_services.sla_rule_save(
                    actor=manager,
                    center=center,
                    category=category,
                    urgency=urgency,
                    response_hours=response,
                    completion_hours=completion,
                    around_the_clock=clock,
                )
            )
    return created


def seed_equipment(center, manager, today):
    existing = {
        c.upper() for c in Equipment.objects.filter(center=center).values_list("code", flat=True)
    }
    created = []
    for i, (code, kind, name, location, model, maker, vendor, years, notes) in enumerate(EQUIPMENT):
        if code.upper() in existing:
            continue
        installed = dt.date(today.year - years, 1 + (i * 5) % 12, 10 + i)
        created.append(
            equipment_services.equipment_create(
                actor=manager,
                center=center,
                kind=kind,
                name=name,
                code=code,
                location=location,
                model=model,
                manufacturer=maker,
                vendor_name=vendor,
                install_date=installed,
                warranty_until=dt.date(installed.year + 2, installed.month, installed.day),
                contract_no=f"WB-{today.year}-{i + 1:03d}" if vendor else "",
                contract_until=dt.date(today.year + 1, 3 + i % 9, 28) if vendor else None,
                notes=notes,
            )
        )
    return created


def _past_workdays(today, count):
    """The `count` workdays before `today`, the nearest first."""
    days = workdays_between(today - dt.timedelta(days=count * 2 + 40), today - dt.timedelta(days=1))
    return list(reversed(days))[:count]


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def _run(spec, order, users, manager, tech, t0, kept):
    """Take a freshly reported order through the steps of its final stage."""
    reporter = users.get(spec["by"]) or users["staff"]
    finish_at = t0 + dt.timedelta(hours=spec.get("fix", 2))
    for step in STEPS[spec["end"]]:
        if step == "cancel":
            order = wo.work_order_cancel(
                actor=reporter,
                order=order,
                reason=spec.get("reason", ""),
                now=t0 + dt.timedelta(minutes=40),
            )
        elif step == "merge":
            order = wo.work_order_merge(
                actor=manager, order=order, into=kept, now=t0 + dt.timedelta(minutes=15)
            )
        elif step == "assign":
            vendor = spec.get("vendor", "")
            order = wo.work_order_assign(
                actor=manager,
                order=order,
                assignee=None if vendor else tech,
                vendor_name=vendor,
                now=t0 + dt.timedelta(minutes=10),
            )
        elif step == "accept":
            order = wo.work_order_accept(
                actor=manager if spec.get("vendor") else tech,
                order=order,
                now=t0 + dt.timedelta(minutes=20),
            )
        elif step == "start":
            worker = manager if spec.get("vendor") else tech
            order = wo.work_order_start(
                actor=worker, order=order, now=t0 + dt.timedelta(minutes=45)
            )
            if spec.get("parts"):
                order = wo.work_order_wait_parts(
                    actor=worker,
                    order=order,
                    note=spec["parts"],
                    now=t0 + dt.timedelta(hours=1, minutes=30),
                )
                if spec["end"] != "waiting_parts":
                    order = wo.work_order_start(
                        actor=worker, order=order, now=finish_at - dt.timedelta(hours=2)
                    )
        elif step == "wait_parts":
            continue  # done with "start" above
        elif step == "finish":
            worker = manager if spec.get("vendor") else tech
            for name, spec_text, qty, unit, price in spec.get("mats", []):
                order = wo.work_order_add_material(
                    actor=worker,
                    order=order,
                    name=name,
                    spec=spec_text,
                    quantity=Decimal(qty),
                    unit=unit,
                    unit_price=Decimal(price),
                    now=finish_at - dt.timedelta(minutes=10),
                )
            order = wo.work_order_finish(
                actor=worker,
                order=order,
                note=spec["note"],
                labor_cost=Decimal(spec.get("labor", "0")),
                now=finish_at,
            )
        elif step == "confirm":
            order = wo.work_order_confirm(
                actor=reporter,
                order=order,
                rating=spec["rate"],
                comment=spec.get("comment", ""),
                now=finish_at + dt.timedelta(hours=18),
            )
        elif step == "close":
            order = wo.work_order_close(
                actor=manager, order=order, now=finish_at + dt.timedelta(hours=20)
            )
    return order


def seed_orders(center, users, now):
    manager, tech = users["maintenance"], users["technician"]
    today = local_today(now)
    days = _past_workdays(today, max(o["ago"] for o in ORDERS))
    equipment = {e.code: e for e in Equipment.objects.filter(center=center)}
    created = []
    kept = None  # the order a duplicate report is merged into
    for spec in ORDERS:
        reporter = users.get(spec["by"]) or users["staff"]
        t0 = _at(days[spec["ago"] - 1], *spec["at"])
        building, floor, room, text = spec["where"]
        person = user_person(reporter)
        order = wo.work_order_report(
            actor=reporter,
            category=spec["cat"],
            urgency=spec["urg"],
            description=spec["desc"],
            building=building,
            floor=floor,
            room=room,
            location_text=text,
            phone=person.phone if person is not None else "",
            equipment=equipment.get(spec.get("eq")),
            now=t0,
        )
        # The row's own stamp is the seeding time; the demo order was reported at t0 (the
        # board, the date filters and the figures count orders by when they were reported).
        WorkOrder.objects.filter(pk=order.pk).update(created_at=t0)
        order = _run(spec, order, users, manager, tech, t0, kept)
        if spec["end"] == "waiting_parts":
            kept = order
        created.append(order)
    return created


def seed(center, *, actor=None, now=None):
    """Create what is missing; returns the objects created. Needs the demo logins
    "maintenance" (manager), "technician" and "staff" in `center`; without them nothing is
    written."""
    users = _users(center)
    if not {"maintenance", "technician", "staff"} <= set(users):
        return []
    now = now or timezone.now()
    manager = actor if actor is not None else users["maintenance"]
    created = seed_sla_rules(center, manager)
    created += seed_equipment(center, manager, local_today(now))
    created += seed_plans(center, manager, users, now)
    if WorkOrder.objects.filter(center=center, source=WorkOrder.Source.REPORT).exists():
        return created
    created += seed_orders(center, {**users, "maintenance": manager}, now)
    return created


def seed_plans(center, manager, users, now):
    """Preventive plans for the elevators and chillers (one per piece of equipment), and a
    monthly safety-inspection round of the power distribution room with a named responsible
    person (keyed by title)."""
    from django.contrib.contenttypes.models import ContentType

    from houqin.core.duties.models import DutyPlan

    from .services import findings as finding_services

    existing = set(DutyPlan.objects.filter(center=center).values_list("title", flat=True))
    planned = set(
        DutyPlan.objects.filter(
            center=center,
            category=DutyPlan.Category.MAINTENANCE,
            target_type=ContentType.objects.get_for_model(Equipment),
        ).values_list("target_id", flat=True)
    )
    start = dt.datetime(local_today(now).year, 1, 1, 9, 0, tzinfo=TZ)
    created = []
    for item in Equipment.objects.filter(
        center=center, kind__in=[Equipment.Kind.ELEVATOR, Equipment.Kind.CHILLER]
    ).order_by("code"):
        title = f"{item.name}维保（{item.code}）"[:100]
        if item.pk in planned or title in existing:
            continue
        monthly = item.kind == Equipment.Kind.ELEVATOR
        created.append(
            equipment_services.maintenance_plan_create(
                actor=manager,
                equipment=item,
                title=title,
                rrule="FREQ=MONTHLY;BYMONTHDAY=10;BYHOUR=9;BYMINUTE=0"
                if monthly
                else "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0",
                dtstart=start,
                checklist=equipment_services.checklist_for(item.kind),
                vendor_name=item.vendor_name,
                now=now,
            )
        )
    title = "安全检查：配电室"
    if title not in existing:
        created.append(
            finding_services.inspection_plan_create(
                actor=manager,
                center=center,
                area="配电室",
                responsible=users["maintenance"],
                title=title,
                rrule="FREQ=MONTHLY;BYMONTHDAY=5;BYHOUR=10;BYMINUTE=0",
                dtstart=start,
                checklist=[
                    {
                        "key": "labels",
                        "label": "配电柜标识清晰、单线图上墙",
                        "type": "bool",
                        "required": True,
                    },
                    {
                        "key": "clear",
                        "label": "柜前通道畅通、无杂物",
                        "type": "bool",
                        "required": True,
                    },
                    {
                        "key": "extinguisher",
                        "label": "灭火器在位、在有效期内",
                        "type": "bool",
                        "required": True,
                    },
                    {
                        "key": "temperature",
                        "label": "室内温度",
                        "type": "number",
                        "required": False,
                        "max": 35,
                        "unit": "℃",
                    },
                ],
                now=now,
            )
        )
    return created
