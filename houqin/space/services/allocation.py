"""Rooms to agencies (Allocation) and offices to people (Occupancy).

Rules kept here, under a row lock on the room so two managers cannot race:
- a room is held by at most one agency at a time (also a partial unique constraint), and a
  new allocation never starts before the previous one ended (the history does not overlap);
- an idle room has no current allocation, an occupied room has one; a room under repair
  takes no new allocation;
- people sit only in office rooms held by their own agency, never more than the room's
  核定使用人数 at once (the share of each is the area ÷ the people in it);
- vacating a room (腾退) also moves its people out on the same day.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.org.models import Person

from ..models import Allocation, Occupancy, SpaceRoom, UseKind
from .common import require_manager, text, user_unit


def _today():
    return timezone.localdate()


def _date(value, field, label):
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValidationError({field: _("请填写%(l)s。") % {"l": label}})
    return value


def lock_room(room) -> SpaceRoom:
    return SpaceRoom.objects.select_for_update().get(pk=room.pk)


def current_allocation(room):
    return room.allocations.filter(end_date__isnull=True).select_related("agency").first()


def _check_after_history(room, start_date):
    last_end = room.allocations.aggregate(m=Max("end_date"))["m"]
    if last_end is not None and start_date < last_end:
        raise ValidationError(
            {
                "start_date": _("该房间上一次使用到 %(d)s，启用日期不能早于此日。")
                % {"d": f"{last_end:%Y-%m-%d}"}
            }
        )


def allocate_locked(
    room,
    *,
    agency,
    start_date,
    actor=None,
    certificate_no="",
    certificate_date=None,
    source=Allocation.Source.DIRECT,
    plan_step=None,
    note="",
) -> Allocation:
    """Allocate a room already locked by the caller (used by the plan too)."""
    user_unit(agency, room.center_id)
    if not room.is_active:
        raise ValidationError(_("房间 %(r)s 已注销，不能分配。") % {"r": room})
    if room.status == SpaceRoom.Status.REPAIR:
        raise ValidationError(_("房间 %(r)s 正在维修，不能分配。") % {"r": room})
    held = current_allocation(room)
    if held is not None:
        raise ValidationError(
            _("房间 %(r)s 当前由“%(a)s”使用，请先腾退。") % {"r": room, "a": held.agency}
        )
    _check_after_history(room, start_date)
    allocation = Allocation.objects.create(
        center_id=room.center_id,
        room=room,
        agency=agency,
        start_date=start_date,
        certificate_no=certificate_no,
        certificate_date=certificate_date,
        source=source,
        plan_step=plan_step,
        note=note,
        created_by=actor,
    )
    room.status = SpaceRoom.Status.OCCUPIED
    room.save(update_fields=["status", "updated_at"])
    return allocation


def vacate_locked(room, allocation, *, end_date) -> list[Occupancy]:
    """End `allocation` of the locked room on end_date, with every occupancy still open."""
    if end_date < allocation.start_date:
        raise ValidationError(
            {
                "end_date": _("腾退日期不能早于启用日期 %(d)s。")
                % {"d": f"{allocation.start_date:%Y-%m-%d}"}
            }
        )
    people = list(room.occupancies.filter(end_date__isnull=True).select_related("person"))
    for occupancy in people:
        if end_date < occupancy.start_date:
            raise ValidationError(
                {
                    "end_date": _("%(p)s 于 %(d)s 入住，腾退日期不能早于此日。")
                    % {"p": occupancy.person.name, "d": f"{occupancy.start_date:%Y-%m-%d}"}
                }
            )
        occupancy.end_date = end_date
        occupancy.save(update_fields=["end_date", "updated_at"])
    allocation.end_date = end_date
    allocation.save(update_fields=["end_date", "updated_at"])
    if room.status != SpaceRoom.Status.REPAIR:
        room.status = SpaceRoom.Status.IDLE
        room.save(update_fields=["status", "updated_at"])
    return people


@transaction.atomic
def allocation_create(
    *,
    actor,
    room,
    agency,
    start_date=None,
    certificate_no="",
    certificate_date=None,
    note="",
    source=Allocation.Source.DIRECT,
) -> Allocation:
    """分配: give an idle room to an agency, with its use agreement / certificate number."""
    room = lock_room(room)
    require_manager(actor, room.center_id)
    start_date = _date(start_date or _today(), "start_date", _("启用日期"))
    if source not in (Allocation.Source.DIRECT, Allocation.Source.UPSTREAM):
        raise ValidationError({"source": _("请选择来源。")})
    return allocate_locked(
        room,
        agency=agency,
        start_date=start_date,
        actor=actor,
        certificate_no=text(certificate_no, "certificate_no", _("使用协议/配置证号"), 50),
        certificate_date=certificate_date,
        source=source,
        note=text(note, "note", _("备注"), 200),
    )


@transaction.atomic
def allocation_vacate(*, actor, room, end_date=None) -> Allocation:
    """腾退: the agency hands the room back; its people move out the same day."""
    room = lock_room(room)
    require_manager(actor, room.center_id)
    allocation = current_allocation(room)
    if allocation is None:
        raise ValidationError(_("房间 %(r)s 当前未分配，无需腾退。") % {"r": room})
    end_date = _date(end_date or _today(), "end_date", _("腾退日期"))
    vacate_locked(room, allocation, end_date=end_date)
    return allocation


@transaction.atomic
def occupancy_add(*, actor, room, person, start_date=None, note="") -> Occupancy:
    """A person takes a desk in an office room of their agency."""
    room = lock_room(room)
    require_manager(actor, room.center_id)
    start_date = _date(start_date or _today(), "start_date", _("入住日期"))
    if person is None or person.center_id != room.center_id:
        raise ValidationError({"person": _("请选择本中心的人员。")})
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(
            {
                "person": _("%(p)s 已%(s)s，不能安排办公室。")
                % {"p": person, "s": person.get_status_display()}
            }
        )
    if room.use_kind != UseKind.OFFICE:
        raise ValidationError(_("只有办公室用房可以安排使用人。"))
    allocation = current_allocation(room)
    if allocation is None:
        raise ValidationError(_("房间 %(r)s 尚未分配给任何单位，请先分配。") % {"r": room})
    if allocation.agency_id != person.agency_id:
        raise ValidationError(
            {
                "person": _("%(p)s 属于“%(pa)s”，该房间分配给“%(a)s”。")
                % {"p": person, "pa": person.agency, "a": allocation.agency}
            }
        )
    if start_date < allocation.start_date:
        raise ValidationError(
            {
                "start_date": _("入住日期不能早于房间分配日期 %(d)s。")
                % {"d": f"{allocation.start_date:%Y-%m-%d}"}
            }
        )
    current = room.occupancies.filter(end_date__isnull=True)
    if current.filter(person=person).exists():
        raise ValidationError({"person": _("%(p)s 已在该房间办公。") % {"p": person}})
    if current.count() >= room.capacity:
        raise ValidationError(
            _("房间 %(r)s 核定 %(n)s 人，已满。") % {"r": room, "n": room.capacity}
        )
    last_out = room.occupancies.filter(person=person).aggregate(m=Max("end_date"))["m"]
    if last_out is not None and start_date < last_out:
        raise ValidationError({"start_date": _("入住日期不能早于上次迁出日期。")})
    return Occupancy.objects.create(
        center_id=room.center_id,
        room=room,
        person=person,
        start_date=start_date,
        note=text(note, "note", _("备注"), 200),
        created_by=actor,
    )


@transaction.atomic
def occupancy_end(*, actor, occupancy, end_date=None) -> Occupancy:
    """迁出: the person leaves the office (moved, departed, retired)."""
    room = lock_room(occupancy.room)
    require_manager(actor, room.center_id)
    occupancy = Occupancy.objects.select_for_update().get(pk=occupancy.pk)
    if occupancy.end_date is not None:
        raise ValidationError(_("%(p)s 已迁出该房间。") % {"p": occupancy.person})
    end_date = _date(end_date or _today(), "end_date", _("迁出日期"))
    if end_date < occupancy.start_date:
        raise ValidationError({"end_date": _("迁出日期不能早于入住日期。")})
    occupancy.end_date = end_date
    occupancy.save(update_fields=["end_date", "updated_at"])
    return occupancy


@transaction.atomic
def occupancy_move(*, actor, occupancy, room, date=None) -> Occupancy:
    """调整办公室: out of one room and into another the same day, or neither."""
    date = _date(date or _today(), "date", _("调整日期"))
    if occupancy.room_id == room.pk:
        raise ValidationError({"room": _("请选择另一个房间。")})
    occupancy_end(actor=actor, occupancy=occupancy, end_date=date)
    return occupancy_add(actor=actor, room=room, person=occupancy.person, start_date=date)


def current_on(qs, day, prefix=""):
    """Rows of an Allocation/Occupancy queryset in force on `day`."""
    return qs.filter(
        Q(**{f"{prefix}start_date__lte": day})
        & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day}))
    )
