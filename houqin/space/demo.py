"""Demo office space for the demo center (seed_demo): four buildings, ~250 rooms held by every
agency and the center itself, every ranked person seated, requests decided through the
approval flow, the adjustment plan of the year (applied) and a draft for next year, then the
estate (leases, renovation projects, ownership) from demo_estate.

`seed(center, *, actor=None, today=None)` returns the objects it created and is idempotent:
buildings by name; the rooms, allocations and seats only while the center has no room at all
(the layout is one piece, computed from the people); the requests only while the center has
none; the plans likewise. A second run writes nothing.

The layout follows the 2014 standard: each person's office is sized from their rank's limit
(leaders alone, clerks two to four to a room, each share a little under the limit), so the
compliance report is clean except for two deliberate cases: one deputy 2 ㎡ over in an office
too large, and a retired deputy whose office has not been handed back (overdue; the agency is
over its entitlement until it is). A dozen rooms are idle, one is under repair.

Everything goes through the services. The requests and plans need the demo logins ("liaison"
and "juzhang" of one agency, "space", "leader"); without them they are skipped. Deterministic:
random.Random with a fixed seed over people in primary-key order.
"""

import datetime as dt
import math
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.core.approvals.models import ApprovalRequest
from houqin.core.approvals.services import approval_approve, approval_reject
from houqin.org import services as org_services
from houqin.org.models import OrgUnit, Person

from . import demo_data as data
from .compliance import standards_on
from .models import AdjustmentPlan, Building, PlanStep, SpaceRequest, SpaceRoom, SubUse
from .models.buildings import SUB_USE_KIND, UseKind
from .services import allocation as alloc
from .services import plans, register
from .services.plans import REQUEST_TYPE

K = PlanStep.Kind
SEED = 8
CLERK_SHARE = (Decimal("8.0"), Decimal("8.8"))  # ㎡ per clerk (limit 9) in a shared office
SINGLE_SHARE = (0.86, 0.97)  # of the limit, for people who sit alone


def _users(center):
    names = ("space", "liaison", "juzhang", "leader")
    return {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=names, center_id=center.pk, is_active=True)
        .select_related("person__agency")
    }


def _dec(value, places="0.1"):
    return Decimal(str(value)).quantize(Decimal(places))


# ------------------------------------------------------------------ buildings


def seed_buildings(center, actor):
    existing = set(Building.objects.filter(center=center).values_list("name", flat=True))
    created = []
    for code, name, address, ownership, owner, area, year, above, below, *_rest in data.BUILDINGS:
        if name in existing:
            continue
        created.append(
            register.building_create(
                actor=actor,
                center=center,
                name=name,
                code=code,
                address=address,
                ownership=ownership,
                owner_name=owner,
                floor_area=area,
                built_year=year,
                floors_above=above,
                floors_below=below,
                notes=_rest[-1],
            )
        )
    return created


# ------------------------------------------------------------------ the layout


class Spec:
    """A room to create: where, what, who holds it and who sits in it."""

    def __init__(self, sub_use, name, area, capacity=1, holder=None, people=(), mark=""):
        self.sub_use, self.name, self.area, self.capacity = sub_use, name, area, capacity
        self.holder, self.people, self.mark = holder, list(people), mark


def _groups(count, rng):
    """Split `count` clerks into offices of two to four (one alone only when there is one)."""
    sizes = []
    while count > 0:
        size = count if count <= 4 else rng.choice((2, 3, 3, 4))
        if count - size == 1:
            size -= 1
        sizes.append(size)
        count -= size
    return sizes


def _offices(unit, people, limits, rng, *, over=False):
    """Offices for the ranked people of `unit`: leaders alone, clerks shared. With `over`,
    the first deputy gets an office 2 ㎡ over the limit and the head one 3 ㎡ under, so the
    agency stays within its entitlement."""
    label = unit.short_name or unit.name
    alone = [p for p in people if limits[p.rank_id] > 9]
    clerks = [p for p in people if limits[p.rank_id] <= 9]
    specs = []
    for i, person in enumerate(alone):
        limit = limits[person.rank_id]
        area = _dec(float(limit) * rng.uniform(*SINGLE_SHARE))
        if over and i == 0 and len(alone) > 1:
            area = limit - 3
        elif over and i == 1:
            area = limit + Decimal(data.OVER_BY)
        specs.append(Spec(SubUse.OFFICE, f"{label}办公室", area, 1, unit, [person]))
    start = 0
    for size in _groups(len(clerks), rng):
        group = clerks[start : start + size]
        start += size
        limit = min(limits[p.rank_id] for p in group)
        share = min(limit, _dec(rng.uniform(*map(float, CLERK_SHARE)), "0.01"))
        specs.append(Spec(SubUse.OFFICE, f"{label}办公室", _dec(share * size), size, unit, group))
    return specs


def _service_rooms(unit, headcount, rng):
    label = unit.short_name or unit.name
    return [
        Spec(sub_use, f"{label}{suffix}", _dec(rng.uniform(*area)), 1, unit)
        for sub_use, suffix, area, from_size in data.AGENCY_SERVICE_ROOMS
        if headcount >= from_size
    ]


def _plan_layout(center, today, rng):
    """{building code: [Spec…]} for every unit of the center, computed from its people."""
    limits = standards_on(today)
    units = [center, *OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY)]
    units.sort(key=lambda u: u.path)
    people = (
        Person.objects.filter(center=center, status=Person.Status.ACTIVE)
        .select_related("rank")
        .order_by("pk")
    )
    by_unit = {}
    for person in people:
        by_unit.setdefault(person.agency_id, []).append(person)
    agencies = [u for u in units if u.kind == OrgUnit.Kind.AGENCY]
    over = _pick(agencies, data.OVER_AGENCY, 1)
    layout = {code: [] for code, *_rest in data.BUILDINGS}
    for unit in units:
        staff = by_unit.get(unit.pk, [])
        ranked = [p for p in staff if p.rank_id in limits]
        ranked.sort(key=lambda p: (-p.rank.seniority, p.pk))
        code = data.PLACEMENT.get(unit.code, data.MAIN)
        layout[code] += _offices(unit, ranked, limits, rng, over=unit == over)
        layout[code] += _service_rooms(unit, len(staff), rng)
    for code, sub_use, name, area, capacity, mark in data.IDLE_ROOMS:
        layout[code].append(Spec(sub_use, name, Decimal(area), capacity, None, mark=mark))
    return layout


def _pick(agencies, code, fallback_index):
    """The agency of the demo with `code`, or (another center) one by position."""
    for agency in agencies:
        if agency.code == code:
            return agency
    if not agencies:
        return None
    return agencies[min(fallback_index, len(agencies) - 1)]


def _number(level, seq):
    return f"B{-level}{seq:02d}" if level < 0 else f"{level}{seq:02d}"


def _create_rooms(center, building, specs, *, actor, rng, held=True):
    """Lay `specs` out on the floors of `building` (plus, in the buildings the center holds,
    its per-floor and fixed rooms) and create them; returns [(room, spec)]."""
    code = building.code
    floors = {f.level: f for f in building.floors.all()}
    above = sorted(level for level in floors if level > 0)
    per_floor = math.ceil(len(specs) / len(above)) if specs else 0
    placed = {level: [] for level in floors}
    for level, sub_use, name, area, capacity in (
        (lvl, s, n, a, c) for b, lvl, s, n, a, c in data.BUILDING_ROOMS if b == code
    ):
        level = above[-1] if level == "top" else level
        if level in placed:
            placed[level].append(Spec(sub_use, name, Decimal(area), capacity, center))
    for level in above if held else ():
        for sub_use, name, area in data.FLOOR_ROOMS:
            placed[level].append(Spec(sub_use, name, _dec(rng.uniform(*area)), 1, center))
    for i, spec in enumerate(specs):
        placed[above[min(i // per_floor, len(above) - 1)]].append(spec)
    rooms = []
    for level in sorted(placed):
        for seq, spec in enumerate(placed[level], start=1):
            room = register.room_create(
                actor=actor,
                building=building,
                floor=floors[level],
                number=_number(level, seq),
                name=spec.name,
                usable_area=spec.area,
                use_kind=SUB_USE_KIND.get(spec.sub_use, UseKind.SERVICE),
                sub_use=spec.sub_use,
                capacity=spec.capacity,
                notes="屋面渗漏，待修缮" if spec.mark == "repair" else "",
            )
            rooms.append((room, spec))
    return rooms


def seed_layout(center, *, actor, today):
    """Rooms, their allocations (one certificate per unit and building) and the seats."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    layout = _plan_layout(center, today, rng)
    buildings = {b.code: b for b in Building.objects.filter(center=center)}
    dates = {code: rest[-2] for code, *rest in data.BUILDINGS}
    serial = {}
    created = []
    for code, specs in layout.items():
        building = buildings.get(code)
        if building is None:
            continue
        rooms = _create_rooms(
            center, building, specs, actor=actor, rng=rng, held=dates[code] is not None
        )
        created += [room for room, _spec in rooms]
        start = dates[code]
        if start is None:
            continue
        certificates = {}
        for room, spec in rooms:
            if spec.holder is None:
                if spec.mark == "repair":
                    register.room_set_repair(actor=actor, room=room, repair=True)
                continue
            if spec.holder.pk not in certificates:
                # One certificate per unit and building, numbered through the year.
                serial[start.year] = serial.get(start.year, 0) + 1
                certificates[spec.holder.pk] = data.CERTIFICATE.format(
                    year=start.year, n=serial[start.year]
                )
            created.append(
                alloc.allocation_create(
                    actor=actor,
                    room=room,
                    agency=spec.holder,
                    start_date=start,
                    certificate_no=certificates[spec.holder.pk],
                    certificate_date=start - dt.timedelta(days=10),
                )
            )
            for person in spec.people:
                created.append(
                    alloc.occupancy_add(actor=actor, room=room, person=person, start_date=start)
                )
    created += seed_departure(center, today=today)
    return created


def seed_departure(center, *, today):
    """A deputy (no login) of one agency retired six weeks ago and still has the office."""
    agencies = list(
        OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY).order_by("path")
    )
    agency = _pick(agencies, data.RETIRED_AGENCY, 0)
    if agency is None:
        return []
    seated = (
        Person.objects.filter(
            agency=agency,
            status=Person.Status.ACTIVE,
            user__isnull=True,
            occupancies__end_date__isnull=True,
            occupancies__room__capacity=1,
            rank__isnull=False,
        )
        .order_by("-rank__seniority", "pk")
        .distinct()
    )
    person = seated[1:2].first() or seated.first()
    if person is None:
        return []
    org_services.person_set_status(
        actor=None,
        person=person,
        status=Person.Status.RETIRED,
        date=today - dt.timedelta(days=data.RETIRED_DAYS_AGO),
    )
    return [person]


# ------------------------------------------------------------------ requests


def _approval(request):
    return ApprovalRequest.objects.get(
        content_type=ContentType.objects.get_for_model(SpaceRequest),
        object_id=request.pk,
        request_type=REQUEST_TYPE,
    )


def seed_requests(center, users):
    """Three requests of the liaison's agency: rejected by the space manager, approved by the
    agency leader, the space manager and the center leader, and one waiting for the manager."""
    liaison, head = users.get("liaison"), users.get("juzhang")
    manager, leader = users.get("space"), users.get("leader")
    if None in (liaison, head, manager, leader) or getattr(liaison, "person", None) is None:
        return []
    agency = liaison.person.agency
    headcount = Person.objects.filter(agency=agency, status=Person.Status.ACTIVE).count()
    created = []
    for outcome, reason, area, comment in data.REQUESTS:
        request = plans.request_submit(
            actor=liaison, agency=agency, reason=reason, headcount=headcount, area_wanted=area
        )
        approval = approval_approve(actor=head, approval=_approval(request), comment="")
        if outcome == "rejected":
            approval_reject(actor=manager, approval=approval, comment=comment)
        elif outcome == "approved":
            approval = approval_approve(actor=manager, approval=approval, comment=comment)
            approval_approve(actor=leader, approval=approval, comment="同意。")
        created.append(request)
    return created


# ------------------------------------------------------------------ plans


def _idle(center, code, **filters):
    return SpaceRoom.objects.filter(
        center=center, building__code=code, status=SpaceRoom.Status.IDLE, **filters
    ).order_by("floor__level", "number")


def _held_by(center, agency, **filters):
    return SpaceRoom.objects.filter(
        center=center,
        allocations__end_date__isnull=True,
        allocations__agency=agency,
        **filters,
    ).order_by("number", "pk")


def seed_plans(center, users, *, today):
    """The plan of the year (obtained rooms, idle rooms allocated, a transfer, the approved
    request's archive), applied; and a draft for next year."""
    manager = users.get("space")
    if manager is None:
        return []
    agencies = list(
        OrgUnit.objects.filter(center=center, kind=OrgUnit.Kind.AGENCY).order_by("path")
    )
    if len(agencies) < 2:
        return []
    approved = SpaceRequest.objects.filter(
        center=center, status=SpaceRequest.Status.APPROVED
    ).first()
    plan = plans.plan_create(
        actor=manager,
        center=center,
        year=today.year,
        title=f"{today.year}年度办公用房调整方案",
        effective_date=today,
        notes="调剂闲置房间，接收市机关后勤服务中心调配用房，解决财政局档案用房不足。",
    )
    created = [plan]
    steps = []
    obtain = list(_idle(center, data.UPSTREAM).exclude(use_kind=UseKind.OFFICE))
    for i, room in enumerate(obtain):
        to = _pick(agencies, data.OBTAIN_TO[i % len(data.OBTAIN_TO)], i // 2)
        steps.append((K.OBTAIN, room, to, None))
    request_room = _idle(center, data.MAIN, name="档案室").first()
    if request_room is not None and approved is not None:
        steps.append((K.ALLOCATE, request_room, approved.agency, approved))
    store = _idle(center, data.MAIN, name="储藏室").first()
    if store is not None:
        steps.append((K.ALLOCATE, store, _pick(agencies, "SJJ", len(agencies) - 1), None))
    giver = _pick(agencies, data.TRANSFER[0], 0)
    taker = _pick(agencies, data.TRANSFER[1], 1)
    meeting = _held_by(center, giver, sub_use=SubUse.MEETING).first()
    if meeting is not None and giver != taker:
        steps.append((K.TRANSFER, meeting, taker, None))
    year = today.year
    for n, (kind, room, to, request) in enumerate(steps, start=1):
        created.append(
            plans.plan_step_add(
                actor=manager,
                plan=plan,
                kind=kind,
                room=room,
                to_agency=to,
                request=request,
                certificate_no=data.CERTIFICATE.format(year=year, n=20 + n),
            )
        )
    if steps:
        plans.plan_apply(actor=manager, plan=plan)
    created += seed_draft(center, manager, agencies, today=today)
    return created


def seed_draft(center, manager, agencies, *, today):
    """Next year's draft: take back the retired deputy's office, give an idle office away."""
    year = today.year + 1
    plan = plans.plan_create(
        actor=manager,
        center=center,
        year=year,
        title=f"{year}年度办公用房调整方案（草案）",
        effective_date=dt.date(year, 1, 1),
        notes="收回退休人员办公室；调配空置办公室。",
    )
    created = [plan]
    retired = (
        SpaceRoom.objects.filter(
            center=center,
            occupancies__end_date__isnull=True,
            occupancies__person__status__in=(Person.Status.RETIRED, Person.Status.TRANSFERRED),
        )
        .order_by("pk")
        .first()
    )
    if retired is not None:
        created.append(
            plans.plan_step_add(actor=manager, plan=plan, kind=K.VACATE, room=retired, note="退休")
        )
    office = _idle(center, data.UPSTREAM, sub_use=SubUse.OFFICE, capacity=1).first()
    if office is not None:
        created.append(
            plans.plan_step_add(
                actor=manager,
                plan=plan,
                kind=K.ALLOCATE,
                room=office,
                to_agency=_pick(agencies, "JYJ", 0),
            )
        )
    return created


# ------------------------------------------------------------------ all of it


def seed(center, *, actor=None, today=None) -> list:
    today = today or timezone.localdate()
    users = _users(center)
    manager = actor or users.get("space")
    created = seed_buildings(center, manager)
    if not SpaceRoom.objects.filter(center=center).exists():
        created += seed_layout(center, actor=manager, today=today)
    if not SpaceRequest.objects.filter(center=center).exists():
        created += seed_requests(center, users)
    if not AdjustmentPlan.objects.filter(center=center).exists():
        created += seed_plans(center, users, today=today)
    try:
        from .demo_estate import seed_estate
    except ImportError:  # written in parallel (helper D); the register works without it
        seed_estate = None
    if seed_estate is not None:
        created += list(seed_estate(center, actor=manager, today=today))
    return created
