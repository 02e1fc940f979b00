"""Every write of the meetings app (ARCHITECTURE: <entity>_<action>(*, actor, ...), atomic).

Booking writes first lock the room row (SELECT … FOR UPDATE on PostgreSQL; SQLite runs the
whole transaction as BEGIN IMMEDIATE), then check, then write. The exclusion constraint on
PostgreSQL is the last line: a writer that slips past the checks still cannot overlap, and
gets the same "该时段已被预订" message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.approvals import services as approvals
from houqin.core.approvals.selectors import approval_for_object
from houqin.core.notifications.services import notify

from . import disinfection, rules
from .models import Booking, BookingSeries, Room, RoomBlock

TAKEN = gettext_lazy("该时段已被预订，请选择其他时间或会议室。")


def _url(booking):
    return reverse("meetings:booking_detail", args=[booking.pk])


def _lock_room(room):
    return Room.objects.select_for_update().get(pk=room.pk)


def _check_actor(actor, center_id):
    if actor.center_id != center_id:
        raise PermissionDenied


def _conflicts(room, starts_at, ends_at, *, exclude_pk=None):
    qs = Booking.objects.filter(
        room=room, status__in=Booking.ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _blocks(room, starts_at, ends_at):
    return RoomBlock.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)


def slot_problem(room, starts_at, ends_at, *, exclude_pk=None):
    """Why [starts_at, ends_at) cannot be had in `room` now (a Chinese message), or ""."""
    block = _blocks(room, starts_at, ends_at).first()
    if block is not None:
        return _("会议室在该时段停用：%(reason)s。") % {"reason": block.reason}
    other = _conflicts(room, starts_at, ends_at, exclude_pk=exclude_pk).first()
    if other is not None:
        local = timezone.localtime(other.starts_at)
        return _("该时段已被预订（%(title)s，%(t)s 起）。") % {
            "title": other.title,
            "t": local.strftime("%m-%d %H:%M"),
        }
    return ""


def _validate(actor, room, data, *, exclude_pk=None, now=None):
    errors = {}
    if not room.is_active:
        errors["room"] = _("该会议室已停用。")
    elif not rules.may_book(actor, room):
        errors["room"] = _("您没有预订该会议室的权限，请联系会务管理员。")
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写会议名称。")
    elif len(title) > 100:
        errors["title"] = _("会议名称不能超过 100 个字。")
    attendees = data.get("attendees_expected")
    if not isinstance(attendees, int) or attendees <= 0:
        errors["attendees_expected"] = _("请填写预计参会人数。")
    agency = data.get("agency")
    # center_id_value: the center's own unit (its center_id is NULL) may organise too.
    if agency is None or agency.center_id_value != room.center_id:
        errors["agency"] = _("请选择主办单位。")
    if data.get("level") not in Booking.Level.values:
        errors["level"] = _("请选择会议级别。")
    if len(data.get("notes") or "") > 1000:
        errors["notes"] = _("备注不能超过 1000 个字。")
    errors.update(rules.time_errors(room, data.get("starts_at"), data.get("ends_at"), now=now))
    if not errors:
        problem = slot_problem(room, data["starts_at"], data["ends_at"], exclude_pk=exclude_pk)
        if problem:
            errors["starts_at"] = problem
    if errors:
        raise ValidationError(errors)
    return title


def _insert(booking, services):
    # A savepoint, so a lost race on the exclusion constraint leaves the transaction usable.
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise ValidationError({"starts_at": TAKEN}) from None
    if services is not None:
        booking.services.set(services)
    return booking


def _confirm(booking, *, actor):
    disinfection.create_for(booking, actor=actor)
    notify(
        recipients=[booking.booker],
        kind="meetings.booked",
        title=_("会议室预订成功：%(room)s %(t)s")
        % {
            "room": booking.room.name,
            "t": timezone.localtime(booking.starts_at).strftime("%m-%d %H:%M"),
        },
        url=_url(booking),
        obj=booking,
        actor=actor,
    )


@transaction.atomic
def booking_create(
    *,
    actor,
    room,
    title,
    agency,
    starts_at,
    ends_at,
    attendees_expected,
    level=Booking.Level.ORDINARY,
    major_kind="",
    services=(),
    notes="",
    series=None,
    now=None,
):
    """Book `room`. Bookings that need approval (see rules.needs_approval) are created
    pending and submitted to the meeting manager; the others are confirmed at once."""
    _check_actor(actor, room.center_id)
    room = _lock_room(room)
    data = {
        "title": title,
        "agency": agency,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "attendees_expected": attendees_expected,
        "level": level,
        "notes": notes,
    }
    title = _validate(actor, room, data, now=now)
    pending = rules.needs_approval(room, level=level, attendees=attendees_expected, actor=actor)
    booking = _insert(
        Booking(
            center_id=room.center_id,
            room=room,
            series=series,
            title=title,
            agency=agency,
            booker=actor,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees_expected=attendees_expected,
            level=level,
            major_kind=(major_kind or "")[:30],
            notes=notes or "",
            status=Booking.Status.PENDING if pending else Booking.Status.CONFIRMED,
        ),
        list(services),
    )
    if pending:
        approvals.approval_submit(
            actor=actor,
            obj=booking,
            request_type="meetings.booking",
            title=f"{room.name} · {title}",
            summary=_("%(t)s，预计 %(n)d 人（容纳 %(c)d 人）")
            % {
                "t": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
                "n": attendees_expected,
                "c": room.capacity,
            },
            agency=agency,
        )
    else:
        _confirm(booking, actor=actor)
    return booking


def _can_change(actor, booking):
    return booking.booker_id == actor.pk or actor.has_perm("meetings.change_booking")


@transaction.atomic
def booking_update(*, actor, booking, now=None, **fields):
    """Change one booking (one occurrence of a series, too): time, room, title, people…"""
    _check_actor(actor, booking.center_id)
    if not _can_change(actor, booking):
        raise PermissionDenied
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.CONFIRMED):
        raise ValidationError(_("该预订已%(s)s，不能修改。") % {"s": booking.get_status_display()})
    allowed = {
        "room",
        "title",
        "agency",
        "starts_at",
        "ends_at",
        "attendees_expected",
        "level",
        "major_kind",
        "notes",
        "services",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")
    services = fields.pop("services", None)
    room = _lock_room(fields.get("room", booking.room))
    data = {
        k: fields.get(k, getattr(booking, k))
        for k in ("title", "agency", "starts_at", "ends_at", "attendees_expected", "level", "notes")
    }
    title = _validate(actor, room, data, exclude_pk=booking.pk, now=now)
    moved = (room.pk, data["starts_at"], data["ends_at"]) != (
        booking.room_id,
        booking.starts_at,
        booking.ends_at,
    )
    for key, value in {**data, **fields}.items():
        setattr(booking, key, value)
    booking.title = title
    booking.room = room
    _insert(booking, services)
    if moved and booking.status == Booking.Status.CONFIRMED:
        disinfection.move_for(booking, actor=actor)
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking, reason, notify_booker=True):
    """Cancel with a reason; the slot is free at once, its disinfection tasks are cancelled
    and a pending approval is withdrawn."""
    _check_actor(actor, booking.center_id)
    if not _can_change(actor, booking):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因。")})
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.CONFIRMED):
        raise ValidationError(_("该预订已%(s)s，不能取消。") % {"s": booking.get_status_display()})
    was_pending = booking.status == Booking.Status.PENDING
    booking.status = Booking.Status.CANCELLED
    booking.cancel_reason = reason[:200]
    booking.save(update_fields=["status", "cancel_reason", "updated_at"])
    disinfection.cancel_for(booking, reason=reason)
    if was_pending:
        approval = approval_for_object(booking, request_type="meetings.booking")
        if approval is not None and approval.status in ("pending", "returned"):
            approvals.approval_cancel(actor=approval.requester, approval=approval, comment=reason)
    if notify_booker:
        notify(
            recipients=[booking.booker],
            kind="meetings.cancelled",
            title=_("会议室预订已取消：%(t)s") % {"t": booking.title},
            body=reason,
            url=_url(booking),
            obj=booking,
            actor=actor,
        )
    return booking


# ------------------------------------------------------------------ recurring series


def series_preview(*, room, rrule, first_start, first_end, until, exclude_series=None):
    """Every occurrence of the series up to and including `until`, with its problem ("" when
    free)."""
    import datetime as dt

    from houqin.core.duties.recurrence import occurrences

    duration = first_end - first_start
    starts = occurrences(rrule, first_start, first_start, until + dt.timedelta(microseconds=1))
    result = []
    for start in starts:
        end = start + duration
        problem = slot_problem(room, start, end) or "；".join(
            rules.time_errors(room, start, end).values()
        )
        result.append((start, end, problem))
    return result


@transaction.atomic
def booking_series_create(
    *,
    actor,
    room,
    rrule,
    first_start,
    first_end,
    until,
    title,
    agency,
    attendees_expected,
    level=Booking.Level.ORDINARY,
    services=(),
    notes="",
    skip_conflicts=False,
):
    """Book every occurrence of `rrule` from `first_start` until `until`.

    Occurrences that clash are listed in a ValidationError unless `skip_conflicts`, in which
    case they are skipped. Returns (series, created bookings, skipped (start, end, problem)).
    """
    from houqin.core.duties.recurrence import parse_rule

    _check_actor(actor, room.center_id)
    parse_rule(rrule, first_start)  # Chinese error for a bad rule
    if until <= first_start or (until - first_start).days > 366:
        raise ValidationError({"until": _("周期预订的截止日期须在开始之后一年以内。")})
    room = _lock_room(room)
    plan = series_preview(
        room=room, rrule=rrule, first_start=first_start, first_end=first_end, until=until
    )
    if not plan:
        raise ValidationError({"rrule": _("按此规则在截止日期前没有任何一次会议。")})
    clashes = [p for p in plan if p[2]]
    if len(clashes) == len(plan):
        raise ValidationError(
            {"rrule": _("按此规则的每一次都与已有预订或规则冲突，未创建任何预订。")}
        )
    if clashes and not skip_conflicts:
        raise ValidationError(
            {
                "rrule": [
                    _("%(t)s：%(p)s") % {"t": timezone.localtime(s).strftime("%m-%d %H:%M"), "p": p}
                    for s, _e, p in clashes
                ]
            }
        )
    series = BookingSeries.objects.create(
        center_id=room.center_id, room=room, rrule=rrule, title=title[:100], booker=actor
    )
    created = [
        booking_create(
            actor=actor,
            room=room,
            title=title,
            agency=agency,
            starts_at=start,
            ends_at=end,
            attendees_expected=attendees_expected,
            level=level,
            services=services,
            notes=notes,
            series=series,
        )
        for start, end, problem in plan
        if not problem
    ]
    return series, created, clashes


@transaction.atomic
def booking_series_cancel_rest(*, actor, booking, reason):
    """Cancel this occurrence and every later one of its series."""
    if booking.series_id is None:
        raise ValidationError(_("该预订不属于周期预订。"))
    rest = Booking.objects.filter(
        series_id=booking.series_id,
        starts_at__gte=booking.starts_at,
        status__in=(Booking.Status.PENDING, Booking.Status.CONFIRMED),
    ).order_by("starts_at")
    return [
        booking_cancel(actor=actor, booking=b, reason=reason, notify_booker=False) for b in rest
    ]


# ------------------------------------------------------------------ manager actions


def _manager(actor, center_id):
    _check_actor(actor, center_id)
    if not actor.has_perm("meetings.change_booking"):
        raise PermissionDenied


@transaction.atomic
def booking_check_in(*, actor, booking, now=None):
    _check_actor(actor, booking.center_id)
    if not _can_change(actor, booking):
        raise PermissionDenied
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("只有已确认的预订可以签到。"))
    booking.checked_in_at = now or timezone.now()
    booking.save(update_fields=["checked_in_at", "updated_at"])
    return booking


@transaction.atomic
def booking_mark_served(*, actor, booking, attendees_actual, now=None):
    """The meeting took place and was served; the actual attendance is recorded."""
    _manager(actor, booking.center_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("只有已确认的预订可以标记为已服务。"))
    if not isinstance(attendees_actual, int) or attendees_actual < 0:
        raise ValidationError({"attendees_actual": _("请填写实到人数。")})
    booking.status = Booking.Status.SERVED
    booking.attendees_actual = attendees_actual
    booking.served_at = now or timezone.now()
    booking.save(update_fields=["status", "attendees_actual", "served_at", "updated_at"])
    return booking


@transaction.atomic
def bookings_release_unchecked(*, now=None):
    """Release confirmed bookings not checked in within their room's auto-release minutes.
    Returns how many were released (periodic job)."""
    import datetime as dt

    now = now or timezone.now()
    released = 0
    candidates = Booking.objects.select_related("room", "booker").filter(
        status=Booking.Status.CONFIRMED,
        checked_in_at__isnull=True,
        room__auto_release_minutes__isnull=False,
        starts_at__lte=now,
    )
    for booking in candidates:
        if booking.starts_at + dt.timedelta(minutes=booking.room.auto_release_minutes) > now:
            continue
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Booking.Status.CONFIRMED or locked.checked_in_at:
            continue
        locked.status = Booking.Status.RELEASED
        locked.save(update_fields=["status", "updated_at"])
        disinfection.cancel_for(locked, reason=_("未签到，预订已释放"))
        notify(
            recipients=[booking.booker],
            kind="meetings.released",
            title=_("会议室预订因未签到已释放：%(t)s") % {"t": booking.title},
            url=_url(booking),
            obj=locked,
        )
        released += 1
    return released


ROOM_FIELDS = {
    "name",
    "code",
    "kind",
    "building",
    "floor",
    "capacity",
    "equipment",
    "photo",
    "open_from",
    "open_until",
    "requires_approval",
    "bookable_by",
    "max_duration_minutes",
    "auto_release_minutes",
    "is_active",
}


@transaction.atomic
def room_create(*, actor, center, **fields):
    _manager(actor, center.pk)
    unknown = set(fields) - ROOM_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")
    if Room.objects.filter(center=center, name=fields.get("name")).exists():
        raise ValidationError({"name": _("已有同名会议室。")})
    room = Room(center=center, **fields)
    room.full_clean(exclude=["center"])
    room.save()
    return room


@transaction.atomic
def room_update(*, actor, room, **fields):
    _manager(actor, room.center_id)
    unknown = set(fields) - ROOM_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")
    room = _lock_room(room)
    if (
        Room.objects.filter(center_id=room.center_id, name=fields.get("name", room.name))
        .exclude(pk=room.pk)
        .exists()
    ):
        raise ValidationError({"name": _("已有同名会议室。")})
    for key, value in fields.items():
        setattr(room, key, value)
    room.full_clean(exclude=["center"])
    room.save()
    return room


@transaction.atomic
def room_block_create(*, actor, room, starts_at, ends_at, reason):
    """Block a room (maintenance). Refused while active bookings overlap: cancel them first."""
    _manager(actor, room.center_id)
    room = _lock_room(room)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写停用原因。")})
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})
    clashes = list(_conflicts(room, starts_at, ends_at)[:5])
    if clashes:
        raise ValidationError(
            _("该时段已有预订，请先与预订人协调取消：%(list)s")
            % {
                "list": "、".join(
                    f"{b.title}（{timezone.localtime(b.starts_at):%m-%d %H:%M}）" for b in clashes
                )
            }
        )
    return RoomBlock.objects.create(
        center_id=room.center_id,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason[:100],
        created_by=actor,
    )


@transaction.atomic
def room_block_delete(*, actor, block):
    _manager(actor, block.center_id)
    block.delete()
