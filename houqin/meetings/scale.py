"""The meetings year of the scale dataset (manage.py seed_scale; see houqin/core/scale.py).

`seed(ctx)` writes ~50 rooms, the meeting services, a few weekly series and ~15,000 bookings
(at 3,000 staff) on the year's workdays in office hours, as the booking services would have
left them: no two active bookings of a room overlap (the PostgreSQL exclusion constraint),
bookings that need approval (the auditoriums, major meetings, more people than seats) carry
their approval request, every confirmed booking has its 会前/会后消毒 tasks, and a past
booking is final: served (checked in, attendance and both disinfection records), cancelled,
released (no check-in) or rejected. Bookings still ahead (a year not over) stay confirmed
with open tasks.

`ApprovalBatch` writes approval requests, steps and actions in bulk as approvals.services
leaves them; the fleet seed uses it too.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.core.approvals.models import ApprovalAction, ApprovalRequest, ApprovalStep
from houqin.core.approvals.registry import get_request_type
from houqin.core.approvals.services import _ensure_flow
from houqin.core.duties.checklist import clean_checklist
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.recurrence import TZ
from houqin.core.duties.scale import bulk_stamped
from houqin.core.roles import Role

from .defaults import ensure_services
from .disinfection import AFTER_DELAY, CHECKLIST
from .models import Booking, BookingSeries, MeetingService, Room

S = Booking.Status
K = Room.Kind
MIN = dt.timedelta(minutes=1)

# ------------------------------------------------------------------ approvals (shared)


class ApprovalBatch:
    """Approval requests of one type, collected then written in bulk (request, steps,
    actions), with the states approvals.services leaves: decided steps carry who and when,
    the current position is the last step reached, closed requests their decided_at.

    add(..., decisions=[(user_id, "approve" | "reject", at, comment), ...], end=...) where
    end is None (still pending at the next step), ("approved",), ("rejected",) or
    ("cancelled", at, comment) — withdrawn by the requester while pending."""

    def __init__(self, ctx, request_type, model):
        self.ctx = ctx
        self.code = request_type
        flow = _ensure_flow(ctx.center.pk, get_request_type(request_type))
        self.flow_steps = list(flow.steps.order_by("position"))
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        self.items = []

    def add(self, obj_id, *, requester_id, agency_id, title, summary, at, decisions, end):
        self.items.append((obj_id, requester_id, agency_id, title, summary, at, decisions, end))

    def write(self) -> int:
        A, R, St = ApprovalAction.Kind, ApprovalRequest.Status, ApprovalStep.Status
        requests, plans = [], []
        for obj_id, requester_id, agency_id, title, summary, at, decisions, end in self.items:
            steps, actions = [], [(requester_id, A.SUBMIT, None, "", at)]
            position, last = 1, at
            for index, spec in enumerate(self.flow_steps):
                decided = decisions[index] if index < len(decisions) else None
                step = {"spec": spec, "status": St.WAITING, "by": None, "at": None, "c": ""}
                if decided is not None:
                    user_id, verdict, when, comment = decided
                    step.update(by=user_id, at=when, c=comment)
                    step["status"] = St.APPROVED if verdict == "approve" else St.REJECTED
                    kind = A.APPROVE if verdict == "approve" else A.REJECT
                    actions.append((user_id, kind, spec, comment, when))
                    position, last = spec.position, when
                elif not any(s["status"] == St.PENDING for s in steps) and (
                    not steps or steps[-1]["status"] == St.APPROVED
                ):
                    step["status"] = St.PENDING  # the step waiting for a decision
                    position = spec.position
                steps.append(step)
            status, decided_at = R.PENDING, None
            if end is not None and end[0] == "cancelled":
                status, decided_at, last = R.CANCELLED, end[1], end[1]
                for step in steps:  # withdrawing puts the pending step back to waiting
                    if step["status"] == St.PENDING:
                        step["status"] = St.WAITING
                actions.append((requester_id, A.CANCEL, None, end[2], end[1]))
            elif end is not None:
                status = R.APPROVED if end[0] == "approved" else R.REJECTED
                decided_at = last
            requests.append(
                ApprovalRequest(
                    center_id=self.ctx.center.pk,
                    request_type=self.code,
                    content_type_id=self.content_type_id,
                    object_id=obj_id,
                    agency_id=agency_id,
                    requester_id=requester_id,
                    title=title[:200],
                    summary=summary,
                    status=status,
                    current_position=position,
                    decided_at=decided_at,
                    created_at=at,
                    updated_at=last,
                )
            )
            plans.append((steps, actions, at))
        requests = bulk_stamped(self.ctx, ApprovalRequest, requests)
        step_rows, action_rows = [], []
        for request, (steps, actions, at) in zip(requests, plans, strict=True):
            for step in steps:
                spec = step["spec"]
                step_rows.append(
                    ApprovalStep(
                        request_id=request.pk,
                        position=spec.position,
                        name=spec.name,
                        approver_role=spec.approver_role,
                        scope=spec.scope,
                        approver_user_id=spec.approver_user_id,
                        status=step["status"],
                        decided_by_id=step["by"],
                        decided_at=step["at"],
                        comment=step["c"],
                        created_at=at,
                        updated_at=step["at"] or at,
                    )
                )
            for actor_id, kind, spec, comment, when in actions:
                action_rows.append(
                    ApprovalAction(
                        request_id=request.pk,
                        actor_id=actor_id,
                        action=kind,
                        position=spec.position if spec is not None else None,
                        step_name=spec.name if spec is not None else "",
                        comment=comment,
                        created_at=when,
                    )
                )
        bulk_stamped(self.ctx, ApprovalStep, step_rows)
        bulk_stamped(self.ctx, ApprovalAction, action_rows)
        return len(requests) + len(step_rows) + len(action_rows)


# ------------------------------------------------------------------ rooms

BUILDINGS = [("A区", 8), ("B区", 6), ("档案馆", 3), ("党校", 4)]
AUDITORIUMS = [("一楼报告厅", "A区", 300), ("B区多功能厅", "B区", 200), ("党校报告厅", "党校", 400)]
EQUIPMENT = {K.AUDITORIUM: "舞台、LED 屏、音响、灯光、录音录像", K.MEDIUM: "投影、音响"}


def _rooms(ctx):
    rng, count = ctx.rng, max(5, ctx.scaled(50))  # even a small center has a few rooms
    auditoriums = max(1, round(count * 0.06))
    medium = max(1, round(count * 0.42))
    specs = []
    for i in range(auditoriums):
        name, building, capacity = AUDITORIUMS[i % len(AUDITORIUMS)]
        if i >= len(AUDITORIUMS):
            name = f"{name}（{i // len(AUDITORIUMS) + 1}）"
        specs.append((name, K.AUDITORIUM, building, "1", capacity))
    serial = defaultdict(int)
    while len(specs) < count:
        kind = K.MEDIUM if len(specs) < auditoriums + medium else K.SMALL
        building, floors = BUILDINGS[len(specs) % len(BUILDINGS)]
        floor = rng.randint(2, floors)
        serial[(building, floor)] += 1
        number = f"{floor}{serial[(building, floor)]:02d}"
        if kind == K.MEDIUM:
            name, capacity = f"{building}{number}会议室", rng.choice((30, 40, 40, 50, 60, 80))
        else:
            name, capacity = f"{building}{number}小会议室", rng.choice((8, 10, 12, 12, 16, 20))
        specs.append((name, kind, building, str(floor), capacity))
    created = ctx.first_day - dt.timedelta(days=60)
    rows = []
    for index, (name, kind, building, floor, capacity) in enumerate(specs):
        rows.append(
            Room(
                center=ctx.center,
                name=name,
                code=f"HY{index + 1:03d}",
                kind=kind,
                building=building,
                floor=floor,
                capacity=capacity,
                equipment=EQUIPMENT.get(kind, "电视屏"),
                requires_approval=kind == K.AUDITORIUM,
                # The archive's meeting rooms are for liaisons (as in the demo).
                bookable_by=Room.BookableBy.LIAISON
                if building == "档案馆" and kind == K.MEDIUM
                else Room.BookableBy.STAFF,
                auto_release_minutes=15 if kind == K.SMALL else None,
                created_at=dt.datetime.combine(created, dt.time(9), tzinfo=TZ),
            )
        )
    return bulk_stamped(ctx, Room, rows)


# ------------------------------------------------------------------ bookings

TOPICS = {
    K.SMALL: ["科室例会", "项目对接会", "工作碰头会", "业务洽谈", "专题研究会", "材料审核会"],
    K.MEDIUM: ["工作推进会", "业务培训会", "党组会", "党支部学习会", "工作部署会", "评审会"],
    K.AUDITORIUM: ["全体干部大会", "专题讲座", "业务培训", "表彰大会", "警示教育大会"],
}
MAJOR = [  # title, 重大会议类别
    ("区人大常委会会议", "区人大"),
    ("区政协常委会议", "区政协"),
    ("区委全会", "区委"),
    ("区政府常务会议", "区政府"),
    ("全区经济工作会议", "区委"),
    ("全区安全生产工作会议", "区政府"),
]
SERVICES_FOR = {  # as the demo
    Booking.Level.MAJOR: ["茶水", "桌签", "音响", "录音录像", "横幅", "鲜花"],
    Booking.Level.IMPORTANT: ["茶水", "桌签", "投影"],
    Booking.Level.ORDINARY: ["茶水"],
}
CANCEL_REASONS = ["会议时间调整", "领导另有安排", "会议取消", "改为视频会议", "改用其他会议室"]
REJECT_REASONS = ["该时段报告厅已安排重要活动", "参会人数超出容量，请改订报告厅", "请提前协调"]
# Busier in March (两会), June and the year's end; quieter at Spring Festival and in summer.
MONTH_WEIGHT = {1: 0.9, 2: 0.6, 3: 1.2, 4: 1.05, 5: 1.0, 6: 1.1, 7: 0.85, 8: 0.8, 9: 1.05}
MONTH_WEIGHT.update({10: 0.9, 11: 1.1, 12: 1.2})
STARTS = [(8, 30), (9, 0), (9, 0), (9, 30), (10, 0), (10, 30), (14, 0), (14, 30), (15, 0), (16, 0)]
KIND_SHARE = ((K.SMALL, 0.5), (K.MEDIUM, 0.46), (K.AUDITORIUM, 0.04))


def _pick(rng, weighted):
    roll, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if roll < acc:
            return value
    return weighted[-1][0]


def _duration(rng, kind):
    if kind == K.AUDITORIUM:
        return rng.choice((120, 150, 180, 180, 240))
    if kind == K.MEDIUM:
        return rng.choice((60, 90, 90, 120, 120, 150, 180))
    return rng.choice((30, 60, 60, 60, 90, 120))


class Planner:
    """Free time per room and day (minutes since midnight): no two bookings overlap."""

    def __init__(self):
        self.busy = defaultdict(list)

    def take(self, room, day, start, end):
        spans = self.busy[(room.pk, day)]
        if any(s < end and start < e for s, e in spans):
            return False
        spans.append((start, end))
        return True


def _at(day, minutes):
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)


class Organisers:
    """Who books: staff of the agencies mostly; the meeting manager (会务股) and the center's
    leaders for the center's own meetings and the liaison-only rooms."""

    def __init__(self, ctx):
        self.people = ctx.people
        self.short = {a.pk: a.short_name or a.name for a in ctx.agencies}
        sections = ctx.center_sections
        self.center_side = [
            (ctx.accounts["meeting"].pk, sections["HWG"].pk, "会务股"),
            (ctx.accounts["leader"].pk, sections["BGS"].pk, "中心"),
            (ctx.accounts["admin"].pk, sections["BGS"].pk, "中心办公室"),
        ]
        self.manager_id = ctx.accounts["meeting"].pk

    def pick(self, rng, room):
        if room.bookable_by != Room.BookableBy.STAFF or rng.random() < 0.12:
            return rng.choice(self.center_side)
        person = rng.choice(self.people)
        return person.user_id, person.agency_id, self.short.get(person.agency_id, "")


def _plan_series(ctx, rooms, planner, organisers, workdays):
    """Weekly meetings (周例会, 党组会…) booked as series early in January."""
    rng, plans, series = ctx.rng, [], []
    candidates = [r for r in rooms if r.kind != K.AUDITORIUM]
    codes = ["MO", "TU", "WE", "TH", "FR"]
    for _i in range(ctx.scaled(20)):
        room = rng.choice(candidates)
        weekday = rng.randrange(5)
        start = rng.choice(((8, 30), (9, 0), (15, 0)))
        minutes = start[0] * 60 + start[1]
        length = rng.choice((60, 90))
        booker, agency, short = organisers.pick(rng, room)
        title = f"{short}{rng.choice(('周例会', '党组会', '工作调度会'))}"
        series.append(
            BookingSeries(
                center_id=ctx.center.pk,
                room=room,
                rrule=f"FREQ=WEEKLY;BYDAY={codes[weekday]}",
                title=title,
                booker_id=booker,
                created_at=_at(ctx.first_day, 9 * 60) - dt.timedelta(days=7),
            )
        )
        people = max(1, min(room.capacity, rng.randint(6, 25)))
        for day in workdays:
            if day.weekday() == weekday and planner.take(room, day, minutes, minutes + length):
                plans.append(
                    {
                        "room": room,
                        "series": len(series) - 1,
                        "day": day,
                        "start": minutes,
                        "end": minutes + length,
                        "booker": booker,
                        "agency": agency,
                        "title": title,
                        "level": Booking.Level.ORDINARY,
                        "major": "",
                        "people": people,
                        "created": series[-1].created_at,
                    }
                )
    return bulk_stamped(ctx, BookingSeries, series), plans


def _plan_singles(ctx, rooms, planner, organisers, workdays, count):
    rng, plans = ctx.rng, []
    by_kind = defaultdict(list)
    for room in rooms:
        by_kind[room.kind].append(room)
    shares = [(k, s) for k, s in KIND_SHARE if by_kind[k]]
    total_weight = sum(MONTH_WEIGHT[d.month] for d in workdays)
    carry = 0.0
    for day in workdays:
        carry += count * MONTH_WEIGHT[day.month] / total_weight
        wanted, carry = int(carry), carry - int(carry)
        for _n in range(wanted):
            for _attempt in range(8):
                kind = _pick(rng, shares)
                room = rng.choice(by_kind[kind])
                hour, minute = rng.choice(STARTS)
                if rng.random() < 0.03:
                    hour, minute = 19, 0  # an evening meeting now and then
                start = hour * 60 + minute
                end = start + _duration(rng, kind)
                if planner.take(room, day, start, min(end, 21 * 60)):
                    break
            else:
                continue  # the day is full: the booking is not made
            booker, agency, short = organisers.pick(rng, room)
            level, major = Booking.Level.ORDINARY, ""
            roll = rng.random()
            if (kind == K.AUDITORIUM and roll < 0.3) or (kind == K.MEDIUM and roll < 0.02):
                title, major = rng.choice(MAJOR)
                level = Booking.Level.MAJOR
            else:
                if (kind == K.AUDITORIUM and roll < 0.7) or (kind == K.MEDIUM and roll < 0.22):
                    level = Booking.Level.IMPORTANT
                title = f"{short}{rng.choice(TOPICS[kind])}"
            low = max(1, room.capacity // (3 if kind == K.AUDITORIUM else 4))
            people = rng.randint(low, room.capacity)
            if rng.random() < 0.02:
                people = room.capacity + rng.randint(1, 10)  # more than the seats: approval
            lead = dt.timedelta(hours=rng.randint(2, 24 * (14 if level == "major" else 5)))
            plans.append(
                {
                    "room": room,
                    "series": None,
                    "day": day,
                    "start": start,
                    "end": min(end, 21 * 60),
                    "booker": booker,
                    "agency": agency,
                    "title": title,
                    "level": level,
                    "major": major,
                    "people": people,
                    "created": _at(day, start) - lead,
                }
            )
    return plans


def _needs_approval(plan, manager_id):
    if plan["booker"] == manager_id:
        return False
    room = plan["room"]
    return room.requires_approval or plan["level"] == "major" or plan["people"] > room.capacity


def _outcome(ctx, plan, manager_id, now):
    """Decide what happened to the booking; fills status and the times."""
    rng = ctx.rng
    room, starts, ends = plan["room"], plan["starts_at"], plan["ends_at"]
    created = plan["created"]
    plan["approval"] = None
    confirmed_at = created
    if _needs_approval(plan, manager_id):
        decided = min(created + (starts - created) * rng.uniform(0.05, 0.5), starts - MIN)
        roll = rng.random()
        if roll < 0.03:
            comment = rng.choice(CANCEL_REASONS)
            plan.update(status=S.CANCELLED, cancel_reason=comment, updated=decided)
            plan["approval"] = ([], ("cancelled", decided, comment))
            return
        if roll < 0.09:
            comment = rng.choice(REJECT_REASONS)
            plan.update(status=S.REJECTED, updated=decided)
            plan["approval"] = ([(manager_id, "reject", decided, comment)], ("rejected",))
            return
        plan["approval"] = ([(manager_id, "approve", decided, "同意")], ("approved",))
        confirmed_at = decided
    plan["confirmed_at"] = confirmed_at
    plan["confirmer"] = manager_id if plan["approval"] else plan["booker"]
    if ends > now:
        plan.update(status=S.CONFIRMED, updated=confirmed_at)
        return
    roll = rng.random()
    if roll < 0.07:
        when = min(confirmed_at + (starts - confirmed_at) * rng.random(), starts - MIN)
        plan.update(status=S.CANCELLED, cancel_reason=rng.choice(CANCEL_REASONS), updated=when)
        return
    if room.auto_release_minutes and roll < 0.11:
        released = starts + dt.timedelta(minutes=room.auto_release_minutes + rng.randint(0, 4))
        plan.update(status=S.RELEASED, updated=released)
        return
    checked_in = None
    if room.auto_release_minutes or rng.random() < 0.7:
        checked_in = starts - dt.timedelta(minutes=rng.randint(0, 15))
    served_at = ends + dt.timedelta(minutes=rng.randint(5, 90))
    plan.update(
        status=S.SERVED,
        checked_in=checked_in,
        served_at=served_at,
        actual=max(1, round(plan["people"] * rng.uniform(0.75, 1.0))),
        updated=served_at,
    )


def _done_at(rng, due, late_after, *, before):
    """When the disinfection record was made: mostly in time, now and then late."""
    if rng.random() < 0.04:
        return late_after + dt.timedelta(minutes=rng.randint(5, 120))
    if before:
        return due - dt.timedelta(minutes=rng.randint(0, 40))
    return due - AFTER_DELAY + dt.timedelta(minutes=rng.randint(5, 55))


def _disinfection(ctx, bookings, plans, manager_id):
    rng, checklist = ctx.rng, clean_checklist(CHECKLIST)
    target_type = ContentType.objects.get_for_model(Booking).pk
    tasks, pending_records = [], []
    for booking, plan in zip(bookings, plans, strict=True):
        if "confirmed_at" not in plan:
            continue  # never confirmed (rejected or withdrawn): no tasks
        status = plan["status"]
        for label, due in (
            ("会前消毒", booking.starts_at),
            ("会后消毒", booking.ends_at + AFTER_DELAY),
        ):
            late_after = due + dt.timedelta(minutes=30)
            task = DutyTask(
                center_id=booking.center_id,
                title=f"{label}：{plan['room'].name}（{booking.title}）"[:100],
                category=DutyPlan.Category.DISINFECTION,
                location_text=plan["room"].name,
                target_type_id=target_type,
                target_id=booking.pk,
                due_at=due,
                late_after=late_after,
                assignee_role=Role.MEETING_MANAGER,
                checklist=checklist,
                created_by_id=plan["confirmer"],
                created_at=plan["confirmed_at"],
                updated_at=plan["confirmed_at"],
            )
            if status == S.SERVED:
                done = _done_at(rng, due, late_after, before=label == "会前消毒")
                task.status, task.completed_at, task.updated_at = DutyTask.Status.DONE, done, done
                task.reminded_at = min(due, done)
                pending_records.append((len(tasks), done))
            elif status in (S.CANCELLED, S.RELEASED):
                task.status = DutyTask.Status.CANCELLED
                task.cancel_reason = (
                    "未签到，预订已释放" if status == S.RELEASED else plan["cancel_reason"]
                )
                task.updated_at = plan["updated"]
            tasks.append(task)
    tasks = bulk_stamped(ctx, DutyTask, tasks)
    answers = {item["key"]: True for item in checklist}
    records = [
        DutyRecord(
            center_id=tasks[i].center_id,
            task_id=tasks[i].pk,
            completed_by_id=manager_id,
            completed_at=done,
            answers=answers,
            on_time=done <= tasks[i].late_after,
            created_at=done,
        )
        for i, done in pending_records
    ]
    bulk_stamped(ctx, DutyRecord, records)
    return len(tasks) + len(records)


def seed(ctx) -> int:
    now = timezone.now()
    rng = ctx.rng
    rooms = _rooms(ctx)
    ensure_services(ctx.center)
    catalogue = {s.name: s.pk for s in MeetingService.objects.filter(center=ctx.center)}
    workdays = list(ctx.workdays())
    organisers = Organisers(ctx)
    manager_id = organisers.manager_id
    planner = Planner()
    series, plans = _plan_series(ctx, rooms, planner, organisers, workdays)
    singles = _plan_singles(
        ctx, rooms, planner, organisers, workdays, max(0, ctx.scaled(15000) - len(plans))
    )
    plans += singles
    plans.sort(key=lambda p: (p["day"], p["start"], p["room"].pk))
    for plan in plans:
        plan["starts_at"] = _at(plan["day"], plan["start"])
        plan["ends_at"] = _at(plan["day"], plan["end"])
        _outcome(ctx, plan, manager_id, now)
    bookings = [
        Booking(
            center_id=ctx.center.pk,
            room=p["room"],
            series=series[p["series"]] if p["series"] is not None else None,
            title=p["title"][:100],
            agency_id=p["agency"],
            booker_id=p["booker"],
            starts_at=p["starts_at"],
            ends_at=p["ends_at"],
            attendees_expected=p["people"],
            attendees_actual=p.get("actual"),
            level=p["level"],
            major_kind=p["major"],
            status=p["status"],
            cancel_reason=p.get("cancel_reason", ""),
            checked_in_at=p.get("checked_in"),
            served_at=p.get("served_at"),
            created_at=p["created"],
            updated_at=p["updated"],
        )
        for p in plans
    ]
    bookings = bulk_stamped(ctx, Booking, bookings)
    through = Booking.services.through
    links = []
    for booking, plan in zip(bookings, plans, strict=True):
        names = list(SERVICES_FOR[plan["level"]])
        if plan["room"].kind != K.SMALL and "投影" not in names and rng.random() < 0.4:
            names.append("投影")
        links += [
            through(booking_id=booking.pk, meetingservice_id=catalogue[n])
            for n in names
            if n in catalogue
        ]
    ctx.bulk(through, links)
    batch = ApprovalBatch(ctx, "meetings.booking", Booking)
    for booking, plan in zip(bookings, plans, strict=True):
        if plan["approval"] is None:
            continue
        decisions, end = plan["approval"]
        batch.add(
            booking.pk,
            requester_id=plan["booker"],
            agency_id=plan["agency"],
            title=f"{plan['room'].name} · {booking.title}",
            summary=f"{timezone.localtime(booking.starts_at):%Y-%m-%d %H:%M}，"
            f"预计 {plan['people']} 人（容纳 {plan['room'].capacity} 人）",
            at=plan["created"],
            decisions=decisions,
            end=end,
        )
    approval_rows = batch.write()
    task_rows = _disinfection(ctx, bookings, plans, manager_id)
    counts = defaultdict(int)
    for plan in plans:
        counts[plan["status"]] += 1
    ctx.log(
        f"    会议室 {len(rooms)} 间，预订 {len(bookings)} 条（已服务 {counts[S.SERVED]}，"
        f"取消 {counts[S.CANCELLED]}，释放 {counts[S.RELEASED]}，驳回 {counts[S.REJECTED]}）"
    )
    return (
        len(rooms)
        + len(catalogue)
        + len(series)
        + len(bookings)
        + len(links)
        + approval_rows
        + task_rows
    )
