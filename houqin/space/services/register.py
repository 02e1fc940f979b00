"""The register: buildings, floors (floor plans) and rooms, and the xlsx room import. A room's
status is not edited here except for "under repair": occupied/idle follow the allocations
(services.allocation)."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from houqin.core.audit import record_event
from houqin.core.models import AuditEvent
from houqin.core.uploads import EXTENSIONS as IMAGE_EXTENSIONS
from houqin.core.uploads import MB, validate_image
from houqin.core.xlsx import Column, read_table

from ..models import Building, Floor, SpaceRoom
from ..models.buildings import SUB_USE_KIND, SubUse, UseKind
from .common import area, require_manager, text

BUILDING_TEXT = {
    "name": (60, True, "楼栋名称"),
    "code": (20, False, "编号"),
    "address": (200, True, "地址"),
    "owner_name": (100, False, "产权单位"),
    "notes": (500, False, "备注"),
}


def _building_fields(data):
    cleaned = {
        key: text(data.get(key), key, _(label), limit, required=required)
        for key, (limit, required, label) in BUILDING_TEXT.items()
    }
    cleaned["floor_area"] = area(data.get("floor_area"), "floor_area", _("建筑面积"))
    ownership = data.get("ownership") or Building.Ownership.OWNED
    if ownership not in Building.Ownership.values:
        raise ValidationError({"ownership": _("请选择产权性质。")})
    cleaned["ownership"] = ownership
    year = data.get("built_year")
    if year in ("", None):
        year = None
    else:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise ValidationError({"built_year": _("建成年份必须是四位数字。")}) from None
        if not 1900 <= year <= 2100:
            raise ValidationError({"built_year": _("建成年份应在 1900—2100 之间。")})
    cleaned["built_year"] = year
    for key, label in (("floors_above", _("地上层数")), ("floors_below", _("地下层数"))):
        try:
            value = int(data.get(key) if data.get(key) not in (None, "") else 0)
        except (TypeError, ValueError):
            raise ValidationError({key: _("%(l)s必须是整数。") % {"l": label}}) from None
        if not 0 <= value <= 200:
            raise ValidationError({key: _("%(l)s应在 0—200 之间。") % {"l": label}})
        cleaned[key] = value
    if cleaned["floors_above"] < 1:
        raise ValidationError({"floors_above": _("地上层数至少为 1。")})
    return cleaned


def _save(obj, duplicate_field, message):
    try:
        with transaction.atomic():
            obj.full_clean(exclude=["center", "building", "floor"], validate_unique=False)
            obj.save()
    except IntegrityError:
        raise ValidationError({duplicate_field: message}) from None
    return obj


@transaction.atomic
def building_create(*, actor, center, **data) -> Building:
    """A building, with its floors (地下 B1… and 地上 1F…) created from the floor counts."""
    require_manager(actor, center.pk)
    fields = _building_fields(data)
    if Building.objects.filter(center=center, name=fields["name"]).exists():
        raise ValidationError({"name": _("已有同名楼栋。")})
    building = Building.objects.create(center=center, **fields)
    floors = [
        Floor(building=building, level=-level, name=f"B{level}")
        for level in range(1, fields["floors_below"] + 1)
    ] + [
        Floor(building=building, level=level, name=f"{level}F")
        for level in range(1, fields["floors_above"] + 1)
    ]
    Floor.objects.bulk_create(floors)
    return building


@transaction.atomic
def building_update(*, actor, building, **data) -> Building:
    """Edit a building; floors added for higher counts, never removed (rooms may be on them)."""
    require_manager(actor, building.center_id)
    fields = _building_fields(data)
    if (
        Building.objects.filter(center_id=building.center_id, name=fields["name"])
        .exclude(pk=building.pk)
        .exists()
    ):
        raise ValidationError({"name": _("已有同名楼栋。")})
    for key, value in fields.items():
        setattr(building, key, value)
    building.is_active = bool(data.get("is_active", building.is_active))
    building.save()
    existing = set(building.floors.values_list("level", flat=True))
    wanted = [-n for n in range(1, fields["floors_below"] + 1)] + list(
        range(1, fields["floors_above"] + 1)
    )
    Floor.objects.bulk_create(
        [
            Floor(building=building, level=level, name=f"B{-level}" if level < 0 else f"{level}F")
            for level in wanted
            if level not in existing
        ]
    )
    return building


def _room_fields(data, building):
    cleaned = {
        "number": text(data.get("number"), "number", _("房间号"), 20, required=True),
        "name": text(data.get("name"), "name", _("房间名称"), 60),
        "notes": text(data.get("notes"), "notes", _("备注"), 500),
        "usable_area": area(data.get("usable_area"), "usable_area", _("使用面积"), max_value=99999),
    }
    sub_use = data.get("sub_use") or ""
    if sub_use not in SubUse.values:
        raise ValidationError({"sub_use": _("请选择具体用途。")})
    use_kind = data.get("use_kind") or SUB_USE_KIND.get(sub_use, "")
    if use_kind not in UseKind.values:
        raise ValidationError({"use_kind": _("请选择用房类别。")})
    expected = SUB_USE_KIND.get(sub_use)
    if expected is not None and expected != use_kind:
        raise ValidationError(
            {
                "sub_use": _("“%(s)s”属于%(k)s，与所选用房类别不符。")
                % {"s": SubUse(sub_use).label, "k": UseKind(expected).label}
            }
        )
    cleaned["use_kind"], cleaned["sub_use"] = use_kind, sub_use
    try:
        capacity = int(data.get("capacity") or 1)
    except (TypeError, ValueError):
        raise ValidationError({"capacity": _("核定使用人数必须是整数。")}) from None
    if not 1 <= capacity <= 50:
        raise ValidationError({"capacity": _("核定使用人数应在 1—50 之间。")})
    cleaned["capacity"] = capacity
    floor = data.get("floor")
    if floor is None or floor.building_id != building.pk:
        raise ValidationError({"floor": _("请选择该楼栋的楼层。")})
    cleaned["floor"] = floor
    return cleaned


@transaction.atomic
def room_create(*, actor, building, **data) -> SpaceRoom:
    require_manager(actor, building.center_id)
    fields = _room_fields(data, building)
    if SpaceRoom.objects.filter(building=building, number=fields["number"]).exists():
        raise ValidationError({"number": _("该楼栋已有房间号 %(n)s。") % {"n": fields["number"]}})
    return SpaceRoom.objects.create(
        center_id=building.center_id,
        building=building,
        status=SpaceRoom.Status.IDLE,
        **fields,
    )


@transaction.atomic
def room_update(*, actor, room, **data) -> SpaceRoom:
    """Edit a room. Shrinking the capacity below the people in it is refused; so is turning
    an office with occupants into another kind."""
    room = SpaceRoom.objects.select_for_update().get(pk=room.pk)
    require_manager(actor, room.center_id)
    fields = _room_fields(data, room.building)
    if (
        SpaceRoom.objects.filter(building=room.building, number=fields["number"])
        .exclude(pk=room.pk)
        .exists()
    ):
        raise ValidationError({"number": _("该楼栋已有房间号 %(n)s。") % {"n": fields["number"]}})
    occupants = room.occupancies.filter(end_date__isnull=True).count()
    if occupants > fields["capacity"]:
        raise ValidationError(
            {"capacity": _("房间现有 %(n)s 名使用人，核定人数不能少于此数。") % {"n": occupants}}
        )
    if occupants and fields["use_kind"] != UseKind.OFFICE:
        raise ValidationError({"use_kind": _("房间仍有使用人，不能改为非办公室用房。")})
    for key, value in fields.items():
        setattr(room, key, value)
    room.save()
    return room


@transaction.atomic
def room_set_repair(*, actor, room, repair: bool) -> SpaceRoom:
    """Mark a room under repair (no new allocation) or back in service (occupied or idle as
    its allocation says)."""
    room = SpaceRoom.objects.select_for_update().get(pk=room.pk)
    require_manager(actor, room.center_id)
    if repair:
        room.status = SpaceRoom.Status.REPAIR
    else:
        held = room.allocations.filter(end_date__isnull=True).exists()
        room.status = SpaceRoom.Status.OCCUPIED if held else SpaceRoom.Status.IDLE
    room.save(update_fields=["status", "updated_at"])
    return room


# ------------------------------------------------------------------ floor plans

PLAN_MAX_BYTES = 10 * MB


@transaction.atomic
def floor_plan_set(*, actor, floor, file) -> Floor:
    """Upload (or replace) the floor plan of a floor. The bytes must be a real JPEG/PNG/WebP
    image of at most 10 MB; the stored name takes the extension of the detected format, so
    the file is served with the right type whatever the user called it."""
    floor = Floor.objects.select_for_update().select_related("building").get(pk=floor.pk)
    require_manager(actor, floor.building.center_id)
    if not file:
        raise ValidationError({"plan": _("请选择平面图图片。")})
    try:
        fmt = validate_image(file, max_bytes=PLAN_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"plan": exc.messages}) from None
    file.name = f"plan{IMAGE_EXTENSIONS[fmt]}"
    old = floor.plan.name if floor.plan else ""
    floor.plan = file
    floor.plan_uploaded_by = actor
    floor.save()
    if old and old != floor.plan.name:
        storage = floor.plan.storage
        # Only once the new plan is committed: a rollback keeps the old file in use.
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    return floor


# ------------------------------------------------------------------ xlsx room import

ROOM_COLUMNS = [
    Column("building", "楼栋", required=True, help="楼栋名称或编号，须已登记", width=16),
    Column("floor", "楼层", required=True, help="层号，如 3；地下层为负数，如 -1（也可写 B1、3F）"),
    Column("number", "房间号", required=True, help="同一楼栋内不重复", width=10),
    Column("name", "房间名称", help="选填，如 局长办公室", width=18),
    Column("usable_area", "使用面积", required=True, help="单位 ㎡，大于 0，最多两位小数"),
    Column(
        "use_kind",
        "用房类别",
        help="办公室用房 / 服务用房 / 设备用房 / 附属用房；可不填，"
        "按具体用途确定（具体用途为“其他”时必填）",
    ),
    Column("sub_use", "具体用途", required=True, help="如 办公室、会议室、档案室、配电室"),
    Column("capacity", "核定使用人数", help="1—50，不填为 1", width=12),
    Column("notes", "备注", help="选填，不超过 500 字", width=24),
]
_KIND_BY_LABEL = {str(label): value for value, label in UseKind.choices}
_SUB_USE_BY_LABEL = {str(label): value for value, label in SubUse.choices}
_LEVEL_FORMS = (
    (re.compile(r"^-?\d+$"), 1),
    (re.compile(r"^(\d+)\s*[Ff层楼]$"), 1),
    (re.compile(r"^[Bb](\d+)$"), -1),
    (re.compile(r"^地下\s*(\d+)\s*层?$"), -1),
)


class ImportRowsError(Exception):
    """Some rows are wrong: `errors` lists (row number, Chinese message), sorted."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = sorted(errors)


def _level(value):
    for pattern, sign in _LEVEL_FORMS:
        match = pattern.match(value.strip())
        if match:
            return sign * int(match.group(1) if match.groups() else match.group(0))
    return None


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return exc.messages


def _parse_room_row(raw, buildings, floors):
    """(fields for room_create, errors) of one row; every problem of the row is reported."""
    errors = []
    fields = {}

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            errors.extend(_messages(exc))
            return None

    name = raw.get("building", "")
    building = buildings.get(name)
    if building is None:
        errors.append(_("楼栋“%(v)s”不存在，请先登记楼栋。") % {"v": name[:60]})
    elif not building.is_active:
        errors.append(_("楼栋“%(v)s”已停用。") % {"v": building.name})
    level = _level(raw.get("floor", ""))
    floor = None
    if level is None:
        errors.append(
            _("楼层“%(v)s”无法识别，请填写层号，如 3 或 -1。") % {"v": raw.get("floor", "")[:20]}
        )
    elif building is not None:
        floor = floors.get((building.pk, level))
        if floor is None:
            errors.append(_("楼栋“%(b)s”没有第 %(l)s 层。") % {"b": building.name, "l": level})
    fields["number"] = check(text, raw.get("number"), "number", _("房间号"), 20, required=True)
    fields["name"] = check(text, raw.get("name"), "name", _("房间名称"), 60)
    fields["notes"] = check(text, raw.get("notes"), "notes", _("备注"), 500)
    fields["usable_area"] = check(
        area, raw.get("usable_area") or "", "usable_area", _("使用面积"), max_value=99999
    )
    sub_label = raw.get("sub_use", "")
    sub_use = _SUB_USE_BY_LABEL.get(sub_label)
    if sub_use is None:
        errors.append(
            _("具体用途“%(v)s”不存在，可选：%(c)s。")
            % {"v": sub_label[:20], "c": "、".join(str(label) for label in SubUse.labels)}
        )
    kind_label = raw.get("use_kind", "")
    use_kind = _KIND_BY_LABEL.get(kind_label) if kind_label else SUB_USE_KIND.get(sub_use)
    if kind_label and use_kind is None:
        errors.append(
            _("用房类别“%(v)s”不存在，可选：%(c)s。")
            % {"v": kind_label[:20], "c": "、".join(str(label) for label in UseKind.labels)}
        )
    elif use_kind is None and sub_use is not None:
        errors.append(_("具体用途为“其他”时请填写用房类别。"))
    elif sub_use in SUB_USE_KIND and SUB_USE_KIND[sub_use] != use_kind:
        errors.append(
            _("“%(s)s”属于%(k)s，与用房类别“%(v)s”不符。")
            % {
                "s": SubUse(sub_use).label,
                "k": UseKind(SUB_USE_KIND[sub_use]).label,
                "v": kind_label,
            }
        )
    capacity = raw.get("capacity", "") or "1"
    try:
        fields["capacity"] = int(capacity)
        if not 1 <= fields["capacity"] <= 50:
            raise ValueError
    except ValueError:
        errors.append(_("核定使用人数应为 1—50 的整数，而不是“%(v)s”。") % {"v": capacity[:10]})
    fields.update(building=building, floor=floor, use_kind=use_kind, sub_use=sub_use)
    return fields, errors


@transaction.atomic
def rooms_import(*, actor, center, uploaded, request=None) -> int:
    """Create the rooms of an xlsx file (ROOM_COLUMNS), all or none.

    The whole file is checked first (unknown building or floor, bad area, unknown or
    mismatched kind, a room number twice in the file or already registered); any problem
    raises ImportRowsError listing every bad row and writes nothing. A file that cannot be
    read raises houqin.core.xlsx.ImportFileError. Returns the number of rooms created."""
    require_manager(actor, center.pk)
    raw_rows = read_table(uploaded, ROOM_COLUMNS)
    buildings = {}
    for building in Building.objects.filter(center=center).order_by("-is_active", "id"):
        buildings.setdefault(building.name, building)
        if building.code:
            buildings.setdefault(building.code, building)
    floors = {(f.building_id, f.level): f for f in Floor.objects.filter(building__center=center)}
    existing = set(SpaceRoom.objects.filter(center=center).values_list("building_id", "number"))
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[int, str], int] = {}
    cleaned = []
    for raw in raw_rows:
        row_no = raw["_row"]
        fields, row_errors = _parse_room_row(raw, buildings, floors)
        building, number = fields["building"], fields["number"]
        if building is not None and number:
            key = (building.pk, number)
            if key in seen:
                row_errors.append(
                    _("房间号 %(n)s 与第 %(r)d 行重复。") % {"n": number, "r": seen[key]}
                )
            elif key in existing:
                row_errors.append(
                    _("楼栋“%(b)s”已有房间号 %(n)s。") % {"b": building.name, "n": number}
                )
            seen.setdefault(key, row_no)
        if row_errors:
            errors.extend((row_no, message) for message in row_errors)
        else:
            cleaned.append(fields)
    if errors:
        raise ImportRowsError(errors)
    try:
        with transaction.atomic():
            for fields in cleaned:
                # One create per row (not bulk_create) so the audit log records each room.
                SpaceRoom.objects.create(
                    center_id=center.pk, status=SpaceRoom.Status.IDLE, **fields
                )
    except IntegrityError:
        # Another manager registered one of these numbers meanwhile.
        raise ImportRowsError([(0, _("导入期间房间号已被他人登记，请重新导入。"))]) from None
    record_event(
        AuditEvent.Kind.IMPORT,
        request=request,
        actor=actor,
        model="space.SpaceRoom",
        rows=len(cleaned),
    )
    return len(cleaned)
