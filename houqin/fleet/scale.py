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
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Greatest, Length, LPad
from django.utils import timezone

from houqin.core.duties.checklist import clean_checklist
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.recurrence import TZ
from houqin.core.duties.scale import bulk_stamped, workday_set
from houqin.core.roles import Role
from houqin.finance.models import BudgetProject, CostKind, Expenditure
from houqin.meetings.scale import ApprovalBatch
from houqin.org.models import Person, RoleAssignment, User

from .models import (
    Driver,
    DriverShift,
    DriverTeam,
    FuelRecord,
    RepairRecord,
    Trip,
    TripRequest,
    Vehicle,
    VehicleQuota,
)
from .services import AFTER, BEFORE, DISINFECTION_CHECKLIST

R = TripRequest.Status
C, E = Vehicle.Category, Vehicle.Energy
H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)
GAP = dt.timedelta(minutes=15)  # between two trips of a vehicle or driver
TEAMS = ["一班", "二班", "三班", "四班"]
FUEL, CHARGE, SHOP, PARKING = (
    "中石化城东加油站",
    "城东充电站",
    "区机关汽车修理厂",
    "区政府大院停车场",
)
OTHER_FUEL, OTHER_SHOP = "中石油城西加油站", "城西汽车维修中心"
INSURER = "中国人保财险区支公司"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐韦覃莫蒙陆卢潘"
GIVEN = "伟强磊军洋勇杰涛明超刚华文辉建国志宏海鹏飞"

# model, energy, seats, displacement, price, litres (kWh) per 100 km, tank range km
MODELS = {
    "sedan": [
        ("大众帕萨特 1.8T", E.GASOLINE, 5, "1.8", 179800, 8.5, 500),
        ("丰田凯美瑞 2.0", E.GASOLINE, 5, "2.0", 175800, 8.0, 550),
        ("比亚迪汉 EV", E.ELECTRIC, 5, None, 209800, 15.5, 350),
        ("比亚迪秦PLUS DM-i", E.HYBRID, 5, "1.5", 129800, 4.6, 700),
        ("吉利星越L 雷神Hi·P", E.HYBRID, 5, "1.5", 169700, 5.2, 650),
        ("大众迈腾 1.4T", E.GASOLINE, 5, "1.4", 169900, 7.5, 550),
        ("比亚迪e6 纯电动", E.ELECTRIC, 5, None, 309800, 17.0, 300),
    ],
    "mpv": [("别克GL8 2.0T", E.GASOLINE, 7, "2.0", 229900, 10.5, 500)],
    "van": [
        ("金杯海狮 2.0", E.GASOLINE, 11, "2.0", 136800, 12.0, 450),
        ("江铃全顺 应急保障车", E.DIESEL, 9, "2.2", 189000, 10.0, 600),
    ],
    "bus": [("宇通 ZK6729 中巴", E.DIESEL, 23, "3.8", 398000, 18.0, 500)],
    "pickup": [("长城炮 皮卡", E.DIESEL, 5, "2.0", 139800, 9.5, 600)],
}
# A district's pool: mostly sedans, some MPVs and vans, a bus, emergency pick-ups.
FLEET_CYCLE = ["sedan", "mpv", "van", "sedan", "sedan", "pickup", "sedan", "mpv", "sedan"]
FLEET_CYCLE += ["bus", "sedan", "van", "sedan", "sedan", "mpv", "sedan", "pickup", "sedan"]
FLEET_CYCLE += ["van", "sedan"]
PRICE = {E.GASOLINE: (7.55, 8.15), E.HYBRID: (7.55, 8.15), E.DIESEL: (7.15, 7.65)}
PRICE[E.ELECTRIC] = (1.05, 1.45)

# destination, round trip km (low, high), shortest trip in hours
DESTINATIONS = [
    ("区政务服务中心", 6, 16, 1),
    ("区人民医院", 6, 14, 1),
    ("区应急指挥中心", 8, 18, 1),
    ("工业园区管委会", 15, 30, 2),
    ("城东镇政府", 25, 45, 2),
    ("城西镇政府", 30, 50, 2),
    ("南山乡政府", 50, 80, 3),
    ("北流村委会", 40, 70, 3),
    ("高新区项目工地", 20, 40, 2),
    ("市政府", 90, 130, 4),
    ("市财政局", 90, 130, 4),
    ("市政务服务中心", 90, 130, 4),
    ("省政府", 260, 340, 9),
]
DEST_WEIGHTS = [10, 5, 4, 7, 8, 7, 5, 5, 5, 7, 6, 5, 1]
PURPOSES = [
    "赴{d}报送材料",
    "赴{d}参加会议",
    "陪同检查组到{d}督查",
    "到{d}开展调研",
    "到{d}开展业务指导",
    "赴{d}对接工作",
    "到{d}开展专项检查",
]
EMERGENCY = ["应急值守巡查", "防汛抢险现场处置", "突发事件现场处置", "节假日安全检查"]
STARTS = [(8, 0, 10), (8, 30, 15), (9, 0, 15), (9, 30, 10), (10, 0, 8), (10, 30, 5)]
STARTS += [(13, 30, 6), (14, 0, 10), (14, 30, 8), (15, 0, 6), (15, 30, 4), (16, 0, 3)]
REJECT_LEADER = ["可乘坐公共交通前往", "请与同批人员合并出行", "事由不够具体，请补充"]
REJECT_DISPATCH = ["该时段车辆紧张，请调整出行时间"]
CANCEL = ["行程取消", "会议改期", "改为线上办理", "已自行解决"]
COMMENTS = ["驾驶员准时、安全", "服务热情，车辆整洁", "", "", "驾驶平稳"]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def _money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


# ------------------------------------------------------------------ people, pool, roster


def _prefix(ctx):
    return "s" + ctx.center.code.rsplit("-", 1)[-1].lower()


def _drivers(ctx, setup_at):
    """New people of the 车队 with accounts (driver + staff roles) and their Driver rows."""
    rng, count = ctx.rng, max(4, ctx.scaled(40))
    prefix, unusable = _prefix(ctx), make_password(None)
    users = ctx.bulk(
        User,
        (
            User(
                username=f"{prefix}siji{i + 1:03d}",
                center=ctx.center,
                password=unusable,
                must_change_password=False,
            )
            for i in range(count)
        ),
    )
    ctx.bulk(
        RoleAssignment,
        (
            RoleAssignment(user=u, center=ctx.center, role=role)
            for u in users
            for role in (Role.DRIVER, Role.STAFF)
        ),
    )
    people = ctx.bulk(
        Person,
        (
            Person(
                center=ctx.center,
                agency=ctx.center,
                section=ctx.center_sections["CD"],
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)),
                gender="M",
                position="驾驶员",
                employment_type=rng.choice(
                    (Person.EmploymentType.CIVIL, Person.EmploymentType.CONTRACT)
                ),
                phone=f"166{ctx.center.pk % 100:02d}{i:06d}",
                user=u,
            )
            for i, u in enumerate(users)
        ),
    )
    teams = bulk_stamped(
        ctx,
        DriverTeam,
        [DriverTeam(center=ctx.center, name=n, created_at=setup_at) for n in TEAMS],
    )
    drivers = bulk_stamped(
        ctx,
        Driver,
        [
            Driver(
                center=ctx.center,
                user=u,
                team=teams[i % len(teams)],
                licence_class="A1" if i % 3 == 0 else "B2",
                licence_expiry=dt.date(ctx.year + 2 + i % 5, 1 + i % 12, 15),
                created_at=setup_at,
            )
            for i, u in enumerate(users)
        ],
    )
    for team in teams:
        team.team_leader = next(d for d in drivers if d.team_id == team.pk)
    DriverTeam.objects.bulk_update(teams, ["team_leader"])
    names = {p.user_id: p.name for p in people}
    return drivers, names, len(users) * 4 + len(teams)


def _vehicles(ctx, drivers, setup_at):
    rng, count = ctx.rng, max(4, ctx.scaled(60))
    rows, specs = [], []
    for i in range(count):
        kind = FLEET_CYCLE[i % len(FLEET_CYCLE)]
        model, energy, seats, disp, price, per100, tank = rng.choice(MODELS[kind])
        if i == 0 or i % 20 == 13:
            category = C.CONFIDENTIAL
        elif kind == "pickup" or "应急" in model:
            category = C.EMERGENCY
        elif i % 20 == 7:
            category = C.ENFORCEMENT
        else:
            category = C.OTHER
        bought = dt.date(ctx.year - rng.randint(1, 9), rng.randint(1, 12), 10)
        age = (ctx.first_day - bought).days / 365
        rows.append(
            Vehicle(
                center=ctx.center,
                plate=f"桂K·G{i + 1:04d}",
                brand_model=model,
                category=category,
                energy=energy,
                seats=seats,
                displacement=Decimal(disp) if disp else None,
                purchase_price=Decimal(price),
                purchase_date=bought,
                funding_source="财政拨款",
                owner_agency=ctx.center,
                fixed_parking=PARKING,
                fixed_fuel_station=CHARGE if energy == E.ELECTRIC else FUEL,
                fixed_repair_shop=SHOP,
                responsible_driver=drivers[i % len(drivers)],
                insurance_expiry=dt.date(ctx.year + 1, 1 + i % 12, 1 + i % 28),
                inspection_expiry=dt.date(ctx.year + 1, 1 + (i * 5) % 12, 1 + i % 28),
                odometer_km=Decimal(round(age * rng.uniform(12000, 22000))),
                created_at=setup_at,
            )
        )
        specs.append((per100, tank))
    vehicles = bulk_stamped(ctx, Vehicle, rows)
    actual = defaultdict(int)
    for v in vehicles:
        actual[v.category] += 1
    quotas = bulk_stamped(
        ctx,
        VehicleQuota,
        [
            VehicleQuota(
                center=ctx.center,
                agency=ctx.center,
                category=category,
                quota=n + (rng.randint(1, 4) if category == C.OTHER else 0),
                created_at=setup_at,
            )
            for category, n in actual.items()
        ],
    )
    return vehicles, dict(zip([v.pk for v in vehicles], specs, strict=True)), len(quotas)


def _roster(ctx, drivers):
    """Day shifts on workdays (less ~8 days of leave each), two drivers on standby on every
    other day. Returns ({day: [driver]}, rows written)."""
    rng, on_duty, shifts = ctx.rng, defaultdict(list), []
    workdays = set(ctx.workdays())
    leave = {d.pk: set(rng.sample(sorted(workdays), k=min(8, len(workdays)))) for d in drivers}
    turn = 0
    for day in ctx.days():
        if day in workdays:
            crew = [d for d in drivers if day not in leave[d.pk]]
            kind = DriverShift.Kind.DAY
        else:
            crew = [drivers[(turn + k) % len(drivers)] for k in range(min(2, len(drivers)))]
            turn += 2
            kind = DriverShift.Kind.STANDBY
        on_duty[day] = crew
        created = _at(day, 9) - dt.timedelta(days=7)
        shifts += [
            DriverShift(center=ctx.center, driver=d, date=day, kind=kind, created_at=created)
            for d in crew
        ]
    bulk_stamped(ctx, DriverShift, shifts)
    return on_duty, len(shifts)


def _agency_leaders(ctx):
    """{agency id: user id} — the first person of each agency leads it (部门负责人)."""
    leaders = {}
    for person in ctx.people:
        leaders.setdefault(person.agency_id, person.user_id)
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user_id=u, center=ctx.center, role=Role.AGENCY_LEADER)
            for u in leaders.values()
        ],
        ignore_conflicts=True,
    )
    return leaders


# ------------------------------------------------------------------ requests and dispatch


def _request_specs(ctx, requesters):
    """The year's requests, by departure: [departs, returns, destination, km, purpose,
    passengers, requester, emergency] — emergencies (应急) on the days off, 3 %."""
    rng, total = ctx.rng, ctx.scaled(20000)
    workdays = sorted(workday_set(ctx))
    rest = [d for d in ctx.days() if d not in workday_set(ctx)]
    specs = []
    emergencies = round(total * 0.03) if rest else 0
    for _i in range(emergencies):
        day = rng.choice(rest)
        hour = rng.randint(8, 16)
        departs = _at(day, hour)
        dest, low, high, _hours = rng.choice(DESTINATIONS[:9])
        specs.append((departs, departs + rng.randint(2, 4) * H, dest, rng.randint(low, high)))
    per_day = (total - emergencies) / len(workdays)
    carry = 0.0
    for day in workdays:
        carry += per_day
        wanted, carry = int(carry), carry - int(carry)
        for _n in range(wanted):
            dest, low, high, hours = _pick(rng, zip(DESTINATIONS, DEST_WEIGHTS, strict=True))
            if hours >= 9:
                departs = _at(day, 7, rng.choice((0, 30)))
            else:
                hour, minute = _pick(rng, [((h, m), w) for h, m, w in STARTS])
                departs = _at(day, hour, minute)
            length = hours + rng.choice((0, 0, 0.5, 1, 1, 2, 3))
            returns = min(departs + dt.timedelta(hours=length), _at(day, 20, 30))
            if returns - departs < dt.timedelta(hours=hours):
                continue  # too late in the day for that destination
            specs.append((departs, returns, dest, rng.randint(low, high)))
    result = []
    for departs, returns, dest, km in specs:
        person = rng.choice(requesters)
        emergency = departs.date() not in workday_set(ctx)
        purpose = rng.choice(EMERGENCY) if emergency else rng.choice(PURPOSES).format(d=dest)
        passengers = _pick(rng, [(1, 30), (2, 30), (3, 20), (4, 10), (6, 5), (9, 3), (15, 2)])
        result.append([departs, returns, dest, km, purpose, passengers, person, emergency])
    result.sort(key=lambda r: (r[0], r[1]))
    return result


class Dispatcher:
    """Greedy dispatch: the smallest free vehicle that seats everyone, the least-used free
    driver on shift; busy spans per vehicle and driver (and day) keep GAP between trips."""

    def __init__(self, vehicles, on_duty):
        self.vehicles = sorted(vehicles, key=lambda v: (v.seats, v.pk))
        self.on_duty = on_duty
        self.busy = defaultdict(list)  # (kind, pk, day) → [(start, end)]
        self.load = defaultdict(int)

    def _free(self, key, start, end):
        return all(e + GAP <= start or end + GAP <= s for s, e in self.busy[key])

    def assign(self, rng, starts, ends, passengers):
        day = starts.astimezone(TZ).date()
        fitting = [v for v in self.vehicles if v.seats - 1 >= passengers]
        if not fitting:
            return None, "无满足乘车人数的车辆"
        free = [v for v in fitting if self._free(("v", v.pk, day), starts, ends)]
        if not free:
            return None, "该时段车辆已全部派出"
        smallest = free[0].seats
        vehicle = min(
            (v for v in free if v.seats == smallest),
            key=lambda v: (self.load[("v", v.pk)], rng.random()),
        )
        drivers = [
            d for d in self.on_duty.get(day, ()) if self._free(("d", d.pk, day), starts, ends)
        ]
        if not drivers:
            return None, "驾驶员已全部出车"
        driver = min(drivers, key=lambda d: (self.load[("d", d.pk)], rng.random()))
        for key in (("v", vehicle.pk, day), ("d", driver.pk, day)):
            self.busy[key].append((starts, ends))
            self.load[key[:2]] += 1
        return (vehicle, driver), ""


def _decide(ctx, req, leader_id, dispatcher_id):
    """The approval path of one request: fills req["approval"], req["status"], times."""
    rng = ctx.rng
    departs = req["departs"]
    lead = dt.timedelta(hours=rng.uniform(0.5, 3)) if req["emergency"] else rng.uniform(3, 72) * H
    submitted = departs - lead
    t1 = submitted + lead * rng.uniform(0.05, 0.3)
    t2 = t1 + lead * rng.uniform(0.05, 0.3)
    req.update(created=submitted, dispatched=t2 + lead * rng.uniform(0.02, 0.2))
    roll = rng.random()
    if roll < 0.02:
        comment = rng.choice(CANCEL)
        req.update(status=R.CANCELLED, updated=t1, approval=([], ("cancelled", t1, comment)))
    elif roll < 0.045:
        comment = rng.choice(REJECT_LEADER)
        decisions = [(leader_id, "reject", t1, comment)]
        req.update(status=R.REJECTED, updated=t1, approval=(decisions, ("rejected",)))
    elif roll < 0.05:
        comment = rng.choice(REJECT_DISPATCH)
        decisions = [(leader_id, "approve", t1, "同意"), (dispatcher_id, "reject", t2, comment)]
        req.update(status=R.REJECTED, updated=t2, approval=(decisions, ("rejected",)))
    else:
        decisions = [(leader_id, "approve", t1, "同意"), (dispatcher_id, "approve", t2, "同意")]
        req.update(status=R.APPROVED, updated=t2, approval=(decisions, ("approved",)))
        if roll < 0.065:  # approved, then the requester called it off before departure
            req.update(status=R.CANCELLED, updated=t2 + (departs - t2) * rng.random())


def _plan(ctx, vehicles, on_duty, leaders, requesters, dispatcher_id):
    rng = ctx.rng
    desk = Dispatcher(vehicles, on_duty)
    requests, trips = [], []
    for departs, returns, dest, km, purpose, people, person, emergency in _request_specs(
        ctx, requesters
    ):
        req = {
            "departs": departs,
            "returns": returns,
            "dest": dest,
            "purpose": purpose,
            "people": people,
            "person": person,
            "emergency": emergency,
            "trip": None,
        }
        _decide(ctx, req, leaders[person.agency_id], dispatcher_id)
        requests.append(req)
        if req["status"] != R.APPROVED:
            continue
        picked, reason = desk.assign(rng, departs, returns, people)
        if picked is None:
            req.update(status=R.UNMET, unmet_reason=reason, updated=req["dispatched"])
            continue
        vehicle, driver = picked
        trip = {"vehicle": vehicle, "driver": driver, "requests": [req], "km": km}
        trip.update(starts=departs, ends=returns, dispatched=req["dispatched"])
        req.update(status=R.DISPATCHED, trip=len(trips), updated=req["dispatched"])
        trips.append(trip)
        # Now and then a second unit goes the same way at the same time: merged (拼车).
        spare = vehicle.seats - 1 - people
        if spare >= 1 and not emergency and rng.random() < 0.04:
            other = rng.choice(requesters)
            if other.agency_id != person.agency_id:
                mate = dict(req, person=other, people=rng.randint(1, spare), trip=len(trips) - 1)
                mate["purpose"] = rng.choice(PURPOSES).format(d=dest)
                _decide(ctx, mate, leaders[other.agency_id], dispatcher_id)
                if mate["status"] == R.APPROVED:
                    mate.update(status=R.DISPATCHED, updated=req["dispatched"])
                    mate["dispatched"] = max(mate["dispatched"], req["dispatched"])
                    trip["requests"].append(mate)
                    trip["dispatched"] = mate["dispatched"]
                    requests.append(mate)
    return requests, trips


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
        trip["tolls"] = _money(rng.choice((0, 15, 25, 40, 60)) if trip["km"] > 80 else 0)
        trip["parking"] = _money(rng.choice((0, 0, 5, 10, 10, 20)))
        since_fuel[vehicle.pk] += float(km)
        limit = range_left.setdefault(vehicle.pk, tank * rng.uniform(0.6, 0.9))
        if since_fuel[vehicle.pk] >= limit:
            amount = round(since_fuel[vehicle.pk] * per100 / 100, 2)
            price = rng.uniform(*PRICE[vehicle.energy])
            station = vehicle.fixed_fuel_station if rng.random() > 0.05 else OTHER_FUEL
            if vehicle.energy == E.ELECTRIC and station == OTHER_FUEL:
                station = "城西公共充电站"
            day = trip["ended"].astimezone(TZ).date()
            fuel.append((vehicle, index, day, _money(amount), _money(amount * price), station))
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
                created_at=_at(row.date, 17),
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
                    cost=_money(cost),
                    off_fixed_shop=kind != K.INSURANCE and shop != v.fixed_repair_shop,
                    recorded_by_id=dispatcher_id,
                    created_at=_at(day, 16),
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
    setup_at = _at(ctx.first_day, 9) - dt.timedelta(days=90)
    drivers, names, rows = _drivers(ctx, setup_at)
    vehicles, specs, quota_rows = _vehicles(ctx, drivers, setup_at)
    on_duty, shift_rows = _roster(ctx, drivers)
    leaders = _agency_leaders(ctx)
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
