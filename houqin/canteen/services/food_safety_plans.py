"""The four food-safety duty plans of a center, and completing their tasks from records.

Split from services/food_safety.py: the plan definitions (checklists, recurrence per meal slot)
and the one way a structured record completes the open task of its plan for the day.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.duties.permissions import can_complete
from houqin.core.duties.recurrence import TZ, day_bounds, local_today
from houqin.core.duties.services import duty_plan_create, duty_task_complete
from houqin.core.roles import Role

from ..models import (
    FoodSafetyPlan,
    MealSlot,
)
from ..models.food_safety import MIN_SAMPLE_GRAMS
from .common import require

Kind = FoodSafetyPlan.Kind


def at_local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TZ)


# ----------------------------------------------------------------------------- duty plans


def _q(key, label, kind="bool", required=True, **extra):
    return {"key": key, "label": label, "type": kind, "required": required, **extra}


def _ceil_hour(value: dt.time) -> int:
    return min(value.hour + (1 if (value.minute or value.second) else 0), 23)


def _hours(values) -> str:
    return ",".join(str(h) for h in sorted(set(values)))


def plan_specs(slots) -> dict[str, dict]:
    """The four plans of a center with these active meal slots (ordered by serving time).

    Checklist keys are what the recording services answer; a person completing the task by
    hand in the duties pages answers the same items.
    """
    first = min((s.serve_from for s in slots), default=dt.time(7, 0))
    check_at = min(first, dt.time(7, 0))
    sample_hours = _hours(_ceil_hour(s.serve_until) for s in slots)
    tableware_hours = _hours(min(_ceil_hour(s.serve_until) + 1, 23) for s in slots)
    meals = "、".join(str(s) for s in slots)
    return {
        Kind.MORNING_CHECK: {
            "title": _("食堂从业人员晨检"),
            "description": _(
                "每日开餐前对从业人员进行健康晨检。有发热、腹泻、咽部炎症、手部皮肤破损或"
                "感染等情形的人员，当天不得从事接触直接入口食品的工作。"
                "请在“食堂 › 食品安全 › 晨检登记”中逐人登记，系统据此自动完成本任务。"
            ),
            "rrule": f"FREQ=DAILY;BYHOUR={check_at.hour};BYMINUTE={check_at.minute}",
            "grace_minutes": 120,
            "checklist": [
                _q("workers", _("晨检人数"), "number", min=1, unit="人"),
                _q("unfit", _("不宜上岗人数"), "number", min=0, max=0, unit="人"),
                _q("all_checked", _("在岗从业人员均已晨检")),
            ],
        },
        Kind.SAMPLE: {
            "title": _("食堂食品留样"),
            "description": _(
                "每餐次（%(meals)s）每样菜品留样不少于 125 克，密封冷藏 48 小时以上，"
                "标注菜名和留样时间，记录留样人。"
                "请在“食堂 › 食品安全 › 留样登记”中按菜品登记，系统据此自动完成本任务。"
            )
            % {"meals": meals},
            "rrule": f"FREQ=DAILY;BYHOUR={sample_hours};BYMINUTE=0",
            "grace_minutes": 90,
            "checklist": [
                _q("dishes", _("留样菜品数"), "number", min=1, unit="个"),
                _q("min_weight", _("最小留样量"), "number", min=MIN_SAMPLE_GRAMS, unit="克"),
                _q("sealed", _("密封冷藏，标签注明菜名和留样时间")),
                _q("kept_by", _("留样人"), "text"),
            ],
        },
        Kind.PURCHASE: {
            "title": _("食堂进货查验"),
            "description": _(
                "查验供货者许可证和产品合格证明，如实记录食品名称、规格、数量、生产日期或"
                "批号、保质期、进货日期以及供货者名称、地址、联系方式。记录保存至保质期满后"
                "六个月，且不少于二年。当日无进货的，请在任务中取消并注明。"
            ),
            "rrule": "FREQ=DAILY;BYHOUR=10;BYMINUTE=0",
            "grace_minutes": 8 * 60,
            "checklist": [
                _q("batches", _("查验批次"), "number", min=1, unit="批"),
                _q("rejected", _("拒收批次"), "number", min=0, unit="批"),
                _q("complete", _("查验记录要素齐全，票证已索取")),
            ],
        },
        Kind.TABLEWARE: {
            "title": _("食堂餐用具清洗消毒"),
            "description": _(
                "每餐次（%(meals)s）后餐用具清洗消毒：热力消毒（煮沸、蒸汽 100 ℃ 10 分钟"
                "以上，洗碗机 85 ℃ 以上）或化学消毒（有效氯 250 mg/L 以上浸泡 5 分钟以上，"
                "再用净水冲去残留），消毒后放入保洁柜。"
            )
            % {"meals": meals},
            "rrule": f"FREQ=DAILY;BYHOUR={tableware_hours};BYMINUTE=0",
            "grace_minutes": 120,
            "checklist": [
                _q("method", _("消毒方式（热力 / 化学）"), "text"),
                _q("temperature", _("热力消毒温度"), "number", False, min=85, unit="℃"),
                _q(
                    "concentration",
                    _("化学消毒有效氯浓度"),
                    "number",
                    False,
                    min=250,
                    unit="mg/L",
                ),
                _q("minutes", _("消毒时长"), "number", min=1, unit="分钟"),
                _q("stored", _("消毒后餐用具存放于保洁柜")),
                _q("photo", _("现场照片"), "photo", required=False),
            ],
        },
    }


def _canteen_manager(center, actor):
    if (
        actor is not None
        and actor.is_active
        and actor.center_id == center.pk
        and actor.role_assignments.filter(center_id=center.pk, role=Role.CANTEEN_MANAGER).exists()
    ):
        return actor
    return (
        get_user_model()
        .objects.filter(
            center_id=center.pk,
            is_active=True,
            role_assignments__center_id=center.pk,
            role_assignments__role=Role.CANTEEN_MANAGER,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def food_safety_plans_ensure(*, actor, center, now=None) -> list[FoodSafetyPlan]:
    """Create the center's missing food-safety duty plans (and their tasks); idempotent.

    Returns the FoodSafetyPlan rows created (empty when all four exist)."""
    require(actor, center.pk, "canteen.add_foodsafetyplan")
    now = now or timezone.now()
    # One setup at a time per center (a second click waits, then finds the plans).
    type(center).objects.select_for_update().filter(pk=center.pk).first()
    existing = set(FoodSafetyPlan.objects.filter(center=center).values_list("kind", flat=True))
    missing = [kind for kind in Kind.values if kind not in existing]
    if not missing:
        return []
    slots = list(MealSlot.objects.filter(center=center, is_active=True).order_by("serve_from"))
    if not slots and {Kind.SAMPLE, Kind.TABLEWARE} & set(missing):
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("请先在“餐次设置”中启用至少一个餐次，再生成食品安全计划。")]}
        )
    specs = plan_specs(slots)
    manager = _canteen_manager(center, actor)
    start = at_local(local_today(now), dt.time())
    created = []
    for kind in missing:
        spec = specs[kind]
        try:
            plan = duty_plan_create(
                actor=actor,
                center=center,
                now=now,
                category=DutyPlan.Category.FOOD_SAFETY,
                location_text=_("机关食堂"),
                assignee_role=Role.CANTEEN_MANAGER,
                manager=manager,
                workdays_only=True,
                dtstart=start,
                **spec,
            )
        except ValidationError as exc:
            if "title" in getattr(exc, "error_dict", {}):
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: [
                            _(
                                "已有名为“%(t)s”的启用中的责任计划，请先在“责任计划”中停用"
                                "或改名，再生成食品安全计划。"
                            )
                            % {"t": spec["title"]}
                        ]
                    }
                ) from None
            raise
        created.append(FoodSafetyPlan.objects.create(center=center, kind=kind, plan=plan))
    return created


def _day_tasks(center, kind, day):
    """The tasks of the center's `kind` plan due on `day` (local), earliest first."""
    link = FoodSafetyPlan.objects.filter(center=center, kind=kind).first()
    if link is None:
        return []
    start, end = day_bounds(day)
    return list(
        DutyTask.objects.filter(plan_id=link.plan_id, due_at__gte=start, due_at__lt=end)
        .exclude(status=DutyTask.Status.CANCELLED)
        .order_by("due_at", "id")
    )


def _complete(actor, task, answers, notes, now):
    """Complete `task` with the derived answers if it is open and `actor` may complete it."""
    if task is None:
        return None
    # Locked first: of two recordings at once, the second finds the task done and skips it.
    task = DutyTask.objects.select_for_update().get(pk=task.pk)
    if task.status != DutyTask.Status.OPEN or not can_complete(actor, task):
        return None
    return duty_task_complete(actor=actor, task=task, answers=answers, notes=notes, now=now)


# ----------------------------------------------------------------------------- workers
