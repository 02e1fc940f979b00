"""The meetings year of the scale dataset (manage.py seed_scale; see houqin/core/scale.py).

`seed(ctx)` writes ~50 rooms, the meeting services, a few weekly series and ~15,000 bookings
(at 3,000 staff) on the year's workdays in office hours, as the booking services would have
left them: no two active bookings of a room overlap (the PostgreSQL exclusion constraint),
bookings that need approval (the auditoriums, major meetings, more people than seats) carry
their approval request, every confirmed booking has its 会前/会后消毒 tasks, and a past
booking is final: served (checked in, attendance and both disinfection records), cancelled,
released (no check-in) or rejected. Bookings still ahead (a year not over) stay confirmed
with open tasks.

The rooms and the year's booking plan (who books which room when) are in scale_plans.py;
the approval rows are written by houqin/core/approvals/scale.py's `ApprovalBatch`.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.core.approvals.scale import ApprovalBatch
from houqin.core.duties.checklist import clean_checklist
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.roles import Role
from houqin.core.scale import bulk_stamped

from .defaults import ensure_services
from .disinfection import AFTER_DELAY, CHECKLIST
from .models import Booking, MeetingService, Room
from .scale_plans import (
    CANCEL_REASONS,
    REJECT_REASONS,
    SERVICES_FOR,
    Organisers,
    Planner,
    _at,
    _plan_series,
    _plan_singles,
    _rooms,
)

S = Booking.Status
K = Room.Kind
MIN = dt.timedelta(minutes=1)


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
