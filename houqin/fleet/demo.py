"""Demo fleet for the demo center (seed_demo): teams, drivers, vehicles, quotas, trips.

`seed(center, actor=None, now=None)` is idempotent: teams by name, drivers by user, vehicles
by plate, quotas by (agency, category); the demo requests and trips are written only while the
center has no trip request at all, so running it twice (or on a later day) changes nothing.
Everything that has rules goes through the services, acted by the demo users "dispatcher"
(车队队长), "juzhang" (财政局局长) and "staff" (财政局科员); the trips are driven by "driver".
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.duties.recurrence import TZ, local_today
from houqin.core.roles import Role
from houqin.org.models import Person

from . import services
from .models import Driver, DriverTeam, TripRequest, Vehicle, VehicleQuota

TEAMS = ["一班", "二班", "三班", "四班"]
C, E = Vehicle.Category, Vehicle.Energy
FUEL, SHOP, PARKING = "中石化城东加油站", "区机关汽车修理厂", "区政府大院停车场"
# plate, model, category, energy, seats, displacement, price, odometer
VEHICLES = [
    ("桂K·G0001", "大众帕萨特 1.8T", C.CONFIDENTIAL, E.GASOLINE, 5, "1.8", 179800, 86320),
    ("桂K·G0002", "丰田凯美瑞 2.0", C.OTHER, E.GASOLINE, 5, "2.0", 175800, 102450),
    ("桂K·G0003", "别克GL8 2.0T", C.OTHER, E.GASOLINE, 7, "2.0", 229900, 121870),
    ("桂K·G0005", "大众迈腾 1.4T", C.OTHER, E.GASOLINE, 5, "1.4", 169900, 64210),
    ("桂K·G0006", "比亚迪汉 EV", C.OTHER, E.ELECTRIC, 5, None, 209800, 23560),
    ("桂K·G0007", "比亚迪秦PLUS DM-i", C.OTHER, E.HYBRID, 5, "1.5", 129800, 31840),
    ("桂K·G0008", "吉利星越L 雷神Hi·P", C.OTHER, E.HYBRID, 5, "1.5", 169700, 18900),
    ("桂K·G0009", "金杯海狮 2.0", C.OTHER, E.GASOLINE, 11, "2.0", 136800, 143200),
    ("桂K·G0010", "宇通 ZK6729 中巴", C.OTHER, E.DIESEL, 23, "3.8", 398000, 187650),
    ("桂K·G0011", "江铃全顺 应急保障车", C.EMERGENCY, E.DIESEL, 9, "2.2", 189000, 56780),
    ("桂K·G0012", "长城炮 皮卡", C.EMERGENCY, E.DIESEL, 5, "2.0", 139800, 42310),
    ("桂K·G0015", "比亚迪e6 纯电动", C.OTHER, E.ELECTRIC, 5, None, 309800, 98700),
]
# category -> 编制数 (other: 16 vs 9 in service → 7 vacancies, the seed's 空编 7)
QUOTAS = {C.OTHER: 16, C.EMERGENCY: 2, C.CONFIDENTIAL: 1}
# (days from today, hour, hours, purpose, destination, passengers, km, rating, fuel liters)
PAST_TRIPS = [
    (-12, 9, 4, "赴市财政局报送年度预算材料", "市财政局", 3, Decimal("46.5"), 5, Decimal("32")),
    (-8, 14, 3, "下乡开展财政资金绩效评价", "城东镇政府", 2, Decimal("78.0"), 4, None),
    (-5, 8, 6, "陪同检查组督查惠民资金发放", "北流村委会", 4, Decimal("132.4"), 5, Decimal("40")),
    (-2, 9, 2, "参加市级政府采购培训", "市政务服务中心", 1, Decimal("24.8"), 3, None),
]


def _users():
    names = ["dispatcher", "juzhang", "staff", "driver"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _driver_logins(center, limit=8):
    """Give the 车队's drivers (position 驾驶员) demo logins siji01…, so the four teams are
    staffed. Idempotent: people who already have an account are left alone."""
    from houqin.org.management.commands.seed_demo import DEMO_PASSWORD
    from houqin.org.services import account_create

    people = Person.objects.filter(
        center=center, section__code="CD", position="驾驶员", status=Person.Status.ACTIVE
    ).order_by("pk")[:limit]
    for n, person in enumerate(people, start=1):
        if (
            person.user_id is None
            and not get_user_model().objects.filter(username=f"siji{n:02d}").exists()
        ):
            account_create(
                actor=None,
                person=person,
                username=f"siji{n:02d}",
                roles=[Role.DRIVER, Role.STAFF],
                password=DEMO_PASSWORD,
                must_change=False,
            )


def seed_drivers(center):
    created = []
    teams = {t.name: t for t in DriverTeam.objects.filter(center=center)}
    for name in TEAMS:
        if name not in teams:
            teams[name] = DriverTeam.objects.create(center=center, name=name)
            created.append(teams[name])
    _driver_logins(center)
    users = list(
        get_user_model()
        .objects.filter(
            center=center, role_assignments__role=Role.DRIVER, role_assignments__center=center
        )
        .distinct()
        .order_by("pk")
    )
    # A few more people of the 车队 section who have an account (drivers by position).
    users += [
        p.user
        for p in Person.objects.filter(
            center=center, section__code="CD", user__isnull=False, position="驾驶员"
        )
        .select_related("user")
        .order_by("pk")[:4]
        if p.user not in users
    ]
    existing = set(Driver.objects.filter(center=center).values_list("user_id", flat=True))
    today = local_today()
    for i, user in enumerate(users):
        if user.pk in existing:
            continue
        created.append(
            Driver.objects.create(
                center=center,
                user=user,
                team=teams[TEAMS[i % len(TEAMS)]],
                licence_class="A1" if i % 3 == 0 else "B2",
                licence_expiry=today + dt.timedelta(days=400 + 180 * i),
            )
        )
    for team in teams.values():
        if team.team_leader_id is None:
            leader = Driver.objects.filter(team=team).order_by("pk").first()
            if leader is not None:
                team.team_leader = leader
                team.save(update_fields=["team_leader", "updated_at"])
    return created


def seed_vehicles(center, dispatcher):
    created = []
    existing = set(Vehicle.objects.filter(center=center).values_list("plate", flat=True))
    today = local_today()
    drivers = list(Driver.objects.filter(center=center).order_by("pk"))
    for i, (plate, model, category, energy, seats, disp, price, km) in enumerate(VEHICLES):
        if plate in existing:
            continue
        created.append(
            services.vehicle_save(
                actor=dispatcher,
                center=center,
                plate=plate,
                brand_model=model,
                category=category,
                energy=energy,
                seats=seats,
                displacement=Decimal(disp) if disp else None,
                purchase_price=Decimal(price),
                purchase_date=dt.date(2015 + i % 8, 1 + i % 12, 10),
                funding_source="财政拨款",
                owner_agency=center,
                fixed_parking=PARKING,
                fixed_fuel_station="城东充电站" if energy == E.ELECTRIC else FUEL,
                fixed_repair_shop=SHOP,
                responsible_driver=drivers[i % len(drivers)] if drivers else None,
                insurance_expiry=today + dt.timedelta(days=20 + 37 * i),
                inspection_expiry=today + dt.timedelta(days=45 + 29 * i),
                odometer_km=Decimal(km),
            )
        )
    for category, quota in QUOTAS.items():
        _quota, new = VehicleQuota.objects.get_or_create(
            center=center, agency=center, category=category, defaults={"quota": quota}
        )
        if new:
            created.append(_quota)
    return created


def _approve(req, users):
    approval = approval_for_object(req, request_type="fleet.trip")
    approvals.approval_approve(actor=users["juzhang"], approval=approval, comment="同意")
    approval.refresh_from_db()
    approvals.approval_approve(actor=users["dispatcher"], approval=approval, comment="同意")
    req.refresh_from_db()
    return req


def seed_trips(center, users, now):
    created = []
    staff, dispatcher = users["staff"], users["dispatcher"]
    driver = Driver.objects.filter(user=users["driver"]).first()
    agency = staff.person.agency
    vehicle = Vehicle.objects.get(center=center, plate="桂K·G0002")
    today = local_today(now)
    for days, hour, hours, purpose, dest, people, km, rating, liters in PAST_TRIPS:
        starts_at = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=TZ)
        ends_at = starts_at + dt.timedelta(hours=hours)
        req = services.trip_request_create(
            actor=staff,
            agency=agency,
            purpose=purpose,
            origin="区政府大院",
            destination=dest,
            departs_at=starts_at,
            returns_at=ends_at,
            passengers=people,
            now=starts_at - dt.timedelta(days=1),
        )
        _approve(req, users)
        trip = services.trip_dispatch(
            actor=dispatcher, requests=[req], vehicle=vehicle, driver=driver
        )
        vehicle.refresh_from_db()
        services.trip_start(
            actor=driver.user,
            trip=trip,
            odometer=vehicle.odometer_km,
            disinfected=True,
            now=starts_at,
        )
        services.trip_end(
            actor=driver.user,
            trip=trip,
            odometer=vehicle.odometer_km + km,
            disinfected=True,
            tolls=Decimal("15") if km > 50 else 0,
            parking=Decimal("10"),
            fuel_liters=liters,
            fuel_cost=liters * Decimal("7.85") if liters else None,
            fuel_station=FUEL,
            now=ends_at,
        )
        vehicle.refresh_from_db()
        req.refresh_from_db()
        services.trip_request_rate(
            actor=staff,
            request=req,
            rating=rating,
            comment="驾驶员准时、安全" if rating >= 4 else "",
        )
        created += [req, trip]
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9), tzinfo=TZ)
    waiting = services.trip_request_create(
        actor=staff,
        agency=agency,
        purpose="赴市财政局对接转移支付资金",
        origin="区政府大院",
        destination="市财政局",
        departs_at=tomorrow,
        returns_at=tomorrow + dt.timedelta(hours=3),
        passengers=2,
        passenger_names="财政局 2 人",
        now=now,
    )
    created.append(_approve(waiting, users))
    return created


def seed(center, *, actor=None, now=None):
    """Create what is missing; returns the objects created."""
    users = _users()
    if len(users) < 4:
        return []
    now = now or timezone.now()
    created = seed_drivers(center)
    created += seed_vehicles(center, users["dispatcher"])
    if TripRequest.objects.filter(center=center).exists():
        return created
    if not Driver.objects.filter(user=users["driver"]).exists():
        return created
    created += seed_trips(center, users, now)
    return created
