"""Requests for more space and the annual adjustment plan (调整方案).

A plan is drafted step by step (allocate an idle room, transfer a room between agencies,
allocate a room obtained from the city center, vacate a room), previewed (compliance.plan
effect), then applied in one transaction: every step is checked against the rooms as they
are at that moment, under row locks, and any problem rolls the whole plan back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.approvals.services import approval_cancel, approval_resubmit, approval_submit
from houqin.core.notifications.services import notify

from ..models import AdjustmentPlan, Allocation, Occupancy, PlanStep, SpaceRequest, SpaceRoom
from .allocation import allocate_locked, current_allocation, vacate_locked
from .common import area, require_manager, text, user_unit

K = PlanStep.Kind
PLAN_PERM = "space.change_adjustmentplan"
REQUEST_TYPE = "space.request"


# ------------------------------------------------------------------ requests


def _request_fields(reason, headcount, area_wanted):
    reason = text(reason, "reason", _("申请理由"), 2000, required=True)
    try:
        headcount = int(headcount)
    except (TypeError, ValueError):
        raise ValidationError({"headcount": _("现有人数必须是整数。")}) from None
    if not 1 <= headcount <= 10000:
        raise ValidationError({"headcount": _("现有人数应在 1—10000 之间。")})
    return reason, headcount, area(area_wanted, "area_wanted", _("申请面积"), max_value=99999)


@transaction.atomic
def request_submit(*, actor, agency, reason, headcount, area_wanted) -> SpaceRequest:
    """An agency (its liaison or leader) applies for more office space; the shared approval
    flow (单位负责人 → 办公用房管理员 → 中心领导) decides."""
    if not actor.has_perm("space.add_spacerequest"):
        raise ValidationError(_("您没有提交用房申请的权限。"))
    user_unit(agency, actor.center_id)
    person = getattr(actor, "person", None)
    if not actor.has_perm("space.change_spaceroom") and (
        person is None or person.agency_id != agency.pk
    ):
        raise ValidationError({"agency": _("只能为本单位申请办公用房。")})
    reason, headcount, area_wanted = _request_fields(reason, headcount, area_wanted)
    request = SpaceRequest.objects.create(
        center_id=actor.center_id,
        agency=agency,
        requested_by=actor,
        reason=reason,
        headcount=headcount,
        area_wanted=area_wanted,
    )
    approval_submit(
        actor=actor,
        obj=request,
        request_type=REQUEST_TYPE,
        title=str(request),
        summary=reason[:200],
        agency=agency,
    )
    return request


def _check_approval(request, approval):
    """The approval passed in by the view must be this request's own."""
    if (
        approval is None
        or approval.request_type != REQUEST_TYPE
        or approval.object_id != request.pk
        or approval.center_id != request.center_id
    ):
        raise ValidationError(_("未找到该申请的审批单。"))


@transaction.atomic
def request_resubmit(*, actor, request, reason, headcount, area_wanted, approval) -> SpaceRequest:
    """Send a returned request back into its approval flow, edited."""
    request = SpaceRequest.objects.select_for_update().get(pk=request.pk)
    _check_approval(request, approval)
    if request.requested_by_id != actor.pk:
        raise ValidationError(_("只有申请人可以重新提交。"))
    if request.status != SpaceRequest.Status.RETURNED:
        raise ValidationError(_("只有退回修改的申请可以重新提交。"))
    request.reason, request.headcount, request.area_wanted = _request_fields(
        reason, headcount, area_wanted
    )
    request.status = SpaceRequest.Status.PENDING
    request.save()
    approval_resubmit(
        actor=actor, approval=approval, title=str(request), summary=request.reason[:200]
    )
    return request


@transaction.atomic
def request_cancel(*, actor, request, approval) -> SpaceRequest:
    """The applicant withdraws a request still being decided."""
    _check_approval(request, approval)
    approval_cancel(actor=actor, approval=approval)
    request.refresh_from_db()
    return request


# ------------------------------------------------------------------ plans


def _plan_editable(actor, plan):
    require_manager(actor, plan.center_id, PLAN_PERM)
    if plan.status != AdjustmentPlan.Status.DRAFT:
        raise ValidationError(_("方案%(s)s，不能再修改。") % {"s": plan.get_status_display()})


def _plan_fields(year, title, effective_date, notes):
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度必须是四位数字。")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应在 2000—2100 之间。")})
    if effective_date is None:
        raise ValidationError({"effective_date": _("请填写实施日期。")})
    return {
        "year": year,
        "title": text(title, "title", _("方案名称"), 100, required=True),
        "effective_date": effective_date,
        "notes": text(notes, "notes", _("说明"), 4000),
    }


@transaction.atomic
def plan_create(*, actor, center, year, title, effective_date, notes="") -> AdjustmentPlan:
    require_manager(actor, center.pk, PLAN_PERM)
    return AdjustmentPlan.objects.create(
        center=center, created_by=actor, **_plan_fields(year, title, effective_date, notes)
    )


@transaction.atomic
def plan_update(*, actor, plan, year, title, effective_date, notes="") -> AdjustmentPlan:
    plan = AdjustmentPlan.objects.select_for_update().get(pk=plan.pk)
    _plan_editable(actor, plan)
    for key, value in _plan_fields(year, title, effective_date, notes).items():
        setattr(plan, key, value)
    plan.save()
    return plan


@transaction.atomic
def plan_step_add(
    *, actor, plan, kind, room, to_agency=None, request=None, certificate_no="", note=""
) -> PlanStep:
    """Add a move. The room's current holder is recorded as `from_agency`, so applying the
    plan later can tell whether the room changed hands in the meantime."""
    plan = AdjustmentPlan.objects.select_for_update().get(pk=plan.pk)
    _plan_editable(actor, plan)
    if kind not in K.values:
        raise ValidationError({"kind": _("请选择调整方式。")})
    if room is None or room.center_id != plan.center_id:
        raise ValidationError({"room": _("请选择本中心的房间。")})
    if plan.steps.filter(room=room).exists():
        raise ValidationError({"room": _("房间 %(r)s 已在本方案中。") % {"r": room}})
    held = current_allocation(room)
    from_agency = held.agency if held else None
    if kind in (K.ALLOCATE, K.OBTAIN):
        if held is not None:
            raise ValidationError(
                {
                    "room": _("房间 %(r)s 当前由“%(a)s”使用，不是闲置房间。")
                    % {"r": room, "a": from_agency}
                }
            )
        from_agency = None
    elif held is None:
        raise ValidationError({"room": _("房间 %(r)s 当前未分配。") % {"r": room}})
    if kind == K.VACATE:
        to_agency = None
    else:
        user_unit(to_agency, plan.center_id, field="to_agency")
        if kind == K.TRANSFER and to_agency.pk == from_agency.pk:
            raise ValidationError({"to_agency": _("调入单位与原使用单位相同。")})
    if request is not None:
        if request.center_id != plan.center_id or request.status != SpaceRequest.Status.APPROVED:
            raise ValidationError({"request": _("只能关联已批准的用房申请。")})
        if to_agency is None or request.agency_id != to_agency.pk:
            raise ValidationError({"request": _("所选申请不是调入单位提出的。")})
    position = (plan.steps.aggregate(m=Max("position"))["m"] or 0) + 1
    return PlanStep.objects.create(
        plan=plan,
        position=position,
        kind=kind,
        room=room,
        from_agency=from_agency,
        to_agency=to_agency,
        request=request,
        certificate_no=text(certificate_no, "certificate_no", _("使用协议/配置证号"), 50),
        note=text(note, "note", _("备注"), 200),
    )


@transaction.atomic
def plan_step_remove(*, actor, step) -> None:
    plan = AdjustmentPlan.objects.select_for_update().get(pk=step.plan_id)
    _plan_editable(actor, plan)
    step.delete()


_UNKNOWN = object()


def step_problem(step, room, held, effective_date, *, last_end=_UNKNOWN, late=_UNKNOWN):
    """Why `step` cannot be applied to `room` (held by `held`) now, or None.

    `last_end` (the room's latest allocation end) and `late` (an open occupancy of the room
    that began after the effective date, or None) may be given by a caller that read them for
    every step at once; otherwise they are read here."""
    label = _("第 %(n)s 步（%(r)s）：") % {"n": step.position, "r": room}
    if not room.is_active:
        return label + _("房间已注销。")
    if step.kind in (K.ALLOCATE, K.OBTAIN):
        if held is not None:
            return label + _("房间现由“%(a)s”使用，不再闲置。") % {"a": held.agency}
        if room.status == SpaceRoom.Status.REPAIR:
            return label + _("房间正在维修。")
        if last_end is _UNKNOWN:
            last_end = room.allocations.aggregate(m=Max("end_date"))["m"]
        if last_end is not None and effective_date < last_end:
            return label + _("房间上一次使用到 %(d)s，晚于实施日期。") % {"d": last_end}
        return None
    if held is None:
        return label + _("房间已不再由“%(a)s”使用。") % {"a": step.from_agency}
    if held.agency_id != step.from_agency_id:
        return label + _("房间现由“%(a)s”使用，而非方案中的“%(f)s”。") % {
            "a": held.agency,
            "f": step.from_agency,
        }
    if effective_date < held.start_date:
        return label + _("实施日期早于该房间本次分配的启用日期。")
    if step.kind == K.TRANSFER and room.status == SpaceRoom.Status.REPAIR:
        return label + _("房间正在维修。")
    if late is _UNKNOWN:
        late = _late_occupancy(room.occupancies.all(), effective_date)
    if late is not None:
        # Vacating would end this occupancy before it began (vacate_locked refuses it).
        return label + _("%(p)s 于 %(d)s 入住，晚于实施日期。") % {
            "p": late.person.name,
            "d": f"{late.start_date:%Y-%m-%d}",
        }
    return None


def _late_occupancy(qs, effective_date):
    return (
        qs.filter(end_date__isnull=True, start_date__gt=effective_date)
        .select_related("person")
        .order_by("start_date", "pk")
        .first()
    )


def plan_problems(plan) -> list[str]:
    """Every reason the plan cannot be applied as it stands (empty: it can). A fixed number
    of queries whatever the number of steps (the plan page shows it on every view)."""
    problems = []
    steps = list(plan.steps.select_related("room__building", "from_agency", "to_agency"))
    if not steps:
        problems.append(_("方案还没有任何调整步骤。"))
    room_ids = [s.room_id for s in steps]
    held = {
        a.room_id: a
        for a in Allocation.objects.filter(
            room_id__in=room_ids, end_date__isnull=True
        ).select_related("agency")
    }
    last_ends = dict(
        Allocation.objects.filter(room_id__in=room_ids)
        .values("room_id")
        .annotate(m=Max("end_date"))
        .values_list("room_id", "m")
    )
    late = {}
    for occupancy in (
        Occupancy.objects.filter(
            room_id__in=room_ids, end_date__isnull=True, start_date__gt=plan.effective_date
        )
        .select_related("person")
        .order_by("-start_date", "-pk")
    ):
        late[occupancy.room_id] = occupancy  # the earliest one wins (ordered latest first)
    for step in steps:
        problem = step_problem(
            step,
            step.room,
            held.get(step.room_id),
            plan.effective_date,
            last_end=last_ends.get(step.room_id),
            late=late.get(step.room_id),
        )
        if problem:
            problems.append(problem)
        if step.to_agency is not None and not step.to_agency.is_active:
            problems.append(
                _("第 %(n)s 步：“%(a)s”已停用。") % {"n": step.position, "a": step.to_agency}
            )
    return problems


@transaction.atomic
def plan_apply(*, actor, plan, now=None) -> AdjustmentPlan:
    """Apply every step on the plan's effective date, all or nothing."""
    plan = AdjustmentPlan.objects.select_for_update().get(pk=plan.pk)
    _plan_editable(actor, plan)
    steps = list(plan.steps.select_related("from_agency", "to_agency").order_by("position"))
    if not steps:
        raise ValidationError(_("方案还没有任何调整步骤。"))
    # Lock the rooms in a fixed order (by id) so two plans touching the same rooms queue up.
    rooms = {
        r.pk: r
        for r in SpaceRoom.objects.select_for_update(of=("self",))
        .select_related("building")
        .filter(pk__in=[s.room_id for s in steps])
        .order_by("pk")
    }
    problems = []
    for step in steps:
        room = rooms[step.room_id]
        problem = step_problem(step, room, current_allocation(room), plan.effective_date)
        if problem:
            problems.append(problem)
        if step.to_agency is not None and not step.to_agency.is_active:
            problems.append(
                _("第 %(n)s 步：“%(a)s”已停用。") % {"n": step.position, "a": step.to_agency}
            )
    if problems:
        raise ValidationError(problems)
    day = plan.effective_date
    for step in steps:
        room = rooms[step.room_id]
        if step.kind in (K.TRANSFER, K.VACATE):
            vacate_locked(room, current_allocation(room), end_date=day)
        if step.kind != K.VACATE:
            allocate_locked(
                room,
                agency=step.to_agency,
                start_date=day,
                actor=actor,
                certificate_no=step.certificate_no,
                certificate_date=day if step.certificate_no else None,
                source=Allocation.Source.UPSTREAM
                if step.kind == K.OBTAIN
                else Allocation.Source.PLAN,
                plan_step=step,
                note=step.note,
            )
    plan.status = AdjustmentPlan.Status.APPLIED
    plan.applied_at = now or timezone.now()
    plan.applied_by = actor
    plan.save()
    # Each applicant whose request a step realises is told, with a link to their request
    # (they cannot open the plan itself).
    requests = {
        s.request
        for s in plan.steps.select_related("request__requested_by", "request__agency")
        if s.request is not None
    }
    for request in sorted(requests, key=lambda r: r.pk):
        notify(
            recipients=[request.requested_by],
            kind="space.plan_applied",
            title=_("办公用房调整方案“%(t)s”已实施，%(a)s 的用房申请已落实（%(d)s 起）")
            % {"t": plan.title, "a": request.agency, "d": f"{day:%Y-%m-%d}"},
            url=reverse("space:request_detail", args=[request.pk]),
            obj=request,
            actor=actor,
        )
    return plan


@transaction.atomic
def plan_cancel(*, actor, plan) -> AdjustmentPlan:
    plan = AdjustmentPlan.objects.select_for_update().get(pk=plan.pk)
    _plan_editable(actor, plan)
    plan.status = AdjustmentPlan.Status.CANCELLED
    plan.save(update_fields=["status", "updated_at"])
    return plan
