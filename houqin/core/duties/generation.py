"""Task generation: the tasks of plans for a rolling window ahead, created idempotently.

Callers hold a transaction (the services do). Two runs at once cannot duplicate a task: the
(plan, due_at) unique constraint makes the loser's inserts no-ops (bulk_create with
ignore_conflicts), and named assignees are added to tasks that have none, with the same care.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import DateTimeField, ExpressionWrapper, F

from houqin.core.workdays.calendar import workdays_between

from .models import DutyPlan, DutyTask
from .recurrence import occurrences, to_local


def future_open_tasks(plan, now):
    """The plan's open tasks due from `now` on."""
    return DutyTask.objects.filter(plan=plan, status=DutyTask.Status.OPEN, due_at__gte=now)


def resync_plan_tasks(plan, *, now, days_ahead):
    """After a plan changed: its future open tasks follow the new rule (tasks no longer
    wanted are removed, the others take the new title, checklist, people and late time)."""
    future = future_open_tasks(plan, now)
    if not plan.is_active:
        future.delete()
        return
    existing = list(future.values_list("pk", "due_at"))
    horizon = max(
        [now + dt.timedelta(days=days_ahead)] + [d + dt.timedelta(1) for _pk, d in existing]
    )
    wanted = set(
        occurrences(
            plan.rrule,
            plan.dtstart,
            max(now, plan.dtstart),
            horizon,
            workdays_only=plan.workdays_only,
        )
    )
    stale = [pk for pk, due in existing if due not in wanted]
    if stale:
        DutyTask.objects.filter(pk__in=stale).delete()
    kept = DutyTask.objects.filter(pk__in=[pk for pk, due in existing if due in wanted])
    kept.update(
        title=plan.title,
        category=plan.category,
        location_text=plan.location_text,
        target_type=plan.target_type,
        target_id=plan.target_id,
        assignee_role=plan.assignee_role,
        vendor_name=plan.vendor_name,
        checklist=plan.checklist,
        late_after=ExpressionWrapper(
            F("due_at") + dt.timedelta(minutes=plan.grace_minutes), output_field=DateTimeField()
        ),
    )
    # Generation gives the plan's current people to every future task without any.
    DutyTask.assignees.through.objects.filter(dutytask__in=kept).delete()
    generate_tasks([plan], now=now, days_ahead=days_ahead)


def task_for(plan, due, **fields) -> DutyTask:
    """The unsaved task of `plan` due at `due`: what the plan says, late after its grace
    period. `fields` add to it (the scale dataset's stamps and outcome)."""
    return DutyTask(
        center_id=plan.center_id,
        plan=plan,
        title=plan.title,
        category=plan.category,
        location_text=plan.location_text,
        target_type_id=plan.target_type_id,
        target_id=plan.target_id,
        due_at=due,
        late_after=due + dt.timedelta(minutes=plan.grace_minutes),
        assignee_role=plan.assignee_role,
        vendor_name=plan.vendor_name,
        checklist=plan.checklist,
        **fields,
    )


def generate_tasks(plans, *, now, days_ahead) -> int:
    """Create the missing tasks of `plans` due in [now, now + days_ahead). Idempotent, also
    under concurrent runs: the (plan, due_at) unique constraint drops duplicates."""
    end = now + dt.timedelta(days=days_ahead)
    plans = [p for p in plans if p.is_active and p.dtstart < end]
    if not plans:
        return 0
    workdays = None
    if any(p.workdays_only for p in plans):
        first, last = to_local(now).date(), to_local(end).date() + dt.timedelta(days=1)
        workdays = set(workdays_between(first, last))
    existing = set(
        DutyTask.objects.filter(plan__in=plans, due_at__gte=now, due_at__lt=end).values_list(
            "plan_id", "due_at"
        )
    )
    new = []
    for plan in plans:
        for due in occurrences(
            plan.rrule,
            plan.dtstart,
            max(now, plan.dtstart),
            end,
            workdays_only=plan.workdays_only,
            workdays=workdays,
        ):
            if (plan.pk, due) in existing:
                continue
            new.append(task_for(plan, due))
    DutyTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    people = defaultdict(list)
    for plan_id, user_id in DutyPlan.assignees.through.objects.filter(
        dutyplan_id__in=[p.pk for p in plans]
    ).values_list("dutyplan_id", "user_id"):
        people[plan_id].append(user_id)
    if people:
        bare = DutyTask.objects.filter(
            plan_id__in=list(people),
            status=DutyTask.Status.OPEN,
            due_at__gte=now,
            due_at__lt=end,
            assignees__isnull=True,
        ).values_list("pk", "plan_id")
        through = DutyTask.assignees.through
        through.objects.bulk_create(
            [through(dutytask_id=t, user_id=u) for t, p in bare for u in people[p]],
            ignore_conflicts=True,
            batch_size=1000,
        )
    return len(new)
