"""The space scale year's requests and adjustment plans (part of houqin/space/scale.py).

A realistic handful for a district (~30 at 3,000 staff): agencies apply for more office space
(用房申请) through the shared approval flow (单位负责人 → 办公用房管理员 → 中心领导) over the
year — most approved, some rejected or withdrawn, the last ones still pending. The year's
adjustment plan (调整方案), applied on 1 July, realises the approved requests it can: each
gets an idle office that keeps the agency within its entitlement (the plan's allocations,
source 调整方案, as plan_apply writes them), and one service room changes hands between two
agencies. Next year's plan is a draft with the requests still waiting for a room.
"""

import datetime as dt
import random
from decimal import Decimal

from houqin.core.approvals.scale import ApprovalBatch
from houqin.core.scale import agency_leaders, bulk_stamped

from .compliance import compliance
from .models import AdjustmentPlan, Allocation, PlanStep, SpaceRequest, SpaceRoom, SubUse
from .models.buildings import UseKind
from .services.plans import REQUEST_TYPE

R = SpaceRequest.Status
K = PlanStep.Kind
REQUESTS = 30
REASONS = [
    "新增编制人员{n}名，现有办公用房不足，申请增加办公室一间。",
    "新组建工作专班，需集中办公场所。",
    "业务档案逐年增多，现有档案室已满，申请增设档案用房。",
    "承接划转职能，人员随职能转入，办公用房紧张。",
    "接收军转干部及选调生{n}名，需安排办公位置。",
]
REJECT = [
    "现有办公用房已达核定面积，不予增加，请内部调剂解决。",
    "理由不充分，请补充人员变动依据。",
]
WITHDRAW = ["已通过内部调剂解决。", "专班撤销，不再需要。"]
CERTIFICATE = "X机管配〔{year}〕{n}号"


def _submitted(ctx, rng, workdays):
    day = rng.choice(workdays)
    return ctx.at(day, rng.randint(9, 16), rng.randint(0, 59))


def _after(rng, moment, low=1, high=5):
    return moment + dt.timedelta(days=rng.randint(low, high), hours=rng.randint(1, 6))


def _requests(ctx, rng, leaders, pending_from):
    """The year's requests with their approvals; returns the SpaceRequest rows (with pk)."""
    manager, leader = ctx.accounts["space"].pk, ctx.accounts["leader"].pk
    staff = {}
    for person in ctx.people:
        staff.setdefault(person.agency_id, []).append(person)
    workdays = [d for d in ctx.workdays() if d.month < 12]
    rows, flows = [], []
    for _n in range(max(4, ctx.scaled(REQUESTS))):
        agency = rng.choice(ctx.agencies)
        people = staff.get(agency.pk) or [rng.choice(ctx.people)]
        head = leaders.get(agency.pk, people[0].user_id)
        clerks = [p for p in people if p.user_id != head] or people
        requester = rng.choice(clerks)
        submitted = _submitted(ctx, rng, workdays)
        first = _after(rng, submitted)
        second = _after(rng, first)
        third = _after(rng, second)
        decisions, end = [(head, "approve", first, "同意，报中心审核。")], None
        status, decided, updated = R.PENDING, None, first
        roll = rng.random()
        if submitted.date() >= pending_from:  # still being decided at the year's end
            decisions = decisions[: rng.randint(0, 1)]
            updated = decisions[0][2] if decisions else submitted
        elif roll < 0.15:
            comment = rng.choice(REJECT)
            decisions.append((manager, "reject", second, comment))
            status, decided, updated, end = R.REJECTED, second, second, ("rejected",)
        elif roll < 0.25:
            comment = rng.choice(WITHDRAW)
            status, updated, end = R.CANCELLED, second, ("cancelled", second, comment)
        else:
            decisions += [
                (manager, "approve", second, "同意。"),
                (leader, "approve", third, "同意。"),
            ]
            status, decided, updated, end = R.APPROVED, third, third, ("approved",)
        grown = len(people) // 10 + rng.randint(1, 3)
        request = SpaceRequest(
            center_id=ctx.center.pk,
            agency=agency,
            requested_by_id=requester.user_id,
            reason=rng.choice(REASONS).format(n=grown),
            headcount=max(1, len(people)),
            area_wanted=Decimal(rng.choice((15, 18, 20, 24, 30, 36))),
            status=status,
            decided_at=decided,
            created_at=submitted,
            updated_at=updated,
        )
        rows.append(request)
        flows.append((decisions, end))
    rows = bulk_stamped(ctx, SpaceRequest, rows)
    batch = ApprovalBatch(ctx, REQUEST_TYPE, SpaceRequest)
    for request, (decisions, end) in zip(rows, flows, strict=True):
        batch.add(
            request.pk,
            requester_id=request.requested_by_id,
            agency_id=request.agency_id,
            title=str(request),
            summary=request.reason[:200],
            at=request.created_at,
            decisions=decisions,
            end=end,
        )
    return rows, len(rows) + batch.write()


def _idle_offices(rooms):
    """Offices nobody has ever held (the register's idle rooms), smallest first."""
    held_before = set(Allocation.objects.filter(room__in=rooms).values_list("room_id", flat=True))
    return sorted(
        (
            r
            for r in rooms
            if r.status == SpaceRoom.Status.IDLE
            and r.sub_use == SubUse.OFFICE
            and r.pk not in held_before
        ),
        key=lambda r: (r.usable_area, r.pk),
    )


def _headroom(ctx, day):
    """{agency id: entitlement − office area} on `day`."""
    report = compliance(ctx.center.pk, day, today=ctx.last_day)
    return {row.agency.pk: row.entitlement - row.office_area for row in report.agencies}


def _plan(ctx, year, effective, status, created):
    manager = ctx.accounts["space"]
    applied = status == AdjustmentPlan.Status.APPLIED
    draft = "" if applied else "（草案）"
    return AdjustmentPlan(
        center_id=ctx.center.pk,
        year=year,
        title=f"{year}年度办公用房调整方案{draft}",
        effective_date=effective,
        notes="落实已批准的用房申请，调剂部分服务用房。",
        status=status,
        created_by=manager,
        applied_at=ctx.at(effective, 10) if applied else None,
        applied_by=manager if applied else None,
        created_at=created,
        updated_at=ctx.at(effective, 10) if applied else created,
    )


def _moves(ctx, granted, idle, headroom, keep):
    """(request, room) pairs: each granted request the smallest idle office that keeps its
    agency within its entitlement; `keep` idle offices are left over."""
    moves, free = [], list(idle)
    for request in granted:
        if len(free) <= keep:
            break
        room = next((r for r in free if r.usable_area <= headroom.get(request.agency_id, 0)), None)
        if room is None:
            continue
        free.remove(room)
        headroom[request.agency_id] -= room.usable_area
        moves.append((request, room))
    return moves, free


def _transfer(ctx, rng, rooms, effective):
    """A service room held by one agency, for the plan to hand to another."""
    if len(ctx.agencies) < 2:
        return None
    agencies = {a.pk for a in ctx.agencies}
    current = {
        a.room_id: a
        for a in Allocation.objects.filter(
            center_id=ctx.center.pk, end_date__isnull=True, agency_id__in=agencies
        )
    }
    candidates = [
        r
        for r in rooms
        if r.use_kind != UseKind.OFFICE
        and r.pk in current
        and current[r.pk].start_date <= effective
        and r.status == SpaceRoom.Status.OCCUPIED
    ]
    if not candidates:
        return None
    room = rng.choice(candidates)
    held = current[room.pk]
    to = rng.choice([a for a in ctx.agencies if a.pk != held.agency_id])
    return room, held, to


def _allocate(plan, position, request, room, certificate_no=""):
    """The plan's step giving an idle office to the agency whose request it realises."""
    return PlanStep(
        plan=plan,
        position=position,
        kind=K.ALLOCATE,
        room=room,
        to_agency_id=request.agency_id,
        request=request,
        certificate_no=certificate_no,
        note="落实用房申请",
        created_at=plan.created_at,
    )


def seed_plans(ctx, rooms) -> int:
    # A generator of its own: the seeds after space (vendors, activities) draw from ctx.rng
    # and keep the numbers they had before requests and plans were added.
    rng = random.Random(f"{ctx.center.code}-{ctx.year}-space-plans")  # noqa: S311
    year, manager = ctx.year, ctx.accounts["space"]
    effective = dt.date(year, 7, 1)
    leaders = agency_leaders(ctx)
    requests, written = _requests(ctx, rng, leaders, dt.date(year, 11, 15))
    granted = sorted(
        (r for r in requests if r.status == R.APPROVED),
        key=lambda r: (r.decided_at, r.pk),
    )
    ready = [r for r in granted if r.decided_at.date() < effective - dt.timedelta(days=7)]
    headroom = _headroom(ctx, effective)
    moves, free = _moves(ctx, ready, _idle_offices(rooms), headroom, keep=1)
    transfer = _transfer(ctx, rng, rooms, effective)
    if not moves and transfer is None:  # nothing to do this year: no plan
        return written
    created = ctx.at(effective - dt.timedelta(days=rng.randint(15, 30)), 15)
    plans = [_plan(ctx, year, effective, AdjustmentPlan.Status.APPLIED, created)]
    waiting = [r for r in granted if r not in {m[0] for m in moves}]
    draft_moves, _rest = _moves(ctx, waiting, free, dict(headroom), keep=0)
    if draft_moves:
        drafted = ctx.at(dt.date(year, 12, rng.randint(10, 20)), 10)
        plans.append(
            _plan(ctx, year + 1, dt.date(year + 1, 3, 1), AdjustmentPlan.Status.DRAFT, drafted)
        )
    plans = bulk_stamped(ctx, AdjustmentPlan, plans)
    serial = (
        Allocation.objects.filter(center_id=ctx.center.pk, certificate_date__year=year).count() + 1
    )
    steps = []
    for n, (request, room) in enumerate(moves):
        number = CERTIFICATE.format(year=year, n=serial + n)
        steps.append(_allocate(plans[0], n + 1, request, room, number))
    if transfer is not None:
        room, held, to = transfer
        steps.append(
            PlanStep(
                plan=plans[0],
                position=len(steps) + 1,
                kind=K.TRANSFER,
                room=room,
                from_agency_id=held.agency_id,
                to_agency=to,
                certificate_no=CERTIFICATE.format(year=year, n=serial + len(steps)),
                note="服务用房调剂使用",
                created_at=plans[0].created_at,
            )
        )
    for n, (request, room) in enumerate(draft_moves):
        steps.append(_allocate(plans[1], n + 1, request, room))
    steps = bulk_stamped(ctx, PlanStep, steps)
    return written + len(plans) + len(steps) + _apply(ctx, plans[0], steps, transfer, manager)


def _apply(ctx, plan, steps, transfer, manager) -> int:
    """What plan_apply writes for the applied plan: the old holder's allocation ended on the
    effective date, the new one from that day (source 调整方案), the rooms occupied."""
    day, applied = plan.effective_date, plan.applied_at
    mine = [s for s in steps if s.plan_id == plan.pk]
    if transfer is not None:
        _room, held, _to = transfer
        Allocation.objects.filter(pk=held.pk).update(end_date=day, updated_at=applied)
    rows = []
    for step in mine:  # idle offices never held, or the room whose holder was just ended
        rows.append(
            Allocation(
                center_id=ctx.center.pk,
                room_id=step.room_id,
                agency_id=step.to_agency_id,
                start_date=day,
                certificate_no=step.certificate_no,
                certificate_date=day if step.certificate_no else None,
                source=Allocation.Source.PLAN,
                plan_step=step,
                note=step.note,
                created_by=manager,
                created_at=applied,
            )
        )
    rows = bulk_stamped(ctx, Allocation, rows)
    SpaceRoom.objects.filter(pk__in=[s.room_id for s in mine]).update(
        status=SpaceRoom.Status.OCCUPIED
    )
    return len(rows)
