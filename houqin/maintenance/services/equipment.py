"""The equipment register (设备台账): equipment, its documents, and preventive maintenance
plans on it (duty plans of category "maintenance" whose target is the equipment).

Every write is <entity>_<action>(*, actor, ...), atomic; bad input raises a Chinese
ValidationError keyed by field and writes nothing. Editing needs maintenance.change_equipment.
"""

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.duties.models import DutyPlan
from houqin.core.duties.services import duty_plan_create
from houqin.core.roles import Role
from houqin.core.uploads import MB, file_size
from houqin.core.uploads import validate_document as _validate_document

from ..models import Category, Equipment, EquipmentDocument

EDIT_PERM = "maintenance.change_equipment"
MAX_DOCUMENT_BYTES = 20 * MB
# Drawings and manuals as well as scans (the byte checks live in core.uploads).
DOCUMENT_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".dwg", ".docx", ".xlsx")
EXPIRY_WARNING_DAYS = 60

TEXT_FIELDS = {
    # name: (limit, required, label)
    "name": (100, True, gettext_lazy("设备名称")),
    "code": (50, True, gettext_lazy("设备编号/标签")),
    "location": (200, True, gettext_lazy("安装位置")),
    "model": (100, False, gettext_lazy("规格型号")),
    "manufacturer": (100, False, gettext_lazy("生产厂家")),
    "vendor_name": (100, False, gettext_lazy("维保单位")),
    "contract_no": (50, False, gettext_lazy("维保合同号")),
    "notes": (2000, False, gettext_lazy("备注")),
}
DATE_FIELDS = ("install_date", "warranty_until", "contract_until")
FIELDS = ("kind", "status", *TEXT_FIELDS, *DATE_FIELDS)

# The repair category a piece of equipment belongs to (a failed preventive item → work order).
KIND_CATEGORY = {
    Equipment.Kind.ELEVATOR: Category.ELEVATOR,
    Equipment.Kind.AC_UNIT: Category.AC,
    Equipment.Kind.CHILLER: Category.AC,
    Equipment.Kind.COOLING_TOWER: Category.AC,
    Equipment.Kind.GENERATOR: Category.ELECTRIC,
    Equipment.Kind.SWITCHGEAR: Category.ELECTRIC,
    Equipment.Kind.PUMP: Category.WATER,
    Equipment.Kind.IRRIGATION: Category.WATER,
}


def category_for(equipment) -> str:
    if equipment is None:
        return Category.OTHER
    return KIND_CATEGORY.get(equipment.kind, Category.OTHER)


def _bool(label, key):
    return {"key": key, "label": label, "type": "bool", "required": True}


def _number(label, key, low=None, high=None, unit=""):
    return {
        "key": key,
        "label": label,
        "type": "number",
        "required": True,
        "min": low,
        "max": high,
        "unit": unit,
    }


# Checklist templates of preventive maintenance, by equipment kind (editable on the form).
CHECKLISTS = {
    Equipment.Kind.ELEVATOR: [
        _bool("曳引机运行正常、无异响", "traction"),
        _bool("制动器动作可靠", "brake"),
        _bool("层门、轿门门锁有效", "door_lock"),
        _bool("应急通话装置畅通（五方通话）", "emergency_call"),
        _bool("轿厢照明、通风、应急照明正常", "car_light"),
        _bool("限速器、安全钳无异常", "governor"),
    ],
    Equipment.Kind.CHILLER: [
        _number("冷却水进水温度", "cw_in", 25, 35, "℃"),
        _number("冷却水出水温度", "cw_out", 28, 40, "℃"),
        _number("冷冻水出水温度", "chw_out", 5, 12, "℃"),
        _number("蒸发压力", "evap_pressure", 0.2, 0.6, "MPa"),
        _bool("压缩机无异响、无漏油", "compressor"),
        _bool("冷凝器、蒸发器已清洗", "heat_exchanger"),
    ],
    Equipment.Kind.COOLING_TOWER: [
        _bool("填料、布水器完好无堵塞", "fill"),
        _bool("风机、皮带、轴承正常", "fan"),
        _bool("集水盘已清洗，无藻类", "basin"),
        _number("冷却水出水温度", "water_out", 25, 35, "℃"),
    ],
    Equipment.Kind.AC_UNIT: [
        _bool("过滤网已清洗", "filter"),
        _bool("冷凝水排水畅通", "drain"),
        _bool("运行无异响、无异味", "noise"),
        _number("出风温度（制冷）", "air_out", 8, 18, "℃"),
    ],
    Equipment.Kind.GENERATOR: [
        _bool("空载试运行正常", "test_run"),
        _number("蓄电池电压", "battery", 24, 28.8, "V"),
        _number("燃油存量", "fuel", 50, 100, "%"),
        _bool("机油、冷却液液位正常", "fluids"),
        _bool("ATS 自动切换正常", "ats"),
    ],
    Equipment.Kind.SWITCHGEAR: [
        _bool("柜体标识、回路标签清晰完整", "labels"),
        _bool("一次系统图与现场一致", "diagram"),
        _bool("接线端子无过热、无松动", "terminals"),
        _number("母排最高温度（红外测温）", "busbar_temp", None, 70, "℃"),
        _bool("绝缘垫、安全工器具齐全", "safety_tools"),
    ],
    Equipment.Kind.PUMP: [
        _bool("运行无异响、无振动", "vibration"),
        _bool("机械密封无渗漏", "seal"),
        _number("出口压力", "pressure", 0.2, 1.0, "MPa"),
        _bool("控制柜自动/手动切换正常", "control"),
    ],
    Equipment.Kind.FIRE_SYSTEM: [
        _bool("消防主机无故障报警", "panel"),
        _bool("喷淋、消火栓系统压力正常", "pressure"),
        _bool("消防水泵手动/自动启动正常", "pump_start"),
        _bool("防火卷帘、排烟风机联动正常", "linkage"),
    ],
    Equipment.Kind.IRRIGATION: [
        _bool("喷头无堵塞、无损坏", "nozzles"),
        _bool("管道、阀门无渗漏", "pipes"),
        _bool("控制器定时正常", "controller"),
    ],
}
DEFAULT_CHECKLIST = [
    _bool("外观完好、无损坏", "appearance"),
    _bool("运行正常", "running"),
    _bool("安全防护装置有效", "safety"),
]

# (duties preset key, months) suggested for a kind: elevators monthly, chillers and cooling
# towers every year before summer, A/C units before summer and winter, the rest quarterly.
SCHEDULES = {
    Equipment.Kind.ELEVATOR: ("monthly_first", []),
    Equipment.Kind.CHILLER: ("yearly_months", [4]),
    Equipment.Kind.COOLING_TOWER: ("yearly_months", [4]),
    Equipment.Kind.AC_UNIT: ("april_october", []),
    Equipment.Kind.GENERATOR: ("monthly_first", []),
    Equipment.Kind.FIRE_SYSTEM: ("monthly_first", []),
    Equipment.Kind.IRRIGATION: ("april_october", []),
}
DEFAULT_SCHEDULE = ("quarterly", [])


def checklist_for(kind) -> list[dict]:
    return [dict(item) for item in CHECKLISTS.get(kind, DEFAULT_CHECKLIST)]


def schedule_for(kind) -> tuple[str, list[int]]:
    preset, months = SCHEDULES.get(kind, DEFAULT_SCHEDULE)
    return preset, list(months)


# ------------------------------------------------------------------ helpers


def _editor(actor, center_id):
    if (
        actor is None
        or not actor.is_active
        or actor.center_id != center_id
        or not actor.has_perm(EDIT_PERM)
    ):
        raise PermissionDenied(_("您没有维护设备台账的权限。"))


class _Errors(dict):
    def add(self, name, message):
        self.setdefault(name, []).append(message)

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def _clean(center_id, data, *, instance=None, today=None) -> dict:
    errors = _Errors()
    out = {}
    kind = data.get("kind") or ""
    if kind not in Equipment.Kind.values:
        errors.add("kind", _("请选择设备类别。"))
    out["kind"] = kind
    status = data.get("status") or Equipment.Status.IN_USE
    if status not in Equipment.Status.values:
        errors.add("status", _("请选择设备状态。"))
    out["status"] = status
    for name, (limit, required, label) in TEXT_FIELDS.items():
        value = str(data.get(name) or "").strip()
        if required and not value:
            errors.add(name, _("请填写%(l)s。") % {"l": label})
        elif len(value) > limit:
            errors.add(name, _("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit})
        out[name] = value
    for name in DATE_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, dt.date):
            errors.add(name, _("请填写有效的日期。"))
            value = None
        out[name] = value
    today = today or timezone.localdate()
    install, warranty, contract = (out[n] for n in DATE_FIELDS)
    if install is not None and install > today:
        errors.add("install_date", _("安装日期不能晚于今天。"))
    if install is not None and warranty is not None and warranty < install:
        errors.add("warranty_until", _("保修期截止日期不能早于安装日期。"))
    if install is not None and contract is not None and contract < install:
        errors.add("contract_until", _("维保合同到期日不能早于安装日期。"))
    if contract is not None and not out["contract_no"] and not out["vendor_name"]:
        errors.add("contract_no", _("填写了维保合同到期日，请同时填写维保合同号或维保单位。"))
    if out["code"]:
        clash = Equipment.objects.filter(center_id=center_id, code__iexact=out["code"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.add("code", _("设备编号“%(c)s”已被使用。") % {"c": out["code"]})
    errors.raise_if_any()
    return out


def _save(equipment, code):
    try:
        with transaction.atomic():
            equipment.save()
    except IntegrityError:
        raise ValidationError({"code": [_("设备编号“%(c)s”已被使用。") % {"c": code}]}) from None


# ------------------------------------------------------------------ equipment


@transaction.atomic
def equipment_create(*, actor, center, **fields) -> Equipment:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown equipment fields: {sorted(unknown)}")
    _editor(actor, center.pk)
    data = _clean(center.pk, fields)
    equipment = Equipment(center=center, **data)
    _save(equipment, data["code"])
    return equipment


@transaction.atomic
def equipment_update(*, actor, equipment, **fields) -> Equipment:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown equipment fields: {sorted(unknown)}")
    _editor(actor, equipment.center_id)
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    current = {name: getattr(equipment, name) for name in FIELDS}
    current.update(fields)
    data = _clean(equipment.center_id, current, instance=equipment)
    for name, value in data.items():
        setattr(equipment, name, value)
    _save(equipment, data["code"])
    return equipment


# ------------------------------------------------------------------ documents


def validate_document(upload) -> str:
    """The file's extension if it is an allowed equipment document (core.uploads)."""
    return _validate_document(upload, types=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)


@transaction.atomic
def equipment_document_add(*, actor, equipment, file, title="") -> EquipmentDocument:
    """Attach a document (single-line diagram, manual, inspection report…) to equipment."""
    _editor(actor, equipment.center_id)
    try:
        validate_document(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    title = (title or "").strip() or Path(getattr(file, "name", "") or "").stem
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写文件名称。")})
    if len(title) > 100:
        raise ValidationError({"title": _("文件名称不能超过 100 个字。")})
    return EquipmentDocument.objects.create(
        center_id=equipment.center_id,
        equipment=equipment,
        title=title,
        file=file,
        size=file_size(file),
        uploaded_by=actor,
    )


# ------------------------------------------------------------------ preventive plans


@transaction.atomic
def maintenance_plan_create(
    *,
    actor,
    equipment,
    title,
    rrule,
    dtstart,
    checklist,
    description="",
    workdays_only=False,
    grace_minutes=3 * 24 * 60,
    vendor_name="",
    now=None,
) -> DutyPlan:
    """A preventive maintenance plan on `equipment`: a duty plan (category "maintenance")
    carried out by the center's technicians, the actor being the manager responsible."""
    _editor(actor, equipment.center_id)
    if equipment.status == Equipment.Status.SCRAPPED:
        raise ValidationError(_("设备已报废，不能再制定维护计划。"))
    return duty_plan_create(
        actor=actor,
        center=equipment.center,
        now=now,
        title=title,
        category=DutyPlan.Category.MAINTENANCE,
        description=description,
        location_text=f"{equipment.location}（{equipment.code}）"[:200],
        target=equipment,
        assignee_role=Role.TECHNICIAN,
        vendor_name=vendor_name,
        rrule=rrule,
        dtstart=dtstart,
        workdays_only=workdays_only,
        grace_minutes=grace_minutes,
        checklist=checklist,
        manager=actor,
    )
