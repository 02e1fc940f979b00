"""巡查: patrol routes of QR checkpoints, walked by guards on the phone.

A checkpoint's secret code is printed as a QR label on site (route_labels) and never shown in
the guard's pages, so a patrol can only be recorded by scanning each label where it hangs.
Scanning a label opens the checkpoint's checklist (是/否 per item); a "否" is a problem that needs
a note and is sent to the security managers (security.patrol_problem). A guard walks one patrol
at a time; scanning a checkpoint of a route with no open patrol starts one. Finishing a patrol
with checkpoints left unscanned marks it 未巡完 and needs a note.

patrol_summary(center_id, start, end) gives the figures for the board and the annual summary.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.duties.recurrence import as_bound
from houqin.core.notifications.services import notify

from ..models import Checkpoint, CheckpointScan, Patrol, PatrolRoute
from ..models.patrols import new_checkpoint_code
from .common import require, security_managers, text

ROUTE_ADD_PERM = "security.add_patrolroute"
ROUTE_EDIT_PERM = "security.change_patrolroute"
CHECKPOINT_EDIT_PERM = "security.change_checkpoint"
PATROL_PERM = "security.add_patrol"
PATROL_MANAGE_PERM = "security.change_patrol"
MAX_ROUNDS = 24
MAX_ITEMS = 20
ITEM_LIMIT = 60


# ----------------------------------------------------------------------------- routes
def _route_fields(center_id, *, name, kind, description, rounds_per_day, route=None):
    name = text(name, "name", _("路线名称"), 60, required=True)
    if kind not in PatrolRoute.Kind.values:
        raise ValidationError({"kind": _("请选择巡查类别。")})
    try:
        rounds = int(rounds_per_day)
    except (TypeError, ValueError):
        raise ValidationError({"rounds_per_day": _("每日巡查次数必须是整数。")}) from None
    if not 1 <= rounds <= MAX_ROUNDS:
        raise ValidationError(
            {"rounds_per_day": _("每日巡查次数应在 1—%(n)s 之间。") % {"n": MAX_ROUNDS}}
        )
    clash = PatrolRoute.objects.filter(center_id=center_id, name=name)
    if route is not None:
        clash = clash.exclude(pk=route.pk)
    if clash.exists():
        raise ValidationError({"name": _("本中心已有同名的巡查路线。")})
    return {
        "name": name,
        "kind": kind,
        "description": text(description, "description", _("说明"), 500),
        "rounds_per_day": rounds,
    }


@transaction.atomic
def route_create(
    *, actor, center, name, kind=PatrolRoute.Kind.SECURITY, description="", rounds_per_day=1
) -> PatrolRoute:
    require(actor, ROUTE_ADD_PERM, center.pk)
    fields = _route_fields(
        center.pk, name=name, kind=kind, description=description, rounds_per_day=rounds_per_day
    )
    return PatrolRoute.objects.create(center=center, **fields)


@transaction.atomic
def route_update(
    *, actor, route, name, kind, description="", rounds_per_day=1, is_active=True
) -> PatrolRoute:
    route = PatrolRoute.objects.select_for_update().get(pk=route.pk)
    require(actor, ROUTE_EDIT_PERM, route.center_id)
    fields = _route_fields(
        route.center_id,
        name=name,
        kind=kind,
        description=description,
        rounds_per_day=rounds_per_day,
        route=route,
    )
    for key, value in fields.items():
        setattr(route, key, value)
    route.is_active = bool(is_active)
    route.save()
    return route


# ------------------------------------------------------------------------ checkpoints
def parse_checklist(lines) -> list[dict]:
    """Checklist items from text, one item a line (blank lines and repeats dropped):
    [{"key": "c1", "label": "安全出口畅通", "type": "bool", "required": True}, ...]."""
    labels = []
    for line in (lines or "").splitlines():
        label = " ".join(line.split())
        if label and label not in labels:
            labels.append(label)
    if len(labels) > MAX_ITEMS:
        raise ValidationError({"checklist": _("检查项不能超过 %(n)s 项。") % {"n": MAX_ITEMS}})
    for label in labels:
        if len(label) > ITEM_LIMIT:
            raise ValidationError(
                {
                    "checklist": _("检查项“%(l)s…”超过 %(n)s 个字。")
                    % {"l": label[:10], "n": ITEM_LIMIT}
                }
            )
    return [
        {"key": f"c{i}", "label": label, "type": "bool", "required": True}
        for i, label in enumerate(labels, start=1)
    ]


def checklist_text(checklist) -> str:
    return "\n".join(item["label"] for item in checklist or [])


def _checkpoint_fields(*, name, location, checklist):
    return {
        "name": text(name, "name", _("检查点名称"), 60, required=True),
        "location": text(location, "location", _("位置"), 100),
        "checklist": parse_checklist(checklist),
    }


@transaction.atomic
def checkpoint_add(*, actor, route, name, location="", checklist="") -> Checkpoint:
    """A checkpoint at the end of the route; `checklist` is text, one item a line."""
    route = PatrolRoute.objects.select_for_update().get(pk=route.pk)
    require(actor, CHECKPOINT_EDIT_PERM, route.center_id)
    fields = _checkpoint_fields(name=name, location=location, checklist=checklist)
    last = route.checkpoints.aggregate(m=Max("position"))["m"] or 0
    return Checkpoint.objects.create(route=route, position=last + 1, **fields)


@transaction.atomic
def checkpoint_update(
    *, actor, checkpoint, name, location="", checklist="", position=None, is_active=True
) -> Checkpoint:
    """Edit a checkpoint; a new position swaps places with the checkpoint that held it."""
    route = PatrolRoute.objects.select_for_update().get(pk=checkpoint.route_id)
    require(actor, CHECKPOINT_EDIT_PERM, route.center_id)
    checkpoint = Checkpoint.objects.get(pk=checkpoint.pk)
    fields = _checkpoint_fields(name=name, location=location, checklist=checklist)
    if position is not None and position != checkpoint.position:
        try:
            position = int(position)
        except (TypeError, ValueError):
            raise ValidationError({"position": _("顺序必须是正整数。")}) from None
        if position < 1:
            raise ValidationError({"position": _("顺序必须是正整数。")})
        other = route.checkpoints.filter(position=position).first()
        if other is not None:
            old = checkpoint.position
            Checkpoint.objects.filter(pk=checkpoint.pk).update(position=0)
            Checkpoint.objects.filter(pk=other.pk).update(position=old)
        checkpoint.position = position
    for key, value in fields.items():
        setattr(checkpoint, key, value)
    checkpoint.is_active = bool(is_active)
    checkpoint.save()
    return checkpoint


@transaction.atomic
def checkpoint_regenerate_code(*, actor, checkpoint) -> Checkpoint:
    """A new secret code (a label was lost or copied): the old label stops working."""
    checkpoint = (
        Checkpoint.objects.select_for_update().select_related("route").get(pk=checkpoint.pk)
    )
    require(actor, CHECKPOINT_EDIT_PERM, checkpoint.route.center_id)
    checkpoint.code = new_checkpoint_code()
    checkpoint.save(update_fields=["code", "updated_at"])
    return checkpoint


# ---------------------------------------------------------------------------- patrols
def open_patrol(user):
    """The user's patrol in progress, or None."""
    return (
        Patrol.objects.select_related("route")
        .filter(guard=user, status=Patrol.Status.IN_PROGRESS)
        .first()
    )


@transaction.atomic
def patrol_start(*, actor, route, now=None) -> Patrol:
    route = PatrolRoute.objects.get(pk=route.pk)
    require(actor, PATROL_PERM, route.center_id)
    if not route.is_active:
        raise ValidationError(_("该巡查路线已停用。"))
    if not route.checkpoints.filter(is_active=True).exists():
        raise ValidationError(_("该巡查路线尚未设置检查点。"))
    if Patrol.objects.filter(guard=actor, status=Patrol.Status.IN_PROGRESS).exists():
        raise ValidationError(_("您有未结束的巡查，请先结束后再开始新的巡查。"))
    try:
        with transaction.atomic():
            return Patrol.objects.create(
                center_id=route.center_id,
                route=route,
                guard=actor,
                started_at=now or timezone.now(),
            )
    except IntegrityError:  # a second tap raced the first one
        raise ValidationError(_("您有未结束的巡查，请先结束后再开始新的巡查。")) from None


def find_checkpoint(actor, code):
    """The active checkpoint of an active route of the actor's center with this secret code,
    or a ValidationError (another center's code is refused alike)."""
    code = (code or "").strip()
    checkpoint = None
    if code and actor.center_id is not None:
        checkpoint = (
            Checkpoint.objects.select_related("route")
            .filter(
                code=code,
                is_active=True,
                route__is_active=True,
                route__center_id=actor.center_id,
            )
            .first()
        )
    if checkpoint is None:
        raise ValidationError(_("无效的检查点二维码。"))
    return checkpoint


def _clean_answers(checklist, answers):
    """[{"key", "label", "ok"}] in checklist order, and whether all are 是."""
    answers = answers or {}
    cleaned, errors = [], {}
    for item in checklist or []:
        value = answers.get(item["key"])
        if isinstance(value, str):
            value = {"yes": True, "no": False, "是": True, "否": False}.get(value.strip())
        if value is None:
            if item.get("required", True):
                errors[item["key"]] = _("请选择“%(l)s”的检查结果。") % {"l": item["label"]}
            continue
        cleaned.append({"key": item["key"], "label": item["label"], "ok": bool(value)})
    if errors:
        raise ValidationError(errors)
    return cleaned, all(a["ok"] for a in cleaned)


@transaction.atomic
def patrol_scan(*, actor, code, answers, note="", now=None) -> CheckpointScan:
    """Record a checkpoint scanned by `actor` on their open patrol of its route (started now
    when they have none)."""
    checkpoint = find_checkpoint(actor, code)
    route = checkpoint.route
    require(actor, PATROL_PERM, route.center_id)
    now = now or timezone.now()
    note = text(note, "note", _("异常说明"), 300)
    cleaned, is_ok = _clean_answers(checkpoint.checklist, answers)
    if not is_ok and not note:
        raise ValidationError({"note": _("发现异常，请填写异常说明。")})
    patrol = (
        Patrol.objects.select_for_update()
        .select_related("route")
        .filter(guard=actor, status=Patrol.Status.IN_PROGRESS)
        .first()
    )
    if patrol is None:
        patrol = patrol_start(actor=actor, route=route, now=now)
    elif patrol.route_id != route.pk:
        raise ValidationError(
            _("您正在巡查“%(r)s”，该检查点属于“%(o)s”，请先结束当前巡查。")
            % {"r": patrol.route.name, "o": route.name}
        )
    if CheckpointScan.objects.filter(patrol=patrol, checkpoint=checkpoint).exists():
        raise ValidationError(_("本次巡查已扫描过该检查点。"))
    scan = CheckpointScan.objects.create(
        patrol=patrol,
        checkpoint=checkpoint,
        scanned_at=max(now, patrol.started_at),
        answers=cleaned,
        is_ok=is_ok,
        note=note,
    )
    if not is_ok:
        problems = "、".join(a["label"] for a in cleaned if not a["ok"])
        notify(
            recipients=security_managers(route.center_id),
            kind="security.patrol_problem",
            title=_("巡查发现异常：%(r)s · %(c)s") % {"r": route.name, "c": checkpoint.name},
            body=_("%(g)s：%(p)s。%(n)s") % {"g": actor.display_name, "p": problems, "n": note},
            url=reverse("security:patrol_detail", args=[patrol.pk]),
            obj=patrol,
            center=route.center_id,
            actor=actor,
        )
    return scan


def missing_checkpoints(patrol):
    """The route's active checkpoints not yet scanned in the patrol."""
    return Checkpoint.objects.filter(route_id=patrol.route_id, is_active=True).exclude(
        scans__patrol=patrol
    )


@transaction.atomic
def patrol_finish(*, actor, patrol, note="", now=None) -> Patrol:
    """End the patrol: 已完成 when every active checkpoint was scanned, else 未巡完 (a note says
    why). The guard ends their own patrol; a security manager may end anyone's."""
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if patrol.guard_id == actor.pk:
        require(actor, PATROL_PERM, patrol.center_id)
    else:
        require(actor, PATROL_MANAGE_PERM, patrol.center_id)
    if patrol.status != Patrol.Status.IN_PROGRESS:
        raise ValidationError(_("该巡查已结束。"))
    note = text(note, "note", _("情况说明"), 500)
    missing = missing_checkpoints(patrol).count()
    if missing and not note:
        raise ValidationError(
            {"note": _("还有 %(n)s 个检查点未扫描，请填写情况说明。") % {"n": missing}}
        )
    patrol.status = Patrol.Status.INCOMPLETE if missing else Patrol.Status.DONE
    patrol.finished_at = max(now or timezone.now(), patrol.started_at)
    patrol.note = note
    patrol.save(update_fields=["status", "finished_at", "note", "updated_at"])
    return patrol


# ---------------------------------------------------------------------------- figures
def _days(start, end):
    """Whole local days from start's day up to end (exclusive)."""
    first = timezone.localtime(as_bound(start)).date()
    last = timezone.localtime(as_bound(end)).date()
    return max((last - first).days, 0)


def patrol_summary(center_id, start, end) -> dict:
    """The patrol figures of [start, end) (dates = local midnights, or aware datetimes), in 4
    queries whatever the amount of data:

    planned             Σ active routes × rounds_per_day × days of the period from the day
                        the route was set up (a new route was not due before it existed)
    done / incomplete / in_progress   patrols started in the period, by status
    checkpoints_missed  active checkpoints not scanned by the incomplete patrols
    abnormal_scans      checkpoint scans with a problem (一项及以上“否”)
    by_kind             the same per kind (security, fire)
    """
    lo, hi = as_bound(start), as_bound(end)
    days = _days(start, end)
    kinds = {
        kind: {
            "planned": 0,
            "done": 0,
            "incomplete": 0,
            "in_progress": 0,
            "checkpoints_missed": 0,
            "abnormal_scans": 0,
        }
        for kind in PatrolRoute.Kind.values
    }
    routes = PatrolRoute.objects.filter(center_id=center_id, is_active=True).values_list(
        "kind", "rounds_per_day", "created_at"
    )
    for kind, rounds, created_at in routes:
        kinds[kind]["planned"] += rounds * _days(max(as_bound(start), created_at), end)
    patrols = Patrol.objects.filter(center_id=center_id, started_at__gte=lo, started_at__lt=hi)
    for row in patrols.values("route__kind", "status").annotate(n=Count("id")):
        kinds[row["route__kind"]][row["status"]] += row["n"]
    incomplete = (
        patrols.filter(status=Patrol.Status.INCOMPLETE)
        .annotate(
            points=Count(
                "route__checkpoints", filter=Q(route__checkpoints__is_active=True), distinct=True
            ),
            scanned=Count("scans", distinct=True),
        )
        .values_list("route__kind", "points", "scanned")
    )
    for kind, points, scanned in incomplete:
        kinds[kind]["checkpoints_missed"] += max(points - scanned, 0)
    abnormal = (
        CheckpointScan.objects.filter(
            patrol__center_id=center_id,
            patrol__started_at__gte=lo,
            patrol__started_at__lt=hi,
            is_ok=False,
        )
        .values("patrol__route__kind")
        .annotate(n=Count("id"))
    )
    for row in abnormal:
        kinds[row["patrol__route__kind"]]["abnormal_scans"] = row["n"]
    total = {key: sum(k[key] for k in kinds.values()) for key in next(iter(kinds.values()))}
    return {**total, "days": days, "by_kind": kinds}
