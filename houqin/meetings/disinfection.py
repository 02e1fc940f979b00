"""会前会后消毒: each confirmed booking has a "disinfect before" and a "disinfect after" duty
task for its room (seed: 会前会后对会议室进行消毒并做好记录), through the duties engine."""

import datetime as dt

from django.utils.translation import gettext as _

from houqin.core.duties import selectors as duty_selectors
from houqin.core.duties import services as duties
from houqin.core.duties.models import DutyPlan, DutyTask
from houqin.core.roles import Role

AFTER_DELAY = dt.timedelta(minutes=30)  # the after-meeting disinfection is due 30 min after
CHECKLIST = [
    {"key": "surfaces", "label": "桌椅、台面擦拭消毒", "type": "bool", "required": True},
    {"key": "touch", "label": "门把手、话筒、遥控器消毒", "type": "bool", "required": True},
    {"key": "air", "label": "开窗通风或空气消毒", "type": "bool", "required": True},
]


def _due_times(booking):
    return {"before": booking.starts_at, "after": booking.ends_at + AFTER_DELAY}


def _title(kind, booking):
    label = _("会前消毒") if kind == "before" else _("会后消毒")
    return f"{label}：{booking.room.name}（{booking.title}）"[:100]


def create_for(booking, *, actor):
    for kind, due_at in _due_times(booking).items():
        duties.duty_task_create_adhoc(
            actor=actor,
            center=booking.center,
            title=_title(kind, booking),
            due_at=due_at,
            assignee_role=Role.MEETING_MANAGER,
            target=booking,
            checklist=CHECKLIST,
            location_text=booking.room.name,
            category=DutyPlan.Category.DISINFECTION,
            grace_minutes=30,
        )


def _open_tasks(booking):
    return list(
        duty_selectors.tasks_for_object(booking, center=booking.center)
        .filter(status=DutyTask.Status.OPEN)
        .order_by("due_at")
    )


def move_for(booking, *, actor):
    """The booking moved: move its open tasks (before first, after second)."""
    tasks = _open_tasks(booking)
    if not tasks:
        create_for(booking, actor=actor)
        return
    times = _due_times(booking)
    for task in tasks:
        kind = "before" if task.title.startswith(_("会前消毒")) else "after"
        duties.duty_task_reschedule(actor=None, task=task, due_at=times[kind])


def cancel_for(booking, *, reason=""):
    for task in _open_tasks(booking):
        duties.duty_task_cancel(actor=None, task=task, reason=reason or _("会议已取消"))
