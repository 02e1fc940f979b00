"""The register: buildings, floors and rooms. A room's status is not edited here except for
"under repair": occupied/idle follow the allocations (services.allocation)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

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
