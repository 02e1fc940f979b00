"""Every write of the duties engine: plans, task generation, ad-hoc tasks, completion, cancel.

Bad input raises a Chinese ValidationError (a dict keyed by field) and writes nothing.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.roles import Role
from houqin.core.uploads import EXTENSIONS

from .checklist import clean_checklist, clean_completion
from .followups import run_followups
from .generation import future_open_tasks, generate_tasks, resync_plan_tasks
from .models import DutyPhoto, DutyPlan, DutyRecord, DutyTask
from .permissions import can_complete
from .recurrence import day_bounds, normalize_rule, parse_rule, to_local

DEFAULT_DAYS_AHEAD = 14
MAX_GRACE_MINUTES = 31 * 24 * 60
PLAN_FIELDS = (
    "title",
    "category",
    "description",
    "location_text",
    "target",
    "assignee_role",
    "assignees",
    "vendor_name",
    "rrule",
    "dtstart",
    "workdays_only",
    "grace_minutes",
    "checklist",
    "manager",
)


class _Errors(dict):
    def add(self, name, message):
        self.setdefault(name, []).append(message)

    def merge(self, exc: ValidationError):
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add(name, message)

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def _check_actor(actor, center_id):
    if actor is not None and actor.center_id != center_id:
        raise PermissionDenied(_("不能操作其他中心的数据。"))


def _aware(value, name, errors):
    if not isinstance(value, dt.datetime):
        errors.add(name, _("请填写有效的日期和时间。"))
        return None
    return to_local(value)


def _text(data, name, limit, errors, *, required=False, label=""):
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors.add(name, _("请填写%(label)s。") % {"label": label})
    if len(value) > limit:
        errors.add(name, _("%(label)s不能超过 %(n)d 字。") % {"label": label, "n": limit})
    return value


def _clean_people(center_id, users, name, errors, label):
    users = [u for u in users or () if u is not None]
    for user in users:
        if not user.is_active or user.center_id != center_id:
            errors.add(name, _("%(label)s须为本中心的在用账号。") % {"label": label})
            break
    return users


def _clean_target(center_id, target, errors):
    if target is None:
        return None, None
    if getattr(target, "pk", None) is None:
        errors.add("target", _("关联对象无效。"))
        return None, None
    target_center = getattr(target, "center_id", center_id)
    if target_center is not None and target_center != center_id:
        errors.add("target", _("关联对象须属于本中心。"))
    return ContentType.objects.get_for_model(target), target.pk


def _clean_plan(center_id, data, *, instance=None) -> dict:
    errors = _Errors()
    out = {
        "title": _text(data, "title", 100, errors, required=True, label=_("名称")),
        "description": _text(data, "description", 2000, errors, label=_("说明")),
        "location_text": _text(data, "location_text", 200, errors, label=_("地点")),
        "vendor_name": _text(data, "vendor_name", 100, errors, label=_("外包单位")),
    }
    category = data.get("category") or DutyPlan.Category.OTHER
    if category not in DutyPlan.Category.values:
        errors.add("category", _("请选择有效的类别。"))
    out["category"] = category
    role = data.get("assignee_role") or ""
    if role and role not in Role.values:
        errors.add("assignee_role", _("请选择有效的角色。"))
    out["assignee_role"] = role
    out["assignees"] = _clean_people(
        center_id, data.get("assignees"), "assignees", errors, _("执行人")
    )
    manager = data.get("manager")
    if manager is not None:
        _clean_people(center_id, [manager], "manager", errors, _("负责人"))
    out["manager"] = manager
    if not (role or out["assignees"] or out["vendor_name"]):
        errors.add(NON_FIELD_ERRORS, _("请至少指定一种执行方：执行角色、执行人或外包单位。"))
    elif not (role or out["assignees"]) and manager is None:
        errors.add("manager", _("由外包单位执行的计划须指定负责人，由其登记完成情况。"))
    out["target_type"], out["target_id"] = _clean_target(center_id, data.get("target"), errors)
    dtstart = _aware(data.get("dtstart"), "dtstart", errors)
    out["dtstart"] = dtstart.replace(second=0, microsecond=0) if dtstart else None
    out["rrule"] = ""
    if dtstart is not None:
        try:
            parse_rule(data.get("rrule") or "", dtstart)
            out["rrule"] = normalize_rule(data["rrule"])
        except ValidationError as exc:
            errors.merge(exc)
    out["workdays_only"] = bool(data.get("workdays_only"))
    grace = data.get("grace_minutes", 60)
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= MAX_GRACE_MINUTES:
        errors.add(
            "grace_minutes",
            _("宽限时间须为 0 到 %(n)d 之间的整数（分钟）。") % {"n": MAX_GRACE_MINUTES},
        )
    out["grace_minutes"] = grace
    try:
        out["checklist"] = clean_checklist(data.get("checklist"))
    except ValidationError as exc:
        errors.merge(exc)
    if out["title"] and (instance is None or instance.is_active):
        clash = DutyPlan.objects.filter(center_id=center_id, title=out["title"], is_active=True)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.add("title", _("已有同名的启用中的计划。"))
    errors.raise_if_any()
    return out


def _save_plan(plan):
    """Save; a concurrent plan of the same title (the unique constraint) is a form error."""
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"title": [_("已有同名的启用中的计划。")]}) from None


@transaction.atomic
def duty_plan_create(*, actor, center, now=None, days_ahead=DEFAULT_DAYS_AHEAD, **fields):
    """Create a plan (fields: see PLAN_FIELDS) and generate its tasks for the window ahead."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    _check_actor(actor, center.pk)
    data = _clean_plan(center.pk, fields)
    assignees = data.pop("assignees")
    plan = DutyPlan(center=center, created_by=actor, **data)
    _save_plan(plan)
    plan.assignees.set(assignees)
    generate_tasks([plan], now=now or timezone.now(), days_ahead=days_ahead)
    return plan


@transaction.atomic
def duty_plan_update(*, actor, plan, now=None, days_ahead=DEFAULT_DAYS_AHEAD, **fields):
    """Change a plan. Future open tasks follow the new rule, assignees and checklist; past
    tasks and records keep what they were."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    _check_actor(actor, plan.center_id)
    plan = DutyPlan.objects.select_for_update().get(pk=plan.pk)
    current = {
        name: getattr(plan, name) for name in PLAN_FIELDS if name not in ("assignees", "target")
    }
    current["assignees"] = list(plan.assignees.all())
    current["target"] = plan.target if plan.target_type_id else None
    current.update(fields)
    data = _clean_plan(plan.center_id, current, instance=plan)
    assignees = data.pop("assignees")
    for name, value in data.items():
        setattr(plan, name, value)
    _save_plan(plan)
    plan.assignees.set(assignees)
    resync_plan_tasks(plan, now=now or timezone.now(), days_ahead=days_ahead)
    return plan


@transaction.atomic
def duty_plan_deactivate(*, actor, plan, now=None):
    """Stop a plan: its future open tasks are removed (they never happened); overdue ones
    stay on the board as missed until done."""
    _check_actor(actor, plan.center_id)
    plan = DutyPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_active:
        return plan
    plan.is_active = False
    plan.save(update_fields=["is_active", "updated_at"])
    future_open_tasks(plan, now or timezone.now()).delete()
    return plan


@transaction.atomic
def duty_plan_activate(*, actor, plan, now=None, days_ahead=DEFAULT_DAYS_AHEAD):
    _check_actor(actor, plan.center_id)
    plan = DutyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_active:
        return plan
    if DutyPlan.objects.filter(center_id=plan.center_id, title=plan.title, is_active=True).exists():
        raise ValidationError({"title": [_("已有同名的启用中的计划，请先修改名称。")]})
    plan.is_active = True
    plan.save(update_fields=["is_active", "updated_at"])
    generate_tasks([plan], now=now or timezone.now(), days_ahead=days_ahead)
    return plan


@transaction.atomic
def duty_tasks_generate(*, now=None, days_ahead=DEFAULT_DAYS_AHEAD, plans=None) -> int:
    """Generate the tasks of every active plan (or of `plans`) due in the next `days_ahead`
    days. Running it twice, or twice at once, never duplicates a task. Returns the number of
    tasks it tried to create."""
    qs = DutyPlan.objects.filter(is_active=True) if plans is None else plans
    return generate_tasks(list(qs), now=now or timezone.now(), days_ahead=days_ahead)


@transaction.atomic
def duty_task_create_adhoc(
    *,
    actor,
    center,
    title,
    due_at,
    assignee_role=None,
    assignees=(),
    target=None,
    checklist=None,
    location_text="",
    category=DutyPlan.Category.OTHER,
    grace_minutes=0,
    vendor_name="",
):
    """A one-off task (e.g. "会前消毒 301 会议室" before a 14:00 meeting) from another module.

    `actor` (may be None for a system job) becomes the person responsible for it.
    """
    _check_actor(actor, center.pk)
    errors = _Errors()
    data = {"title": title, "location_text": location_text, "vendor_name": vendor_name}
    title = _text(data, "title", 100, errors, required=True, label=_("任务名称"))
    location_text = _text(data, "location_text", 200, errors, label=_("地点"))
    vendor_name = _text(data, "vendor_name", 100, errors, label=_("外包单位"))
    due_at = _aware(due_at, "due_at", errors)
    role = assignee_role or ""
    if role and role not in Role.values:
        errors.add("assignee_role", _("请选择有效的角色。"))
    people = _clean_people(center.pk, assignees, "assignees", errors, _("执行人"))
    if not (role or people):
        errors.add(NON_FIELD_ERRORS, _("请指定执行角色或执行人。"))
    if category not in DutyPlan.Category.values:
        errors.add("category", _("请选择有效的类别。"))
    if (
        isinstance(grace_minutes, bool)
        or not isinstance(grace_minutes, int)
        or not (0 <= grace_minutes <= MAX_GRACE_MINUTES)
    ):
        errors.add("grace_minutes", _("宽限时间无效。"))
    target_type, target_id = _clean_target(center.pk, target, errors)
    try:
        checklist = clean_checklist(checklist)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()
    task = DutyTask.objects.create(
        center=center,
        title=title,
        category=category,
        location_text=location_text,
        target_type=target_type,
        target_id=target_id,
        due_at=due_at,
        late_after=due_at + dt.timedelta(minutes=grace_minutes),
        assignee_role=role,
        vendor_name=vendor_name,
        checklist=checklist,
        created_by=actor,
    )
    task.assignees.set(people)
    return task


def _photo_lists(photos) -> dict[str, list]:
    if not photos:
        return {}
    result = {}
    for key, files in dict(photos).items():
        if files is None:
            continue
        result[str(key)] = list(files) if isinstance(files, list | tuple) else [files]
    return result


@transaction.atomic
def duty_task_complete(*, actor, task, answers, notes="", photos=None, signature="", now=None):
    """Record the completion of `task` by `actor` (once; the task row is locked).

    answers: {item key: value}; photos: {item key: file or [files]}. Failed items (a "否",
    a number outside its limits) are recorded and handed to the follow-up handlers.
    """
    now = now or timezone.now()
    task = DutyTask.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task.pk)
    if task.status == DutyTask.Status.DONE:
        raise ValidationError(_("该任务已完成，不能重复提交。"))
    if task.status == DutyTask.Status.CANCELLED:
        raise ValidationError(_("该任务已取消，不能登记完成。"))
    if not can_complete(actor, task):
        raise PermissionDenied(_("您不是该任务的执行人或负责人，不能登记完成。"))
    day_start, _end = day_bounds(to_local(task.due_at).date())
    if now < day_start:
        raise ValidationError(
            _("任务应于 %(due)s 执行，尚未到执行日期，不能提前登记。")
            % {"due": f"{to_local(task.due_at):%Y-%m-%d %H:%M}"}
        )
    notes = notes if isinstance(notes, str) else ""
    signature = signature if isinstance(signature, str) else ""
    cleaned = clean_completion(
        task.checklist, answers, _photo_lists(photos), notes=notes, signature=signature
    )
    try:
        with transaction.atomic():
            record = DutyRecord.objects.create(
                center_id=task.center_id,
                task=task,
                completed_by=actor,
                completed_at=now,
                answers=cleaned.answers,
                notes=notes.strip(),
                signature=signature.strip(),
                failed_items=cleaned.failed_items,
                on_time=now <= task.late_after,
            )
    except IntegrityError:
        raise ValidationError(_("该任务已完成，不能重复提交。")) from None
    stored = []
    try:
        for key, upload, fmt in cleaned.photos:
            photo = DutyPhoto(
                center_id=task.center_id,
                record=record,
                item_key=key,
                original_name=(getattr(upload, "name", "") or "")[:200],
                size=getattr(upload, "size", 0) or 0,
            )
            photo.image.save(f"photo{EXTENSIONS[fmt]}", upload, save=False)
            stored.append(photo.image)
            photo.save()
        task.status = DutyTask.Status.DONE
        task.completed_at = now
        task.save(update_fields=["status", "completed_at", "updated_at"])
        if cleaned.failed_items:
            run_followups(record, cleaned.failed_items)
    except Exception:
        # The rows roll back with the transaction; the files would not.
        for image in stored:
            image.storage.delete(image.name)
        raise
    return record


@transaction.atomic
def duty_task_reschedule(*, actor, task, due_at):
    """Move an open task (e.g. a meeting moved to another time): its grace period moves with
    it and reminders are sent again for the new time."""
    if actor is not None:
        _check_actor(actor, task.center_id)
    if not isinstance(due_at, dt.datetime) or timezone.is_naive(due_at):
        raise ValidationError({"due_at": _("请填写有效的日期和时间。")})
    task = DutyTask.objects.select_for_update().get(pk=task.pk)
    if task.status != DutyTask.Status.OPEN:
        raise ValidationError(_("该任务已完成或已取消，不能调整时间。"))
    shift = due_at - task.due_at
    task.due_at = due_at
    task.late_after = task.late_after + shift
    task.reminded_at = None
    task.overdue_notified_at = None
    task.save(
        update_fields=["due_at", "late_after", "reminded_at", "overdue_notified_at", "updated_at"]
    )
    return task


@transaction.atomic
def duty_task_cancel(*, actor, task, reason=""):
    """Cancel an open task (a holiday closure, a cancelled meeting). Kept for the history;
    it no longer counts as due."""
    if actor is not None:
        _check_actor(actor, task.center_id)
    task = DutyTask.objects.select_for_update().get(pk=task.pk)
    if task.status != DutyTask.Status.OPEN:
        raise ValidationError(_("只能取消待完成的任务。"))
    reason = str(reason or "").strip()
    if len(reason) > 200:
        raise ValidationError({"reason": [_("取消原因不能超过 200 字。")]})
    task.status = DutyTask.Status.CANCELLED
    task.cancel_reason = reason
    task.save(update_fields=["status", "cancel_reason", "updated_at"])
    return task
