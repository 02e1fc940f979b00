"""Safety inspections: inspection rounds (duty plans of category "safety_inspection" with a
named responsible person per area) and their findings — found, rectified by the responsible
person with a note and photos, closed (销号) by a manager.

Every write is <entity>_<action>(*, actor, ...), atomic; bad input raises a Chinese
ValidationError keyed by field and writes nothing.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.models import DutyPlan
from houqin.core.duties.services import duty_plan_create
from houqin.core.uploads import validate_image
from houqin.core.workdays.calendar import add_workdays

from ..models import Finding, FindingPhoto

MANAGE_PERM = "maintenance.change_finding"
ADD_PERM = "maintenance.add_finding"
RECTIFY_WORKDAYS = 5
MAX_PHOTOS = 9
AREA_MAX = 100
DESCRIPTION_MAX = 2000

# A starting checklist for an inspection round (editable on the form).
INSPECTION_CHECKLIST = [
    {"key": "exits", "label": "疏散通道、安全出口畅通，无堆放杂物", "type": "bool"},
    {"key": "signs", "label": "应急照明、疏散指示标志完好", "type": "bool"},
    {"key": "extinguishers", "label": "灭火器、消火栓完好且在有效期内", "type": "bool"},
    {"key": "wiring", "label": "无私拉乱接电线、无违规使用大功率电器", "type": "bool"},
    {"key": "gas", "label": "燃气管道、阀门无泄漏（如有）", "type": "bool"},
    {"key": "doors", "label": "防火门常闭、闭门器完好", "type": "bool"},
]


def _usable(user) -> bool:
    return user is not None and user.is_active and user.center_id is not None


def can_manage(user, center_id) -> bool:
    return _usable(user) and user.center_id == center_id and user.has_perm(MANAGE_PERM)


def can_rectify(user, finding) -> bool:
    return _usable(user) and (
        finding.responsible_id == user.pk or can_manage(user, finding.center_id)
    )


def is_overdue(finding, today=None) -> bool:
    today = today or timezone.localdate()
    return finding.status == Finding.Status.OPEN and finding.deadline < today


def _text(value, field, limit, label, *, required=True):
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    if len(text) > limit:
        raise ValidationError({field: _("%(l)s不能超过 %(n)s 个字。") % {"l": label, "n": limit}})
    return text


def _responsible(user, center_id, field="responsible"):
    if user is None:
        raise ValidationError({field: _("请选择整改责任人。")})
    if not user.is_active or user.center_id != center_id:
        raise ValidationError({field: _("整改责任人须为本中心的在用账号。")})
    return user


def _photos(finding, photos, stage):
    photos = [p for p in photos or () if p]
    if len(photos) + finding.photos.filter(stage=stage).count() > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}})
    for photo in photos:
        try:
            validate_image(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    for photo in photos:
        FindingPhoto.objects.create(
            center_id=finding.center_id, finding=finding, stage=stage, image=photo
        )


def _notify(finding, actor=None):
    from houqin.core.notifications.services import notify

    notify(
        recipients=[finding.responsible],
        kind="maintenance.finding",
        title=_("安全检查发现问题待整改：%(a)s，整改期限 %(d)s")
        % {"a": finding.area, "d": finding.deadline.isoformat()},
        body=finding.description[:500],
        url=reverse("maintenance:finding_detail", args=[finding.pk]),
        obj=finding,
        actor=actor,
    )


# ------------------------------------------------------------------ findings


@transaction.atomic
def finding_create(
    *,
    actor,
    center,
    area,
    description,
    responsible,
    deadline=None,
    photos=None,
    duty_record=None,
    now=None,
) -> Finding:
    """Record a finding (by hand, or from a failed inspection item: actor None). Without a
    deadline the responsible person has 5 workdays."""
    now = now or timezone.now()
    if actor is not None and (
        actor.center_id != center.pk or not actor.has_perm(ADD_PERM) or not actor.is_active
    ):
        raise PermissionDenied(_("您没有登记安全检查问题的权限。"))
    area = _text(area, "area", AREA_MAX, _("区域/部位"))
    description = _text(description, "description", DESCRIPTION_MAX, _("问题描述"))
    responsible = _responsible(responsible, center.pk)
    today = timezone.localdate(now)
    if deadline is None:
        deadline = add_workdays(today, RECTIFY_WORKDAYS)
    elif not isinstance(deadline, dt.date):
        raise ValidationError({"deadline": _("请填写有效的整改期限。")})
    elif deadline < today:
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    finding = Finding.objects.create(
        center=center,
        area=area,
        description=description,
        responsible=responsible,
        deadline=deadline,
        duty_record=duty_record,
        found_by=actor if actor is not None else getattr(duty_record, "completed_by", None),
    )
    _photos(finding, photos, "found")
    _notify(finding, actor=actor)
    return finding


@transaction.atomic
def finding_rectify(*, actor, finding, note, photos=None, now=None) -> Finding:
    """The responsible person (or a manager for them) reports the rectification."""
    now = now or timezone.now()
    if not can_rectify(actor, finding):
        raise PermissionDenied(_("只有整改责任人可以登记整改情况。"))
    note = _text(note, "rectification", DESCRIPTION_MAX, _("整改情况"))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(
            _("该问题%(s)s，不能再登记整改。") % {"s": finding.get_status_display()}
        )
    _photos(finding, photos, "rectified")
    finding.status = Finding.Status.RECTIFIED
    finding.rectification = note
    finding.rectified_at = now
    finding.save(update_fields=["status", "rectification", "rectified_at", "updated_at"])
    return finding


@transaction.atomic
def finding_close(*, actor, finding, now=None) -> Finding:
    """销号: a manager checks the rectification and closes the finding."""
    now = now or timezone.now()
    if not can_manage(actor, finding.center_id):
        raise PermissionDenied(_("只有安全检查管理人员可以销号。"))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != Finding.Status.RECTIFIED:
        raise ValidationError(
            _("该问题%(s)s，整改后才能销号。") % {"s": finding.get_status_display()}
        )
    finding.status = Finding.Status.CLOSED
    finding.closed_at = now
    finding.closed_by = actor
    finding.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return finding


@transaction.atomic
def finding_reject(*, actor, finding, reason, now=None) -> Finding:
    """The rectification is not good enough: back to the responsible person, with a reason."""
    if not can_manage(actor, finding.center_id):
        raise PermissionDenied(_("只有安全检查管理人员可以退回整改。"))
    reason = _text(reason, "reason", 500, _("退回原因"))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != Finding.Status.RECTIFIED:
        raise ValidationError(
            _("该问题%(s)s，不能退回整改。") % {"s": finding.get_status_display()}
        )
    stamp = timezone.localtime(now or timezone.now())
    finding.status = Finding.Status.OPEN
    finding.rectification = (
        f"{finding.rectification}\n"
        + _("【%(t)s 退回：%(r)s】") % {"t": f"{stamp:%Y-%m-%d %H:%M}", "r": reason}
    ).strip()
    finding.rectified_at = None
    finding.save(update_fields=["status", "rectification", "rectified_at", "updated_at"])
    _notify(finding, actor=actor)
    return finding


@transaction.atomic
def finding_to_work_order(*, actor, finding, category, urgency="normal", now=None):
    """A finding that needs a repair (a broken emergency light, a leaking pipe): open a work
    order for it, once, linked both ways through Finding.work_order."""
    from ..models import WorkOrder
    from .work_orders import work_order_report

    if not can_manage(actor, finding.center_id):
        raise PermissionDenied(_("只有安全检查管理人员可以转维修工单。"))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.work_order_id is not None:
        raise ValidationError(_("该问题已转维修工单 %(n)s。") % {"n": finding.work_order.number})
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(
            _("该问题%(s)s，不需要再转维修。") % {"s": finding.get_status_display()}
        )
    order = work_order_report(
        actor=actor,
        center=finding.center,
        category=category,
        urgency=urgency,
        description=(
            _("安全检查发现：%(a)s——%(d)s") % {"a": finding.area, "d": finding.description}
        )[:1000],
        location_text=finding.area,
        source=WorkOrder.Source.INSPECTION,
        duty_record=finding.duty_record,
        now=now,
    )
    finding.work_order = order
    finding.save(update_fields=["work_order", "updated_at"])
    return order


# ------------------------------------------------------------------ inspection rounds


@transaction.atomic
def inspection_plan_create(
    *,
    actor,
    center,
    area,
    responsible,
    rrule,
    dtstart,
    checklist,
    title="",
    inspectors=(),
    description="",
    workdays_only=False,
    grace_minutes=24 * 60,
    now=None,
) -> DutyPlan:
    """An inspection round of one area with a named responsible person: a duty plan of
    category "safety_inspection" whose manager is that person. The responsible person carries
    it out unless other inspectors are named; failed items become findings for them."""
    if not can_manage(actor, center.pk):
        raise PermissionDenied(_("您没有制定安全检查计划的权限。"))
    area = _text(area, "area", AREA_MAX, _("检查区域"))
    responsible = _responsible(responsible, center.pk)
    title = (title or "").strip() or _("安全检查：%(a)s") % {"a": area}
    inspectors = [u for u in inspectors or () if u is not None] or [responsible]
    return duty_plan_create(
        actor=actor,
        center=center,
        now=now,
        title=title,
        category=DutyPlan.Category.SAFETY_INSPECTION,
        description=description,
        location_text=area,
        assignees=inspectors,
        rrule=rrule,
        dtstart=dtstart,
        workdays_only=workdays_only,
        grace_minutes=grace_minutes,
        checklist=checklist,
        manager=responsible,
    )
