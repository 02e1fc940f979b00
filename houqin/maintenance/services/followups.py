"""Duty follow-ups of the maintenance app (houqin.core.duties.followups).

When a completion records failed checklist items:
- a preventive maintenance task (category "maintenance") opens ONE work order (source
  preventive) on the task's equipment, listing the failed items;
- a safety-inspection task (category "safety_inspection") opens one Finding per failed item,
  for the plan's manager (the named responsible person), due 5 workdays later.

Both are idempotent per record: a record that already has its work order or findings is left
alone. They run inside the completion's transaction: an error rolls the completion back.

The lead calls register_followups() once, from registration.register().
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.followups import register_followup_handler
from houqin.core.duties.models import DutyPlan
from houqin.core.workdays.calendar import add_workdays

from ..models import Equipment, Finding, WorkOrder
from .equipment import category_for
from .findings import RECTIFY_WORKDAYS, finding_create
from .work_orders import DESCRIPTION_MAX, work_order_report

HANDLER_KEY = "maintenance.followups"


def _equipment(task):
    if task.target_type_id is None or task.target_id is None:
        return None
    if task.target_type_id != ContentType.objects.get_for_model(Equipment).pk:
        return None
    return Equipment.objects.filter(pk=task.target_id, center_id=task.center_id).first()


def _item_line(item) -> str:
    return f"{item.get('label', '')}：{item.get('reason', '')}（{item.get('answer', '')}）"


def open_work_order(record, failed_items):
    """A failed preventive-maintenance item: one work order for the record."""
    if WorkOrder.objects.filter(duty_record=record).exists():
        return None
    task = record.task
    equipment = _equipment(task)
    lines = [_("预防性维护“%(t)s”发现异常：") % {"t": task.title}]
    lines += [f"{i}. {_item_line(item)}" for i, item in enumerate(failed_items, start=1)]
    if record.notes:
        lines.append(_("备注：%(n)s") % {"n": record.notes})
    description = "\n".join(lines)
    if len(description) > DESCRIPTION_MAX:
        description = description[: DESCRIPTION_MAX - 1] + "…"
    return work_order_report(
        actor=None,
        center=task.center,
        category=category_for(equipment),
        description=description,
        location_text=(task.location_text or task.title)[:200],
        source=WorkOrder.Source.PREVENTIVE,
        equipment=equipment,
        duty_record=record,
        now=record.completed_at,
    )


def open_findings(record, failed_items):
    """Failed safety-inspection items: one finding each, for the person responsible."""
    if Finding.objects.filter(duty_record=record).exists():
        return []
    task = record.task
    responsible_id = task.responsible_id or record.completed_by_id
    responsible = get_user_model().objects.filter(pk=responsible_id).first()
    if responsible is None or not responsible.is_active:
        responsible = record.completed_by
    deadline = add_workdays(timezone.localdate(record.completed_at), RECTIFY_WORKDAYS)
    area = (task.location_text or task.title)[:100]
    findings = []
    for item in failed_items:
        description = _item_line(item)
        if record.notes:
            description += "\n" + _("检查备注：%(n)s") % {"n": record.notes}
        findings.append(
            finding_create(
                actor=None,
                center=task.center,
                area=area,
                description=description[:2000],
                responsible=responsible,
                deadline=deadline,
                duty_record=record,
                now=record.completed_at,
            )
        )
    return findings


def handle_failed_items(record, failed_items):
    category = record.task.category
    if category == DutyPlan.Category.MAINTENANCE:
        open_work_order(record, failed_items)
    elif category == DutyPlan.Category.SAFETY_INSPECTION:
        open_findings(record, failed_items)


def register_followups():
    """Register the maintenance follow-up handler (called by registration.register())."""
    register_followup_handler(handle_failed_items, key=HANDLER_KEY)
