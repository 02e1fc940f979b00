"""Reads of the duties engine, scoped to the user, with a constant number of queries.

Managers (holders of duties.view_dutytask: the managing roles of the center) see every task
of their center; anyone else sees the tasks assigned to them (named, or by a role they hold in
their center), the tasks of plans they manage and the records they completed.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.backends import user_roles

from .models import DutyPhoto, DutyPlan, DutyRecord, DutyTask
from .recurrence import as_bound, day_bounds, frequency_label, local_today

OVERDUE_LOOKBACK_DAYS = 30
VIEW_PLANS = "duties.view_dutyplan"
VIEW_TASKS = "duties.view_dutytask"
VIEW_RECORDS = "duties.view_dutyrecord"


def _usable(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "center_id", None) is not None
    )


def _through():
    return DutyTask.assignees.through.objects


def assigned_q(user) -> Q:
    """Tasks `user` must carry out: named, by a role they hold in their center, or — for a
    task done by a vendor with no staff assignee — as the plan's manager, who records it."""
    named = Exists(_through().filter(dutytask_id=OuterRef("pk"), user_id=user.pk))
    anyone_named = Exists(_through().filter(dutytask_id=OuterRef("pk")))
    q = Q(named) | (Q(plan__manager_id=user.pk, assignee_role="") & ~Q(anyone_named))
    roles = user_roles(user)
    if roles:
        q |= Q(assignee_role__in=sorted(roles))
    return Q(center_id=user.center_id) & q


def plans_for(user):
    if not _usable(user) or not user.has_perm(VIEW_PLANS):
        return DutyPlan.objects.none()
    return (
        DutyPlan.objects.filter(center_id=user.center_id)
        .select_related("manager__person")
        .prefetch_related("assignees__person")
    )


def tasks_for(user):
    """Tasks `user` may see (404 for the rest)."""
    if not _usable(user):
        return DutyTask.objects.none()
    qs = DutyTask.objects.filter(center_id=user.center_id).select_related(
        "plan", "record__completed_by__person"
    )
    if user.has_perm(VIEW_TASKS):
        return qs
    return qs.filter(
        assigned_q(user)
        | Q(plan__manager_id=user.pk)
        | Q(plan__isnull=True, created_by_id=user.pk)
        | Q(record__completed_by_id=user.pk)
    )


def my_tasks(user, day: dt.date | None = None):
    """Open tasks assigned to `user` due on `day` (local) or before it (still open: overdue,
    looking back OVERDUE_LOOKBACK_DAYS days), earliest first."""
    if not _usable(user):
        return DutyTask.objects.none()
    start, end = day_bounds(day or local_today())
    return (
        DutyTask.objects.filter(
            assigned_q(user),
            status=DutyTask.Status.OPEN,
            due_at__lt=end,
            due_at__gte=start - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS),
        )
        .select_related("plan")
        .order_by("due_at", "id")
    )


def my_done_tasks(user, day: dt.date | None = None):
    """Tasks assigned to `user` completed on `day` (local)."""
    if not _usable(user):
        return DutyTask.objects.none()
    start, end = day_bounds(day or local_today())
    return (
        DutyTask.objects.filter(
            assigned_q(user),
            status=DutyTask.Status.DONE,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .select_related("plan", "record__completed_by__person")
        .order_by("due_at", "id")
    )


def records_for(user):
    if not _usable(user):
        return DutyRecord.objects.none()
    qs = DutyRecord.objects.filter(center_id=user.center_id)
    if not user.has_perm(VIEW_RECORDS):
        qs = qs.filter(
            Q(completed_by_id=user.pk) | Q(task_id__in=Subquery(tasks_for(user).values("pk")))
        )
    return qs.select_related("task__plan", "completed_by__person").annotate(
        photo_count=Count("photos")
    )


def photos_for(user):
    if not _usable(user):
        return DutyPhoto.objects.none()
    return DutyPhoto.objects.filter(
        center_id=user.center_id, record_id__in=Subquery(records_for(user).values("pk"))
    )


def plan_history(plan, start, end):
    """The plan's tasks due in [start, end), with their records."""
    return (
        DutyTask.objects.filter(plan=plan, due_at__gte=as_bound(start), due_at__lt=as_bound(end))
        .select_related("record__completed_by__person")
        .order_by("due_at", "id")
    )


def overdue_tasks(center, *, now=None, category=None):
    """Open tasks of `center` past their late time (last OVERDUE_LOOKBACK_DAYS days)."""
    now = now or timezone.now()
    qs = DutyTask.objects.filter(
        center=center,
        status=DutyTask.Status.OPEN,
        late_after__lte=now,
        due_at__gte=now - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS),
    )
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("plan").order_by("-due_at", "-id")


def tasks_for_object(obj, *, center=None):
    """Tasks linked to `obj` (e.g. the disinfection tasks of a meeting booking)."""
    qs = DutyTask.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk
    )
    if center is not None:
        qs = qs.filter(center=center)
    return qs.select_related("record")


@dataclass
class ComplianceRow:
    """One plan's (or one category of ad-hoc tasks') figures for a period.

    due = tasks that have come due (or are done); due = done_on_time + done_late + missed
    + open (due, within the grace period). upcoming: not due yet. Cancelled tasks are left out.
    """

    plan: DutyPlan | None
    title: str
    category: str
    category_label: str
    frequency: str
    due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    missed: int = 0
    open: int = 0
    upcoming: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.due else self.done_on_time / self.due

    def summary(self, period_label: str) -> str:
        """ "防火巡查 每日 — 11月 29/30 按时"."""
        return _("%(title)s %(freq)s — %(period)s %(ok)d/%(due)d 按时") % {
            "title": self.title,
            "freq": self.frequency,
            "period": period_label,
            "ok": self.done_on_time,
            "due": self.due,
        }


def compliance(center, start, end, category=None, *, now=None) -> list[ComplianceRow]:
    """Per plan: due vs done on time vs late vs missed in [start, end). Two queries."""
    now = now or timezone.now()
    start, end = as_bound(start), as_bound(end)
    qs = DutyTask.objects.filter(center=center, due_at__gte=start, due_at__lt=end).exclude(
        status=DutyTask.Status.CANCELLED
    )
    if category:
        qs = qs.filter(category=category)
    done = Q(status=DutyTask.Status.DONE)
    is_open = Q(status=DutyTask.Status.OPEN)
    counts = (
        qs.values("plan_id", "category")
        .annotate(
            due=Count("pk", filter=Q(due_at__lte=now) | done),
            done_on_time=Count("pk", filter=done & Q(record__on_time=True)),
            done_late=Count("pk", filter=done & Q(record__on_time=False)),
            missed=Count("pk", filter=is_open & Q(late_after__lte=now)),
            open=Count("pk", filter=is_open & Q(due_at__lte=now, late_after__gt=now)),
            upcoming=Count("pk", filter=is_open & Q(due_at__gt=now)),
        )
        .order_by()
    )
    counts = list(counts)
    plans = DutyPlan.objects.in_bulk({c["plan_id"] for c in counts if c["plan_id"]})
    labels = dict(DutyPlan.Category.choices)
    rows: dict[tuple, ComplianceRow] = {}
    for c in counts:
        plan = plans.get(c["plan_id"])
        key = ("plan", plan.pk) if plan else ("adhoc", c["category"])
        row = rows.get(key)
        if row is None:
            cat = plan.category if plan else c["category"]
            row = rows[key] = ComplianceRow(
                plan=plan,
                title=plan.title if plan else _("临时任务（%(cat)s）") % {"cat": labels[cat]},
                category=cat,
                category_label=str(labels.get(cat, cat)),
                frequency=frequency_label(plan.rrule, plan.workdays_only) if plan else _("临时"),
            )
        for name in ("due", "done_on_time", "done_late", "missed", "open", "upcoming"):
            setattr(row, name, getattr(row, name) + c[name])
    order = {code: i for i, code in enumerate(DutyPlan.Category.values)}
    return sorted(rows.values(), key=lambda r: (order.get(r.category, 99), r.plan is None, r.title))


def duty_figures(center, start, end) -> dict:
    """Completed records in [start, end) (by completion time) for the annual summary.

    {"total": n, "on_time": n, "late": n, "with_findings": n,
     "by_category": {"disinfection": n, "pest_control": n, …every category…}}
    """
    start, end = as_bound(start), as_bound(end)
    rows = (
        DutyRecord.objects.filter(center=center, completed_at__gte=start, completed_at__lt=end)
        .values("task__category")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(on_time=True)),
            findings=Count("pk", filter=~Q(failed_items=[])),
        )
        .order_by()
    )
    by_category = dict.fromkeys(DutyPlan.Category.values, 0)
    figures = {"total": 0, "on_time": 0, "late": 0, "with_findings": 0}
    for row in rows:
        by_category[row["task__category"]] = by_category.get(row["task__category"], 0) + row["n"]
        figures["total"] += row["n"]
        figures["on_time"] += row["on_time"]
        figures["late"] += row["n"] - row["on_time"]
        figures["with_findings"] += row["findings"]
    figures["by_category"] = by_category
    return figures
