"""The scale dataset of the duties engine (manage.py seed_scale; see houqin/core/scale.py).

`seed(ctx)` writes the duty plans of the demo (demo.PLANS: cleaning, disinfection, pest
control, fire patrol, fire inspection, safety training) and a year of their tasks with the
completion records, as generation.generate_tasks and services.duty_task_complete would have
written them day by day: most done on time, some late, a few never done (overdue). Plans of
other modules that have no task in the year yet (the canteen's food-safety plans…) get their
year too, so every plan of the scale center reads like a year that is over.

The helpers here are shared with the other modules' scale seeds (maintenance preventive plans
and inspection rounds, security patrols): `plan_create` (no task generation: the year is
written by `year_of_tasks`) and `year_of_tasks`, whose tasks are generation.task_for's, as
the engine's. Stamps kept on bulk inserts (`bulk_stamped`) are in houqin/core/scale.py.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from houqin.core.roles import Role
from houqin.core.scale import bulk_stamped, own_stamps

from .checklist import clean_checklist
from .generation import task_for
from .models import DutyPlan, DutyRecord, DutyTask
from .recurrence import TZ, normalize_rule, occurrences, to_local

SHARES = (0.92, 0.06)  # done on time, done late; the rest is never done (overdue)
FAIL_SHARE = 0.0  # generic plans: no failed items (follow-ups belong to each module's seed)


def year_start(ctx) -> dt.datetime:
    return dt.datetime(ctx.year, 1, 1, tzinfo=TZ)


def year_end(ctx) -> dt.datetime:
    return dt.datetime(ctx.year + 1, 1, 1, tzinfo=TZ)


def workday_set(ctx) -> set:
    if not hasattr(ctx, "_workday_set"):
        ctx._workday_set = set(ctx.workdays())
    return ctx._workday_set


def role_users(ctx, role) -> list[int]:
    """User ids holding `role` in the scale center (accounts and people the seeds added)."""
    from houqin.org.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(center_id=ctx.center.pk, role=role)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


# ------------------------------------------------------------------ plans
def plan_create(ctx, *, assignees=(), target=None, **fields) -> DutyPlan:
    """A plan as services.duty_plan_create writes it (normalised rule, cleaned checklist),
    without its 14-day task window: `year_of_tasks` writes the year."""
    from django.contrib.contenttypes.models import ContentType

    fields.setdefault("dtstart", year_start(ctx).replace(hour=0))
    fields["rrule"] = normalize_rule(fields["rrule"])
    fields["checklist"] = clean_checklist(fields.get("checklist") or [])
    if target is not None:
        fields["target_type"] = ContentType.objects.get_for_model(target)
        fields["target_id"] = target.pk
    fields.setdefault("created_at", year_start(ctx) - dt.timedelta(days=20))
    fields.setdefault("updated_at", fields["created_at"])
    with own_stamps(DutyPlan):
        plan = DutyPlan.objects.create(center=ctx.center, **fields)
    if assignees:
        plan.assignees.set(assignees)
    return plan


def _answer(ctx, item):
    kind = item["type"]
    if kind == "bool":
        return True
    if kind == "number":
        low = item.get("min")
        high = item.get("max")
        low = float(low) if low is not None else 0.0
        high = float(high) if high is not None else low + 10
        value = Decimal(str(round(ctx.rng.uniform(low, high), 1)))
        return int(value) if value == value.to_integral() else float(value)
    if kind == "photo":
        return 0  # no files in a generated dataset
    return "正常" if item.get("required") else ""


def answers_for(ctx, checklist) -> dict:
    return {item["key"]: _answer(ctx, item) for item in checklist}


def year_of_tasks(
    ctx,
    plans,
    *,
    doers=None,
    shares=SHARES,
    until=None,
    failures=None,
):
    """Write the tasks of `plans` due in the scale year (until `until`, default the year's end)
    and the records of the done ones. Returns (tasks, records) with primary keys.

    doers: {plan id: [user ids]} who complete a plan's tasks (default: the plan's named
    assignees, else the holders of its role, else its manager). failures: optional callable
    (plan, task) -> list of failed items (dicts as checklist.clean_completion writes them),
    or [] for a clean record; the caller turns them into findings or work orders.
    """
    rng = ctx.rng
    start, end = year_start(ctx), until or year_end(ctx)
    workdays = workday_set(ctx)
    doers = dict(doers or {})
    named = defaultdict(list)
    for plan_id, user_id in DutyPlan.assignees.through.objects.filter(
        dutyplan_id__in=[p.pk for p in plans]
    ).values_list("dutyplan_id", "user_id"):
        named[plan_id].append(user_id)
    by_role = {}
    tasks, plan_of = [], []
    for plan in plans:
        if plan.pk not in doers:
            people = named.get(plan.pk)
            if not people and plan.assignee_role:
                if plan.assignee_role not in by_role:
                    by_role[plan.assignee_role] = role_users(ctx, plan.assignee_role)
                people = by_role[plan.assignee_role]
            doers[plan.pk] = people or [plan.manager_id or ctx.accounts["admin"].pk]
        for due in occurrences(
            plan.rrule,
            plan.dtstart,
            max(start, plan.dtstart),
            end,
            workdays_only=plan.workdays_only,
            workdays=workdays,
        ):
            # Created when the rolling 14-day window of generation first reached it.
            created = max(due - dt.timedelta(days=14), plan.dtstart)
            tasks.append(task_for(plan, due, created_at=created))
            plan_of.append(plan)
    now = timezone.now()
    outcome = []
    for task in tasks:
        roll = rng.random()
        if task.late_after >= now:
            outcome.append(None)  # not yet due when the dataset is written: left open
            continue
        if roll < shares[0]:
            outcome.append(_on_time(rng, task))
        elif roll < shares[0] + shares[1]:
            outcome.append(task.late_after + dt.timedelta(minutes=rng.randint(30, 3 * 24 * 60)))
        else:
            outcome.append(None)
        done_at = outcome[-1]
        if done_at is not None:
            task.status = DutyTask.Status.DONE
            task.completed_at = done_at
            task.updated_at = done_at
            task.reminded_at = min(task.due_at, done_at)
        else:
            task.updated_at = task.late_after
            task.reminded_at = task.due_at
            task.overdue_notified_at = task.late_after
    tasks = bulk_stamped(ctx, DutyTask, tasks)
    through = DutyTask.assignees.through
    ctx.bulk(
        through,
        (
            through(dutytask_id=t.pk, user_id=u)
            for t, plan in zip(tasks, plan_of, strict=True)
            for u in named.get(plan.pk, ())
        ),
    )
    records = []
    for task, plan, done_at in zip(tasks, plan_of, outcome, strict=True):
        if done_at is None:
            continue
        failed = failures(plan, task) if failures else []
        answers = answers_for(ctx, task.checklist)
        for item in failed:
            if item.get("answer") == "否":
                answers[item["key"]] = False
        person = rng.choice(doers[plan.pk])
        records.append(
            DutyRecord(
                center_id=task.center_id,
                task_id=task.pk,
                completed_by_id=person,
                completed_at=done_at,
                answers=answers,
                notes="；".join(i["label"] for i in failed)[:200] if failed else "",
                failed_items=failed,
                on_time=done_at <= task.late_after,
                created_at=done_at,
            )
        )
    records = bulk_stamped(ctx, DutyRecord, records)
    return tasks, records


def _on_time(rng, task) -> dt.datetime:
    """A completion within the grace period, never before the day the task is due (the
    service refuses that), mostly near the due time."""
    window = (task.late_after - task.due_at).total_seconds()
    day_start = to_local(task.due_at).replace(hour=0, minute=0, second=0, microsecond=0)
    early = max(day_start, task.due_at - dt.timedelta(minutes=30))
    span = min(window, 8 * 3600) if window else 0
    offset = rng.triangular(0, span, span * 0.15) if span else 0
    moment = task.due_at + dt.timedelta(seconds=offset)
    if rng.random() < 0.2:
        moment = early + (task.due_at - early) * rng.random()
    return min(moment, task.late_after).replace(microsecond=0)


# ------------------------------------------------------------------ the app's own seed
DEMO_MANAGERS = {
    DutyPlan.Category.CLEANING: "meeting",
    DutyPlan.Category.DISINFECTION: "maintenance",
    DutyPlan.Category.PEST_CONTROL: "meeting",
    DutyPlan.Category.FIRE_PATROL: "security",
    DutyPlan.Category.FIRE_INSPECTION: "security",
    DutyPlan.Category.SAFETY_TRAINING: "dispatcher",
}
ROLE_ACCOUNTS = {
    Role.MEETING_MANAGER: "meeting",
    Role.MAINTENANCE_MANAGER: "maintenance",
    Role.GUARD: "guard",
    Role.SECURITY_MANAGER: "security",
    Role.FLEET_DISPATCHER: "dispatcher",
}


def seed(ctx) -> int:
    from .demo import PLANS

    existing = set(
        DutyPlan.objects.filter(center=ctx.center, is_active=True).values_list("title", flat=True)
    )
    plans = []
    for spec in PLANS:
        if spec["title"] in existing:
            continue
        fields = dict(spec)
        fields["manager"] = ctx.accounts[DEMO_MANAGERS[spec["category"]]]
        fields["created_by"] = ctx.accounts["admin"]
        plans.append(plan_create(ctx, **fields))
    # Plans other modules made (through their services, with only the window ahead of the
    # day the seed ran) get their year as well, unless their seed wrote it.
    with_tasks = set(
        DutyTask.objects.filter(
            center=ctx.center, due_at__gte=year_start(ctx), due_at__lt=year_end(ctx)
        )
        .values_list("plan_id", flat=True)
        .distinct()
    )
    plans += [
        p
        for p in DutyPlan.objects.filter(center=ctx.center, is_active=True).exclude(
            pk__in=[p.pk for p in plans]
        )
        if p.pk not in with_tasks
    ]
    tasks, records = year_of_tasks(ctx, plans)
    ctx.log(f"    责任计划 {len(plans)} 个，任务 {len(tasks)} 条，完成记录 {len(records)} 条")
    return len(plans) + len(tasks) + len(records)
