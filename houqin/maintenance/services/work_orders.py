"""Repair work orders: report, assign, accept, start, wait for parts, finish, confirm, close,
reopen, merge, cancel — only along TRANSITIONS, each step a WorkOrderEvent (who, when).

SLA: the response and completion deadlines come from the center's SlaRule for the category
and urgency (DEFAULT_SLA when the center has none), counted in working hours on the workday
calendar (houqin.core.workdays.hours) unless the rule says around the clock.
"""

import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.uploads import validate_image
from houqin.core.workdays.hours import add_working_hours
from houqin.org.scoping import user_person

from ..models import (
    Category,
    MaterialUse,
    SlaRule,
    Urgency,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPhoto,
)

S = WorkOrder.Status
MAX_PHOTOS = 9
DESCRIPTION_MAX = 1000
NOTE_MAX = 500

# (response hours, completion hours, around the clock) when a center has no SlaRule.
DEFAULT_SLA = {
    Urgency.NORMAL: (Decimal("4"), Decimal("21"), False),  # half a day; three working days
    Urgency.URGENT: (Decimal("1"), Decimal("7"), False),  # an hour; one working day
    Urgency.EMERGENCY: (Decimal("0.5"), Decimal("4"), True),  # burst pipe, stuck lift: 24×7
}

# action → (allowed from-statuses, to-status). The only way a status changes.
TRANSITIONS = {
    "assign": ({S.NEW, S.ASSIGNED}, S.ASSIGNED),
    "accept": ({S.ASSIGNED}, S.ASSIGNED),
    "start": ({S.ASSIGNED, S.WAITING_PARTS}, S.IN_PROGRESS),
    "wait_parts": ({S.IN_PROGRESS}, S.WAITING_PARTS),
    "finish": ({S.IN_PROGRESS}, S.DONE),
    "confirm": ({S.DONE}, S.CONFIRMED),
    "close": ({S.DONE, S.CONFIRMED}, S.CLOSED),
    "reopen": ({S.DONE, S.CONFIRMED, S.CLOSED}, S.ASSIGNED),
    "merge": ({S.NEW, S.ASSIGNED}, S.MERGED),
    "cancel": ({S.NEW, S.ASSIGNED}, S.CANCELLED),
}
ACTION_LABELS = {
    "report": _("报修"),
    "assign": _("派单"),
    "accept": _("接单"),
    "start": _("开始维修"),
    "wait_parts": _("等待配件"),
    "finish": _("完工"),
    "confirm": _("确认"),
    "close": _("关闭"),
    "reopen": _("重新打开"),
    "merge": _("合并"),
    "cancel": _("撤销"),
}


def is_manager(user, center_id) -> bool:
    return (
        user is not None
        and user.center_id == center_id
        and user.has_perm("maintenance.change_workorder")
    )


def _manager(actor, center_id):
    if not is_manager(actor, center_id):
        raise PermissionDenied


def _lock(order) -> WorkOrder:
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def _record_cost(order, actor):
    """A completed order's labour + material cost goes to finance (维修维护费) through its
    service, and follows later changes of the costs."""
    if order.status not in (S.DONE, S.CONFIRMED, S.CLOSED):
        return
    from houqin.finance.models import CostKind
    from houqin.finance.services.costs import cost_record

    payee = order.vendor_name
    if not payee and order.assignee_id:
        payee = order.assignee.display_name
    cost_record(
        center_id=order.center_id,
        kind=CostKind.MAINTENANCE,
        source_label="maintenance.workorder",
        source_id=order.pk,
        date=timezone.localdate(order.finished_at or timezone.now()),
        amount=order.labor_cost + order.material_cost,
        payee=payee or _("本中心维修班组"),
        purpose=_("维修工单 %(n)s：%(d)s") % {"n": order.number, "d": order.description[:150]},
        actor=actor,
    )


def _move(order, action, *, actor, now, note=""):
    """Apply `action` if the graph allows it from the current status; record the event."""
    allowed, target = TRANSITIONS[action]
    if order.status not in allowed:
        raise ValidationError(
            _("工单%(s)s，不能%(a)s。")
            % {"s": order.get_status_display(), "a": ACTION_LABELS[action]},
            code="transition",
        )
    WorkOrderEvent.objects.create(
        order=order,
        action=action,
        from_status=order.status,
        to_status=target,
        actor=actor,
        at=now,
        note=(note or "")[:NOTE_MAX],
    )
    order.status = target


def sla_for(center_id, category, urgency):
    rule = SlaRule.objects.filter(center_id=center_id, category=category, urgency=urgency).first()
    if rule is not None:
        return rule.response_hours, rule.completion_hours, rule.around_the_clock
    return DEFAULT_SLA[urgency]


def deadlines(center_id, category, urgency, start):
    response, completion, clock = sla_for(center_id, category, urgency)
    return (
        add_working_hours(start, float(response), around_the_clock=clock),
        add_working_hours(start, float(completion), around_the_clock=clock),
    )


def _text(value, field, limit, *, required=False, label=""):
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(text) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return text


def _photos(order, photos, stage, actor):
    photos = list(photos or [])
    if len(photos) + order.photos.filter(stage=stage).count() > MAX_PHOTOS:
        raise ValidationError({"photos": _("每个阶段最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}})
    for photo in photos:
        try:
            validate_image(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    for photo in photos:
        WorkOrderPhoto.objects.create(
            center_id=order.center_id,
            order=order,
            stage=stage,
            image=photo,
            size=getattr(photo, "size", 0) or 0,
            uploaded_by=actor,
        )


# ------------------------------------------------------------------ report


@transaction.atomic
def work_order_report(
    *,
    actor,
    category,
    description,
    urgency=Urgency.NORMAL,
    building="",
    floor="",
    room="",
    location_text="",
    phone="",
    photos=None,
    equipment=None,
    source=WorkOrder.Source.REPORT,
    duty_record=None,
    center=None,
    now=None,
) -> WorkOrder:
    """Anyone reports a fault (or a duty follow-up opens one: actor None, center given)."""
    now = now or timezone.now()
    center_id = center.pk if center is not None else getattr(actor, "center_id", None)
    if center_id is None:
        raise ValidationError(_("您的账号未关联后勤服务中心，无法报修。"))
    if actor is not None and actor.center_id != center_id:
        raise PermissionDenied
    if category not in Category.values:
        raise ValidationError({"category": _("请选择报修类别。")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("请选择紧急程度。")})
    description = _text(
        description, "description", DESCRIPTION_MAX, required=True, label=_("故障描述")
    )
    fields = {
        "building": _text(building, "building", 50, label=_("楼栋")),
        "floor": _text(floor, "floor", 20, label=_("楼层")),
        "room": _text(room, "room", 50, label=_("房间")),
        "location_text": _text(location_text, "location_text", 200, label=_("位置说明")),
        "reporter_phone": _text(phone, "phone", 20, label=_("联系电话")),
    }
    if not any(fields[k] for k in ("building", "room", "location_text")) and equipment is None:
        raise ValidationError({"location_text": _("请选择或填写报修位置。")})
    if equipment is not None and equipment.center_id != center_id:
        raise ValidationError({"equipment": _("设备不存在。")})
    response_due, due = deadlines(center_id, category, urgency, now)
    person = user_person(actor) if actor is not None else None
    order = WorkOrder.objects.create(
        center_id=center_id,
        number=f"tmp{uuid.uuid4().hex[:16]}",
        category=category,
        urgency=urgency,
        priority={Urgency.EMERGENCY: 1, Urgency.URGENT: 2}.get(urgency, 3),
        description=description,
        source=source,
        reporter=actor,
        agency_id=person.agency_id if person is not None else None,
        equipment=equipment,
        duty_record=duty_record,
        response_due_at=response_due,
        due_at=due,
        **fields,
    )
    order.number = f"WX{timezone.localtime(now):%Y}{order.pk:06d}"
    order.save(update_fields=["number"])
    WorkOrderEvent.objects.create(
        order=order, action="report", to_status=S.NEW, actor=actor, at=now
    )
    _photos(order, photos, WorkOrderPhoto.Stage.REPORT, actor)
    return order


# ------------------------------------------------------------------ manager


@transaction.atomic
def work_order_assign(
    *, actor, order, assignee=None, vendor_name="", priority=None, due_at=None, now=None
):
    """Give the order to a technician of the center, or to an outside vendor."""
    now = now or timezone.now()
    order = _lock(order)
    _manager(actor, order.center_id)
    vendor_name = _text(vendor_name, "vendor_name", 100, label=_("外包单位"))
    if assignee is None and not vendor_name:
        raise ValidationError({"assignee": _("请选择维修人员或填写外包单位。")})
    if assignee is not None and (
        assignee.center_id != order.center_id
        or not assignee.is_active
        or not assignee.has_perm("maintenance.work_workorder")
    ):
        raise ValidationError({"assignee": _("所选人员不是本中心的维修人员。")})
    who = assignee.display_name if assignee is not None else vendor_name
    _move(order, "assign", actor=actor, now=now, note=_("派给 %(w)s") % {"w": who})
    order.assignee, order.vendor_name = assignee, vendor_name
    order.accepted_at = None
    if priority is not None:
        if int(priority) not in range(1, 6):
            raise ValidationError({"priority": _("优先级须为 1（最高）到 5。")})
        order.priority = int(priority)
    if due_at is not None:
        if due_at < order.response_due_at:
            raise ValidationError({"due_at": _("完成时限不能早于响应时限。")})
        order.due_at = due_at
    order.save()
    if assignee is not None:
        from django.urls import reverse

        from houqin.core.notifications.services import notify

        notify(
            recipients=[assignee],
            kind="maintenance.assigned",
            title=_("新的维修工单 %(n)s：%(d)s") % {"n": order.number, "d": order.description[:30]},
            url=reverse("maintenance:order_detail", args=[order.pk]),
            obj=order,
            actor=actor,
        )
    return order


def _worker(actor, order):
    """The assigned technician, or a manager acting for them."""
    if actor is not None and order.assignee_id == actor.pk:
        return
    _manager(actor, order.center_id)


@transaction.atomic
def work_order_accept(*, actor, order, now=None):
    now = now or timezone.now()
    order = _lock(order)
    _worker(actor, order)
    _move(order, "accept", actor=actor, now=now)
    order.accepted_at = now
    order.save(update_fields=["status", "accepted_at", "updated_at"])
    return order


@transaction.atomic
def work_order_start(*, actor, order, now=None):
    now = now or timezone.now()
    order = _lock(order)
    _worker(actor, order)
    _move(order, "start", actor=actor, now=now)
    order.accepted_at = order.accepted_at or now
    order.started_at = order.started_at or now
    order.save(update_fields=["status", "accepted_at", "started_at", "updated_at"])
    return order


@transaction.atomic
def work_order_wait_parts(*, actor, order, note, now=None):
    now = now or timezone.now()
    order = _lock(order)
    _worker(actor, order)
    note = _text(note, "note", NOTE_MAX, required=True, label=_("所需配件"))
    _move(order, "wait_parts", actor=actor, now=now, note=note)
    order.save(update_fields=["status", "updated_at"])
    return order


def _money(value, field, label):
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请填写有效的%(l)s。") % {"l": label}}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("%(l)s不能为负数。") % {"l": label}})
    if amount > Decimal("9999999"):
        raise ValidationError({field: _("%(l)s过大。") % {"l": label}})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def work_order_add_material(
    *, actor, order, name, quantity, unit_price, spec="", unit="", now=None
):
    """Record a material used; the order's material cost is the sum of its materials."""
    order = _lock(order)
    _worker(actor, order)
    if order.status in (S.CLOSED, S.MERGED, S.CANCELLED):
        raise ValidationError(_("工单%(s)s，不能再登记材料。") % {"s": order.get_status_display()})
    name = _text(name, "name", 100, required=True, label=_("材料名称"))
    qty = _money(quantity, "quantity", _("数量"))
    if qty <= 0:
        raise ValidationError({"quantity": _("数量必须大于 0。")})
    price = _money(unit_price, "unit_price", _("单价"))
    MaterialUse.objects.create(
        order=order,
        name=name,
        spec=_text(spec, "spec", 50, label=_("规格")),
        quantity=qty,
        unit=_text(unit, "unit", 10, label=_("单位")),
        unit_price=price,
        amount=(qty * price).quantize(Decimal("0.01")),
        added_by=actor,
        added_at=now or timezone.now(),
    )
    order.material_cost = order.materials.aggregate(s=Sum("amount"))["s"] or 0
    order.save(update_fields=["material_cost", "updated_at"])
    _record_cost(order, actor)
    return order


@transaction.atomic
def work_order_add_photos(*, actor, order, photos, stage=WorkOrderPhoto.Stage.PROGRESS):
    order = _lock(order)
    if order.reporter_id != getattr(actor, "pk", None):
        _worker(actor, order)
    _photos(order, photos, stage, actor)
    return order


@transaction.atomic
def work_order_finish(*, actor, order, note, labor_cost=None, photos=None, now=None):
    """完工: the completion note is required; the reporter is asked to confirm."""
    now = now or timezone.now()
    order = _lock(order)
    _worker(actor, order)
    note = _text(note, "completion_note", 2000, required=True, label=_("维修情况"))
    _move(order, "finish", actor=actor, now=now, note=note[:NOTE_MAX])
    order.completion_note = note
    if labor_cost is not None:
        order.labor_cost = _money(labor_cost, "labor_cost", _("人工费"))
    order.finished_at = now
    order.save()
    _record_cost(order, actor)
    _photos(order, photos, WorkOrderPhoto.Stage.FINISH, actor)
    if order.reporter_id:
        from django.urls import reverse

        from houqin.core.notifications.services import notify

        notify(
            recipients=[order.reporter],
            kind="maintenance.done",
            title=_("您报修的 %(n)s 已完工，请确认并评价") % {"n": order.number},
            url=reverse("maintenance:order_detail", args=[order.pk]),
            obj=order,
            actor=actor,
        )
    return order


@transaction.atomic
def work_order_confirm(*, actor, order, rating, comment="", now=None):
    """The reporter confirms the repair and rates it 1–5."""
    now = now or timezone.now()
    if actor is None or order.reporter_id != actor.pk:
        raise PermissionDenied
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("请选择 1 到 5 星评价。")})
    comment = _text(comment, "comment", 200, label=_("评价"))
    order = _lock(order)
    _move(order, "confirm", actor=actor, now=now, note=comment)
    order.rating, order.rating_comment, order.confirmed_at = rating, comment, now
    order.save(update_fields=["status", "rating", "rating_comment", "confirmed_at", "updated_at"])
    return order


@transaction.atomic
def work_order_close(*, actor, order, note="", now=None):
    now = now or timezone.now()
    order = _lock(order)
    _manager(actor, order.center_id)
    if not order.completion_note:
        raise ValidationError(_("没有维修情况说明的工单不能关闭。"))
    _move(order, "close", actor=actor, now=now, note=note)
    order.closed_at = now
    order.save(update_fields=["status", "closed_at", "updated_at"])
    _record_cost(order, actor)
    return order


@transaction.atomic
def work_order_reopen(*, actor, order, reason, now=None):
    """The fault came back: back to the same technician (or vendor), with a new deadline."""
    now = now or timezone.now()
    order = _lock(order)
    if order.reporter_id != getattr(actor, "pk", None):
        _manager(actor, order.center_id)
    reason = _text(reason, "reason", NOTE_MAX, required=True, label=_("重新打开原因"))
    _move(order, "reopen", actor=actor, now=now, note=reason)
    order.response_due_at, order.due_at = deadlines(
        order.center_id, order.category, order.urgency, now
    )
    order.finished_at = order.confirmed_at = order.closed_at = order.accepted_at = None
    order.rating, order.rating_comment = None, ""
    order.save()
    return order


@transaction.atomic
def work_order_merge(*, actor, order, into, now=None):
    """A duplicate report of the same fault: closed as merged into the kept order."""
    now = now or timezone.now()
    _manager(actor, order.center_id)
    if into.pk == order.pk or into.center_id != order.center_id:
        raise ValidationError({"into": _("请选择本中心的另一张工单。")})
    first, second = sorted([order, into], key=lambda o: o.pk)
    _lock(first), _lock(second)
    order, into = WorkOrder.objects.get(pk=order.pk), WorkOrder.objects.get(pk=into.pk)
    if into.status in (S.MERGED, S.CANCELLED, S.CLOSED):
        raise ValidationError(
            {"into": _("目标工单%(s)s，不能合并到它。") % {"s": into.get_status_display()}}
        )
    _move(order, "merge", actor=actor, now=now, note=_("合并到 %(n)s") % {"n": into.number})
    order.merged_into = into
    order.save(update_fields=["status", "merged_into", "updated_at"])
    WorkOrderEvent.objects.create(
        order=into,
        action="merge",
        from_status=into.status,
        to_status=into.status,
        actor=actor,
        at=now,
        note=_("合并了重复报修 %(n)s") % {"n": order.number},
    )
    return order


@transaction.atomic
def work_order_cancel(*, actor, order, reason="", now=None):
    now = now or timezone.now()
    order = _lock(order)
    if is_manager(actor, order.center_id):
        pass
    elif order.reporter_id == getattr(actor, "pk", None):
        if order.status != S.NEW:
            raise ValidationError(_("工单已派单，请联系维修管理员撤销。"))
    else:
        raise PermissionDenied
    _move(order, "cancel", actor=actor, now=now, note=reason)
    order.save(update_fields=["status", "updated_at"])
    return order


def is_overdue(order, now=None) -> bool:
    now = now or timezone.now()
    return (
        order.status in (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_PARTS) and now > order.due_at
    )
