"""Reads of the food-safety records, scoped to the user's center (ARCHITECTURE.md rule 2).

Only holders of the food-safety permissions (the canteen manager) see anything; missing and
forbidden rows look the same (empty querysets → 404). Every function runs a constant number
of queries whatever the number of rows.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.duties.models import DutyTask
from houqin.core.duties.recurrence import day_bounds, local_today

from .models import (
    CanteenWorker,
    FoodSafetyPlan,
    Menu,
    MenuItem,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from .services.food_safety import CERT_WARNING_DAYS

VIEW_WORKERS = "canteen.view_canteenworker"
VIEW_CHECKS = "canteen.view_morningcheck"
VIEW_SAMPLES = "canteen.view_sampleretention"
VIEW_PURCHASES = "canteen.view_purchaseinspection"


def _usable(user, perm) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "center_id", None) is not None
        and user.has_perm(perm)
    )


def workers_for(user):
    if not _usable(user, VIEW_WORKERS):
        return CanteenWorker.objects.none()
    return CanteenWorker.objects.filter(center_id=user.center_id)


def checks_for(user):
    if not _usable(user, VIEW_CHECKS):
        return MorningCheck.objects.none()
    return MorningCheck.objects.filter(center_id=user.center_id).select_related(
        "worker", "checked_by__person"
    )


def samples_for(user):
    if not _usable(user, VIEW_SAMPLES):
        return SampleRetention.objects.none()
    return SampleRetention.objects.filter(center_id=user.center_id).select_related(
        "menu", "dish", "recorded_by__person", "discarded_by__person"
    )


def inspections_for(user):
    if not _usable(user, VIEW_PURCHASES):
        return PurchaseInspection.objects.none()
    return PurchaseInspection.objects.filter(center_id=user.center_id).select_related(
        "inspected_by__person"
    )


def sample_menus_for(user):
    """Menus the user may record samples for (any status but cancelled), with their dishes
    and samples prefetched."""
    if not _usable(user, "canteen.add_sampleretention"):
        return Menu.objects.none()
    return (
        Menu.objects.filter(center_id=user.center_id)
        .exclude(status=Menu.Status.CANCELLED)
        .prefetch_related(
            Prefetch(
                "items", queryset=MenuItem.objects.select_related("dish").order_by("sort", "id")
            ),
            Prefetch("samples", queryset=SampleRetention.objects.select_related("dish")),
        )
    )


# ----------------------------------------------------------------------------- today


STATE_LABELS = {
    "done": _("已完成"),
    "late": _("逾期完成"),
    "open": _("待完成"),
    "overdue": _("已逾期"),
    "upcoming": _("未到时间"),
    "none": _("今日无任务"),
    "missing": _("未建立计划"),
}
STATE_CSS = {
    "done": "success",
    "late": "warning",
    "open": "primary",
    "overdue": "danger",
    "upcoming": "secondary",
    "none": "light",
    "missing": "light",
}


def task_state(task, now) -> str:
    if task.status == DutyTask.Status.DONE:
        record = getattr(task, "record", None)
        return "done" if record is None or record.on_time else "late"
    if now >= task.late_after:
        return "overdue"
    if now >= task.due_at:
        return "open"
    return "upcoming"


@dataclass
class DutyStatus:
    """One of the four food-safety duties today: its plan and today's tasks with their state."""

    kind: str
    label: str
    link: FoodSafetyPlan | None = None
    tasks: list = field(default_factory=list)  # [(task, state)]

    @property
    def state(self) -> str:
        if self.link is None:
            return "missing"
        if not self.tasks:
            return "none"
        states = [s for _t, s in self.tasks]
        for state in ("overdue", "open"):
            if state in states:
                return state
        if all(s in ("done", "late") for s in states):
            return "late" if "late" in states else "done"
        return "upcoming"

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def css(self):
        return STATE_CSS[self.state]

    @property
    def done_count(self) -> int:
        return sum(1 for _t, s in self.tasks if s in ("done", "late"))


def food_plans(center_id) -> dict[str, FoodSafetyPlan]:
    return {
        p.kind: p for p in FoodSafetyPlan.objects.filter(center_id=center_id).select_related("plan")
    }


def today_status(center_id, *, now=None) -> list[DutyStatus]:
    """The four duties of today (local) in kind order: done / open / overdue per task. Two
    queries."""
    now = now or timezone.now()
    links = food_plans(center_id)
    start, end = day_bounds(local_today(now))
    by_plan: dict[int, list] = {}
    if links:
        for task in (
            DutyTask.objects.filter(
                plan_id__in=[p.plan_id for p in links.values()],
                due_at__gte=start,
                due_at__lt=end,
            )
            .exclude(status=DutyTask.Status.CANCELLED)
            .select_related("record")
            .order_by("due_at", "id")
        ):
            by_plan.setdefault(task.plan_id, []).append((task, task_state(task, now)))
    result = []
    for kind, label in FoodSafetyPlan.Kind.choices:
        link = links.get(kind)
        result.append(
            DutyStatus(
                kind=kind,
                label=label,
                link=link,
                tasks=by_plan.get(link.plan_id, []) if link else [],
            )
        )
    return result


def plans_missing(center_id) -> bool:
    return FoodSafetyPlan.objects.filter(center_id=center_id).count() < len(
        FoodSafetyPlan.Kind.values
    )


def unfit_checks(center_id, day: dt.date):
    """Today's checks of workers not fit for duty."""
    return (
        MorningCheck.objects.filter(center_id=center_id, date=day, fit_for_duty=False)
        .select_related("worker")
        .order_by("worker__name", "id")
    )


def certificates_expiring(center_id, today: dt.date, days: int = CERT_WARNING_DAYS):
    """Active workers whose health certificate is missing, expired, or expires within `days`
    days (earliest first, missing ones first)."""
    return (
        CanteenWorker.objects.filter(center_id=center_id, is_active=True)
        .filter(
            Q(health_cert_expires__isnull=True)
            | Q(health_cert_expires__lt=today + dt.timedelta(days=days))
        )
        .order_by(F("health_cert_expires").asc(nulls_first=True), "name", "id")
    )


def samples_to_discard(center_id, now=None):
    """Samples kept their 48 hours and not yet discarded (oldest first)."""
    now = now or timezone.now()
    return (
        SampleRetention.objects.filter(
            center_id=center_id, discarded_at__isnull=True, discard_after__lte=now
        )
        .select_related("menu", "dish")
        .order_by("discard_after", "id")
    )


def inspections_past_keep_until(center_id, today: dt.date):
    """Purchase inspection records whose legal retention period is over (may be archived)."""
    return PurchaseInspection.objects.filter(center_id=center_id, keep_until__lt=today).order_by(
        "keep_until", "id"
    )


def todays_menus(center_id, day: dt.date):
    """The day's menus that serve food, with their items and samples (for the sample status
    on the overview). Three queries."""
    return (
        Menu.objects.filter(center_id=center_id, date=day)
        .exclude(status=Menu.Status.CANCELLED)
        .prefetch_related(
            Prefetch("items", queryset=MenuItem.objects.select_related("dish")),
            "samples",
        )
    )


@dataclass
class CheckRow:
    """One active worker on the morning-check page, with their check of the day if any."""

    worker: CanteenWorker
    check: MorningCheck | None
    cert_valid: bool


def morning_check_rows(center_id, day: dt.date) -> list[CheckRow]:
    """Every active worker, with their check of `day`. Two queries."""
    workers = list(CanteenWorker.objects.filter(center_id=center_id, is_active=True))
    checks = {c.worker_id: c for c in MorningCheck.objects.filter(center_id=center_id, date=day)}
    return [
        CheckRow(
            worker=w,
            check=checks.get(w.pk),
            cert_valid=w.health_cert_expires is not None and w.health_cert_expires >= day,
        )
        for w in workers
    ]
