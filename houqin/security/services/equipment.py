"""消防器材台账 (fire equipment register) and 监控设备 (surveillance cameras).

Every write is <entity>_<action>(*, actor, ...), atomic; bad input raises a Chinese
ValidationError keyed by field and writes nothing. Managers (security.change_fireequipment /
security.change_camera) register and edit; guards record the monthly check
(security.add_fireequipmentcheck).

Rules:
- a code is unique in the center (case-insensitive), the expiry date is after the production
  date, the production date is not in the future;
- a changed expiry date re-arms the expiry reminder (expiry_notified_on is cleared);
- a check found not OK needs a note and marks the piece faulty; a good check of a faulty piece
  puts it back in service; last_checked_on is the latest check;
- 更换 / 报废 retires a piece with its date; the replacement may be registered in the same step
  (same kind, location and model, a new code);
- a camera marked 已拆除/更换 needs the date.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Camera, FireEquipment, FireEquipmentCheck
from .common import require, text

ADD_PERM = "security.add_fireequipment"
EDIT_PERM = "security.change_fireequipment"
CHECK_PERM = "security.add_fireequipmentcheck"
CAMERA_ADD_PERM = "security.add_camera"
CAMERA_EDIT_PERM = "security.change_camera"
# Reminders and the list's "即将到期" badge: this many days before the expiry date.
EXPIRY_WARNING_DAYS = 30
MAX_QUANTITY = 9999

S = FireEquipment.Status
ACTIVE = (S.IN_SERVICE, S.FAULTY)
RETIRED = (S.REPLACED, S.SCRAPPED)


def _today(now=None):
    return timezone.localdate(now or timezone.now())


def _code(value, field="code"):
    code = text(value, field, _("编号"), 40, required=True).upper()
    if any(ch.isspace() for ch in code):
        raise ValidationError({field: _("编号不能包含空格。")})
    return code


def _code_taken(model, center_id, code, exclude_pk=None):
    qs = model.objects.filter(center_id=center_id, code__iexact=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _quantity(value):
    try:
        quantity = int(value if value not in (None, "") else 1)
    except (TypeError, ValueError):
        raise ValidationError({"quantity": _("数量必须是整数。")}) from None
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": _("数量应在 1—%(n)s 之间。") % {"n": MAX_QUANTITY}})
    return quantity


def _dates(produced_on, expires_on, today, *, produced="produced_on", expires="expires_on"):
    if produced_on is not None and produced_on > today:
        raise ValidationError({produced: _("生产日期不能晚于今天。")})
    if produced_on is not None and expires_on is not None and expires_on <= produced_on:
        raise ValidationError({expires: _("有效期至必须晚于生产日期。")})


def _fields(*, code, kind, location, model, quantity, produced_on, expires_on, notes):
    if kind not in FireEquipment.Kind.values:
        raise ValidationError({"kind": _("请选择器材类别。")})
    return {
        "code": _code(code),
        "kind": kind,
        "location": text(location, "location", _("位置"), 100, required=True),
        "model": text(model, "model", _("规格型号"), 60),
        "quantity": _quantity(quantity),
        "produced_on": produced_on,
        "expires_on": expires_on,
        "notes": text(notes, "notes", _("备注"), 200),
    }


def _save(obj, code_message):
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # a concurrent registration of the same code
        raise ValidationError({"code": code_message}) from None
    return obj


@transaction.atomic
def fire_equipment_create(
    *,
    actor,
    center,
    code,
    kind,
    location,
    model="",
    quantity=1,
    produced_on=None,
    expires_on=None,
    status=S.IN_SERVICE,
    notes="",
    now=None,
) -> FireEquipment:
    require(actor, ADD_PERM, center.pk)
    fields = _fields(
        code=code,
        kind=kind,
        location=location,
        model=model,
        quantity=quantity,
        produced_on=produced_on,
        expires_on=expires_on,
        notes=notes,
    )
    if status not in ACTIVE:
        raise ValidationError({"status": _("新登记的器材只能是“在用”或“故障”。")})
    _dates(produced_on, expires_on, _today(now))
    message = _("本中心已有编号为 %(c)s 的器材。") % {"c": fields["code"]}
    if _code_taken(FireEquipment, center.pk, fields["code"]):
        raise ValidationError({"code": message})
    return _save(FireEquipment(center=center, status=status, **fields), message)


@transaction.atomic
def fire_equipment_update(
    *,
    actor,
    equipment,
    code,
    kind,
    location,
    model="",
    quantity=1,
    produced_on=None,
    expires_on=None,
    status=None,
    notes="",
    now=None,
) -> FireEquipment:
    equipment = FireEquipment.objects.select_for_update().get(pk=equipment.pk)
    require(actor, EDIT_PERM, equipment.center_id)
    fields = _fields(
        code=code,
        kind=kind,
        location=location,
        model=model,
        quantity=quantity,
        produced_on=produced_on,
        expires_on=expires_on,
        notes=notes,
    )
    status = status or equipment.status
    if equipment.status in RETIRED:
        if status != equipment.status:
            raise ValidationError(
                {
                    "status": _("该器材已%(s)s，不能再改状态。")
                    % {"s": equipment.get_status_display()}
                }
            )
    elif status not in ACTIVE:
        raise ValidationError({"status": _("更换或报废请使用“更换/报废”操作。")})
    _dates(produced_on, expires_on, _today(now))
    message = _("本中心已有编号为 %(c)s 的器材。") % {"c": fields["code"]}
    if _code_taken(FireEquipment, equipment.center_id, fields["code"], equipment.pk):
        raise ValidationError({"code": message})
    if fields["expires_on"] != equipment.expires_on:
        equipment.expiry_notified_on = None  # a renewed date: remind again when it comes near
    for name, value in fields.items():
        setattr(equipment, name, value)
    equipment.status = status
    return _save(equipment, message)


@transaction.atomic
def fire_equipment_check(
    *, actor, equipment, checked_on=None, is_ok=True, note="", now=None
) -> FireEquipmentCheck:
    """月检: one check of a piece in use (guards and managers)."""
    equipment = FireEquipment.objects.select_for_update().get(pk=equipment.pk)
    require(actor, CHECK_PERM, equipment.center_id)
    today = _today(now)
    checked_on = checked_on or today
    if equipment.status in RETIRED:
        raise ValidationError(
            _("该器材已%(s)s，不能再登记检查。") % {"s": equipment.get_status_display()}
        )
    if checked_on > today:
        raise ValidationError({"checked_on": _("检查日期不能晚于今天。")})
    if equipment.produced_on is not None and checked_on < equipment.produced_on:
        raise ValidationError({"checked_on": _("检查日期不能早于生产日期。")})
    is_ok = bool(is_ok)
    note = text(note, "note", _("问题说明"), 200, required=not is_ok)
    check = FireEquipmentCheck.objects.create(
        equipment=equipment,
        checked_on=checked_on,
        is_ok=is_ok,
        note=note,
        checked_by=actor,
    )
    fields = ["updated_at"]
    if equipment.last_checked_on is None or checked_on >= equipment.last_checked_on:
        equipment.last_checked_on = checked_on
        fields.append("last_checked_on")
        # The latest check decides: a problem makes it faulty, a good check after repair
        # puts it back in service.
        status = S.IN_SERVICE if is_ok else S.FAULTY
        if status != equipment.status:
            equipment.status = status
            fields.append("status")
    equipment.save(update_fields=fields)
    return check


@transaction.atomic
def fire_equipment_replace(
    *,
    actor,
    equipment,
    status,
    on=None,
    note="",
    new_code="",
    new_produced_on=None,
    new_expires_on=None,
    now=None,
):
    """更换 / 报废 a piece; with `new_code`, register its replacement (same kind, location,
    model and quantity). Returns (retired piece, new piece or None)."""
    equipment = FireEquipment.objects.select_for_update().get(pk=equipment.pk)
    require(actor, EDIT_PERM, equipment.center_id)
    today = _today(now)
    if equipment.status in RETIRED:
        raise ValidationError(_("该器材已%(s)s。") % {"s": equipment.get_status_display()})
    if status not in RETIRED:
        raise ValidationError({"status": _("请选择更换或报废。")})
    if on is None:
        raise ValidationError({"on": _("请填写更换/报废日期。")})
    if on > today:
        raise ValidationError({"on": _("更换/报废日期不能晚于今天。")})
    if equipment.produced_on is not None and on < equipment.produced_on:
        raise ValidationError({"on": _("更换/报废日期不能早于生产日期。")})
    note = text(note, "note", _("说明"), 200)
    new = None
    new_code = (new_code or "").strip()
    if new_code:
        require(actor, ADD_PERM, equipment.center_id)
        new_code = _code(new_code, "new_code")
        _dates(
            new_produced_on,
            new_expires_on,
            today,
            produced="new_produced_on",
            expires="new_expires_on",
        )
        if _code_taken(FireEquipment, equipment.center_id, new_code):
            raise ValidationError(
                {"new_code": _("本中心已有编号为 %(c)s 的器材。") % {"c": new_code}}
            )
    elif new_produced_on or new_expires_on:
        raise ValidationError({"new_code": _("登记新器材请填写新编号。")})
    equipment.status = status
    equipment.replaced_on = on
    if note:
        joined = f"{equipment.notes}；{note}" if equipment.notes else note
        equipment.notes = joined[:200]
    equipment.save(update_fields=["status", "replaced_on", "notes", "updated_at"])
    if new_code:
        new = FireEquipment.objects.create(
            center_id=equipment.center_id,
            code=new_code,
            kind=equipment.kind,
            location=equipment.location,
            model=equipment.model,
            quantity=equipment.quantity,
            produced_on=new_produced_on,
            expires_on=new_expires_on,
            notes=(_("替换 %(c)s") % {"c": equipment.code})[:200],
        )
    return equipment, new


# ------------------------------------------------------------------ cameras


def _camera_fields(*, code, location, model, installed_on, status, retired_on, notes, today):
    if status not in Camera.Status.values:
        raise ValidationError({"status": _("请选择状态。")})
    if installed_on is not None and installed_on > today:
        raise ValidationError({"installed_on": _("安装日期不能晚于今天。")})
    if status == Camera.Status.RETIRED:
        if retired_on is None:
            raise ValidationError({"retired_on": _("已拆除/更换的摄像机请填写拆除/更换日期。")})
        if retired_on > today:
            raise ValidationError({"retired_on": _("拆除/更换日期不能晚于今天。")})
        if installed_on is not None and retired_on < installed_on:
            raise ValidationError({"retired_on": _("拆除/更换日期不能早于安装日期。")})
    else:
        retired_on = None
    return {
        "code": _code(code),
        "location": text(location, "location", _("安装位置"), 100, required=True),
        "model": text(model, "model", _("型号"), 60),
        "installed_on": installed_on,
        "status": status,
        "retired_on": retired_on,
        "notes": text(notes, "notes", _("备注"), 200),
    }


@transaction.atomic
def camera_create(
    *,
    actor,
    center,
    code,
    location,
    model="",
    installed_on=None,
    status=Camera.Status.IN_SERVICE,
    retired_on=None,
    notes="",
    now=None,
) -> Camera:
    require(actor, CAMERA_ADD_PERM, center.pk)
    fields = _camera_fields(
        code=code,
        location=location,
        model=model,
        installed_on=installed_on,
        status=status,
        retired_on=retired_on,
        notes=notes,
        today=_today(now),
    )
    message = _("本中心已有编号为 %(c)s 的摄像机。") % {"c": fields["code"]}
    if _code_taken(Camera, center.pk, fields["code"]):
        raise ValidationError({"code": message})
    return _save(Camera(center=center, **fields), message)


@transaction.atomic
def camera_update(
    *,
    actor,
    camera,
    code,
    location,
    model="",
    installed_on=None,
    status=Camera.Status.IN_SERVICE,
    retired_on=None,
    notes="",
    now=None,
) -> Camera:
    camera = Camera.objects.select_for_update().get(pk=camera.pk)
    require(actor, CAMERA_EDIT_PERM, camera.center_id)
    fields = _camera_fields(
        code=code,
        location=location,
        model=model,
        installed_on=installed_on,
        status=status,
        retired_on=retired_on,
        notes=notes,
        today=_today(now),
    )
    message = _("本中心已有编号为 %(c)s 的摄像机。") % {"c": fields["code"]}
    if _code_taken(Camera, camera.center_id, fields["code"], camera.pk):
        raise ValidationError({"code": message})
    for name, value in fields.items():
        setattr(camera, name, value)
    return _save(camera, message)


def expiry_window(today):
    """Pieces in use whose expiry date is within EXPIRY_WARNING_DAYS of `today` (or past)."""
    return today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
