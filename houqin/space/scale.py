"""The scale dataset of office space (seed_scale; see houqin/core/scale.py).

The register and its history for a district center, laid out from its people as demo.py does
it (the 2014 standard): six office buildings of the center, one allocated by the city center
and one leased; each agency's offices sized from its staff's rank limits (county-level
leaders alone, section-level two to a room, clerks two to four), its service rooms, the
rooms the center keeps on every floor and the plant rooms. Every ranked person is seated.

Compliance as an audit would find it: almost everyone within the limit; ~1 % of the single
offices a few ㎡ too large (people over standard) and a few agencies holding a spare office
that takes them over their entitlement. ~3 % of the rooms are idle, a few under repair. Some
rooms changed hands before (ended allocations), and the upstream building's archive and
meeting rooms were allocated during the year (上级调配). The estate: leases (two vacated in
the year), renovation projects completed in the year with items and progress reports, and
the buildings' ownership registration. The year's requests for more space and the
adjustment plans are written by scale_plans.py.
"""

import datetime as dt
import math
from decimal import Decimal

from houqin.core.scale import CENT, bulk_stamped, stamp

from .compliance import standards_on
from .models import (
    Allocation,
    Building,
    Floor,
    Lease,
    Occupancy,
    OwnershipRecord,
    ProjectItem,
    ProjectUpdate,
    RenovationProject,
    SpaceRoom,
    SubUse,
)
from .models.buildings import SUB_USE_KIND, UseKind
from .scale_plans import seed_plans

PER_FLOOR = 32  # rooms per floor, plant and floor rooms aside
CERTIFICATE = "X机管配〔{year}〕{n}号"
# name, code, address, ownership, owner, built, certificate year (None: rooms come upstream)
BUILDINGS = [
    ("区行政中心1号楼", "XZ1", "XX区人民大道 1 号", "owned", "XX区人民政府", 2016, 2019),
    ("区行政中心2号楼", "XZ2", "XX区人民大道 1 号", "owned", "XX区人民政府", 2016, 2019),
    ("区行政中心3号楼", "XZ3", "XX区人民大道 3 号", "owned", "XX区人民政府", 2012, 2019),
    ("区委大院1号楼", "QW1", "XX区解放路 18 号", "owned", "中共XX区委", 1998, 2020),
    ("区委大院2号楼", "QW2", "XX区解放路 18 号", "owned", "中共XX区委", 2003, 2020),
    ("区政务服务中心", "ZW", "XX区新华路 66 号", "owned", "XX区人民政府", 2010, 2021),
    ("市后勤中心调配办公楼", "SD", "XX区建设路 66 号", "allocated", "XX市机关后勤中心", 2009, None),
    ("新城区租用办公楼", "ZY", "XX区新城大道 200 号", "leased", "XX区城投公司", 2015, 2022),
]  # fmt: skip
SERVICE_ROOMS = [  # sub use, name, area range, from this many people on
    (SubUse.ARCHIVES, "档案室", (14, 24), 0),
    (SubUse.MEETING, "会议室", (30, 48), 12),
    (SubUse.STORAGE, "资料室", (10, 16), 10),
    (SubUse.PRINTING, "文印室", (10, 14), 16),
    (SubUse.RECEPTION, "接待室", (18, 24), 30),
]
PLANT_ROOMS = [  # held by the center in each building: (level, sub use, name, area range)
    (1, SubUse.DUTY, "值班室", (15, 20)),
    (1, SubUse.FIRE_CONTROL, "消防控制室", (30, 40)),
    (1, SubUse.MAIL, "收发室", (18, 24)),
    (-1, SubUse.SWITCHGEAR, "配电室", (60, 90)),
    (-1, SubUse.PUMP, "水泵房", (50, 70)),
    (-1, SubUse.HVAC, "空调机房", (90, 130)),
    (-1, SubUse.GARAGE, "地下车库", (1200, 2000)),
    (-1, SubUse.CIVIL_DEFENCE, "人防设施", (400, 700)),
    ("top", SubUse.ELEVATOR, "电梯机房", (35, 45)),
]
UPSTREAM_ROOMS = [(SubUse.ARCHIVES, "档案室", (30, 45)), (SubUse.MEETING, "会议室", (40, 60))]


class Spec:
    """A room to create: what, who holds it (a unit pk or None) and who sits in it."""

    def __init__(self, sub_use, name, area, capacity=1, holder=None, people=(), mark=""):
        self.sub_use, self.name, self.capacity = sub_use, name, capacity
        self.area = Decimal(area).quantize(CENT)
        self.holder, self.people, self.mark = holder, list(people), mark


def _groups(count, sizes, rng):
    out = []
    while count > 0:
        size = count if count <= max(sizes) else rng.choice(sizes)
        out.append(size)
        count -= size
    return out


def _offices(ctx, unit, staff, limits):
    """Offices of `unit` for its ranked people, sized a little under their limits; ~1 % of
    the single offices a few ㎡ over (the people over standard)."""
    rng, label = ctx.rng, unit.short_name or unit.name
    ranked = sorted((p for p in staff if p.rank_id in limits), key=lambda p: -limits[p.rank_id])
    specs = []
    for person in (p for p in ranked if limits[p.rank_id] >= 24):
        limit = float(limits[person.rank_id])
        area = limit * rng.uniform(0.86, 0.97)
        if rng.random() < 0.012:
            area = limit + rng.uniform(1, 4)
        specs.append(Spec(SubUse.OFFICE, f"{label}办公室", area, 1, unit.pk, [person]))
    for low, high, sizes in ((12, 24, (2,)), (0, 12, (2, 3, 3, 4))):
        group = [p for p in ranked if low <= limits[p.rank_id] < high]
        start = 0
        for size in _groups(len(group), sizes, rng):
            people = group[start : start + size]
            start += size
            share = float(min(limits[p.rank_id] for p in people)) * rng.uniform(0.88, 0.97)
            specs.append(Spec(SubUse.OFFICE, f"{label}办公室", share * size, size, unit.pk, people))
    return specs


def _layout(ctx):
    """[(unit, [Spec…])] for the center and every agency, computed from the people."""
    rng = ctx.rng
    limits = standards_on(ctx.first_day)
    by_unit = {}
    for person in ctx.people:
        by_unit.setdefault(person.agency_id, []).append(person)
    spare = set(rng.sample([a.pk for a in ctx.agencies], max(1, round(len(ctx.agencies) / 15))))
    layout = []
    for unit in [ctx.center, *ctx.agencies]:
        staff = by_unit.get(unit.pk, [])
        specs = _offices(ctx, unit, staff, limits)
        label = unit.short_name or unit.name
        specs += [
            Spec(sub_use, f"{label}{name}", rng.uniform(*area), 1, unit.pk)
            for sub_use, name, area, size in SERVICE_ROOMS
            if len(staff) >= size
        ]
        if unit.pk in spare:  # a spare office beyond the entitlement: the agency is over
            entitlement = sum((limits.get(p.rank_id, 0) for p in staff), Decimal(0))
            used = sum((s.area for s in specs if s.sub_use == SubUse.OFFICE), Decimal(0))
            area = max(Decimal(12), entitlement - used + Decimal(rng.uniform(6, 20)))
            specs.append(Spec(SubUse.OFFICE, f"{label}备用办公室", area, 2, unit.pk))
        layout.append((unit, specs))
    return layout


def _number(level, seq):
    return f"B{-level}{seq:02d}" if level < 0 else f"{level}{seq:02d}"


def _place(ctx, layout):
    """{building code: {level: [Spec…]}}: units fill the center's buildings in turn, each
    floor with its toilets; then the plant rooms, the idle and repair rooms."""
    rng = ctx.rng
    owned = [b for b in BUILDINGS if b[3] != "allocated"]
    total = sum(len(specs) for _unit, specs in layout)
    per_building = math.ceil(total / len(owned))
    buildings = {b[1]: [] for b in BUILDINGS}
    index, filled = 0, 0
    for _unit, specs in layout:
        if filled >= per_building and index < len(owned) - 1:
            index, filled = index + 1, 0
        buildings[owned[index][1]] += specs
        filled += len(specs)
    placed = {}
    for code, specs in buildings.items():
        idle = max(1, round(len(specs) * 0.03)) if specs else 4
        for i in range(idle):  # rooms nobody holds (one in twenty of them under repair)
            mark = "repair" if i % 20 == 1 else ""
            specs.append(Spec(SubUse.OFFICE, "", rng.uniform(12, 30), rng.randint(1, 3), mark=mark))
        if code == "SD":
            for sub_use, name, area in UPSTREAM_ROOMS * max(1, ctx.scaled(6)):
                specs.append(Spec(sub_use, name, rng.uniform(*area), mark="upstream"))
        floors = max(2, math.ceil(len(specs) / PER_FLOOR))
        levels = {level: [] for level in range(1, floors + 1)}
        levels[-1] = []
        for i, spec in enumerate(specs):
            levels[1 + min(i // PER_FLOOR, floors - 1)].append(spec)
        held = ctx.center.pk  # the center runs the buildings: toilets and plant rooms
        for level in range(1, floors + 1):
            for n in range(2):
                levels[level].append(
                    Spec(SubUse.TOILET, f"卫生间{n + 1}", rng.uniform(20, 30), 1, held)
                )
        for level, sub_use, name, area in PLANT_ROOMS:
            level = floors if level == "top" else level
            levels[level].append(Spec(sub_use, name, rng.uniform(*area), 1, held))
        placed[code] = levels
    return placed


def _buildings(ctx, placed):
    rows = []
    for name, code, address, ownership, owner, built, _year in BUILDINGS:
        levels = placed[code]
        usable = sum((s.area for specs in levels.values() for s in specs), Decimal(0))
        rows.append(
            Building(
                center_id=ctx.center.pk,
                name=name,
                code=code,
                address=address,
                ownership=ownership,
                owner_name=owner,
                floor_area=(usable * Decimal("1.55")).quantize(CENT),
                built_year=built,
                floors_above=max(levels),
                floors_below=1,
            )
        )
    buildings = ctx.bulk(Building, rows)
    floors = ctx.bulk(
        Floor,
        (
            Floor(building=b, level=level, name=f"地下{-level}层" if level < 0 else f"{level}层")
            for b in buildings
            for level in sorted(placed[b.code])
        ),
    )
    return buildings, {(f.building_id, f.level): f for f in floors}


def _rooms(ctx, placed, buildings, floors):
    center_id, rows = ctx.center.pk, []
    for building in buildings:
        for level, specs in sorted(placed[building.code].items()):
            for seq, spec in enumerate(specs, start=1):
                held = spec.holder or spec.mark == "upstream"
                status = SpaceRoom.Status.OCCUPIED if held else SpaceRoom.Status.IDLE
                if spec.mark == "repair":
                    status = SpaceRoom.Status.REPAIR
                room = SpaceRoom(
                    center_id=center_id,
                    building=building,
                    floor=floors[(building.pk, level)],
                    number=_number(level, seq),
                    name=spec.name,
                    usable_area=spec.area,
                    use_kind=SUB_USE_KIND.get(spec.sub_use, UseKind.SERVICE),
                    sub_use=spec.sub_use,
                    capacity=max(1, spec.capacity, len(spec.people)),
                    status=status,
                    notes="屋面渗漏，待修缮" if spec.mark == "repair" else "",
                )
                room.spec = spec
                rows.append(room)
    return ctx.bulk(SpaceRoom, rows)


def _allocations(ctx, buildings, rooms):
    """Current allocations (one certificate per unit and building), some rooms' previous
    holders, the seats, and the upstream rooms allocated during the year."""
    rng, center_id, manager = ctx.rng, ctx.center.pk, ctx.accounts["space"]
    years = {b[1]: b[6] for b in BUILDINGS}
    codes = {b.pk: b.code for b in buildings}
    agencies = [a.pk for a in ctx.agencies]
    certificates, serial, allocations, seats = {}, {}, [], []
    upstream_to = iter(rng.sample(agencies, len(agencies)) * 4)
    for room in rooms:
        spec, code = room.spec, codes[room.building_id]
        if spec.mark == "upstream":
            day = dt.date(ctx.year, rng.randint(3, 10), rng.randint(1, 28))
            allocations.append(
                Allocation(
                    center_id=center_id,
                    room=room,
                    agency_id=next(upstream_to),
                    start_date=day,
                    certificate_no=f"X市机管调〔{ctx.year}〕{len(allocations) % 50 + 1}号",
                    certificate_date=day - dt.timedelta(days=7),
                    source=Allocation.Source.UPSTREAM,
                    created_by=manager,
                )
            )
            continue
        if spec.holder is None:
            continue
        start = dt.date(years[code] or ctx.year - 1, 3, 1)
        key = (spec.holder, code)
        if key not in certificates:
            serial[start.year] = serial.get(start.year, 0) + 1
            certificates[key] = CERTIFICATE.format(year=start.year, n=serial[start.year])
        if rng.random() < 0.04 and spec.holder != center_id:  # held by another agency before
            before = dt.date(start.year - rng.randint(2, 5), 6, 1)
            allocations.append(
                Allocation(
                    center_id=center_id,
                    room=room,
                    agency_id=rng.choice(agencies),
                    start_date=before,
                    end_date=start,
                    certificate_no=CERTIFICATE.format(year=before.year, n=rng.randint(1, 40)),
                    certificate_date=before - dt.timedelta(days=10),
                    note="机构改革后调整",
                    created_by=manager,
                )
            )
        allocations.append(
            Allocation(
                center_id=center_id,
                room=room,
                agency_id=spec.holder,
                start_date=start,
                certificate_no=certificates[key],
                certificate_date=start - dt.timedelta(days=10),
                created_by=manager,
            )
        )
        for person in spec.people:
            seated = max(start, dt.date(ctx.year - rng.randint(0, 5), rng.randint(1, 12), 1))
            seats.append(
                Occupancy(
                    center_id=center_id,
                    room=room,
                    person=person,
                    start_date=min(seated, ctx.first_day),
                    created_by=manager,
                )
            )
    allocations = ctx.bulk(Allocation, allocations)
    seats = ctx.bulk(Occupancy, seats)
    return len(allocations) + len(seats)


def _estate(ctx, buildings):
    rng, center_id, year = ctx.rng, ctx.center.pk, ctx.year
    agencies, written = ctx.agencies, 0
    leases = []
    for i in range(max(2, ctx.scaled(6))):
        vacated = i < 2
        rent = Decimal(rng.randint(8, 60) * 10000)
        start = dt.date(year - rng.randint(2, 5), rng.randint(1, 12), 1)
        leases.append(
            Lease(
                center_id=center_id,
                lessor=f"XX区{rng.choice(('城投', '国资', '兴业', '安居'))}公司",
                address=f"XX区{rng.choice(('新城大道', '工业路', '滨江路'))} {10 + i} 号",
                area=Decimal(rng.randint(200, 1500)),
                annual_rent=rent,
                start_date=start,
                end_date=dt.date(year + rng.randint(1, 3), start.month, 1),
                approval_ref=f"X政办函〔{start.year}〕{20 + i}号",
                agency=agencies[i % len(agencies)],
                status=Lease.Status.VACATED if vacated else Lease.Status.ACTIVE,
                vacated_on=dt.date(year, 4 + i * 5, 30) if vacated else None,
                annual_saving=rent if vacated else None,
                notes="搬入行政中心，腾退租用房屋" if vacated else "",
            )
        )
    written += len(ctx.bulk(Lease, leases))
    projects, items, updates = [], [], []
    works = [
        ("礼堂座椅更换", [("礼堂椅", "张", 420, 900)]),
        ("屋面防水维修", [("防水卷材", "㎡", 800, 85)]),
        ("卫生间改造", [("洁具", "套", 24, 1800), ("墙地砖", "㎡", 300, 160)]),
        ("办公区照明节能改造", [("LED 灯具", "套", 600, 260)]),
        ("外立面修缮", [("真石漆", "㎡", 2400, 75)]),
        ("无障碍设施改造", [("坡道扶手", "米", 120, 420)]),
    ]
    for i in range(max(3, ctx.scaled(12))):
        title, lines = works[i % len(works)]
        building = buildings[i % len(buildings)]
        start = dt.date(year, 1 + i % 9, 10)
        finish = start + dt.timedelta(days=rng.randint(30, 90))
        cost = sum(Decimal(q * p) for _n, _u, q, p in lines)
        projects.append(
            RenovationProject(
                center_id=center_id,
                title=f"{building.name}{title}",
                building=building,
                description=f"{title}，按批复方案实施。",
                budget=(cost * Decimal("1.08")).quantize(CENT),
                contractor="区建筑安装公司",
                start_date=start,
                finish_date=finish,
                progress=100,
                status=RenovationProject.Status.COMPLETED,
                final_cost=(cost * Decimal(str(rng.uniform(0.95, 1.02)))).quantize(CENT),
            )
        )
    projects = ctx.bulk(RenovationProject, projects)
    manager = ctx.accounts["space"]
    for project, i in zip(projects, range(len(projects)), strict=True):
        for name, unit, quantity, price in works[i % len(works)][1]:
            items.append(
                ProjectItem(
                    project=project,
                    name=name,
                    quantity=Decimal(quantity),
                    unit=unit,
                    amount=Decimal(quantity * price),
                )
            )
        span = (project.finish_date - project.start_date).days
        for step, note in ((30, "进场施工"), (70, "主体完成"), (100, "竣工验收")):
            when = ctx.at(project.start_date + dt.timedelta(days=span * step // 100), 16)
            update = ProjectUpdate(project=project, progress=step, note=note, created_by=manager)
            updates.append(stamp(update, when))
    written += len(projects) + len(ctx.bulk(ProjectItem, items))
    written += len(bulk_stamped(ctx, ProjectUpdate, updates))
    records = []
    for building, spec in zip(buildings, BUILDINGS, strict=True):
        ownership = spec[3]
        if ownership == "leased":
            continue
        registered = ownership == "owned" and rng.random() < 0.85
        records.append(
            OwnershipRecord(
                center_id=center_id,
                building=building,
                status=OwnershipRecord.Status.REGISTERED
                if registered
                else OwnershipRecord.Status.FILED,
                right_holder="XX区机关事务管理局" if registered else "",
                certificate_no=f"X({spec[5] + 5})XX区不动产权第{1000 + building.pk}号"
                if registered
                else "",
                certificate_date=dt.date(spec[5] + 5, 6, 1) if registered else None,
                filing_no="" if registered else f"X机管备〔{year - 1}〕{building.pk % 90}号",
                filing_date=None if registered else dt.date(year - 1, 9, 1),
            )
        )
    return written + len(ctx.bulk(OwnershipRecord, records))


def seed(ctx) -> int:
    placed = _place(ctx, _layout(ctx))
    buildings, floors = _buildings(ctx, placed)
    rooms = _rooms(ctx, placed, buildings, floors)
    written = len(buildings) + len(floors) + len(rooms)
    written += _allocations(ctx, buildings, rooms)
    written += _estate(ctx, buildings)
    return written + seed_plans(ctx, rooms)
