"""The fleet year of the scale dataset (manage.py seed_scale; see houqin/core/scale.py).

`seed(ctx)` writes the motor pool of a district (at 3,000 staff): ~40 drivers (new people of
the center's 车队 with accounts, the driver role and a Driver row, in four teams), ~60
vehicles with their 编制, a year of shifts, and ~20,000 trip requests, each with its approval
(agency leader → dispatcher, through houqin.core.approvals rows as the services leave them).
Approved requests are dispatched onto trips by a greedy dispatcher that never double-books a
vehicle or a driver (the PostgreSQL exclusion constraints hold) and uses only drivers on
shift; when nothing is free the request is marked 无车可派 with its reason. Past trips are
completed with their log (start/end odometer continuous per vehicle), disinfection records,
tolls and parking, fuel records every few hundred km and, for part of them, the requester's
rating; fuel and repair costs arrive in finance as expenditures (as fuel_record_add and
repair_record_add do).

Agency leaders decide the first approval step, so the first person of every agency is given
the agency_leader role (if another seed gave it already, nothing changes).

The tables and the motor pool are in scale_pool.py, the requests and their dispatch in
scale_dispatch.py; this module writes the year of trips and what follows from them.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Greatest, Length, LPad
from django.utils import timezone

from houqin.core.approvals.scale import ApprovalBatch
from houqin.core.duties.checklist import clean_checklist
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.recurrence import TZ
from houqin.core.duties.scale import workday_set
from houqin.core.scale import agency_leaders, at, bulk_stamped, money
from houqin.finance.models import BudgetProject, CostKind, Expenditure

from .models import (
    Driver,
    FuelRecord,
    RepairRecord,
    Trip,
    TripRequest,
    Vehicle,
)
from .scale_dispatch import (
    _plan,
)
from .scale_pool import (
    COMMENTS,
    INSURER,
    OTHER_FUEL,
    OTHER_SHOP,
    PRICE,
    SHOP,
    E,
    H,
    R,
    _drivers,
    _pick,
    _roster,
    _vehicles,
)
from .services import AFTER, BEFORE, DISINFECTION_CHECKLIST

# ------------------------------------------------------------------ the trips' year


def _log(ctx, trips, specs, now):
    """Trip logs of the completed trips: actual times, odometer continuous per vehicle, fees;
    fuel records every tank range. Returns the fuel rows (vehicle, trip index, date, litres,
    cost, station)."""
    rng = ctx.rng
    odometer = dict.fromkeys(specs)
    since_fuel = defaultdict(float)
    range_left = {}
    fuel = []
    for index, trip in sorted(enumerate(trips), key=lambda it: it[1]["starts"]):
        vehicle = trip["vehicle"]
        if trip["ends"] + 2 * H > now:
            trip["done"] = False
            continue
        trip["done"] = True
        per100, tank = specs[vehicle.pk]
        start = odometer[vehicle.pk]
        if start is None:
            start = vehicle.odometer_km
        km = Decimal(trip["km"]) + Decimal(rng.randint(0, 9)) / 10
        trip.update(start_odo=start, end_odo=start + km)
        odometer[vehicle.pk] = start + km
        trip["started"] = trip["starts"] + dt.timedelta(minutes=rng.randint(-15, 10))
        trip["ended"] = trip["ends"] + dt.timedelta(minutes=rng.randint(-30, 20))
        trip["tolls"] = money(rng.choice((0, 15, 25, 40, 60)) if trip["km"] > 80 else 0)
        trip["parking"] = money(rng.choice((0, 0, 5, 10, 10, 20)))
        since_fuel[vehicle.pk] += float(km)
        limit = range_left.setdefault(vehicle.pk, tank * rng.uniform(0.6, 0.9))
        if since_fuel[vehicle.pk] >= limit:
            amount = round(since_fuel[vehicle.pk] * per100 / 100, 2)
            price = rng.uniform(*PRICE[vehicle.energy])
            station = vehicle.fixed_fuel_station if rng.random() > 0.05 else OTHER_FUEL
            if vehicle.energy == E.ELECTRIC and station == OTHER_FUEL:
                station = "城西公共充电站"
            day = trip["ended"].astimezone(TZ).date()
            fuel.append((vehicle, index, day, money(amount), money(amount * price), station))
            since_fuel[vehicle.pk] = 0.0
            range_left[vehicle.pk] = tank * rng.uniform(0.6, 0.9)
    for vehicle in {t["vehicle"].pk: t["vehicle"] for t in trips}.values():
        if odometer[vehicle.pk] is not None:
            vehicle.odometer_km = odometer[vehicle.pk]
    return fuel


def _write_trips(ctx, trips, dispatcher_id):
    rows = []
    for i, t in enumerate(trips):
        done = t["done"]
        route = "；".join(f"区政府大院→{r['dest']}" for r in t["requests"])[:300]
        rows.append(
            Trip(
                center_id=ctx.center.pk,
                number=f"tmp{i}",
                vehicle=t["vehicle"],
                driver=t["driver"],
                starts_at=t["starts"],
                ends_at=t["ends"],
                status=Trip.Status.COMPLETED if done else Trip.Status.SCHEDULED,
                dispatched_by_id=dispatcher_id,
                route=route,
                started_at=t.get("started") if done else None,
                ended_at=t.get("ended") if done else None,
                start_odometer=t.get("start_odo") if done else None,
                end_odometer=t.get("end_odo") if done else None,
                tolls=t.get("tolls", 0) if done else 0,
                parking=t.get("parking", 0) if done else 0,
                created_at=t["dispatched"],
                updated_at=t["ended"] if done else t["dispatched"],
            )
        )
    rows = bulk_stamped(ctx, Trip, rows)
    # 派车单号 as trip_dispatch makes it: PC + year + the row id (at least 6 digits).
    text_id = Cast("id", CharField())
    Trip.objects.filter(center_id=ctx.center.pk, number__startswith="tmp").update(
        number=Concat(
            Value(f"PC{ctx.year}"),
            LPad(text_id, Greatest(Length(text_id), Value(6)), Value("0")),
            output_field=CharField(),
        )
    )
    return rows


def _write_requests(ctx, requests, trip_rows, names, now):
    rng, rows = ctx.rng, []
    for req in requests:
        person, trip = req["person"], None
        status = req["status"]
        rating = comment = rated_at = None
        updated = req["updated"]
        if req["trip"] is not None:
            trip = trip_rows[req["trip"]]
            if trip.status == Trip.Status.COMPLETED:
                status, updated = R.COMPLETED, trip.ended_at
                if rng.random() < 0.55:
                    rating = _pick(rng, [(5, 60), (4, 29), (3, 8), (2, 2), (1, 1)])
                    comment = rng.choice(COMMENTS) if rating >= 4 else "希望更准时"
                    rated_at = min(trip.ended_at + rng.uniform(0.5, 48) * H, now)
                    updated = rated_at
        req["final"] = status
        people = req["people"]
        rows.append(
            TripRequest(
                center_id=ctx.center.pk,
                requester_id=person.user_id,
                agency_id=person.agency_id,
                purpose=req["purpose"][:200],
                origin="区政府大院",
                destination=req["dest"],
                passengers=people,
                passenger_names=f"{names.get(person.user_id, '')}等 {people} 人"
                if people > 1
                else names.get(person.user_id, ""),
                departs_at=req["departs"],
                returns_at=req["returns"],
                status=status,
                trip=trip,
                unmet_reason=req.get("unmet_reason", ""),
                rating=rating,
                rating_comment=comment or "",
                rated_at=rated_at,
                created_at=req["created"],
                updated_at=updated,
            )
        )
    return bulk_stamped(ctx, TripRequest, rows)


def _approvals(ctx, requests, rows):
    batch = ApprovalBatch(ctx, "fleet.trip", TripRequest)
    for req, row in zip(requests, rows, strict=True):
        decisions, end = req["approval"]
        batch.add(
            row.pk,
            requester_id=row.requester_id,
            agency_id=row.agency_id,
            title=f"用车：{row.purpose[:60]}",
            summary=f"{row.departs_at.astimezone(TZ):%m-%d %H:%M} 区政府大院→{row.destination}，"
            f"{row.passengers} 人",
            at=req["created"],
            decisions=decisions,
            end=end,
        )
    return batch.write()


def _disinfection(ctx, trip_rows, dispatcher_id):
    """出车前/收车后消毒 tasks of every trip, assigned to its driver; done at start and end."""
    checklist = clean_checklist(DISINFECTION_CHECKLIST)
    target_type = ContentType.objects.get_for_model(Trip).pk
    driver_user = dict(Driver.objects.filter(center=ctx.center).values_list("pk", "user_id"))
    tasks, done_at = [], []
    for trip in trip_rows:
        done = trip.status == Trip.Status.COMPLETED
        for title, due, finished in (
            (BEFORE, trip.starts_at, trip.started_at),
            (AFTER, trip.ends_at, trip.ended_at),
        ):
            task = DutyTask(
                center_id=trip.center_id,
                title=f"{title}：{trip.vehicle.plate}",
                category=DutyPlan.Category.DISINFECTION,
                location_text=trip.vehicle.fixed_parking,
                target_type_id=target_type,
                target_id=trip.pk,
                due_at=due,
                late_after=due + H,
                checklist=checklist,
                created_by_id=dispatcher_id,
                created_at=trip.created_at,
                updated_at=finished if done else trip.created_at,
            )
            if done:
                task.status, task.completed_at = DutyTask.Status.DONE, finished
                task.reminded_at = min(due, finished)
            tasks.append(task)
            done_at.append(finished if done else None)
    tasks = bulk_stamped(ctx, DutyTask, tasks)
    through = DutyTask.assignees.through
    users = [driver_user[trip.driver_id] for trip in trip_rows for _ in (0, 1)]
    ctx.bulk(
        through,
        (through(dutytask_id=t.pk, user_id=u) for t, u in zip(tasks, users, strict=True)),
    )
    records = [
        DutyRecord(
            center_id=task.center_id,
            task_id=task.pk,
            completed_by_id=user,
            completed_at=finished,
            answers={"done": True},
            on_time=finished <= task.late_after,
            created_at=finished,
        )
        for task, user, finished in zip(tasks, users, done_at, strict=True)
        if finished is not None
    ]
    bulk_stamped(ctx, DutyRecord, records)
    return len(tasks) * 2 + len(records)


def _expenditures(ctx, kind, label, rows, purpose):
    """The finance side of fuel and repair costs (cost_record, in bulk)."""
    project = BudgetProject.objects.filter(center=ctx.center, year=ctx.year, cost_kind=kind).first()
    bulk_stamped(
        ctx,
        Expenditure,
        [
            Expenditure(
                center_id=ctx.center.pk,
                project=project,
                date=row.date,
                amount=row.cost,
                payee=(row.station if label == "fleet.fuelrecord" else row.shop)[:100],
                purpose=purpose(row)[:200],
                status=Expenditure.Status.RECORDED,
                cost_kind=kind,
                source_label=label,
                source_id=row.pk,
                recorded_by_id=row.recorded_by_id,
                created_at=at(row.date, 17),
            )
            for row in rows
            if row.cost > 0
        ],
    )
    return len(rows)


def _fuel(ctx, fuel, trip_rows, driver_user):
    rows = [
        FuelRecord(
            center_id=ctx.center.pk,
            vehicle=vehicle,
            date=day,
            liters=litres,
            cost=cost,
            station=station,
            off_fixed_station=station != vehicle.fixed_fuel_station,
            trip=trip_rows[index],
            recorded_by_id=driver_user[trip_rows[index].driver_id],
            created_at=trip_rows[index].ended_at,
        )
        for vehicle, index, day, litres, cost, station in fuel
    ]
    rows = bulk_stamped(ctx, FuelRecord, rows)
    plate = {v.pk: v.plate for v, *_rest in fuel}
    return len(rows) + _expenditures(
        ctx,
        CostKind.VEHICLE_FUEL,
        "fleet.fuelrecord",
        rows,
        lambda r: f"{plate[r.vehicle_id]} 加油/充电",
    )


def _repairs(ctx, vehicles, dispatcher_id):
    """Two services (保养) a year, now and then a repair, the yearly insurance."""
    rng, workdays, rows = ctx.rng, sorted(workday_set(ctx)), []
    K = RepairRecord.Kind
    for v in vehicles:
        big = v.seats > 9
        jobs = [(K.MAINTENANCE, "定期保养", rng.randint(400, 1500)) for _ in range(2)]
        jobs += [(K.INSURANCE, "交强险及商业险", rng.randint(6000, 12000) if big else 4500)]
        for _n in range(rng.choice((0, 0, 1, 1, 2))):
            jobs.append((K.REPAIR, rng.choice(("更换刹车片", "更换轮胎", "空调维修")), 0))
        for kind, text, cost in jobs:
            cost = cost or rng.randint(300, 6000)
            shop = INSURER if kind == K.INSURANCE else SHOP
            if kind == K.REPAIR and rng.random() < 0.1:
                shop = OTHER_SHOP
            day = rng.choice(workdays)
            rows.append(
                RepairRecord(
                    center_id=ctx.center.pk,
                    vehicle=v,
                    kind=kind,
                    date=day,
                    shop=shop,
                    description=text,
                    cost=money(cost),
                    off_fixed_shop=kind != K.INSURANCE and shop != v.fixed_repair_shop,
                    recorded_by_id=dispatcher_id,
                    created_at=at(day, 16),
                )
            )
    rows = bulk_stamped(ctx, RepairRecord, rows)
    plate = {v.pk: v.plate for v in vehicles}
    return len(rows) + _expenditures(
        ctx,
        CostKind.VEHICLE_REPAIR,
        "fleet.repairrecord",
        rows,
        lambda r: f"{plate[r.vehicle_id]} {r.get_kind_display()}：{r.description}",
    )


def seed(ctx) -> int:
    now = timezone.now()
    dispatcher_id = ctx.accounts["dispatcher"].pk
    setup_at = at(ctx.first_day, 9) - dt.timedelta(days=90)
    drivers, names, rows = _drivers(ctx, setup_at)
    vehicles, specs, quota_rows = _vehicles(ctx, drivers, setup_at)
    on_duty, shift_rows = _roster(ctx, drivers)
    leaders = agency_leaders(ctx)
    requesters = [p for p in ctx.people if p.user_id not in set(leaders.values())]
    for p in ctx.people:
        names.setdefault(p.user_id, p.name)
    requests, trips = _plan(ctx, vehicles, on_duty, leaders, requesters, dispatcher_id)
    fuel = _log(ctx, trips, specs, now)
    Vehicle.objects.bulk_update(vehicles, ["odometer_km"])
    trip_rows = _write_trips(ctx, trips, dispatcher_id)
    request_rows = _write_requests(ctx, requests, trip_rows, names, now)
    approval_rows = _approvals(ctx, requests, request_rows)
    task_rows = _disinfection(ctx, trip_rows, dispatcher_id)
    driver_user = {d.pk: d.user_id for d in drivers}
    fuel_rows = _fuel(ctx, fuel, trip_rows, driver_user)
    repair_rows = _repairs(ctx, vehicles, dispatcher_id)
    counts = defaultdict(int)
    for req in requests:
        counts[req["final"]] += 1
    ctx.log(
        f"    驾驶员 {len(drivers)} 名，车辆 {len(vehicles)} 辆，用车申请 {len(requests)} 条"
        f"（完成 {counts[R.COMPLETED]}，无车可派 {counts[R.UNMET]}，未批准 {counts[R.REJECTED]}，"
        f"取消 {counts[R.CANCELLED]}），派车单 {len(trip_rows)} 张，加油 {len(fuel)} 次"
    )
    return (
        rows
        + len(vehicles)
        + quota_rows
        + shift_rows
        + len(trip_rows)
        + len(request_rows)
        + approval_rows
        + task_rows
        + fuel_rows
        + repair_rows
    )
