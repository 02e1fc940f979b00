"""The fleet year's tables and motor pool (part of houqin/fleet/scale.py).

The drivers (new people of the center's 车队 with accounts), the vehicles with their 编制,
the year of shifts, and the agency leaders who decide the first approval step.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from houqin.core.roles import Role
from houqin.core.scale import at, bulk_stamped, staff_logins
from houqin.org.models import Person

from .models import (
    Driver,
    DriverShift,
    DriverTeam,
    TripRequest,
    Vehicle,
    VehicleQuota,
)

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


# ------------------------------------------------------------------ people, pool, roster


def _prefix(ctx):
    return "s" + ctx.center.code.rsplit("-", 1)[-1].lower()


def _drivers(ctx, setup_at):
    """New people of the 车队 with accounts (driver + staff roles) and their Driver rows."""
    rng, count, prefix = ctx.rng, max(4, ctx.scaled(40)), _prefix(ctx)
    users = staff_logins(
        ctx, [f"{prefix}siji{i + 1:03d}" for i in range(count)], (Role.DRIVER, Role.STAFF)
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
        created = at(day, 9) - dt.timedelta(days=7)
        shifts += [
            DriverShift(center=ctx.center, driver=d, date=day, kind=kind, created_at=created)
            for d in crew
        ]
    bulk_stamped(ctx, DriverShift, shifts)
    return on_duty, len(shifts)
