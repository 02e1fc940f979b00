"""Every write of the approvals app: <entity>_<action>(*, actor, ...), atomic, validated.

Modules call `approval_submit()` for their object and react to the outcome through the hooks
they registered (registry.py); the hooks run inside the deciding transaction, so a hook that
raises rolls the decision back. Deciding services lock the request row (SELECT … FOR UPDATE on
PostgreSQL; SQLite runs every transaction as BEGIN IMMEDIATE) and re-check its state, so two
clicks on the same step decide it once: the second gets "该审批已被处理，请刷新页面".

Row changes are audited by django-auditlog (apps.py); ApprovalAction rows are the explicit
history. Every error is a ValidationError with a Chinese message and nothing written.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify
from houqin.core.roles import Role

from .models import ApprovalAction, ApprovalFlow, ApprovalFlowStep, ApprovalRequest, ApprovalStep
from .models import Scope as StepScope
from .registry import get_request_type
from .rules import can_act_on_step, eligible_approvers

TITLE_MAX = 200
COMMENT_MAX = 1000
FLOW_NAME_MAX = 100
STEP_NAME_MAX = 50
MAX_STEPS = 20


def _stale():
    return ValidationError(_("该审批已被处理，请刷新页面"), code="stale")


# ---------------------------------------------------------------- helpers


def _request_type_or_error(code):
    request_type = get_request_type(code)
    if request_type is None:
        raise ValidationError(
            {"request_type": _("未知的申请类型“%(code)s”。") % {"code": code}}, code="unknown_type"
        )
    return request_type


def _object_center_id(obj):
    """The center an object belongs to, when it says (center FK, or an org unit's own)."""
    value = getattr(obj, "center_id_value", None)
    if value is not None:
        return value
    return getattr(obj, "center_id", None)


def _clean_comment(comment, *, required_message=None):
    comment = (comment or "").strip()
    if required_message and not comment:
        raise ValidationError({"comment": required_message}, code="required")
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": _("意见不能超过 %(max)d 字。") % {"max": COMMENT_MAX}}, code="max_length"
        )
    return comment


def _actor_agency(actor):
    try:
        person = actor.person
    except ObjectDoesNotExist:  # an account without a person record
        return None
    return person.agency


def _ensure_flow(center_id, request_type):
    """The center's flow for the type, created from the registered defaults on first use."""
    flow = ApprovalFlow.objects.filter(center_id=center_id, request_type=request_type.code).first()
    if flow is not None:
        return flow
    User = get_user_model()
    for spec in request_type.default_steps:
        if spec.user_id and not User.objects.filter(pk=spec.user_id, center_id=center_id).exists():
            raise ValidationError(
                _("“%(type)s”的默认审批流程指定了不属于本中心的审批人，请联系中心管理员配置流程。")
                % {"type": request_type.label}
            )
    try:
        with transaction.atomic():
            flow = ApprovalFlow.objects.create(
                center_id=center_id,
                request_type=request_type.code,
                name=str(request_type.label)[:FLOW_NAME_MAX],
            )
            for position, spec in enumerate(request_type.default_steps, start=1):
                ApprovalFlowStep.objects.create(
                    flow=flow,
                    position=position,
                    name=str(spec.name)[:STEP_NAME_MAX],
                    approver_role=spec.role or "",
                    scope=spec.scope if spec.role else StepScope.CENTER,
                    approver_user_id=spec.user_id,
                )
    except IntegrityError:  # created at the same moment by another request
        flow = ApprovalFlow.objects.get(center_id=center_id, request_type=request_type.code)
    return flow


def _no_approver_error(index, step, agency):
    if step.approver_user_id:
        message = _(
            "第 %(n)d 步“%(step)s”的指定审批人不可用（已停用、不属于本中心或是申请人本人）。"
        )
    elif step.scope == StepScope.AGENCY and agency is None:
        message = _(
            "第 %(n)d 步“%(step)s”由申请部门审批，但未能确定申请部门（申请人未关联所在单位）。"
        )
    else:
        message = _(
            "第 %(n)d 步“%(step)s”没有除申请人以外可以审批的人员（需要：%(who)s），"
            "请联系中心管理员设置。"
        )
    return ValidationError(
        message % {"n": index, "step": step.name, "who": step.approver_label},
        code="no_approver",
    )


def _check_resolvable(steps, *, center_id, agency, requester_id):
    """Refuse a flow whose step would have nobody to decide it (so no request gets stuck)."""
    for index, step in enumerate(steps, start=1):
        approvers = eligible_approvers(
            center_id=center_id, step=step, agency=agency, exclude_user_id=requester_id
        )
        if not approvers.exists():
            raise _no_approver_error(index, step, agency)


def _notify_approvers(approval, step, actor):
    approvers = list(
        eligible_approvers(
            center_id=approval.center_id,
            step=step,
            agency=approval.agency,
            exclude_user_id=approval.requester_id,
        )
    )
    notify(
        recipients=approvers,
        kind="approval.requested",
        title=_("待审批：%(title)s") % {"title": approval.title},
        body=_("%(type)s · 第 %(n)d 步“%(step)s”")
        % {
            "type": approval.request_type_label,
            "n": step.position,
            "step": step.name,
        },
        url=approval.get_absolute_url(),
        obj=approval,
        center=approval.center_id,
        actor=actor,
    )


def _notify_requester(approval, kind, title, comment, actor):
    notify(
        recipients=[approval.requester],
        kind=kind,
        title=title % {"title": approval.title},
        body=comment,
        url=approval.get_absolute_url(),
        obj=approval,
        center=approval.center_id,
        actor=actor,
    )


def _record(approval, actor, action, step=None, comment=""):
    return ApprovalAction.objects.create(
        request=approval,
        actor=actor,
        action=action,
        position=step.position if step is not None else None,
        step_name=step.name if step is not None else "",
        comment=comment,
    )


def _run_hook(approval, name, actor):
    request_type = get_request_type(approval.request_type)
    hook = getattr(request_type, name, None) if request_type is not None else None
    if hook is not None:
        hook(approval, actor=actor)


def _lock(approval):
    # No select_related: PostgreSQL refuses FOR UPDATE across the nullable agency join.
    try:
        return ApprovalRequest.objects.select_for_update().get(pk=approval.pk)
    except ApprovalRequest.DoesNotExist:
        raise _stale() from None


def _lock_for_decision(actor, approval, position):
    """Lock the request and return it with its current step, if `actor` may decide it now.

    `position` is the step the actor saw (default: the one on the `approval` they hold); a
    request that has moved on since is refused like one already decided.
    """
    locked = _lock(approval)
    expected = position if position is not None else approval.current_position
    if locked.status != ApprovalRequest.Status.PENDING or locked.current_position != expected:
        raise _stale()
    if locked.requester_id == actor.pk:
        raise ValidationError(_("不能审批本人提交的申请"), code="own_request")
    steps = list(locked.steps.all())
    step = next((s for s in steps if s.position == locked.current_position), None)
    if step is None or step.status != ApprovalStep.Status.PENDING:
        raise _stale()
    if not can_act_on_step(actor, locked, step):
        raise ValidationError(_("您不是当前步骤的审批人，无权处理该申请。"), code="not_approver")
    return locked, step, steps


def _decide_step(step, actor, status, comment, now):
    step.status = status
    step.decided_by = actor
    step.decided_at = now
    step.comment = comment
    step.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])


# ---------------------------------------------------------------- requests


@transaction.atomic
def approval_submit(*, actor, obj, request_type, title, summary="", agency=None):
    """Start the approval of `obj` (any saved model instance) under `request_type`.

    `agency` is the org unit the request belongs to (agency-scoped steps are decided there);
    it defaults to the requester's own agency. Returns the ApprovalRequest.
    """
    rtype = _request_type_or_error(request_type)
    if obj is None or getattr(obj, "pk", None) is None:
        raise ValueError("approval_submit needs a saved object")
    if actor is None or not actor.is_authenticated or actor.center_id is None:
        raise ValidationError(_("申请人未关联后勤服务中心，无法提交审批。"), code="no_center")
    center_id = actor.center_id
    object_center = _object_center_id(obj)
    if object_center is not None and object_center != center_id:
        raise ValidationError(_("不能为其他中心的事项提交审批。"), code="other_center")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写申请标题。")}, code="required")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("标题不能超过 %(max)d 字。") % {"max": TITLE_MAX}}, code="max_length"
        )
    if agency is None:
        agency = _actor_agency(actor)
    elif _object_center_id(agency) != center_id:
        raise ValidationError({"agency": _("申请部门不属于本中心。")}, code="other_center")

    flow = _ensure_flow(center_id, rtype)
    if not flow.is_active:
        raise ValidationError(
            _("本中心已停用“%(type)s”审批流程，请联系中心管理员。") % {"type": rtype.label},
            code="flow_inactive",
        )
    flow_steps = list(flow.steps.select_related("approver_user__person").order_by("position"))
    if not flow_steps:
        raise ValidationError(
            _("“%(type)s”审批流程没有审批步骤，请联系中心管理员配置。") % {"type": rtype.label},
            code="flow_empty",
        )
    _check_resolvable(flow_steps, center_id=center_id, agency=agency, requester_id=actor.pk)

    content_type = ContentType.objects.get_for_model(obj)
    open_exists = ApprovalRequest.objects.filter(
        content_type=content_type,
        object_id=obj.pk,
        request_type=rtype.code,
        status__in=ApprovalRequest.OPEN_STATUSES,
    ).exists()
    duplicate = ValidationError(_("该事项已有进行中的审批，请勿重复提交。"), code="duplicate")
    if open_exists:
        raise duplicate
    try:
        with transaction.atomic():
            approval = ApprovalRequest.objects.create(
                center_id=center_id,
                request_type=rtype.code,
                content_type=content_type,
                object_id=obj.pk,
                agency=agency,
                requester=actor,
                title=title,
                summary=(summary or "").strip(),
                status=ApprovalRequest.Status.PENDING,
                current_position=1,
            )
    except IntegrityError:  # the partial unique constraint: submitted at the same moment
        raise duplicate from None
    steps = [
        ApprovalStep.objects.create(
            request=approval,
            position=position,
            name=spec.name,
            approver_role=spec.approver_role,
            scope=spec.scope,
            approver_user=spec.approver_user,
            status=ApprovalStep.Status.PENDING if position == 1 else ApprovalStep.Status.WAITING,
        )
        for position, spec in enumerate(flow_steps, start=1)
    ]
    _record(approval, actor, ApprovalAction.Kind.SUBMIT)
    _notify_approvers(approval, steps[0], actor)
    return approval


@transaction.atomic
def approval_approve(*, actor, approval, comment="", position=None):
    """Approve the current step; the last approval closes the request and calls on_approved."""
    locked, step, steps = _lock_for_decision(actor, approval, position)
    comment = _clean_comment(comment)
    next_step = next((s for s in steps if s.position > step.position), None)
    if next_step is not None:
        # Refuse rather than move the request to a step nobody can decide.
        approvers = eligible_approvers(
            center_id=locked.center_id,
            step=next_step,
            agency=locked.agency,
            exclude_user_id=locked.requester_id,
        )
        if not approvers.exists():
            raise _no_approver_error(next_step.position, next_step, locked.agency)
    now = timezone.now()
    _decide_step(step, actor, ApprovalStep.Status.APPROVED, comment, now)
    _record(locked, actor, ApprovalAction.Kind.APPROVE, step, comment)
    if next_step is not None:
        next_step.status = ApprovalStep.Status.PENDING
        next_step.save(update_fields=["status", "updated_at"])
        locked.current_position = next_step.position
        locked.save(update_fields=["current_position", "updated_at"])
        _notify_approvers(locked, next_step, actor)
    else:
        locked.status = ApprovalRequest.Status.APPROVED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        _run_hook(locked, "on_approved", actor)
        _notify_requester(locked, "approval.approved", _("审批已通过：%(title)s"), comment, actor)
    return locked


@transaction.atomic
def approval_reject(*, actor, approval, comment, position=None):
    """Reject at the current step (a comment is required); closes the request, on_rejected."""
    locked, step, _steps = _lock_for_decision(actor, approval, position)
    comment = _clean_comment(comment, required_message=_("请填写驳回理由。"))
    now = timezone.now()
    _decide_step(step, actor, ApprovalStep.Status.REJECTED, comment, now)
    _record(locked, actor, ApprovalAction.Kind.REJECT, step, comment)
    locked.status = ApprovalRequest.Status.REJECTED
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    _run_hook(locked, "on_rejected", actor)
    _notify_requester(locked, "approval.rejected", _("审批被驳回：%(title)s"), comment, actor)
    return locked


@transaction.atomic
def approval_return(*, actor, approval, comment, position=None):
    """Return to the requester for changes (a comment is required); on_returned."""
    locked, step, _steps = _lock_for_decision(actor, approval, position)
    comment = _clean_comment(comment, required_message=_("请填写退回修改的意见。"))
    now = timezone.now()
    _decide_step(step, actor, ApprovalStep.Status.RETURNED, comment, now)
    _record(locked, actor, ApprovalAction.Kind.RETURN, step, comment)
    locked.status = ApprovalRequest.Status.RETURNED
    locked.save(update_fields=["status", "updated_at"])
    _run_hook(locked, "on_returned", actor)
    _notify_requester(locked, "approval.returned", _("审批被退回修改：%(title)s"), comment, actor)
    return locked


@transaction.atomic
def approval_resubmit(*, actor, approval, comment="", title=None, summary=None):
    """The requester sends a returned request again; it starts over at the first step."""
    locked = _lock(approval)
    if locked.requester_id != actor.pk:
        raise ValidationError(_("只有申请人本人可以重新提交。"), code="not_requester")
    if locked.status != ApprovalRequest.Status.RETURNED:
        raise _stale()
    comment = _clean_comment(comment)
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("请填写申请标题。")}, code="required")
        if len(title) > TITLE_MAX:
            raise ValidationError(
                {"title": _("标题不能超过 %(max)d 字。") % {"max": TITLE_MAX}}, code="max_length"
            )
        locked.title = title
    if summary is not None:
        locked.summary = summary.strip()
    steps = list(locked.steps.select_related("approver_user__person").order_by("position"))
    _check_resolvable(
        steps, center_id=locked.center_id, agency=locked.agency, requester_id=locked.requester_id
    )
    for index, step in enumerate(steps):
        step.status = ApprovalStep.Status.PENDING if index == 0 else ApprovalStep.Status.WAITING
        step.decided_by = None
        step.decided_at = None
        step.comment = ""
        step.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    locked.status = ApprovalRequest.Status.PENDING
    locked.current_position = steps[0].position
    locked.save(update_fields=["status", "current_position", "title", "summary", "updated_at"])
    _record(locked, actor, ApprovalAction.Kind.RESUBMIT, comment=comment)
    _run_hook(locked, "on_resubmitted", actor)
    _notify_approvers(locked, steps[0], actor)
    return locked


@transaction.atomic
def approval_cancel(*, actor, approval, comment=""):
    """The requester withdraws a request that is pending or returned; on_cancelled."""
    locked = _lock(approval)
    if locked.requester_id != actor.pk:
        raise ValidationError(_("只有申请人本人可以撤回申请。"), code="not_requester")
    if locked.status not in ApprovalRequest.OPEN_STATUSES:
        raise _stale()
    comment = _clean_comment(comment)
    for step in locked.steps.filter(status=ApprovalStep.Status.PENDING):
        step.status = ApprovalStep.Status.WAITING
        step.save(update_fields=["status", "updated_at"])
    locked.status = ApprovalRequest.Status.CANCELLED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    _record(locked, actor, ApprovalAction.Kind.CANCEL, comment=comment)
    _run_hook(locked, "on_cancelled", actor)
    return locked


# ---------------------------------------------------------------- flows


def _clean_flow_steps(steps, center_id):
    """Validate the steps of a flow edit; returns (name, role, scope, user) tuples in order."""
    if not steps:
        raise ValidationError({"steps": _("审批流程至少需要一个步骤。")}, code="required")
    if len(steps) > MAX_STEPS:
        raise ValidationError(
            {"steps": _("审批流程最多 %(max)d 个步骤。") % {"max": MAX_STEPS}}, code="max"
        )
    User = get_user_model()
    user_ids = {s.get("approver_user").pk for s in steps if s.get("approver_user") is not None}
    valid_users = set(
        User.objects.filter(pk__in=user_ids, center_id=center_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    cleaned = []
    for index, step in enumerate(steps, start=1):
        name = (step.get("name") or "").strip()
        role = step.get("approver_role") or ""
        scope = step.get("scope") or StepScope.CENTER
        user = step.get("approver_user")
        prefix = _("第 %(n)d 步：") % {"n": index}
        if not name:
            raise ValidationError({"steps": prefix + _("请填写步骤名称。")}, code="required")
        if len(name) > STEP_NAME_MAX:
            raise ValidationError(
                {"steps": prefix + _("步骤名称不能超过 %(max)d 字。") % {"max": STEP_NAME_MAX}},
                code="max_length",
            )
        if bool(role) == (user is not None):
            raise ValidationError(
                {"steps": prefix + _("请选择审批角色或指定审批人（二者选一）。")}, code="approver"
            )
        if role and role not in Role.values:
            raise ValidationError({"steps": prefix + _("审批角色无效。")}, code="invalid")
        if scope not in StepScope.values:
            raise ValidationError({"steps": prefix + _("审批范围无效。")}, code="invalid")
        if user is not None and user.pk not in valid_users:
            raise ValidationError(
                {"steps": prefix + _("指定审批人须为本中心在用的账号。")}, code="invalid"
            )
        cleaned.append((name, role, scope if role else StepScope.CENTER, user))
    return cleaned


@transaction.atomic
def approval_flow_save(*, actor, request_type, name, is_active, steps):
    """Replace the center's flow for `request_type` (name, active flag and ordered steps).

    `steps` is a list of dicts: name, approver_role ("" for a named person), scope
    ("agency"/"center"), approver_user (a User or None). Requests already submitted keep the
    steps they were submitted with.
    """
    rtype = _request_type_or_error(request_type)
    if actor is None or actor.center_id is None:
        raise ValidationError(_("当前账号未关联后勤服务中心。"), code="no_center")
    center_id = actor.center_id
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写流程名称。")}, code="required")
    if len(name) > FLOW_NAME_MAX:
        raise ValidationError(
            {"name": _("流程名称不能超过 %(max)d 字。") % {"max": FLOW_NAME_MAX}}, code="max_length"
        )
    cleaned = _clean_flow_steps(list(steps), center_id)
    flow = _ensure_flow(center_id, rtype)
    flow = ApprovalFlow.objects.select_for_update().get(pk=flow.pk)
    flow.name = name
    flow.is_active = bool(is_active)
    flow.save(update_fields=["name", "is_active", "updated_at"])
    for old in flow.steps.all():
        old.delete()
    for position, (step_name, role, scope, user) in enumerate(cleaned, start=1):
        ApprovalFlowStep.objects.create(
            flow=flow,
            position=position,
            name=step_name,
            approver_role=role,
            scope=scope,
            approver_user=user,
        )
    return flow
